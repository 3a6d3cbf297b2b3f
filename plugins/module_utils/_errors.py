# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's error tree.

Every failure the modules report is one of these classes, so that entry points can turn any of them
into a readable ``fail_json`` message of the form ``<type>/<name>: <field>: <message>``. Errors that
arise deep in the client (which knows nothing about resources) get their resource context attached
later with :meth:`OpnError.with_context`. No error ever carries the API secret: the client redacts
it before raising.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Tuple


class OpnError(Exception):
    """Base class: a message plus the resource type, name and field it concerns (all optional)."""

    kind = "error"

    def __init__(
        self,
        message: str,
        resource_type: Optional[str] = None,
        name: Optional[str] = None,
        field: Optional[str] = None,
        details: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.resource_type = resource_type
        self.name = name
        self.field = field
        self.details = dict(details or {})

    def with_context(self, resource_type: Optional[str], name: Optional[str]) -> "OpnError":
        """Fill in the resource this error concerns, unless it already names one."""
        if self.resource_type is None:
            self.resource_type = resource_type
        if self.name is None:
            self.name = name
        return self

    @property
    def prefix(self) -> str:
        """``type/name: `` (or just ``type: ``), empty when the error concerns no resource."""
        if self.resource_type and self.name is not None:
            return "%s/%s: " % (self.resource_type, self.name)
        if self.resource_type:
            return "%s: " % self.resource_type
        return ""

    def __str__(self) -> str:
        field = "%s: " % self.field if self.field else ""
        return "%s%s%s" % (self.prefix, field, self.message)

    def to_result(self) -> Dict[str, Any]:
        """Extra keys for the module's failure result (machine-readable form of the message)."""
        result: Dict[str, Any] = {"error_kind": self.kind}
        if self.resource_type:
            result["resource_type"] = self.resource_type
        if self.name is not None:
            result["resource_name"] = self.name
        if self.field:
            result["field"] = self.field
        result.update(self.details)
        return result


class ConfigurationError(OpnError):
    """The module's own options are unusable (for example an api_url that is not a URL)."""

    kind = "configuration"


class ValidationError(OpnError):
    """One or more fields are invalid, found locally or reported by OPNsense.

    Holds a list of ``(field, message)`` pairs; the string form lists each as
    ``type/name: field: message``, joined by ``; ``.
    """

    kind = "validation"

    def __init__(
        self,
        errors: Iterable[Tuple[str, str]],
        resource_type: Optional[str] = None,
        name: Optional[str] = None,
        source: str = "local",
        kind: Optional[str] = None,
    ) -> None:
        self.errors: List[Tuple[str, str]] = [(str(f), str(m)) for f, m in errors]
        self.source = source
        if kind:
            self.kind = kind  # "reference" when every problem is a name nothing has
        first_field = self.errors[0][0] if len(self.errors) == 1 else None
        super().__init__("invalid input", resource_type, name, first_field)

    def __str__(self) -> str:
        parts = []
        for field, message in self.errors:
            parts.append("%s%s%s" % (self.prefix, "%s: " % field if field else "", message))
        return "; ".join(parts) if parts else self.prefix + "invalid input"

    def to_result(self) -> Dict[str, Any]:
        result = super().to_result()
        result["validation_source"] = self.source
        result["validations"] = dict(self.errors)
        return result


class TransportError(OpnError):
    """The firewall could not be reached (DNS, refused connection, reset, timeout)."""

    kind = "transport"


class TlsError(TransportError):
    """The TLS handshake failed, usually because the certificate is not trusted."""

    kind = "tls"


class AuthError(OpnError):
    """OPNsense rejected the credentials (HTTP 401)."""

    kind = "auth"


class ForbiddenError(AuthError):
    """The credentials are valid but the user's privileges do not cover the endpoint (HTTP 403)."""

    kind = "forbidden"


class NotFoundError(OpnError):
    """The endpoint does not exist on this firewall (HTTP 404 "Endpoint not found")."""

    kind = "not_found"


class PluginMissingError(NotFoundError):
    """A plugin's endpoint gave 404: the plugin is not installed."""

    kind = "plugin_missing"


class ApiError(OpnError):
    """OPNsense answered in a way the client did not expect."""

    kind = "api"


class ServerError(ApiError):
    """HTTP 500 with OPNsense's ``errorMessage`` / ``errorTitle`` (see opnsense-api/generic.md 5)."""

    kind = "server"


class InUseError(ServerError):
    """A delete was refused because other configuration still references the object."""

    kind = "in_use"


class ReferenceNotFoundError(OpnError):
    """A reference by name names no object of the referenced type."""

    kind = "reference"


class AmbiguousError(OpnError):
    """More than one object matches an identity or a reference by name."""

    kind = "ambiguous"


class ReloadError(OpnError):
    """Applying a subsystem's configuration failed (or its pre-check found an error)."""

    kind = "reload"
