"""The Kea DHCPv4 model, mounted on //OPNsense/Kea/dhcp4 (KeaDhcpv4.xml 1.0.6, KeaDhcpv4.php;
core 26.7.2, src/opnsense/mvc/app/models/OPNsense/Kea/).

Simulated parts: the service switch `general.enabled` (default 0), subnets `subnets.subnet4`
(state key `kea.subnet4`) and reservations `reservations.reservation` (`kea.reservation`). Option
definitions (`options.option`, the target of the `option` relations) are not simulated: those
relations find no items. HA peers, lease expiry and the other general settings are not simulated.

Fields are data, KeaDhcpv4.json (generated from KeaDhcpv4.xml with `--select general.enabled
--select subnets.subnet4 --select reservations.reservation --key subnets.subnet4=kea.subnet4`;
the `option_data` container of an item becomes dotted fields, `option_data.routers`); field types
in fieldtypes.py; this module adds the Constraints blocks and KeaDhcpv4::performValidation().
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from ...core.fields import FieldContext
from ...core.modeldata import load_model
from ...core.php import filter_ip
from ..firewall.fieldtypes import PortField
from . import fieldtypes  # noqa: F401  (registers the model's field types)
from .fieldtypes import is_subnet

MODEL = load_model(Path(__file__).with_name("KeaDhcpv4.json"), name="dhcpv4", subsystem="kea", title="kea")
SUBNET = MODEL.item("subnets.subnet4")
SUBNET.label = ("description",)
RESERVATION = MODEL.item("reservations.reservation")
RESERVATION.label = ("description",)
SUBNET_KEY, RESERVATION_KEY = SUBNET.key, RESERVATION.key
# `<ddns_dns_port type="PortField"/>`: a plain PortField, numbers 1-65535 only.
SUBNET.fields["ddns_dns_port"] = PortField(lambda ctx: {}, well_known=False, ranges=False, alias=False)
SUBNET.fields["ddns_dns_port"].name = "ddns_dns_port"

DUPLICATE = "Duplicate entry exists."
# DependConstraints of the subnet: (field, its addFields entry, message).
DEPENDS = [
    ("ddns_forward_zone", "ddns_dns_server", "Forward zone and DNS server must either both be set or left empty."),
    ("ddns_dns_server", "ddns_forward_zone", "Forward zone and DNS server must either both be set or left empty."),
    ("ddns_domain_key_name", "ddns_domain_key_secret", "TSIG name and secret must either both be set or left empty."),
    ("ddns_domain_key_secret", "ddns_domain_key_name", "TSIG name and secret must either both be set or left empty."),
    ("ddns_domain_key_algorithm", "ddns_domain_key_secret", "An algorithm is required if a TSIG secret is set."),
]


def ip_in_cidr(ip: str, cidr: str) -> bool:
    """Firewall\\Util::isIPInCIDR(): both of one family, the address inside the network."""
    if not filter_ip(ip) or not is_subnet(cidr) or ((":" in ip) != (":" in cidr)):
        return False
    return ipaddress.ip_address(ip) in ipaddress.ip_network(cidr, strict=False)


def _unique(ctx: FieldContext, key: str, fields: tuple[str, ...], item: dict[str, str], fold: bool = False) -> bool:
    """UniqueConstraint: does another item share the values of `fields` (the first one not empty)?"""
    if item.get(fields[0], "") == "":
        return True
    mine = tuple(item.get(f, "") for f in fields)
    if fold:
        mine = tuple(v.lower() for v in mine)
    for uuid, other in ctx.view.items(key).items():
        if uuid == ctx.uuid:
            continue
        theirs = tuple(other.get(f, "") for f in fields)
        if (tuple(v.lower() for v in theirs) if fold else theirs) == mine:
            return False
    return True


def _add(msgs: dict[str, list[str]], field: str, text: str) -> None:
    if text not in msgs.setdefault(field, []):
        msgs[field].append(text)


def validate_subnet(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    msgs: dict[str, list[str]] = {}
    if not _unique(ctx, SUBNET_KEY, ("subnet_id",), item):
        _add(msgs, "subnet_id", "Subnet ID must be unique.")
    if not _unique(ctx, SUBNET_KEY, ("subnet",), item):
        _add(msgs, "subnet", "Subnet must be unique.")
    for field, other, text in DEPENDS:
        # DependConstraint (Base/Constraints/DependConstraint.php): an empty field whose
        # addFields are set fails, on the empty field.
        if item.get(field, "") == "" and item.get(other, "") != "":
            _add(msgs, field, text)
    return msgs


def validate_reservation(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    msgs: dict[str, list[str]] = {}
    if not _unique(ctx, RESERVATION_KEY, ("ip_address",), item):
        _add(msgs, "ip_address", DUPLICATE)
    # hw_address (case-insensitive) and client_id are unique per subnet; the subnet field carries
    # both constraints by reference, so it reports the duplicate too.
    if not _unique(ctx, RESERVATION_KEY, ("hw_address", "subnet"), item, fold=True):
        _add(msgs, "hw_address", DUPLICATE)
        _add(msgs, "subnet", DUPLICATE)
    if not _unique(ctx, RESERVATION_KEY, ("client_id", "subnet"), item):
        _add(msgs, "client_id", DUPLICATE)
        _add(msgs, "subnet", DUPLICATE)
    # KeaDhcpv4::performValidation()
    subnet = (ctx.view.item(SUBNET_KEY, item.get("subnet", "")) or {}).get("subnet", "")
    if not ip_in_cidr(item.get("ip_address", ""), subnet):
        _add(msgs, "ip_address", "Address not in specified subnet")
    if item.get("client_id", "") != "" and item.get("hw_address", "") != "":
        _add(msgs, "hw_address", "Either a client ID or a MAC address should be specified, but not both")
    elif item.get("client_id", "") == "" and item.get("hw_address", "") == "":
        _add(msgs, "hw_address", "Either a client ID or a MAC address should be specified.")
    return msgs


SUBNET.validate = validate_subnet
RESERVATION.validate = validate_reservation
