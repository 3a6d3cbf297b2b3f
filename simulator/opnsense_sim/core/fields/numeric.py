"""Scalar field types checked by the Regex/MinMax/Integer/Numericality validators.

Each validator appends the field's one message; ApiMutableModelControllerBase::validate() merges
equal messages, so a field reports it once however many validators fail.
"""

from __future__ import annotations

from typing import Any

from ..php import filter_int, in_range, pcre
from .base import Field, FieldContext

# Numericality.php: digits with "," or "." separators; `$` may match before a final newline.
_NUMERICALITY = pcre(r"/((^[-]?[0-9,]+(\.[0-9]+)?$)|(^[-]?[0-9.]+(,[0-9]+)?$))/")
_BOOLEAN = pcre("/^[01]$/")


class BooleanField(Field):
    """BooleanField.php: the Regex validator with `/^[01]$/` (so "1\\n" compares equal to "1")."""

    default_message = "Value should be a boolean (0,1)."

    def __init__(self, default: str = "0", **kw: Any) -> None:
        super().__init__(default=default, **kw)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if _BOOLEAN.validates(value) else [self.msg]


class _MinMaxField(Field):
    """A field with MinimumValue/MaximumValue, checked by MinMaxValidator (is_numeric, then bounds)."""

    default_minimum: float | None = None
    default_maximum: float | None = None

    def __init__(self, minimum: float | None = None, maximum: float | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.minimum = self.default_minimum if minimum is None else minimum
        self.maximum = self.default_maximum if maximum is None else maximum

    def in_range(self, value: str) -> bool:
        return in_range(value, self.minimum, self.maximum)


class IntegerField(_MinMaxField):
    """IntegerField.php: MinMaxValidator and IntegerValidator (filter_var FILTER_VALIDATE_INT).

    The bounds default to PHP_INT_MIN and PHP_INT_MAX, which filter_var enforces anyway.
    """

    default_message = "Invalid integer value."

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if self.in_range(value) and filter_int(value) else [self.msg]


class NumericField(_MinMaxField):
    """NumericField.php: MinMaxValidator (default ±99999999999999) and the Numericality pattern."""

    default_message = "Invalid numeric value."
    default_minimum = -99999999999999.0
    default_maximum = 99999999999999.0

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if self.in_range(value) and _NUMERICALITY.search(value) else [self.msg]


class AutoNumberField(_MinMaxField):
    """AutoNumberField.php: a new item gets the lowest number from MinimumValue (default 1) that no
    sibling uses (applyDefault); a posted number is kept as it is, used or not (nothing checks it
    is unique). Validated by IntegerValidator and MinMaxValidator (maximum PHP_INT_MAX - 1)."""

    default_message = "Invalid integer value."
    default_minimum = 1
    default_maximum = 9223372036854775806

    def initial(self, ctx: FieldContext | None = None) -> str:
        used: set[str] = set()
        if ctx is not None and ctx.itemtype is not None:
            used = {item.get(self.name, "") for item in ctx.view.items(ctx.itemtype.key).values()}
        new = int(self.minimum or 1)
        while str(new) in used:
            new += 1
        return str(new)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if self.in_range(value) and filter_int(value) else [self.msg]
