"""PHP-exact address and name checks for routes, gateways and Unbound.

These follow NetworkField.php, HostnameField.php and PHP's own filter_var() rules, which differ from
Python's ipaddress in ways clients can see: PHP rejects IPv6 scope ids and dotted netmasks, accepts
the wildcard `any` as a network, lower-cases and trims networks, and FILTER_VALIDATE_DOMAIN accepts
one trailing dot and (without FILTER_FLAG_HOSTNAME) any character in a label.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Callable

from ...core.fields import Field, FieldContext


def php_is_ip(value: str, v4: bool = True, v6: bool = True) -> bool:
    """filter_var(FILTER_VALIDATE_IP) with the IPv4/IPv6 flags."""
    if "%" in value or value != value.strip():
        return False
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return False
    return (addr.version == 4 and v4) or (addr.version == 6 and v6)


def _alnum(c: int) -> bool:
    return 0x30 <= c <= 0x39 or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


def php_valid_domain(value: str, hostname: bool) -> bool:
    """filter_var(FILTER_VALIDATE_DOMAIN), a port of _php_filter_validate_domain() on bytes."""
    b = value.encode("utf-8")
    size = len(b)
    end = size
    if end and b[end - 1] == 0x2E:  # one trailing dot is ignored
        end -= 1
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


class PhpNetworkField(Field):
    """NetworkField.php: trimmed and lower-cased; `any` passes unless wildcards are off."""

    default_message = "Please specify a valid network segment or IP address."

    def __init__(
        self,
        mask_required: bool = False,
        mask_allowed: bool | Callable[[FieldContext], bool] = True,
        wildcard: bool = True,
        family: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.mask_required = mask_required
        self.mask_allowed = mask_allowed
        self.wildcard = wildcard
        self.family = family  # "ipv4" | "ipv6" | None

    def store(self, value: str) -> str:
        return value.lower().strip()

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if value == "any" and self.wildcard:
            return []
        allowed = self.mask_allowed(ctx) if callable(self.mask_allowed) else self.mask_allowed
        return [] if self.valid(value, allowed) else [self.msg]

    def valid(self, value: str, mask_allowed: bool) -> bool:
        address = value
        if "/" in value:
            if not mask_allowed:
                return False
            parts = value.split("/")
            if len(parts) > 2 or not re.fullmatch(r"[0-9]+", parts[1]):
                return False
            address, mask = parts[0], int(parts[1])
            if mask > (128 if ":" in address else 32):
                return False
        elif self.mask_required:
            return False
        return php_is_ip(address, v4=self.family != "ipv6", v6=self.family != "ipv4")


class PhpHostnameField(Field):
    """HostnameField.php: trimmed; IP, `*`, `*.fqdn` and DNS-name (RFC 2181) switches."""

    default_message = "[%s] is not a valid IP address or hostname."

    def __init__(
        self,
        ip_allowed: bool = True,
        host_wildcard: bool = False,
        fqdn_wildcard: bool = False,
        dns_name: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.ip_allowed = ip_allowed
        self.host_wildcard = host_wildcard
        self.fqdn_wildcard = fqdn_wildcard
        self.dns_name = dns_name

    def store(self, value: str) -> str:
        return value.strip()

    def valid(self, value: str) -> bool:
        is_ip = php_is_ip(value)
        if self.fqdn_wildcard and value.startswith("*."):
            value = value[2:]
        if self.host_wildcard and value == "*":
            return True
        if self.ip_allowed and is_ip:
            return True
        if php_valid_domain(value, hostname=not self.dns_name):
            # An address where none is allowed fails; so do spaces, slashes and stray wildcards.
            return not is_ip and re.search(r"[\s/*]", value) is None
        return False

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if self.valid(value):
            return []
        return [self.msg % value if self.msg.count("%s") == 1 else self.msg]
