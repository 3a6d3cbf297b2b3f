"""Text-like field types: TextField, DescriptionField, StrictTextField, EmailField, UrlField.

Masks are the XML `<Mask>` patterns (`/.../flags`; a bare pattern reads as `/.../u`), checked by
the Regex validator: the first match must equal the whole value (core/php.py Pcre).
"""

from __future__ import annotations

from typing import Any

from ..php import filter_url, pcre
from .base import Field, FieldContext

NO_SPACES = "Text may not contain spaces or tabs."
NO_NEWLINES = "Text may not contain newlines."
NO_SPECIAL = "Text may not contain special control characters."


def _has_any(value: str, chars: str) -> bool:
    return any(c in value for c in chars)


class TextField(Field):
    """TextField.php: AllowSpaces/AllowNewlines/AllowSpecial, then the mask (a separate validator)."""

    default_message = "Text does not validate."
    allow_spaces = True
    allow_newlines = True
    allow_special = True

    def __init__(
        self,
        mask: str | None = None,
        allow_spaces: bool | None = None,
        allow_newlines: bool | None = None,
        allow_special: bool | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.mask = pcre(mask) if mask else None
        if allow_spaces is not None:
            self.allow_spaces = allow_spaces
        if allow_newlines is not None:
            self.allow_newlines = allow_newlines
        if allow_special is not None:
            self.allow_special = allow_special

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        out = []
        # One callback reports the first character rule broken; the mask adds its own message.
        if not self.allow_spaces and _has_any(value, " \t"):
            out.append(NO_SPACES)
        elif not self.allow_newlines and _has_any(value, "\n\r"):
            out.append(NO_NEWLINES)
        elif not self.allow_special and _has_any(value, "\0\v\f"):
            out.append(NO_SPECIAL)
        if self.mask is not None and not self.mask.validates(value):
            out.append(self.msg)
        return out


class DescriptionField(TextField):
    """DescriptionField.php: no newlines or NUL/VT/FF, and `/^(.){1,255}$/` (bytes, no /u).

    PHP counts UTF-8 bytes, and `$` may match before one final newline, so "text\\n" passes the
    length check while the newline rule still fails it: two messages.
    """

    default_message = "Description should be a string between 1 and 255 characters."
    allow_newlines = False
    allow_special = False

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        out = super().check(value, ctx)
        raw = value.encode("utf-8", "surrogatepass")
        body = raw[:-1] if raw.endswith(b"\n") else raw
        if not 1 <= len(body) <= 255 or b"\n" in body:
            out.append(self.msg)
        return out


class StrictTextField(TextField):
    """StrictTextField.php: a TextField without spaces, newlines or special control characters."""

    allow_spaces = False
    allow_newlines = False
    allow_special = False


class EmailField(Field):
    """EmailField.php: preg_match('/^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$/i')."""

    default_message = "Email address is invalid."
    pattern = pcre(r"/^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/i")

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if self.pattern.search(value) else [self.msg]


class UrlField(Field):
    """UrlField.php: filter_var(FILTER_VALIDATE_URL)."""

    default_message = "Invalid URL."

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if filter_url(value) else [self.msg]
