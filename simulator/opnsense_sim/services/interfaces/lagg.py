"""LAGG devices, /api/interfaces/lagg_settings/ (core 26.7.2 Lagg.xml, Lagg.php,
FieldTypes/LaggInterfaceField.php, LaggSettingsController.php; devices.md).

Fields are data, Lagg.json. Devices are named by the server as GIF and GRE tunnels are (`lagg<N>`
from 0 on add, the stored name kept on set); members come from the physical NICs no interface is
assigned to. Lagg::performValidation()'s check that members are in no other LAGG never fires
upstream (it indexes the item's own member list by interface name), so only the primary member
rule is simulated. A LAGG assigned as an interface, or carrying VLANs, cannot be deleted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.errors import UserException
from ...core.fields import BaseListField, FieldContext
from ...core.modeldata import load_model, register_field_type
from ...core.modeldata.registry import LIST
from ...core.php import htmlspecialchars
from ...core.values import php_empty
from .vlan_model import KEY as VLAN_KEY
from .vlan_model import nic_mac


class LaggInterfaceField(BaseListField):
    """configd `interface list ifconfig`: physical devices no <interfaces> entry uses, "<dev> (<mac>)"."""

    def options(self, ctx: FieldContext) -> dict[str, str]:
        skip = {i.device for i in ctx.env.interfaces if i.device}
        return {nic: f"{nic} ({nic_mac(ctx.env, nic)})" for nic in ctx.env.nics if nic not in skip}


register_field_type("LaggInterfaceField", LaggInterfaceField, **LIST)

MODEL = load_model(Path(__file__).with_name("Lagg.json"), name="lagg", subsystem="lagg", title="laggs")
LAGG = MODEL.item("lagg")
LAGG.label = ("descr",)
KEY = LAGG.key
MODELS = [MODEL]


def validate(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """The device name's UniqueConstraint and Lagg::performValidation()'s primary member rule."""
    msgs: dict[str, list[str]] = {}
    device = item.get("laggif", "")
    if device and any(o.get("laggif") == device for u, o in ctx.view.items(KEY).items() if u != ctx.uuid):
        msgs["laggif"] = ["LAGG device already exists."]
    primary = item.get("primary_member", "")
    if primary not in ("", "0") and primary not in item.get("members", "").split(","):
        msgs["primary_member"] = [f"Primary member {primary} not in member list."]
    return msgs


LAGG.validate = validate


class LaggSettingsController(MutableModelController):
    namespace = "Interfaces"
    name = "LaggSettings"
    model = MODEL

    def _todo(self) -> list[str]:
        return self.app.extra.setdefault("lagg_todo", [])

    def _overlay(self, overlay: dict[str, str]) -> None:
        posted = self.req.get_post("lagg")
        if isinstance(posted, dict):
            self.req.post["lagg"] = {**posted, **overlay}

    @action
    def searchItem(self) -> dict[str, Any]:
        return self.search_base("lagg", None, "descr")

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("lagg", "lagg", uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        names = {item.get("laggif", "") for item in self.store.view().items(KEY).values()}
        i = 0
        while f"lagg{i}" in names:
            i += 1
        self._overlay({"laggif": f"lagg{i}"})
        result = self.add_base("lagg", "lagg")
        if result["result"] != "failed":
            self._todo().append(f"lagg{i}")
        return result

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        node = self.store.view().item(KEY, uuid)
        if node is not None:
            self._overlay({"laggif": node.get("laggif", "")})
        result = self.set_base("lagg", "lagg", uuid)
        if result["result"] != "failed":
            posted = self.req.get_post("lagg")
            name = node.get("laggif", "") if node is not None else posted.get("laggif", "")
            self._todo().append(str(name or ""))
        return result

    @action
    def delItem(self, uuids: str) -> dict[str, Any]:
        view = self.store.view()
        laggifs = []
        for uuid in uuids.split(",") if not php_empty(uuids) else []:
            node = view.item(KEY, uuid)
            laggif = node.get("laggif", "") if node is not None else ""
            uses: dict[str, str] = {}
            key = ""
            for iface in self.env.interfaces:
                key = iface.key
                if iface.device == laggif:
                    uses[f"interfaces.{iface.key}"] = iface.descr or iface.key
            for vlan in view.items(VLAN_KEY).values():
                if vlan.get("if", "") == laggif:
                    # A VLAN without a description is shown with `$key` left over from the
                    # interfaces loop: the last interface's key.
                    uses[vlan.get("vlanif", "")] = vlan.get("descr", "") or key
            if uses:
                text = "".join(htmlspecialchars(f"\n[{k}] {v}", quotes=False) for k, v in uses.items())
                raise UserException(f"Cannot delete LAGG. Currently in use by {text}", "LAGG in use")
            laggifs.append(laggif)
        result = self.del_base("lagg", uuids)
        if result["result"] != "failed" and laggifs and laggifs[-1]:
            self._todo().extend(laggifs)
        return result

    @action
    def reconfigure(self) -> dict[str, Any]:
        """configd `interface lagg configure`; its output is not read: always "ok"."""
        result = self.reconfigure_base("lagg")
        if result["status"] == "ok":
            self._todo().clear()
        return result


CONTROLLERS = [LaggSettingsController]
