"""VXLAN devices, /api/interfaces/vxlan_settings/ (core 26.7.2
`controllers/OPNsense/Interfaces/Api/VxlanSettingsController.php`, `models/OPNsense/Interfaces/VxLan.xml`
and `VxLan.php`).

Fields are data, VxLan.json. The device is `vxlan<deviceId>` (`etc/inc/plugins.inc.d/vxlan.inc`),
deviceId an AutoNumberField as for loopbacks. The controller is the plain base: no safe delete, no
in-use check, so an assigned VXLAN can be deleted. `reconfigure` runs configd `interface vxlan
configure` (`pluginctl -c vxlan`) and answers its output lower-cased and trimmed, "ok".

VxLan::performValidation() checks an item when it changed (or the whole model is validated): exactly one of remote address and multicast group; no device with
a remote address; a device with a multicast group. Its messages go to this item's fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.fields import FieldContext
from ...core.modeldata import load_model
from ..firewall.alias_model import index_of
from ..firewall.fieldtypes import PortField

MODEL = load_model(Path(__file__).with_name("VxLan.json"), name="vxlan", subsystem="vxlan", title="vxlans")
VXLAN = MODEL.item("vxlan")
MODELS = [MODEL]

# VxLan.xml's ports are plain PortFields (no EnableWellKnown, EnableRanges or EnableAlias): numbers
# 1-65535 only, "Please specify a valid port number (1-65535).". The registered PortField is
# Filter.xml's, with all three on, so these two are built plain here.
for _name in ("vxlanlocalport", "vxlanremoteport"):
    VXLAN.fields[_name] = PortField(index_of, well_known=False, ranges=False, alias=False)
    VXLAN.fields[_name].name = _name


def validate(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """VxLan::performValidation()."""
    msgs: dict[str, list[str]] = {}
    group, remote, dev = item.get("vxlangroup", ""), item.get("vxlanremote", ""), item.get("vxlandev", "")
    # PHP empty(): "0" is empty too.
    has_group, has_remote, has_dev = group not in ("", "0"), remote not in ("", "0"), dev not in ("", "0")
    if has_group == has_remote:
        msgs["vxlanremote"] = ["Remote address -or- Multicast group has to be specified"]
        msgs["vxlangroup"] = ["Multicast group -or- Remote address has to be specified"]
    if has_remote and has_dev:
        msgs.setdefault("vxlandev", []).append("Remote address is specified, Device must be None")
    if has_group and not has_dev:
        msgs.setdefault("vxlandev", []).append("Multicast group is specified, a Device must also be specified")
    return msgs


VXLAN.validate = validate


class VxlanSettingsController(MutableModelController):
    namespace = "Interfaces"
    name = "VxlanSettings"
    model = MODEL

    @action
    def searchItem(self) -> dict[str, Any]:
        return self.search_base("vxlan", None, "vxlanid")

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("vxlan", "vxlan", uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        return self.add_base("vxlan", "vxlan")

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        return self.set_base("vxlan", "vxlan", uuid)

    @action
    def delItem(self, uuid: str) -> dict[str, Any]:
        return self.del_base("vxlan", uuid)

    @action
    def reconfigure(self) -> dict[str, Any]:
        return self.reconfigure_base("vxlan")


CONTROLLERS = [VxlanSettingsController]
