"""How PHP turns decoded JSON input into the strings the models store (generic.md sections 3 and 4).

Every model value is a string. JSON true casts to "1", false to "" (which then fails Required on
booleans), numbers to PHP's (string) cast of int or float, and null is skipped because PHP's
isset() is false for it (BaseField::setNodes, BaseField::setValue in 26.7.2).
"""

from __future__ import annotations

import re
from typing import Any

from .errors import BadInput

SKIP = object()

_NUMERIC = re.compile(r"^[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def php_float_str(value: float) -> str:
    """(string)$float: 14 significant digits (php.ini precision), "1.0E+25" style exponents."""
    if value != value:
        return "NAN"
    if value in (float("inf"), float("-inf")):
        return "INF" if value > 0 else "-INF"
    text = "%.14G" % value
    if "E" in text:
        mantissa, exponent = text.split("E")
        if "." not in mantissa:
            mantissa += ".0"
        return f"{mantissa}E{exponent[0]}{exponent[1:].lstrip('0') or '0'}"
    return text


def php_scalar_str(value: Any) -> str:
    """(string) of a decoded JSON scalar."""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return php_float_str(value)
    return "" if value is None else str(value)


def php_string(key: str, value: Any) -> Any:
    """Cast one posted leaf value the way BaseField::setValue does; SKIP for JSON null."""
    if value is None:
        return SKIP
    if isinstance(value, (list, dict)):
        raise BadInput(f"Invalid input type for {key}: expected a single value")
    return php_scalar_str(value)


def php_empty(value: Any) -> bool:
    """PHP empty(): used where controllers test posted values."""
    return value is None or value is False or value in ("", "0") or value == 0 or value == [] or value == {}


def is_numeric(value: str) -> bool:
    """PHP 8 is_numeric() for strings (leading and trailing whitespace allowed)."""
    return bool(_NUMERIC.match(value))


def loose_equal(a: str, b: str) -> bool:
    """PHP 8 `==` between two strings: numeric strings compare as numbers."""
    if a == b:
        return True
    if is_numeric(a) and is_numeric(b):
        return float(a) == float(b)
    return False


def ascii_lower(text: str) -> str:
    """strtolower() since PHP 8.2: ASCII only, whatever the locale."""
    return text.translate(_ASCII_LOWER)


def php_int(value: Any, default: int) -> int:
    """Request::get($name, 'int', $default): (int) filter_var($v, FILTER_SANITIZE_NUMBER_INT)."""
    if value is None:
        value = default
    if isinstance(value, (list, dict)):
        return default
    digits = re.sub(r"[^0-9+-]", "", php_scalar_str(value))
    m = re.match(r"[+-]?[0-9]+", digits)
    if not m:
        return 0
    n = int(m.group(0))
    return max(-(2**63), min(2**63 - 1, n))
