# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OPNsense's core field types as checks, with OPNsense's rules and messages.

One function per class of core ``src/opnsense/mvc/app/models/OPNsense/Base/FieldTypes/`` (26.7.2),
named after it in :data:`CHECKS`. A check sees the value as OPNsense would store it: one string,
multi-value fields joined by their separator, case already changed where the field changes it
(``BaseField::setValue``). It runs only on a non-empty value: an empty required value is
``BaseField``'s ``PresenceOf`` ("A value is required.", see ``_validate``). A check answers
``[(message, offending value)]``, the message as OPNsense words it (the field's
``<ValidationMessage>`` when the spec gives one, else the type's default text).

Option lists: list types take their options from the firewall when it was read (``Facts``, from
the blank item ``get<Item>`` returns without a uuid, opnsense-api/generic.md 7), else from the
spec's static choices; with neither, the value is left for OPNsense to judge.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._php import (
    ctype_digit,
    filter_domain,
    filter_int,
    filter_ip,
    in_range,
    mask_validates,
    message_for,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import FieldSpec

Problem = Tuple[str, str]
REQUIRED = "A value is required."  # BaseField.php: PresenceOf on a required field
# Field types whose options the firewall computes (interfaces, devices, gateways, certificates,
# /etc/protocols, other models' items): only the firewall's blank item can say what is valid.
BOX_TYPES = (
    "CategoryField",
    "CertificateField",
    "InterfaceField",
    "JsonKeyValueStoreField",
    "LaggInterfaceField",
    "ModelRelationField",
    "ProtocolField",
    "ScheduleField",
    "VipInterfaceField",
    "VlanInterfaceField",
)
LIST_TYPES = BOX_TYPES + ("OptionField", "TosField")


class Context(object):
    """What a check may look at besides the value: the type, the whole record (user values) and
    the firewall's facts (None when they were not read).

    Every look at the facts is noted against the field being checked (``field_name``), in
    ``consulted``: a check that never looked gives the same answer with the facts, so the second
    validation pass, with the firewall's facts, needs to run only the checks that did."""

    def __init__(self, type_name: str, record: Dict[str, Any], facts: Any = None) -> None:
        self.type_name = type_name
        self.record = record
        self._facts = facts
        self.field_name = ""
        self.consulted: Set[str] = set()

    @property
    def facts(self) -> Any:
        self.consulted.add(self.field_name)
        return self._facts

    def options(self, field: FieldSpec) -> Optional[Dict[str, str]]:
        """Valid option keys of a list field: the firewall's, else the spec's static choices."""
        if self.facts is not None:
            found = self.facts.options(self.type_name, field.api)
            if found is not None:
                return found
        if field.choices:
            return dict((c, c) for c in field.choices)
        return None

    def names(self, type_name: Optional[str]) -> Optional[Dict[str, Dict[str, Any]]]:
        """Objects of ``type_name`` by name, in the task and on the firewall (None: not known)."""
        if self.facts is None or not type_name:
            return None
        return self.facts.names(type_name)


def box_options(field: FieldSpec) -> bool:
    """True when only the firewall knows the field's valid values (no static choices)."""
    return field.ftype in BOX_TYPES and not field.is_ref and not field.choices


def _message(field: FieldSpec, default: str) -> str:
    return field.message if field.message is not None else default


# -- scalars (BooleanField.php, IntegerField.php, NumericField.php) --------------------------------


def boolean(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """BooleanField: ``/^[01]$/``."""
    return [] if value in ("0", "1") else [(_message(field, "Value should be a boolean (0,1)."), value)]


def integer(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """IntegerField: MinMaxValidator and IntegerValidator (``filter_var`` INT), one message."""
    if in_range(value, field.minimum, field.maximum) and filter_int(value):
        return []
    return [(_message(field, "Invalid integer value."), value)]


# Numericality.php: digits with "," or "." separators.
_NUMERICALITY = re.compile(r"((^[-]?[0-9,]+(\.[0-9]+)?$)|(^[-]?[0-9.]+(,[0-9]+)?$))")


def numeric(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """NumericField: bounds default to +-99999999999999, then the Numericality pattern."""
    low = field.minimum if field.minimum is not None else -99999999999999
    high = field.maximum if field.maximum is not None else 99999999999999
    if in_range(value, low, high) and _NUMERICALITY.search(value):
        return []
    return [(_message(field, "Invalid numeric value."), value)]


# -- text (TextField.php, DescriptionField.php, StrictTextField.php) ------------------------------

NO_SPACES = "Text may not contain spaces or tabs."
NO_NEWLINES = "Text may not contain newlines."
NO_SPECIAL = "Text may not contain special control characters."


def _text(field: FieldSpec, value: str, spaces: bool, newlines: bool, special: bool) -> List[Problem]:
    """TextField's character rules (the first one broken), then the mask with the field's message."""
    out: List[Problem] = []
    if not spaces and (" " in value or "\t" in value):
        out.append((NO_SPACES, value))
    elif not newlines and ("\n" in value or "\r" in value):
        out.append((NO_NEWLINES, value))
    elif not special and any(c in value for c in "\0\v\f"):
        out.append((NO_SPECIAL, value))
    if field.pattern and not mask_validates(field.pattern, value):
        out.append((_message(field, "Text does not validate."), value))
    return out


def text(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    return _text(field, value, True, True, True)


def strict_text(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    return _text(field, value, False, False, False)


def description(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """DescriptionField: no newlines or NUL/VT/FF, and 1 to 255 bytes."""
    out = _text(field, value, True, False, False)
    size = len(value.encode("utf-8", "surrogatepass"))
    if not 1 <= size <= 255 or "\n" in value:
        out.append((_message(field, "Description should be a string between 1 and 255 characters."), value))
    return [p for i, p in enumerate(out) if p not in out[:i]]


# -- lists (BaseListField.php and the types built on it) -------------------------------------------


def option_list(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """BaseListField: every item of a multi-select is named (``Option [x] not in list.``); a single
    select's message leaves the placeholder empty, as upstream passes no content."""
    options = ctx.options(field)
    if options is None:
        return []
    text = _message(field, "Option [%s] not in list.")
    if field.is_list:
        bad = [item for item in value.split(",") if item not in options]
        return [(message_for(text, item), item) for item in dict.fromkeys(bad)]
    return [] if value in options else [(message_for(text), value)]


def csv_list(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """CSVListField: the ``<Mask>`` against the whole comma-separated value, or each item with
    ``MaskPerItem``."""
    if not field.pattern:
        return []
    text = _message(field, "List validation error.")
    if field.setting("MaskPerItem") == "Y":
        for item in value.split(","):
            if not mask_validates(field.pattern, item):
                return [('"%s" is invalid. %s' % (item, text), item)]
        return []
    return [] if mask_validates(field.pattern, value) else [(text, value)]


# -- addresses and names (NetworkField.php, HostnameField.php) -------------------------------------


def _network_entry(entry: str, field: FieldSpec) -> bool:
    family = field.setting("AddressFamily")
    address = entry
    if "/" in entry:
        parts = entry.split("/")
        if field.setting("NetMaskAllowed") == "N" or len(parts) > 2 or not ctype_digit(parts[1]):
            return False
        if int(parts[1]) > (128 if ":" in parts[0] else 32):
            return False
        address = parts[0]
    elif field.setting("NetMaskRequired") == "Y":
        return False
    return filter_ip(address, v4=family != "ipv6", v6=family != "ipv4")


def network(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """NetworkField: an address or address/bits (``any`` unless ``WildcardEnabled`` is N); a mask
    may be required (``NetMaskRequired``) or forbidden (``NetMaskAllowed``); stored lower-cased."""
    value = value.strip().lower()
    if value == "any" and field.setting("WildcardEnabled") != "N":
        return []
    entries = value.split(",") if field.setting("AsList") == "Y" else [value]
    if all(_network_entry(entry, field) for entry in entries):
        return []
    return [(_message(field, "Please specify a valid network segment or IP address."), value)]


_HOST_JUNK = re.compile(r"[\s/*]")


def hostname(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """HostnameField: an IP address (unless ``IpAllowed`` is N), ``*`` (``HostWildcardAllowed``),
    ``*.name`` (``FqdnWildcardAllowed``), ``@``/``@.name`` (``ZoneRootAllowed``), else a host name
    (with ``IsDNSName`` any DNS name). The message names the first bad entry."""
    text = _message(field, "[%s] is not a valid IP address or hostname.")
    entries = value.split(",") if field.setting("AsList") == "Y" else [value.strip()]
    for entry in entries:
        name = entry
        if field.setting("FqdnWildcardAllowed") == "Y" and name.startswith("*."):
            name = name[2:]
        elif field.setting("ZoneRootAllowed") == "Y" and name.startswith("@."):
            name = name[2:]
        if field.setting("ZoneRootAllowed") == "Y" and name == "@":
            continue
        if field.setting("HostWildcardAllowed") == "Y" and name == "*":
            continue
        if filter_ip(name):
            if field.setting("IpAllowed") != "N":
                continue
        elif filter_domain(name, hostname=field.setting("IsDNSName") != "Y") and not _HOST_JUNK.search(name):
            continue
        return [(message_for(text, entry), entry)]
    return []


# Interfaces/FieldTypes/LinkAddressField.php: a known address (an interface key such as ``wan``, a CARP
# VIP as ``<interface>_vip<vhid>``, an IP alias's address) or any IP address. Which names are known
# only the firewall says; a value no interface key or IP address could be is refused here.
_LINK_NAME = re.compile(r"^[a-zA-Z0-9_]+$")


def link_address(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    if filter_ip(value) or _LINK_NAME.match(value):
        return []
    return [(_message(field, "A valid network address is required."), value)]


# -- MacAddressField.php, Base64Field.php -----------------------------------------------------------

# PHP's FILTER_VALIDATE_MAC: six hex pairs joined by one of ":" or "-", or three hex quads joined by ".".
_MAC = re.compile(
    r"^(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4}){2})\Z"
)


def mac_address(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """MacAddressField: stored trimmed; every entry (AsList) a MAC address, one message for the value."""
    value = value.strip()
    entries = value.split(",") if field.setting("AsList") == "Y" else [value]
    if all(_MAC.match(entry) for entry in entries):
        return []
    return [(_message(field, "Invalid MAC address."), value)]


def base64_text(field: FieldSpec, value: str, ctx: Context) -> List[Problem]:
    """Base64Field: ``base64_encode(base64_decode($v, true))`` must give the value without its
    newlines back. The value (a secret, as a rule) is not shown."""
    try:
        ok = base64.b64encode(base64.b64decode(value.encode("ascii"), validate=True)).decode() == value.replace(
            "\n", ""
        )
    except (binascii.Error, ValueError, UnicodeEncodeError):
        ok = False
    return [] if ok else [(_message(field, "Invalid Base64-encoded string."), "<secret>")]


Check = Callable[[FieldSpec, str, Context], List[Problem]]
CHECKS: Dict[str, Check] = {
    # AutoNumberField.php: IntegerValidator and MinMaxValidator (the spec gives minimum 1), one message.
    "AutoNumberField": integer,
    "Base64Field": base64_text,
    "BooleanField": boolean,
    "CertificateField": option_list,
    "CSVListField": csv_list,
    "DescriptionField": description,
    "HostnameField": hostname,
    "IntegerField": integer,
    "InterfaceField": option_list,
    "JsonKeyValueStoreField": option_list,
    "LaggInterfaceField": option_list,
    "LinkAddressField": link_address,
    "MacAddressField": mac_address,
    "ModelRelationField": option_list,
    "NetworkField": network,
    "NumericField": numeric,
    "OptionField": option_list,
    "StrictTextField": strict_text,
    "TextField": text,
    "VipInterfaceField": option_list,
}
