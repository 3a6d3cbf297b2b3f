# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field types of the DHCP services as checks, with OPNsense's rules and messages (core 26.7.2,
``src/opnsense/mvc/app/models/OPNsense/``):

- ``MacAddressField`` (``Base/FieldTypes/MacAddressField.php``): every entry (AsList) passes
  PHP's ``FILTER_VALIDATE_MAC``: six hex pairs joined by one of ``:`` or ``-``, or three hex quads
  joined by ``.``;
- ``DnsmasqHostnameField`` (``Dnsmasq/FieldTypes/HostnameField.php``, named apart from the core
  HostnameField): each label ``^(?![_-])[A-Za-z0-9_-]{1,63}$``, split on dots with ``IsDomain``
  (at most 255 characters then), ``*`` only with ``IsWildcardAllowed``;
- ``RangeAddressField`` (``Dnsmasq/FieldTypes/RangeAddressField.php``): a NetworkField that also
  takes a partial IPv6 address such as ``::1`` (checked as ``2000::1``).

See ``_fieldtypes`` for how a check is called and what it answers.
"""

from __future__ import annotations

import re
from typing import Dict, List

from ansible_collections.opnform.opnsense.plugins.module_utils._fieldtypes import (
    Check,
    Context,
    Problem,
    _message,
    network,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._php import filter_ip
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import FieldSpec

_MAC = re.compile(
    r"^(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4}){2})\Z"
)
_LABEL = re.compile(r"^(?![_-])[A-Za-z0-9_-]{1,63}\Z")
LABEL_MESSAGE = (
    "Labels must be 1\u201363 characters, start with a letter or digit, "
    "and may contain only letters, digits, '-' or '_'. "
)
WILDCARD_MESSAGE = "Wildcards are not allowed."
LENGTH_MESSAGE = "All labels combined may not exceed 255 characters."


def _entries(field: FieldSpec, value: str) -> List[str]:
    return value.split(",") if field.setting("AsList") == "Y" else [value]


def mac_address(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """MacAddressField: stored trimmed; one message for the whole value."""
    value = value.strip()
    if all(_MAC.match(entry) for entry in _entries(field, value)):
        return []
    return [(_message(field, "Invalid MAC address."), value)]


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


CHECKS: Dict[str, Check] = {
    "DnsmasqHostnameField": dnsmasq_hostname,
    "MacAddressField": mac_address,
    "RangeAddressField": range_address,
}
