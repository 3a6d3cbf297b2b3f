"""Field types of the Dnsmasq model (core 26.7.2, src/opnsense/mvc/app/models/OPNsense/).

- `Dnsmasq/FieldTypes/HostnameField.php`, written `DnsmasqHostnameField` in Dnsmasq.json (the
  tool's `--local-type`, as its class name is the core HostnameField's too): dnsmasq's label rule
  per entry, `*` only with IsWildcardAllowed (and then the remaining entries are not checked),
  IsDomain splits on dots and caps the name at 255 characters. Its setter for the legacy `<item>`
  layout is `setLegacyXML()`, so the XML's `<IsLegacyXML>` calls nothing and is inert;
- `Dnsmasq/FieldTypes/RangeAddressField.php`: a NetworkField that also takes a partial IPv6
  address (`::1`, a constructor range), checked as `2000` + the value, mask or not.
"""

from __future__ import annotations

import re
from typing import Any

from ...core.fields import BaseSetField, FieldContext, NetworkField
from ...core.modeldata import register_field_type
from ...core.modeldata.registry import NETWORK, SET, arg, yes
from ...core.php import filter_ip

_LABEL = re.compile(r"^(?![_-])[A-Za-z0-9_-]{1,63}\Z")


class DnsmasqHostnameField(BaseSetField):
    default_message = (
        "Labels must be 1\u201363 characters, start with a letter or digit, "
        "and may contain only letters, digits, '-' or '_'. "
    )

    def __init__(self, domain: bool = False, wildcard: bool = False, **kw: Any) -> None:
        super().__init__(**kw)
        self.domain = domain
        self.wildcard = wildcard

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        for entry in self.entries(value):
            if entry == "":
                continue
            if entry == "*":
                return [] if self.wildcard else ["Wildcards are not allowed."]
            if self.domain and len(entry.encode()) > 255:
                return ["All labels combined may not exceed 255 characters."]
            for label in entry.split(".") if self.domain else [entry]:
                if not _LABEL.match(label):
                    return [self.msg]
        return []


class RangeAddressField(NetworkField):
    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if value.startswith("::"):
            return [] if filter_ip("2000" + value, v4=False, v6=True) else [self.msg]
        return super().check(value, ctx)


register_field_type(
    "DnsmasqHostnameField",
    DnsmasqHostnameField,
    inert=("IsLegacyXML",),
    IsDomain=arg("domain", yes),
    IsWildcardAllowed=arg("wildcard", yes),
    **SET,
)
register_field_type("RangeAddressField", RangeAddressField, **NETWORK)
