"""BaseField.php: what every field type shares.

A field knows its default, how a posted value is stored (setValue and ChangeCase), how it
validates (PresenceOf for an empty required value; the type's validators only run on a non-empty
one, haproxy.md 1.2), how `get` renders it (getNodeData) and the description that search rows and
26.7's `get` carry as `%field` (getDescription, generic.md sections 6 and 7).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from ..php import ascii_lower, ascii_upper, sprintf

REQUIRED_MSG = "A value is required."


@dataclass
class FieldContext:
    """What a field may look at while validating or rendering: the config view and the system."""

    view: Any  # store.View
    env: Any  # environment.Environment
    item: dict[str, str]
    uuid: str | None = None
    itemtype: Any = None
    loaded: Any = None  # store.View of the config as this request loaded it, before its change

    @property
    def version(self) -> str:
        return self.env.version


class Field:
    """A leaf field. Subclasses override `check` (non-empty values only), `render` and `display`."""

    default_message = "Validation failed."

    def __init__(
        self,
        default: str = "",
        required: bool = False,
        lower: bool = False,
        upper: bool = False,
        message: str | None = None,
        volatile: bool = False,
    ) -> None:
        self.default = default
        self.required = required
        self.lower = lower
        self.upper = upper
        self.message = message  # the XML <ValidationMessage>; None keeps the type's default
        self.volatile = volatile
        self.name = ""

    def message_for(self, content: str | None = None) -> str:
        """BaseField::getValidationMessage(): sprintf() only when the text holds exactly one %s."""
        text = self.message if self.message is not None else self.default_message
        if text and text.count("%s") == 1:
            return sprintf(text, content or "")
        return text

    @property
    def msg(self) -> str:
        return self.message_for()

    def initial(self, ctx: FieldContext | None = None) -> str:
        """The value a new item starts with (AutoNumber-like fields compute it)."""
        return self.default

    def store(self, value: str) -> str:
        """BaseField::setValue: ChangeCase (strtolower/strtoupper, ASCII only) on a non-empty value."""
        if value in ("", "0"):
            return value
        if self.lower:
            return ascii_lower(value)
        if self.upper:
            return ascii_upper(value)
        return value

    def validate(self, value: str, ctx: FieldContext) -> list[str]:
        if value == "":
            return [REQUIRED_MSG] if self.required else []
        return self.check(value, ctx)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return []

    def render(self, value: str, ctx: FieldContext) -> Any:
        return value

    def display(self, value: str, ctx: FieldContext) -> str | None:
        return None


class UniqueIdField(Field):
    """Filled by the server on add with PHP uniqid('', true); a posted value is ignored once set."""

    def initial(self, ctx: FieldContext | None = None) -> str:
        t = time.time()
        return "%8x%05x.%08d" % (int(t), int((t % 1) * 1_000_000), random.randint(0, 99_999_999))
