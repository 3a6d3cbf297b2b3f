"""GIF and GRE tunnels (Gif.xml, Gre.xml, Gif.php, Gre.php, FieldTypes/LinkAddressField.php; devices.md).

Fields are data, Gif.json and Gre.json; this module adds what is code upstream: LinkAddressField
(the volatile `local-addr`, which reads and writes the item's `if` and `ipaddr`), the device name's
UniqueConstraint and the models' performValidation().
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...core.fields import Field, FieldContext
from ...core.modeldata import load_model, register_field_type
from ...core.php import filter_ip, natcase_key
from ..firewall.fieldtypes import since

VIP_KEY = "interfaces.vip"  # the VIP model's items, when the simulator has them


def local_value(item: dict[str, str]) -> str:
    """LinkAddressField::getValue(): `ipaddr` when set, else `if` (PHP empty(): "0" counts as unset)."""
    for name in ("ipaddr", "if"):
        if item.get(name, "") not in ("", "0"):
            return item[name]
    return ""


def link_setvalue(value: str, item: dict[str, str]) -> None:
    """LinkAddressField::setValue(): an IP address goes to `ipaddr` (clearing `if`), anything else to `if`."""
    if filter_ip(value):
        item["ipaddr"], item["if"] = value, ""
    else:
        item["if"], item["ipaddr"] = value, ""


def link_groups(view: Any, env: Any) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """actionPostLoadingEvent(): the known addresses (key -> label) and the option groups.

    Interfaces that are not virtual (description, else the key upper-cased); CARP VIPs as
    `<interface>_vip<vhid>` and IP aliases as their address, labelled "<subnet> (<description>)";
    Proxy ARP and other VIPs are skipped. Each group's items are natcasesort()ed; an empty group
    keeps only its title.
    """
    known: dict[str, str] = {}
    groups: dict[str, dict[str, Any]] = {
        "interfaces": {"items": {}, "title": "Interfaces"},
        "carp": {"items": {}, "title": "CARP"},
        "ipalias": {"items": {}, "title": "IP Alias"},
    }
    for i in env.interfaces:
        if i.virtual:
            continue
        known[i.key] = i.label
        groups["interfaces"]["items"][i.key] = i.label
    for vip in view.items(VIP_KEY).values():
        descr = f"{vip.get('subnet', '')} ({vip.get('descr', '')})"
        mode = vip.get("mode", "")
        if mode == "carp":
            key = f"{vip.get('interface', '')}_vip{vip.get('vhid', '')}"
        elif mode == "ipalias":
            key = vip.get("subnet", "")
        else:
            continue
        known[key] = descr
        groups[mode]["items"][key] = descr
    for group in groups.values():
        if not group["items"]:
            del group["items"]
        else:
            group["items"] = dict(sorted(group["items"].items(), key=lambda kv: natcase_key(kv[1])))
    return known, groups


class LinkAddressField(Field):
    """The volatile `local-addr`: its value is the item's `ipaddr` or `if`; its description the
    known address's label. Posting it is done by the controller (setValue touches other fields)."""

    def render(self, value: str, ctx: FieldContext) -> Any:
        return local_value(ctx.item)

    def display(self, value: str, ctx: FieldContext) -> str | None:
        shown = local_value(ctx.item)
        known, _ = link_groups(ctx.loaded if ctx.loaded is not None else ctx.view, ctx.env)
        return known.get(shown, shown)


register_field_type("LinkAddressField", LinkAddressField)


def _family(value: str) -> str:
    return "inet6" if ":" in value else "inet"


def make_validate(kind: str, device_field: str, label: str):
    """UniqueConstraint of the device name, LinkAddressField's validators and <Model>::performValidation()."""

    def validate(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
        msgs: dict[str, list[str]] = {}
        device = item.get(device_field, "")
        if device and any(
            other.get(device_field) == device
            for uuid, other in ctx.view.items(ctx.itemtype.key).items()
            if uuid != ctx.uuid
        ):
            msgs[device_field] = [f"{label} device already exists."]
        # LinkAddressField's CallbackValidator runs on an empty value too (OPNsense's own validators
        # are not skipped when empty) and before Phalcon's PresenceOf, whose message comes second.
        local = local_value(item)
        known, _ = link_groups(ctx.loaded if ctx.loaded is not None else ctx.view, ctx.env)
        if local not in known and not filter_ip(local):
            msgs["local-addr"] = ["A valid network address is required."]
        if local == "":
            msgs.setdefault("local-addr", []).append("A value is required.")
        family = "The remote address family has to match the one used in local."
        if filter_ip(local) and _family(local) != _family(item.get("remote-addr", "")):
            msgs.setdefault("remote-addr", []).append(family)
        if _family(item.get("tunnel-local-addr", "")) != _family(item.get("tunnel-remote-addr", "")):
            msgs.setdefault("tunnel-remote-addr", []).append(family)
        return msgs

    return validate


def load(kind: str, filename: str, device_field: str, label: str):
    model = load_model(Path(__file__).with_name(filename), name=kind, subsystem=kind, title=f"{kind}s")
    it = model.item(kind)
    it.label = ("descr",)
    it.validate = make_validate(kind, device_field, label)
    return model


GIF_MODEL = load("gif", "Gif.json", "gifif", "GIF")
# Gif.xml gained `noclamp` in 26.7: 26.1.11's GIF has no such field.
since("26.7", GIF_MODEL.item("gif").fields["noclamp"])
GRE_MODEL = load("gre", "Gre.json", "greif", "GRE")
