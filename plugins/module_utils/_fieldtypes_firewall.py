# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The firewall's own field types as checks, with OPNsense's rules and messages.

Core 26.7.2: ``models/OPNsense/Firewall/FieldTypes/AliasNameField.php`` and
``AliasContentField.php``, ``Base/FieldTypes/NetworkAliasField.php``, ``PortField.php`` and
``ProtocolField.php``, ``Interfaces/FieldTypes/VlanInterfaceField.php``, and the helpers of
``library/OPNsense/Firewall/Util.php`` they call (``isPort``, ``isSubnet``, ``isWildcard``,
``isDomain``). Same contract as ``_fieldtypes``: a check gets OPNsense's stored string and answers
``[(message, offending value)]``.

Names: a field that may name objects of another type (``FieldSpec.mentions``) asks the context for
the objects of that type in the task and on the firewall (built-in aliases included); while they
are not known, a name is left for OPNsense to judge and only what can never be valid is refused.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._fieldtypes import (
    Check,
    Context,
    Problem,
    option_list,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._netdb import (
    COUNTRIES,
    PROTOCOL_NAMES,
    RESERVED_WORDS,
    SERVICE_NAMES,
    WELL_KNOWN_PORTS,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._php import (
    ctype_digit,
    filter_int,
    filter_ip,
    is_subnet,
    mask_validates,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import FieldSpec

# AliasNameField.php
NAME_MASK = r"/^([a-zA-Z]|(([_a-zA-Z][a-zA-Z0-9]|[a-zA-Z][_a-zA-Z0-9])[_a-zA-Z0-9]{0,29}))$/"
NAME_MESSAGE = (
    "The name must start with a letter or single underscore, be less than 32 characters and only "
    "consist of alphanumeric characters or underscores."
)
# gettext() without sprintf() upstream: the placeholder reaches the user as it is.
RESERVED_MESSAGE = 'The name cannot be the internally reserved keyword "%s".'
SERVICE_MESSAGE = "Reserved protocol or service names may not be used"
# What an interface key, a group or an alias can look like: anything else is neither.
_NAME_LIKE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


# -- Firewall\Util ----------------------------------------------------------------------------------


def is_port(value: str, allow_range: bool = True) -> bool:
    """``Util::isPort()``: a number 1-65535 or a service name; ``lo:hi`` when ranges are allowed."""
    parts = value.split(":")
    for port in parts:
        if not (ctype_digit(port) and filter_int(port, 1, 65535)) and port not in SERVICE_NAMES:
            return False
    return len(parts) == 1 or (allow_range and len(parts) == 2)


def is_wildcard(value: str) -> bool:
    """``Util::isWildcard()``: address ``/`` address mask of the same family."""
    parts = value.split("/")
    return len(parts) == 2 and filter_ip(parts[0]) and filter_ip(parts[1]) and (":" in parts[0]) == (":" in parts[1])


def _domain_char(char: str) -> bool:
    return char.isalpha() or "0" <= char <= "9"


def is_domain(value: str) -> bool:
    """``Util::isDomain()``: labels of letters, digits and inner hyphens; never ``#.#.#.#``."""
    labels = value.split(".")
    if ctype_digit(labels[0]) and ctype_digit(labels[-1]):
        return False
    for label in labels:
        if not label or not (_domain_char(label[0]) and _domain_char(label[-1])):
            return False
        if any(not (_domain_char(c) or c == "-") for c in label):
            return False
    return True


# -- AliasNameField.php -------------------------------------------------------------------------


def alias_name(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """The name pattern, pf's reserved words and ``getservbyname``/``getprotobyname`` names. (Its
    UniqueConstraint is the spec's ``unique``, checked across objects.)"""
    out: List[Problem] = []
    if not mask_validates(NAME_MASK, value):
        out.append((NAME_MESSAGE, value))
    if value in RESERVED_WORDS:
        out.append((RESERVED_MESSAGE, value))
    if value in SERVICE_NAMES or value in PROTOCOL_NAMES:
        out.append((SERVICE_MESSAGE, value))
    return out


# -- GroupNameField.php ----------------------------------------------------------------------------

# Top-level sections of a fresh config.xml (src/etc/config.xml.sample) and <revision>: the field
# tests `$cnf->$value`, a config section of that name, and calls it an interface.
CONFIG_SECTIONS = (
    "theme",
    "system",
    "interfaces",
    "dnsmasq",
    "unbound",
    "nat",
    "filter",
    "rrd",
    "ntpd",
    "OPNsense",
    "revision",
)


def group_name(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """Every message of the field's callback validator, in its order."""
    out: List[Problem] = []
    if re.search(r"[^a-zA-Z0-9_]+", value):
        out.append(("Only letters, digits and underscores are allowed as the group name.", value))
    if len(value) > 15:
        out.append(("The group name shall not be longer than 15 characters.", value))
    if re.search(r"^[0-9]|[0-9]$", value):
        out.append(("The group name shall not start or end with a digit.", value))
    if value in CONFIG_SECTIONS:
        out.append(("The specified group name is already used by an interface. Please choose another name.", value))
    return out


# -- AliasContentField.php: one check per alias type, each entry on its own -----------------------


def _port_entry(entry: str, names: Optional[Dict[str, Any]]) -> Optional[str]:
    if is_port(entry, True) or _known(entry, names):
        return None
    message = 'Entry "%s" is not a valid port number.' % entry
    if re.match(r"^[0-9]+-[0-9]+$", entry):
        message += " (Port ranges in an alias use a colon, e.g. 8000:8080.)"
    return message


def _host_entry(entry: str, names: Optional[Dict[str, Any]]) -> Optional[str]:
    bad = 'Entry "%s" is not a valid hostname, IP address or range.' % entry
    parts = entry.split("-")
    if len(parts) == 2 and filter_ip(parts[0]):
        return None if filter_ip(parts[1]) else bad
    if entry.startswith("!") and filter_ip(entry[1:]):
        return None
    if filter_ip(entry) or is_domain(entry) or _known(entry, names):
        return None
    return bad


def _network_entry(entry: str, names: Optional[Dict[str, Any]]) -> Optional[str]:
    rest = entry[1:] if entry.startswith("!") else entry
    if filter_ip(rest) or is_subnet(rest) or is_wildcard(rest):
        return None
    parts = entry.split("-")
    if len(parts) == 2 and all(filter_ip(p) for p in parts):
        return None
    if _known(entry, names):
        return None
    return 'Entry "%s" is not a network.' % entry


def _nested_entry(entry: str, names: Optional[Dict[str, Any]]) -> Optional[str]:
    return None if _known(entry, names, strict=True) else 'Entry "%s" is not a valid alias.' % entry


def _country_entry(entry: str, names: Optional[Dict[str, Any]]) -> Optional[str]:
    return None if entry in COUNTRIES else 'Entry "%s" is not a valid country code.' % entry


_MAC = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){0,5}$")


def _mac_entry(entry: str, names: Optional[Dict[str, Any]]) -> Optional[str]:
    return None if _MAC.match(entry) else 'Entry "%s" is not a valid (partial) MAC address.' % entry


def _partial_ipv6_entry(entry: str, names: Optional[Dict[str, Any]]) -> Optional[str]:
    if filter_ip("0000" + entry, v4=False):
        return None
    return 'Entry "%s" is not a valid partial ipv6 address definition (e.g. ::1000).' % entry


def _asn_entry(entry: str, names: Optional[Dict[str, Any]]) -> Optional[str]:
    return None if filter_int(entry, 1, 4294967296) else 'Entry "%s" is not a valid ASN.' % entry


def _known(name: str, names: Optional[Dict[str, Any]], strict: bool = False) -> bool:
    """An existing alias name; while aliases are not known, anything that could be one passes
    (``strict``: only a valid alias name could)."""
    if names is None:
        return bool(_NAME_LIKE.match(name)) and (not strict or mask_validates(NAME_MASK, name))
    return name in names


CONTENT_CHECKS = {
    "asn": _asn_entry,
    "dynipv6host": _partial_ipv6_entry,
    "geoip": _country_entry,
    "host": _host_entry,
    "mac": _mac_entry,
    "network": _network_entry,
    "networkgroup": _nested_entry,
    "port": _port_entry,
}


def alias_content(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """Newline-separated entries, each checked by the alias type (the record's ``type``)."""
    check = CONTENT_CHECKS.get(str(ctx.record.get("type") or ""))
    if check is None:
        return []
    names = ctx.names(field.mentions)
    out: List[Problem] = []
    for entry in value.split("\n"):
        message = check(entry, names)
        if message and (message, entry) not in out:
            out.append((message, entry))
    return out


# -- NetworkAliasField.php ------------------------------------------------------------------------


def _network_alias_item(item: str, names: Optional[Dict[str, Any]], interfaces: Optional[Dict[str, str]]) -> bool:
    if item in ("any", "(self)"):
        return True
    if names is None or interfaces is None:
        return bool(_NAME_LIKE.match(item))  # not known yet: anything that could be a name passes
    alias = names.get(item)
    if alias is not None and alias.get("type") != "port":
        return True
    if item in interfaces:
        return True
    # <if>ip is an interface's address; upstream leaves it out for virtual interfaces, which the
    # option list does not tell apart.
    return item.endswith("ip") and item[:-2] in interfaces


def network_alias(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """``any``, ``(self)``, interface nets (``lan``) and addresses (``lanip``), non-port alias
    names, or one literal address or network as the whole value. The message quotes the whole value
    (``defaultValidationMessage`` formats it before the per-item check), once."""
    literal = filter_ip(value) or is_subnet(value)
    if literal:
        return []
    names = ctx.names(field.mentions)
    interfaces = ctx.facts.interfaces if ctx.facts is not None else None
    bad = [item for item in value.split(",") if not _network_alias_item(item, names, interfaces)]
    if not bad:
        return []
    if field.message is not None:
        return [(field.message, bad[0])]
    return [("%s is not a valid source IP address or alias." % value, value)]


# -- PortField.php ----------------------------------------------------------------------------------


def port(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """A port 1-65535, a ``lo-hi`` range with lo < hi, a well-known name, or a port alias; a plain
    PortField (``xml`` with EnableWellKnown, EnableRanges and EnableAlias N) takes numbers only."""
    if field.setting("EnableWellKnown") == "N" and field.setting("EnableRanges") == "N":
        if re.match(r"^[1-9][0-9]{0,4}$", value) and int(value) <= 65535:
            return []
        # defaultValidationMessage() lists service names only with EnableWellKnown.
        return [(field.message or "Please specify a valid port number (1-65535).", value)]
    # PortField::setValue lower-cases a well-known name before it is validated.
    if value.strip().lower() in WELL_KNOWN_PORTS or re.match(r"^[1-9][0-9]{0,4}$", value) and int(value) <= 65535:
        return []
    parts = value.split("-")
    ranges = field.setting("EnableRanges") != "N"  # DNat.xml's local-port has none
    if ranges and len(parts) == 2 and all(filter_int(p, 1, 65535) and p == p.strip() for p in parts):
        if int(parts[0]) < int(parts[1]):
            return []
    text = field.message if field.message is not None else "Please specify a valid portnumber, name, alias or range."
    if field.setting("EnableAlias") == "N":  # Filter.xml's snatrules target_port names no alias
        return [(text, value)]
    names = ctx.names(field.mentions)
    if names is None and _NAME_LIKE.match(value) and not ctype_digit(value):
        return []  # perhaps a port alias: not known yet
    alias = (names or {}).get(value)
    if alias is not None and alias.get("type") in ("port", None):
        return []
    return [(text, value)]


CHECKS: Dict[str, Check] = {
    "AliasContentField": alias_content,
    "AliasNameField": alias_name,
    "CategoryField": option_list,
    "GroupNameField": group_name,
    "NetworkAliasField": network_alias,
    "PortField": port,
    "ProtocolField": option_list,
    "ScheduleField": option_list,
    "TosField": option_list,
    "VlanInterfaceField": option_list,
}
