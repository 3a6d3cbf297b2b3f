# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The PHP built-ins OPNsense's field validators rest on, as they decide.

OPNsense validates every posted value as a string with PHP functions (core
``src/opnsense/mvc/app/models/OPNsense/Base/FieldTypes/*.php`` and ``.../Base/Validators/*.php``):
``filter_var`` with ``FILTER_VALIDATE_INT``/``_IP``/``_DOMAIN``, ``ctype_digit``, ``is_numeric``
and ``preg_match`` on the model XML's ``<Mask>``. Python's near-equivalents differ where a user can
see it (``ipaddress`` accepts IPv6 scope ids, ``int()`` accepts ``"1_000"`` and leading zeros), so
the checks here follow PHP's rules instead. Stdlib only (target-safe).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Optional

PHP_INT_MAX = 2**63 - 1
PHP_INT_MIN = -(2**63)
_FILTER_INT = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
# is_numeric(): optional leading white space, a decimal or exponent number, trailing white space (PHP 8).
_NUMERIC = re.compile(r"^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$")
_DELIMITERS = "/#~"
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def ctype_digit(text: str) -> bool:
    """``ctype_digit()``: a non-empty string of ASCII digits."""
    return text != "" and all("0" <= c <= "9" for c in text)


def filter_int(value: str, minimum: Optional[int] = None, maximum: Optional[int] = None) -> bool:
    """``filter_var($v, FILTER_VALIDATE_INT)`` with ``min_range``/``max_range``: white space around
    the number is ignored, one sign is allowed, leading zeros are not, and it must fit 64 bits."""
    text = value.strip(" \t\r\n\v")
    if not _FILTER_INT.match(text):
        return False
    number = int(text)
    if not PHP_INT_MIN <= number <= PHP_INT_MAX:
        return False
    return (minimum is None or number >= minimum) and (maximum is None or number <= maximum)


def is_numeric(value: str) -> bool:
    return bool(_NUMERIC.match(value))


def in_range(value: str, minimum: Optional[float], maximum: Optional[float]) -> bool:
    """``MinMaxValidator``: a numeric string whose number lies within the bounds."""
    if not is_numeric(value):
        return False
    number = float(value.strip())
    return (minimum is None or number >= minimum) and (maximum is None or number <= maximum)


def filter_ip(value: str, v4: bool = True, v6: bool = True) -> bool:
    """``filter_var($v, FILTER_VALIDATE_IP)`` (``FILTER_FLAG_IPV4``/``_IPV6``): no white space, no
    IPv6 scope id, no leading zeros in an IPv4 part."""
    if not value or value != value.strip() or "%" in value or "/" in value:
        return False
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return (address.version == 4 and v4) or (address.version == 6 and v6)


def is_subnet(value: str) -> bool:
    """Firewall ``Util::isSubnet()``: an address, ``/`` and a prefix length that fits its family."""
    parts = value.split("/")
    if len(parts) != 2 or not filter_ip(parts[0]) or not ctype_digit(parts[1]):
        return False
    return int(parts[1]) <= (128 if ":" in parts[0] else 32)


def _alnum(char: int) -> bool:
    return 0x30 <= char <= 0x39 or 0x41 <= char <= 0x5A or 0x61 <= char <= 0x7A


def filter_domain(value: str, hostname: bool) -> bool:
    """``filter_var($v, FILTER_VALIDATE_DOMAIN[, FILTER_FLAG_HOSTNAME])`` on the UTF-8 bytes: one
    trailing dot ignored, at most 253 bytes and 63 per label; with the host-name flag, labels are
    letters, digits and inner hyphens."""
    data = value.encode("utf-8", "surrogatepass")
    if data.endswith(b"."):
        data = data[:-1]
    if not data or len(data) > 253:
        return False
    for label in data.split(b"."):
        if not label or len(label) > 63:
            return False
        if hostname:
            if not (_alnum(label[0]) and _alnum(label[-1])):
                return False
            if any(not (_alnum(c) or c == 0x2D) for c in label):
                return False
    return True


def mask(pattern: str) -> "re.Pattern[str]":
    """A model XML ``<Mask>`` (``/body/flags``, or a bare body read as ``/body/u``) as a regex."""
    text = pattern.strip()
    body, flags = text, ""
    if text[:1] in _DELIMITERS and text.rfind(text[0]) > 0:
        close = text.rfind(text[0])
        body, flags = text[1:close], text[close + 1 :]
    compiled = 0
    for letter in flags:
        compiled |= _FLAGS.get(letter, 0)
    return re.compile(body, compiled)


def mask_validates(pattern: str, value: str) -> bool:
    """The ``Regex`` validator (``Base/Validators/Regex.php``): the *first* match must be the whole
    value, so a mask without ``$`` is anchored all the same."""
    found = mask(pattern).search(value)
    return found is not None and found.group(0) == value


def message_for(message: str, content: Optional[str] = None) -> str:
    """``BaseField::getValidationMessage()``: the text with ``%s`` filled in, only when it holds
    exactly one ``%s`` (otherwise as it is)."""
    if message and message.count("%s") == 1:
        return message.replace("%s", "" if content is None else str(content))
    return message
