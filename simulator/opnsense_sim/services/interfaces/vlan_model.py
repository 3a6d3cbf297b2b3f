"""The VLAN model (Vlan.xml, Vlan.php, FieldTypes/VlanInterfaceField.php; interfaces-and-services.md 1).

Fields are data, Vlan.json (generated from Vlan.xml); this module adds what is code upstream:
VlanInterfaceField's options and Vlan.xml's UniqueConstraints with Vlan::performValidation().
Mounted on the legacy `/vlans` section with the items directly under it: the container path is
`vlan` and the state key `interfaces.vlan`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...core.fields import BaseListField, FieldContext
from ...core.memo import Memo, committed
from ...core.modeldata import load_model, register_field_type

SKIPPED_DEVICES = ("qinq", "lo", "enc", "pflog", "pfsync", "bridge")


def nic_mac(env: Any, nic: str) -> str:
    """A stable MAC address per simulated NIC, from the documentation range (RFC 7042)."""
    return "00:00:5e:00:53:%02x" % ((env.nics.index(nic) + 1) & 0xFF)


def assigned_names(env: Any) -> dict[str, str]:
    """Device -> interface description for assigned devices (description, or the key upper-cased)."""
    return {i.device: i.label for i in env.interfaces}


def committed_vlans(ctx: FieldContext) -> dict[str, dict[str, str]]:
    """VLANs as this request loaded them, before its change: what options and the "assigned to
    itself" check see."""
    return (ctx.loaded if ctx.loaded is not None else ctx.view).items(KEY)


class VlanInterfaceField(BaseListField):
    """Parent devices: `ifconfig` devices that are not VLANs, plus configured non-QinQ VLAN devices."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._options: Memo[dict[str, str]] = Memo()

    def options(self, ctx: FieldContext) -> dict[str, str]:
        vlans = committed_vlans(ctx)
        names = assigned_names(ctx.env)

        def build() -> dict[str, str]:
            out: dict[str, str] = {}
            for nic in ctx.env.nics:
                if nic.startswith(SKIPPED_DEVICES):
                    continue
                suffix = f" [{names[nic]}]" if nic in names else ""
                out[nic] = f"{nic} ({nic_mac(ctx.env, nic)}){suffix}"
            for vlan in vlans.values():
                dev = vlan.get("vlanif", "")
                if dev.startswith("qinq"):
                    continue
                suffix = f" [{names[dev]}]" if dev in names else ""
                out[dev] = f"{dev} (Tag: {vlan.get('tag', '')}, Parent: {vlan.get('if', '')}){suffix}"
            return out

        signature = (tuple(ctx.env.nics), tuple(sorted(names.items())))
        cacheable = ctx.loaded is not None or committed(ctx.view, KEY)
        return self._options.get(vlans, build, signature, cacheable=cacheable)


register_field_type("VlanInterfaceField", VlanInterfaceField)

MODEL = load_model(Path(__file__).with_name("Vlan.json"), name="vlan", subsystem="vlan", title="vlans")
VLAN = MODEL.item("vlan")
VLAN.label = ("descr",)
KEY = VLAN.key


def prefix_for(parent: str) -> str:
    """The device prefix: `qinq` when the parent is itself a VLAN device."""
    return "qinq" if "vlan" in parent else "vlan"


def validate(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """The two UniqueConstraints of Vlan.xml, then Vlan::performValidation()."""
    msgs: dict[str, list[str]] = {}
    parent, tag, device = item.get("if", ""), item.get("tag", ""), item.get("vlanif", "")
    for uuid, other in ctx.view.items(KEY).items():
        if uuid == ctx.uuid:
            continue
        if other.get("tag") == tag and other.get("if") == parent and "tag" not in msgs:
            msgs["tag"] = ["Tag for this device must be unique."]
        if other.get("vlanif") == device and "vlanif" not in msgs:
            msgs["vlanif"] = ["The device name must be unique."]
    prefix = prefix_for(parent)
    if device == f"{parent}_vlan{tag}":
        pass  # legacy device name
    elif not device.startswith(prefix):
        msgs.setdefault("vlanif", []).append(f'The device name prefix "{prefix}" is required.')
    elif not re.match(rf"^{prefix}0([0-9\.]){{1,10}}$", device):
        msgs.setdefault("vlanif", []).append(
            f'Only a maximum of 15 characters is allowed starting with "{prefix}0" combined with '
            f'numeric characters and dots, e.g. "{prefix}0.1.104".'
        )
    # Assigning a device to itself: its current name, or its name before this change, is the parent.
    previous = committed_vlans(ctx).get(ctx.uuid or "", {}).get("vlanif", "")
    if parent == device or previous == parent:
        for name in ("vlanif", "if"):
            msgs.setdefault(name, []).append("VLAN can not be assigned to itself.")
    return msgs


VLAN.validate = validate
