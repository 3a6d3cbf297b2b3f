# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field types of the DHCP services as checks, with OPNsense's rules and messages (core 26.7.2,
``src/opnsense/mvc/app/models/OPNsense/``):

- ``DnsmasqHostnameField`` (``Dnsmasq/FieldTypes/HostnameField.php``, named apart from the core
  HostnameField): each label ``^(?![_-])[A-Za-z0-9_-]{1,63}$``, split on dots with ``IsDomain``
  (at most 255 characters then), ``*`` only with ``IsWildcardAllowed``;
- ``RangeAddressField`` (``Dnsmasq/FieldTypes/RangeAddressField.php``): a NetworkField that also
  takes a partial IPv6 address such as ``::1`` (checked as ``2000::1``);
- ``KeaPoolsField`` (``Kea/FieldTypes/KeaPoolsField.php``): one ``a - b`` range or subnet per line;
- ``KeaStaticRoutesField`` and ``KeaClasslessStaticRouteField`` (``Kea/FieldTypes/``):
  ``dest-ip,router-ip`` pairs and ``net/bits - router`` entries, comma-separated.

The core types they use (MacAddressField, Base64Field) are in ``_fieldtypes``.

See ``_fieldtypes`` for how a check is called and what it answers.
"""

from __future__ import annotations

import binascii
import re
import socket
from typing import Dict, List

from ansible_collections.opnform.opnsense.plugins.module_utils._fieldtypes import (
    Check,
    Context,
    Problem,
    _message,
    network,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._php import ctype_digit, filter_ip
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import FieldSpec

_LABEL = re.compile(r"^(?![_-])[A-Za-z0-9_-]{1,63}\Z")
LABEL_MESSAGE = (
    "Labels must be 1\u201363 characters, start with a letter or digit, "
    "and may contain only letters, digits, '-' or '_'. "
)
WILDCARD_MESSAGE = "Wildcards are not allowed."
LENGTH_MESSAGE = "All labels combined may not exceed 255 characters."


def _entries(field: FieldSpec, value: str) -> List[str]:
    return value.split(",") if field.setting("AsList") == "Y" else [value]


def dnsmasq_hostname(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """Dnsmasq's HostnameField: ``*`` decides at once (the entries after it are not checked)."""
    domain = field.setting("IsDomain") == "Y"
    for entry in _entries(field, value):
        if entry == "":
            continue
        if entry == "*":
            return [] if field.setting("IsWildcardAllowed") == "Y" else [(WILDCARD_MESSAGE, entry)]
        if domain and len(entry.encode("utf-8")) > 255:
            return [(LENGTH_MESSAGE, entry)]
        for label in entry.split(".") if domain else [entry]:
            if not _LABEL.match(label):
                return [(_message(field, LABEL_MESSAGE), entry)]
    return []


def range_address(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """RangeAddressField: ``::x`` is a partial IPv6 address, else a NetworkField."""
    if value.startswith("::"):
        if filter_ip("2000" + value, v4=False, v6=True):
            return []
        return [(_message(field, "Please specify a valid network segment or IP address."), value)]
    return network(field, value, ctx)


def _is_subnet(value: str) -> bool:
    """``Util::isSubnet()``: address/bits, bits at most 32 (IPv4) or 128 (IPv6)."""
    parts = value.split("/")
    if len(parts) != 2 or not filter_ip(parts[0]) or not ctype_digit(parts[1]):
        return False
    return int(parts[1]) <= (128 if ":" in parts[0] else 32)


def _is_subnet_strict(value: str) -> bool:
    if not _is_subnet(value):
        return False
    address, bits = value.split("/")
    size = 128 if ":" in address else 32
    number = int(binascii.hexlify(_packed(address)), 16)
    return number & ((1 << (size - int(bits))) - 1) == 0


def _packed(address: str) -> bytes:
    return socket.inet_pton(socket.AF_INET6 if ":" in address else socket.AF_INET, address)


def kea_pools(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """KeaPoolsField: every bad line is reported; KeaDhcpv4.php does not check pools against the subnet."""
    out = []
    for entry in value.split("\n"):
        if entry == "":
            continue
        parts = entry.split("-")
        if len(parts) == 2 and filter_ip(parts[0].strip()) and filter_ip(parts[1].strip()):
            continue
        if len(parts) == 1 and _is_subnet(parts[0]):
            continue
        out.append(('Entry "%s" is not a valid range or subnet.' % entry, entry))
    return out


def kea_static_routes(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    entries = [e.strip() for e in value.split(",")]
    out = []
    for i in range(0, len(entries), 2):
        a = entries[i]
        b = entries[i + 1] if i + 1 < len(entries) else ""
        if not filter_ip(a) or not filter_ip(b):
            out.append(('Entry "%s,%s" is not a valid dest-ip,router-ip pair.' % (a, b), value))
    return out


def kea_classless_static_route(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    out = []
    for item in value.split(","):
        entries = [e.strip() for e in item.split("-")]
        ok = (
            len(entries) == 2
            and _is_subnet_strict(entries[0])
            and filter_ip(entries[0].split("/")[0], v6=False)
            and filter_ip(entries[1], v6=False)
        )
        if not ok:
            second = entries[1] if len(entries) > 1 else ""
            out.append(('Entry "%s,%s" is not a valid dest_net - router_ip pair.' % (entries[0], second), value))
    return out


CHECKS: Dict[str, Check] = {
    "KeaClasslessStaticRouteField": kea_classless_static_route,
    "KeaPoolsField": kea_pools,
    "KeaStaticRoutesField": kea_static_routes,
    "DnsmasqHostnameField": dnsmasq_hostname,
    "RangeAddressField": range_address,
}
