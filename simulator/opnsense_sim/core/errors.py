"""Exceptions that api.php turns into HTTP error bodies (generic.md section 5)."""

from __future__ import annotations


class DispatchError(Exception):
    """Unknown module/controller/action or too few path parameters: HTTP 404 "Endpoint not found"."""


class UserException(Exception):
    """OPNsense's UserException: HTTP 500 carrying the real message, a title and (26.7+) a level."""

    level = "error"
    generic = False

    def __init__(self, message: str, title: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.title = title


class UserWarningException(UserException):
    """Not a UserException subclass in 26.7: api.php sends the generic 500 text, but keeps title and level.

    26.1 had no such class: the same controllers threw a UserException (real text, no level).
    """

    level = "warning"
    generic = True


class UserInformationalException(UserWarningException):
    """Like UserWarningException, with level "info" (UserInformationalException.php, 26.7)."""

    level = "info"


class UnexpectedError(Exception):
    """Any other PHP exception (for example "Invalid input type"): HTTP 500 with the generic message."""


class BadInput(UnexpectedError):
    """A JSON list or object where a single value is expected (BaseField::setNodes)."""
