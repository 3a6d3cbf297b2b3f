"""PHP built-ins the model layer leans on, with the edge cases clients can see.

filter_var() validators (FILTER_VALIDATE_INT, _IP, _DOMAIN, _URL), trim(), strtoupper() (ASCII
only since PHP 8.2), (int) casts, numeric-string comparison, preg_match() on the model XML masks
and natcasesort() order. Python's near-equivalents differ where it shows: ipaddress accepts IPv6
scope ids, str.strip() trims Unicode spaces but not NUL, str.lower() folds non-ASCII letters, and
re's IGNORECASE lets [a-z] match the Kelvin sign, which a PCRE mask without /u never does.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import string
from typing import Any

from .values import ascii_lower, is_numeric, loose_equal

PHP_INT_MAX = 2**63 - 1
PHP_INT_MIN = -(2**63)
_TRIM = " \t\n\r\0\x0b"  # trim()'s default character list
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def trim(text: str) -> str:
    return text.strip(_TRIM)


def ascii_upper(text: str) -> str:
    """strtoupper() since PHP 8.2: ASCII only, whatever the locale."""
    return text.translate(_ASCII_UPPER)


def ctype_digit(text: str) -> bool:
    return text != "" and all("0" <= c <= "9" for c in text)


# -- numbers ----------------------------------------------------------------------------------------

_FILTER_INT = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
_INT_PREFIX = re.compile(r"[ \t\n\r\v\f]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_INT_STRING = re.compile(r"[ \t\n\r\v\f]*[+-]?[0-9]+[ \t\n\r\v\f]*")


def filter_int(value: str, minimum: int | None = None, maximum: int | None = None) -> bool:
    """filter_var($v, FILTER_VALIDATE_INT, min_range/max_range).

    Space, tab, CR, LF and VT around the number are ignored (not NUL or form feed); one sign is
    allowed, leading zeros are not, and the number must fit a 64-bit integer.
    """
    text = value.strip(" \t\r\v\n")
    if not _FILTER_INT.fullmatch(text):
        return False
    n = int(text)
    if not PHP_INT_MIN <= n <= PHP_INT_MAX:
        return False
    return (minimum is None or n >= minimum) and (maximum is None or n <= maximum)


def intval(value: str) -> int:
    """(int)$string: the leading numeric part (exponents included), 0 when there is none."""
    if value.isascii() and value.isdigit():
        return min(int(value), PHP_INT_MAX)
    m = _INT_PREFIX.match(value)
    if not m:
        return 0
    text = m.group(1)
    try:
        n = int(float(text)) if any(c in text for c in ".eE") else int(text)
    except (ValueError, OverflowError):
        return 0
    return max(PHP_INT_MIN, min(PHP_INT_MAX, n))


def number(value: str) -> int | float:
    """The number a numeric string stands for when PHP compares it (int when it is one and fits)."""
    if _INT_STRING.fullmatch(value):
        n = int(value.strip(" \t\n\r\v\f"))
        if PHP_INT_MIN <= n <= PHP_INT_MAX:
            return n
    return float(value.strip(" \t\n\r\v\f"))


def in_range(value: str, minimum: float | None, maximum: float | None) -> bool:
    """MinMaxValidator: a numeric string within the bounds (compared as numbers)."""
    if not is_numeric(value):
        return False
    n = number(value)
    return (minimum is None or n >= minimum) and (maximum is None or n <= maximum)


# -- addresses and names ----------------------------------------------------------------------------


def filter_ip(value: str, v4: bool = True, v6: bool = True) -> bool:
    """filter_var(FILTER_VALIDATE_IP) with the IPv4/IPv6 flags: no scope ids, no white space."""
    if not value or "%" in value or value != value.strip():
        return False
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return False
    return (addr.version == 4 and v4) or (addr.version == 6 and v6)


def is_subnet_strict(network: str) -> bool:
    """Firewall\\Util::isSubnetStrict(): an address/bits network without host bits set."""
    address, _, bits = network.partition("/")
    if not filter_ip(address) or not ctype_digit(bits) or int(bits) > (128 if ":" in address else 32):
        return False
    try:
        ipaddress.ip_network(f"{address}/{int(bits)}", strict=True)
    except ValueError:
        return False
    return True


def _alnum(c: int) -> bool:
    return 0x30 <= c <= 0x39 or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


def filter_domain(value: str, hostname: bool) -> bool:
    """filter_var(FILTER_VALIDATE_DOMAIN[, FILTER_FLAG_HOSTNAME]): _php_filter_validate_domain() on bytes.

    One trailing dot is ignored; at most 253 bytes and 63 per label. Without the hostname flag any
    byte may stand in a label; with it labels are letters, digits and inner hyphens.
    """
    b = value.encode("utf-8", "surrogatepass")
    size = len(b)
    end = size - 1 if size and b[-1] == 0x2E else size
    if end > 253:
        return False
    first = b[0] if b else 0
    if first == 0x2E or (hostname and not _alnum(first)):
        return False
    label = 1
    for pos in range(end):
        c = b[pos]
        nxt = b[pos + 1] if pos + 1 < size else 0
        if c == 0x2E:
            if nxt == 0x2E or (hostname and (not _alnum(b[pos - 1]) or not _alnum(nxt))):
                return False
            label = 1
        else:
            if label > 63 or (hostname and (c != 0x2D or nxt == 0) and not _alnum(c)):
                return False
            label += 1
    return True


# FILTER_SANITIZE_URL keeps these; FILTER_VALIDATE_URL fails a value that sanitising would shorten.
_URL_CHARS = frozenset(string.ascii_letters + string.digits + "$-_.+!*'(),{}|\\^~[]`<>#%\";/?:@&=")
_USERINFO_CHARS = frozenset(string.ascii_letters + string.digits + "-._~!$&'()*+,;=:")
_SCHEME_CHARS = frozenset(string.ascii_letters + string.digits + "+.-")
_PORT = re.compile(r"[+-]?[0-9]+")


def _userinfo_ok(text: str) -> bool:
    i = 0
    while i < len(text):
        if text[i] in _USERINFO_CHARS:
            i += 1
        elif text[i] == "%" and i + 2 < len(text) and text[i + 1].isdigit() and text[i + 2] in string.hexdigits:
            i += 3
        else:
            return False
    return True


def _parse_url(s: str) -> tuple[str, str | None, str | None, str | None] | None:
    """php_url_parse_ex() as far as validation needs it: (scheme, user, pass, host), None when it
    fails or finds no scheme (either way the URL is invalid)."""
    n = len(s)
    colon = s.find(":")
    if colon <= 0 or any(c not in _SCHEME_CHARS for c in s[:colon]):
        return None
    scheme = s[:colon]
    if colon + 1 == n:
        return scheme, None, None, None
    if s[colon + 1] != "/":
        p = colon + 1
        while p < n and "0" <= s[p] <= "9":
            p += 1
        if (p == n or s[p] == "/") and p - colon < 7:
            return None  # "host:port", no scheme
        return scheme, None, None, None
    if not (colon + 2 < n and s[colon + 2] == "/"):
        return scheme, None, None, None
    start = colon + 3
    if scheme.lower() == "file" and start < n and s[start] == "/":
        return scheme, None, None, None
    end = next((i for i in range(start, n) if s[i] in "/?#"), n)
    user = password = None
    at = s.rfind("@", start, end)
    if at != -1:
        sep = s.find(":", start, at)
        user, password = (s[start:sep], s[sep + 1 : at]) if sep != -1 else (s[start:at], None)
        start = at + 1
    stop = end
    if not (start < n and s[start] == "[" and s[end - 1] == "]"):
        port_sep = s.rfind(":", start, end)
        if port_sep != -1:
            port = s[port_sep + 1 : end]
            if len(port) > 5:
                return None
            if port:
                m = _PORT.match(port)  # strtol(): a number prefix is enough
                if not m or not 0 <= int(m.group(0)) <= 65535:
                    return None
            stop = port_sep
    if stop - start < 1:
        return None
    return scheme, user, password, s[start:stop]


def filter_url(value: str) -> bool:
    """filter_var(FILTER_VALIDATE_URL): a scheme; http(s) need a valid host name or [IPv6]."""
    if any(c not in _URL_CHARS for c in value):
        return False
    parsed = _parse_url(value)
    if parsed is None:
        return False
    scheme, user, password, host = parsed
    if scheme.lower() in ("http", "https"):
        if host is None:
            return False
        if host.startswith("[") and host.endswith("]") and filter_ip(host[1:-1], v4=False):
            return True
        if not filter_domain(host, hostname=True):
            return False
    if host is None and scheme not in ("mailto", "news", "file"):
        return False
    return all(part is None or _userinfo_ok(part) for part in (user, password))


# -- regular expressions ----------------------------------------------------------------------------

_PCRE_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class Pcre:
    """A preg pattern as the model XML writes it, `/body/flags`; a bare body reads as `/body/u`.

    Without /u PCRE works on bytes: each UTF-8 byte is one character and classes are ASCII only.
    That is emulated by matching the value's UTF-8 bytes decoded as Latin-1, under re.ASCII.
    """

    def __init__(self, pattern: str) -> None:
        pattern = trim(pattern)
        body, flags = pattern, "u"
        close = pattern.rfind(pattern[0]) if pattern[:1] in ("/", "#", "~") else 0
        if close > 0:
            body, flags = pattern[1:close], pattern[close + 1 :]
            if any(c not in "imsxu" for c in flags):
                raise ValueError(f"unsupported PCRE modifiers in {pattern!r}")
        self.unicode = "u" in flags
        py_flags = 0 if self.unicode else re.ASCII
        for letter, flag in _PCRE_FLAGS.items():
            if letter in flags:
                py_flags |= flag
        # PCRE's \z is Python's \Z; PCRE's \Z also allows a final newline.
        body = re.sub(r"(?<!\\)((?:\\\\)*)\\Z", r"\1(?=\\n?\\Z)", body)
        body = re.sub(r"(?<!\\)((?:\\\\)*)\\z", r"\1\\Z", body)
        self.regex = re.compile(body, py_flags)

    def subject(self, value: str) -> str:
        return value if self.unicode else value.encode("utf-8", "surrogatepass").decode("latin-1")

    def search(self, value: str) -> bool:
        """preg_match() found something."""
        return self.regex.search(self.subject(value)) is not None

    def validates(self, value: str) -> bool:
        """The Regex validator: the first match equals the whole value (loosely, with ==)."""
        subject = self.subject(value)
        m = self.regex.search(subject)
        return m is not None and loose_equal(m.group(0), subject)


@functools.lru_cache(maxsize=None)
def pcre(pattern: str) -> Pcre:
    return Pcre(pattern)


# -- arrays and text --------------------------------------------------------------------------------


def json_array(entries: dict[str, Any]) -> dict[str, Any] | list[Any]:
    """json_encode() of a PHP array: `[]` when empty, and a list when its keys are 0..n-1 in order
    (PHP stores the key "0" as the integer 0)."""
    if not entries:
        return []
    if all(key == str(i) for i, key in enumerate(entries)):
        return list(entries.values())
    return entries


def htmlspecialchars(text: str, quotes: bool = True) -> str:
    """htmlspecialchars(): the default flags (ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML401), or with
    `quotes=False` ENT_NOQUOTES, which leaves both quote characters alone."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#039;") if quotes else text


def sprintf(fmt: str, *args: Any) -> str:
    """sprintf()/vsprintf() for the %s and %% the model texts use."""
    values = iter(args)
    return re.sub(r"%%|%s", lambda m: "%" if m.group(0) == "%%" else str(next(values, "")), fmt)


_DIGIT_RUN = re.compile(r"[0-9]+")
_LEADING_ZEROS = re.compile(r"^0+(?=[0-9])")
# strnatcmp skips whitespace; strnatcasecmp also compares letters upper-cased (ASCII only).
_SPACES = {c: None for c in " \t\n\r\v\f"}
_FOLD = str.maketrans({**{chr(c): chr(c - 32) for c in range(97, 123)}, **_SPACES})
_NO_FOLD = str.maketrans(_SPACES)


def _digit_run(m: re.Match[str]) -> str:
    digits = m.group(0)
    # Runs sort among the digits (0x30-0x39). One starting with 0 compares digit by digit and
    # before any other run; other runs compare by length, then value.
    return "0" + digits + "\x01" if digits[0] == "0" else "1" + chr(0x30 + len(digits)) + digits


@functools.lru_cache(maxsize=200_000)
def natcase_key(text: str) -> str:
    """A string whose plain order is PHP's strnatcasecmp order (natcasesort, SORT_NATURAL | SORT_FLAG_CASE)."""
    return _DIGIT_RUN.sub(_digit_run, _LEADING_ZEROS.sub("", text, count=1)).translate(_FOLD)


@functools.lru_cache(maxsize=200_000)
def natural_key(text: str) -> str:
    """The same for strnatcmp (SORT_NATURAL without SORT_FLAG_CASE): case counts."""
    return _DIGIT_RUN.sub(_digit_run, _LEADING_ZEROS.sub("", text, count=1)).translate(_NO_FOLD)


@functools.lru_cache(maxsize=200_000)
def natcase_tail_key(text: str) -> str:
    """natcase_key of a part that follows a ",": no leading-zero skipping."""
    return _DIGIT_RUN.sub(_digit_run, text).translate(_FOLD)


__all__ = [
    "PHP_INT_MAX",
    "PHP_INT_MIN",
    "Pcre",
    "ascii_lower",
    "ascii_upper",
    "ctype_digit",
    "filter_domain",
    "filter_int",
    "filter_ip",
    "filter_url",
    "htmlspecialchars",
    "in_range",
    "intval",
    "is_numeric",
    "is_subnet_strict",
    "json_array",
    "loose_equal",
    "natcase_key",
    "natcase_tail_key",
    "natural_key",
    "number",
    "pcre",
    "sprintf",
    "trim",
]
