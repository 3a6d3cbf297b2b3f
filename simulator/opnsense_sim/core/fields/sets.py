"""BaseSetField.php and its core types: CSVListField, NetworkField, HostnameField, MacAddressField.

With AsList a value is a separated list: validators check every entry and `get` renders each
stored entry as a selected option (an empty value still yields a "" entry, haproxy.md 1.2).
Without it the value is checked and rendered whole.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..php import ascii_lower, ctype_digit, filter_domain, filter_ip, is_subnet_strict, json_array, pcre, trim
from .base import Field, FieldContext


class BaseSetField(Field):
    as_list = False

    def __init__(self, as_list: bool | None = None, separator: str = ",", **kw: Any) -> None:
        super().__init__(**kw)
        if as_list is not None:
            self.as_list = as_list
        self.separator = separator

    def entries(self, value: str) -> list[str]:
        """iterateInput(): the entries validators see."""
        return value.split(self.separator) if self.as_list else [value]

    def render(self, value: str, ctx: FieldContext) -> Any:
        if not self.as_list:
            return value
        return json_array({entry: {"value": entry, "selected": 1} for entry in value.split(self.separator)})


class CSVListField(BaseSetField):
    """CSVListField.php: a list (AsList) whose whole value, or with MaskPerItem each entry, must match."""

    default_message = "List validation error."
    as_list = True

    def __init__(self, mask: str | None = None, per_item: bool = False, **kw: Any) -> None:
        super().__init__(**kw)
        self.mask = pcre(mask) if mask else None
        self.per_item = per_item

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if self.mask is None:
            return []
        if not self.per_item:
            return [] if self.mask.validates(value) else [self.msg]
        for entry in self.entries(value):
            if not self.mask.validates(entry):
                return [f'"{entry}" is invalid. {self.msg}']
        return []


class NetworkField(BaseSetField):
    """NetworkField.php: an address or address/bits, stored trimmed and lower-cased.

    `any` passes unless wildcards are off; masks can be required or forbidden (`mask_allowed` may
    depend on the release); `family` is "ipv4" or "ipv6"; `strict` rejects host bits. No scope
    ids and no dotted netmasks: filter_var() and ctype_digit() decide.
    """

    default_message = "Please specify a valid network segment or IP address."

    def __init__(
        self,
        mask_required: bool = False,
        mask_allowed: bool | Callable[[FieldContext], bool] = True,
        wildcard: bool = True,
        family: str | None = None,
        strict: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.mask_required = mask_required
        self.mask_allowed = mask_allowed
        self.wildcard = wildcard
        self.family = family
        self.strict = strict

    def store(self, value: str) -> str:
        return super().store(trim(ascii_lower(value)))

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if value == "any" and self.wildcard:
            return []
        allowed = self.mask_allowed(ctx) if callable(self.mask_allowed) else self.mask_allowed
        return [] if all(self.valid(entry, allowed) for entry in self.entries(value)) else [self.msg]

    def valid(self, entry: str, mask_allowed: bool) -> bool:
        address = entry
        if "/" in entry:
            parts = entry.split("/")
            if not mask_allowed or len(parts) > 2 or not ctype_digit(parts[1]):
                return False
            if int(parts[1]) > (128 if ":" in parts[0] else 32):
                return False
            if self.strict and not is_subnet_strict(entry):
                return False
            address = parts[0]
        elif self.mask_required:
            return False
        return filter_ip(address, v4=self.family != "ipv6", v6=self.family != "ipv4")


# An accepted domain name still fails on white space, a slash or a stray wildcard.
_HOST_JUNK = re.compile(r"[\s/*]", re.ASCII)


class HostnameField(BaseSetField):
    """HostnameField.php: stored trimmed; an IP address (IpAllowed), `*` (HostWildcardAllowed),
    `*.name` (FqdnWildcardAllowed), `@`/`@.name` (ZoneRootAllowed) or a name: a host name, or with
    IsDNSName any DNS name (FILTER_VALIDATE_DOMAIN, which ignores one trailing dot).

    The message names the first bad entry. Upstream sets its verdict once before the loop, so an
    entry that no branch recognises inherits the previous entry's: after a good entry, one that
    is neither an address nor a domain passes.
    """

    default_message = "[%s] is not a valid IP address or hostname."

    def __init__(
        self,
        ip_allowed: bool = True,
        host_wildcard: bool = False,
        fqdn_wildcard: bool = False,
        zone_root: bool = False,
        dns_name: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.ip_allowed = ip_allowed
        self.host_wildcard = host_wildcard
        self.fqdn_wildcard = fqdn_wildcard
        self.zone_root = zone_root
        self.dns_name = dns_name

    def store(self, value: str) -> str:
        return super().store(trim(value))

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        result = False
        for entry in self.entries(value):
            name = entry
            is_ip = filter_ip(name)
            if self.fqdn_wildcard and name.startswith("*."):
                name = name[2:]
            elif self.zone_root and name.startswith("@."):
                name = name[2:]
            if self.zone_root and name == "@":
                result = True
            elif self.host_wildcard and name == "*":
                result = True
            elif self.ip_allowed and is_ip:
                result = True
            elif filter_domain(name, hostname=not self.dns_name):
                result = not is_ip and _HOST_JUNK.search(name) is None
            if not result:
                return [self.message_for(entry)]
        return []


_MAC = re.compile(
    r"^(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4}){2})\Z"
)


def filter_mac(value: str) -> bool:
    """filter_var(FILTER_VALIDATE_MAC): six pairs joined by one of `:` or `-`, or three quads by `.`."""
    return _MAC.match(value) is not None


class MacAddressField(BaseSetField):
    """MacAddressField.php: stored trimmed; every entry (AsList) must be a MAC address."""

    default_message = "Invalid MAC address."

    def store(self, value: str) -> str:
        return super().store(trim(value))

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if all(filter_mac(entry) for entry in self.entries(value)) else [self.msg]
