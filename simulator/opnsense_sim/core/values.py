"""How PHP turns decoded JSON input into the strings the models store (generic.md sections 3 and 4).

Every model value is a string. JSON true casts to "1", false to "" (which then fails Required on
booleans), numbers to their decimal text, and null is skipped because PHP's isset() is false for it.
"""

from __future__ import annotations

from typing import Any

from .errors import BadInput

SKIP = object()


def php_string(key: str, value: Any) -> Any:
    """Cast one posted leaf value the way BaseField::setValue does; SKIP for JSON null."""
    if value is None:
        return SKIP
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (list, dict)):
        raise BadInput(f"Invalid input type for {key}: expected a single value")
    return str(value)


def php_empty(value: Any) -> bool:
    """PHP empty(): used where controllers test posted values."""
    return value in (None, "", "0", 0, False, [], {})
