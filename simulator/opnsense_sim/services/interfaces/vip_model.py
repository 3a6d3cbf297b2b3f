"""Virtual IPs (Vip.xml, Vip.php, FieldTypes/VipField.php, VipInterfaceField.php, VipNetworkField.php;
devices.md).

Fields are data, Vip.json (generated with `--array-type VipField`); this module adds what is code
upstream: VipInterfaceField's options, VipNetworkField's callback, VipField's computed `address` and
`vhid_txt`, and Vip::performValidation().
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...core.fields import BaseListField, Field, FieldContext, TextField
from ...core.modeldata import load_model, register_field_type
from ...core.modeldata.registry import LIST
from ...core.php import filter_ip, is_subnet_strict
from ..firewall.fieldtypes import is_subnet

VIRTUAL_TYPES = ("lo", "ipsec", "l2tp", "ppp", "pppoe", "pptp")
VIP_FIELDS = ("mode", "subnet", "subnet_bits", "password", "vhid", "interface", "peer", "peer6")


class VipInterfaceField(BaseListField):
    """Every <interfaces> entry except groups and enc0, labelled by description or upper-cased key."""

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return {i.key: i.label for i in ctx.env.interfaces if i.device != "enc0"}


class VipNetworkField(TextField):
    """`subnet` and `subnet_bits`: a CallbackValidator over both (run on empty values too), which
    `subnet_bits` leaves to `subnet` when the subnet changed; see network_messages()."""


# BaseListField has no setAllowDynamic(): Vip.xml's <AllowDynamic> does nothing.
register_field_type("VipInterfaceField", VipInterfaceField, inert=("AllowDynamic",), **LIST)
register_field_type("VipNetworkField", VipNetworkField)


def network_messages(item: dict[str, str]) -> list[str]:
    """VipNetworkField's callback."""
    subnet, bits = item.get("subnet", ""), item.get("subnet_bits", "")
    if not subnet or not filter_ip(subnet):
        return ["A valid network address is required."]
    if not bits or not is_subnet(f"{subnet}/{bits}"):
        return ["A valid network subnet is required."]
    return []


class VipComputed(Field):
    """VipField::actionPostLoadingEvent(): `address` is "<subnet>/<subnet_bits>"; `vhid_txt` the
    VHID, for CARP "<vhid> (freq. <advbase>/<advskew>)"."""

    def render(self, value: str, ctx: FieldContext) -> Any:
        return computed(self.name, ctx.item)


def computed(name: str, item: dict[str, str]) -> str:
    if name == "address":
        return f"{item.get('subnet', '')}/{item.get('subnet_bits', '')}"
    if item.get("mode") == "carp":
        return f"{item.get('vhid', '')} (freq. {item.get('advbase', '')}/{item.get('advskew', '')})"
    return item.get("vhid", "")


MODEL = load_model(Path(__file__).with_name("Vip.json"), name="vip", subsystem="vip", title="virtualip")
VIP = MODEL.item("vip")
VIP.label = ("descr",)
KEY = VIP.key
for _name in ("address", "vhid_txt"):
    VIP.fields[_name] = VipComputed(volatile=True)
    VIP.fields[_name].name = _name


def device_type(env: Any, interface: str) -> str:
    """Vip::getInterfaceDeviceType(): the device of the interface without its number, else "mismatch"."""
    iface = env.interface(interface)
    if iface is None:
        return "mismatch"
    return re.sub(r"(?<=..)[0-9].*$", "", iface.device, count=1)


def _link_local(address: str) -> bool:
    """Util::isLinkLocal()."""
    return re.match(r"^fe[89ab][0-9a-f]:", address, re.I) is not None


def _scoped(item: dict[str, str]) -> str:
    addr = item.get("subnet", "")
    return f"{addr}@{item.get('interface', '')}" if _link_local(addr) else addr


def _empty(value: str) -> bool:
    return value in ("", "0")


def _ipv4_network_and_broadcast(subnet: str, bits: int) -> tuple[str, str]:
    value = int.from_bytes(bytes(int(p) for p in subnet.split(".")), "big")
    mask = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF if bits else 0
    net = value & mask
    bcast = net | (0xFFFFFFFF ^ mask)
    return (".".join(str(b) for b in net.to_bytes(4, "big")), ".".join(str(b) for b in bcast.to_bytes(4, "big")))


def validate(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """VipNetworkField's callbacks and Vip::performValidation() for this item, when it changed."""
    msgs: dict[str, list[str]] = {}
    before = (ctx.loaded.items(KEY) if ctx.loaded is not None else {}).get(ctx.uuid or "")

    def add(field: str, msg: str) -> None:
        msgs.setdefault(field, []).append(msg)

    def changed(name: str) -> bool:
        return before is None or before.get(name, "") != item.get(name, "")

    if changed("subnet"):
        for msg in network_messages(item):
            add("subnet", msg)
    elif changed("subnet_bits"):
        for msg in network_messages(item):
            add("subnet_bits", msg)
    if not any(changed(name) for name in VIP_FIELDS):
        return msgs

    items = dict(ctx.view.items(KEY))
    items[ctx.uuid or ""] = item
    carp_vhids: dict[str, str] = {}  # "<interface>_<vhid>" -> uuid of the first CARP VIP (model order)
    for uuid, other in items.items():
        if other.get("mode") == "carp":
            carp_vhids.setdefault(f"{other.get('interface', '')}_{other.get('vhid', '')}", uuid)

    mode, subnet, bits = item.get("mode", ""), item.get("subnet", ""), item.get("subnet_bits", "")
    interface, vhid = item.get("interface", ""), item.get("vhid", "")
    virtual = device_type(ctx.env, interface) in VIRTUAL_TYPES
    if mode in ("carp", "ipalias"):
        if is_subnet(f"{subnet}/{bits}") and ":" not in subnet and int(bits) <= 30:
            network, broadcast = _ipv4_network_and_broadcast(subnet, int(bits))
            if subnet == network:
                add("subnet", "You cannot use the network address.")
            elif subnet == broadcast:
                add("subnet", "You cannot use the broadcast address.")
    elif mode == "proxyarp":
        net = f"{subnet}/{bits}"
        if is_subnet(net) and not is_subnet_strict(net):
            add("subnet", "Only strict subnets are allowed for Proxy ARP types (e.g. 192.168.0.0/24, 192.168.1.1/32).")
        if virtual:
            add("mode", "The current interface type does not support this mode.")
    key = f"{interface}_{vhid}"
    if mode == "carp":
        if virtual:
            add("mode", "The current interface type does not support this mode.")
        if _empty(item.get("password", "")):
            add("password", "You must specify a CARP password that is shared between the two VHID members.")
        if _empty(vhid):
            add("vhid", "A VHID must be selected for this CARP VIP.")
        elif key in carp_vhids and carp_vhids[key] != ctx.uuid:
            owner = items[carp_vhids[key]].get("interface", "")
            add("vhid", f"VHID {vhid} is already in use on interface {owner}. Pick a unique number on this interface.")
        if ":" not in subnet and not _empty(item.get("peer6", "")):
            add("peer6", "An (unicast) address can only be configured for the same protocol family.")
        elif ":" in subnet and not _empty(item.get("peer", "")):
            add("peer", "An (unicast) address can only be configured for the same protocol family.")
    elif mode == "ipalias":
        if virtual and not _empty(vhid):
            add("vhid", "The current interface type does not support this mode.")
        elif not _empty(vhid) and (key not in carp_vhids or items[carp_vhids[key]].get("interface", "") != interface):
            add("vhid", f"VHID {vhid} must be defined on interface {interface} as a CARP VIP first.")
    addr = _scoped(item)
    for uuid, other in items.items():
        if uuid != ctx.uuid and _scoped(other) == addr:
            add("subnet", "Address already assigned.")
    return msgs


VIP.validate = validate
