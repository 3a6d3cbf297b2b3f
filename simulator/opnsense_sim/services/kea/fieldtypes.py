"""Field types of the Kea DHCPv4 model (core 26.7.2, src/opnsense/mvc/app/models/OPNsense/).

- `Kea/FieldTypes/KeaPoolsField.php`: one pool per line, `a.b.c.d - e.f.g.h` (two addresses,
  trimmed) or a subnet; `Entry "x" is not a valid range or subnet.` per bad line (empty lines
  skipped). KeaDhcpv4.php does not call its `checkSubnet()` (only KeaDhcpv6.php does): a v4
  pool outside its subnet is accepted;
- `Kea/FieldTypes/KeaStaticRoutesField.php`: comma-separated `dest-ip,router-ip` pairs;
- `Kea/FieldTypes/KeaClasslessStaticRouteField.php`: comma-separated `net/bits - router` pairs;
- `Base/FieldTypes/Base64Field.php`: base64_encode(base64_decode($v, true)) must give the value
  back without its newlines, `Invalid Base64-encoded string.`.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ...core.fields import FieldContext, TextField
from ...core.fields.base import Field
from ...core.modeldata import register_field_type
from ...core.modeldata.registry import TEXT
from ...core.php import ctype_digit, filter_ip, is_subnet_strict, trim


def is_ip(value: str) -> bool:
    return filter_ip(value)


def is_subnet(value: str) -> bool:
    """Util::isSubnet(): address/bits, bits at most 32 (IPv4) or 128 (IPv6)."""
    parts = value.split("/")
    if len(parts) != 2 or not filter_ip(parts[0]) or not ctype_digit(parts[1]):
        return False
    return int(parts[1]) <= (128 if ":" in parts[0] else 32)


class KeaPoolsField(Field):
    def check(self, value: str, ctx: FieldContext) -> list[str]:
        msgs = []
        for entry in value.split("\n"):
            if entry == "":
                continue
            parts = entry.split("-")
            if len(parts) == 2 and is_ip(trim(parts[0])) and is_ip(trim(parts[1])):
                continue
            if len(parts) == 1 and is_subnet(parts[0]):
                continue
            msgs.append(f'Entry "{entry}" is not a valid range or subnet.')
        return msgs


class KeaStaticRoutesField(Field):
    def check(self, value: str, ctx: FieldContext) -> list[str]:
        entries = [trim(e) for e in value.split(",")]
        msgs = []
        for i in range(0, len(entries), 2):
            a = entries[i]
            b = entries[i + 1] if i + 1 < len(entries) else ""
            if not is_ip(a) or not is_ip(b):
                msgs.append(f'Entry "{a},{b}" is not a valid dest-ip,router-ip pair.')
        return msgs


class KeaClasslessStaticRouteField(Field):
    def check(self, value: str, ctx: FieldContext) -> list[str]:
        msgs = []
        for item in value.split(","):
            entries = [trim(e) for e in item.split("-")]
            ok = (
                len(entries) == 2
                and is_subnet_strict(entries[0])
                and filter_ip(entries[0].split("/")[0], v6=False)
                and filter_ip(entries[1], v6=False)
            )
            if not ok:
                second = entries[1] if len(entries) > 1 else ""
                msgs.append(f'Entry "{entries[0]},{second}" is not a valid dest_net - router_ip pair.')
        return msgs


class Base64Field(TextField):
    default_message = "Invalid Base64-encoded string."

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        msgs = super().check(value, ctx)
        try:
            decoded = base64.b64decode(value.encode(), validate=True)
            ok = base64.b64encode(decoded).decode() == value.replace("\n", "")
        except (binascii.Error, ValueError):
            ok = False
        return msgs if ok else msgs + [self.msg]


def _register(name: str, cls: Any, **elements: Any) -> None:
    register_field_type(name, cls, **elements)


_register("KeaPoolsField", KeaPoolsField)
_register("KeaStaticRoutesField", KeaStaticRoutesField)
_register("KeaClasslessStaticRouteField", KeaClasslessStaticRouteField)
_register("Base64Field", Base64Field, **TEXT)
