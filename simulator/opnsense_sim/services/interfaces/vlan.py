"""VLANs, /api/interfaces/vlan_settings/ (VlanSettingsController.php; interfaces-and-services.md 1).

The server names devices (`vlan0N`, `qinq0N`) and guards renames and deletes of devices that carry
QinQ children or are assigned as interfaces. An assigned device is one an environment interface
uses: tests assign one with `sim.app.env.interfaces.append(Interface("opt2", "VLAN10", "vlan01"))`.
"""

from __future__ import annotations

import re
from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.errors import UserException
from ...core.values import SKIP, loose_equal, php_empty, php_string
from .vlan_model import KEY, MODEL, assigned_names, prefix_for

MODELS = [MODEL]

QINQ_MSG = "This VLAN cannot be deleted because it is used in QinQ interfaces."
ASSIGNED_MSG = "This VLAN cannot be deleted because it is assigned as an interface."


def _text(value: Any) -> str:
    """A posted value as PHP string interpolation sees it (null and false are empty)."""
    out = php_string("", value) if not isinstance(value, (list, dict)) else "Array"
    return "" if out is SKIP else out


def _int_digits(name: str) -> int:
    """(int)filter_var($name, FILTER_SANITIZE_NUMBER_INT)."""
    digits = re.sub(r"[^0-9+\-]", "", name)
    m = re.match(r"[+-]?[0-9]+", digits)
    return int(m.group(0)) if m else 0


class VlanSettingsController(MutableModelController):
    namespace = "Interfaces"
    name = "VlanSettings"
    model = MODEL

    def _removed(self) -> list[str]:
        """/tmp/.vlans.removed: old device names destroyed on the next reconfigure."""
        return self.app.extra.setdefault("vlans_removed", [])

    def _assigned(self, device: str) -> bool:
        return device in assigned_names(self.env)

    def generate_vlanif(self, vlans: dict[str, dict[str, str]], current: dict[str, str] | None) -> str:
        """generateVlanIfName(): posted name, kept legacy or same-type name, else the next free number."""
        posted = self.req.get_post("vlan")
        tmp = posted if isinstance(posted, dict) else {}
        parent, tag = _text(tmp.get("if")), _text(tmp.get("tag"))
        prefix = prefix_for(parent)
        if not php_empty(tmp.get("vlanif")):
            return _text(tmp.get("vlanif"))
        if current is not None and current.get("vlanif") == f"{parent}_vlan{tag}":
            return f"{parent}_vlan{tag}"
        if (
            current is not None
            and "_vlan" not in current.get("vlanif", "")
            and current.get("vlanif", "").startswith(prefix)
        ):
            return current["vlanif"]
        ifid = 0
        for vlan in vlans.values():
            if re.match(rf"^{prefix}[0-9]+$", vlan.get("vlanif", "")):
                ifid = max(ifid, _int_digits(vlan["vlanif"]))
        return f"{prefix}0{ifid + 1}"

    def _overlay(self, name: str) -> None:
        """Pass the server's device name to the generic add/set as if it had been posted."""
        posted = self.req.get_post("vlan")
        if isinstance(posted, dict):
            self.req.post["vlan"] = {**posted, "vlanif": name}

    @action
    def searchItem(self) -> dict[str, Any]:
        result = self.search_base("vlan", None, "vlanif")
        # Display only, after search and sort: "<device> [<interface description>]".
        names = assigned_names(self.env)
        for row in result["rows"]:
            if row["vlanif"] in names:
                row["vlanif"] = f"{row['vlanif']} [{names[row['vlanif']]}]"
        return result

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("vlan", "vlan", uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        self._overlay(self.generate_vlanif(self.store.view().items(KEY), None))
        return self.add_base("vlan", "vlan")

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        """setItemAction takes Config::lock() before it reads the VLANs (commit d81dcd37e2, in 26.1.8
        and 26.7): the device name is derived, and the item saved, with no other writer in between,
        so two creates at once get two names. With unsafe concurrent writes (the releases before
        locking), it reads the configuration as the request found it."""
        if self.store.unsafe:
            return self._set_item(uuid)
        with self.store.lock:
            return self._set_item(uuid)

    def _set_item(self, uuid: str) -> dict[str, Any]:
        vlans = self.store.view().items(KEY)
        node = vlans.get(uuid)
        old = node.get("vlanif", "") if node is not None else None
        new = self.generate_vlanif(vlans, node)
        children = sum(1 for v in vlans.values() if v.get("if", "") == (old or ""))
        if old is not None and old != new and children > 0:
            return {"result": "failed", "validations": {"vlan.vlanif": QINQ_MSG}}
        if old is not None and old != new and self._assigned(old):
            posted = self.req.get_post("vlan")
            tag = _text(posted.get("tag")) if isinstance(posted, dict) else ""
            if not loose_equal(tag, node.get("tag", "")):  # type: ignore[union-attr]
                msg = {"vlan.tag": "Interface is assigned and you cannot change the VLAN tag while assigned."}
            else:
                msg = {"vlan.vlanif": "Interface is assigned and you cannot change the device name while assigned."}
            return {"result": "failed", "validations": msg}
        self._overlay(new)
        result = self.set_base("vlan", "vlan", uuid)
        if result["result"] != "failed" and old is not None and old != new:
            self._removed().append(old)
        return result

    @action
    def delItem(self, uuids: str) -> dict[str, Any]:
        vlans = self.store.view().items(KEY)
        old_names = []
        for uuid in uuids.split(",") if uuids else []:
            node = vlans.get(uuid)
            old = node.get("vlanif", "") if node is not None else None
            if any(v.get("if", "") == (old or "") for v in vlans.values()):
                raise UserException(QINQ_MSG)
            if old is not None and self._assigned(old):
                raise UserException(ASSIGNED_MSG)
            if old is not None:
                old_names.append(old)
        result = self.del_base("vlan", uuids)
        if result["result"] != "failed":
            self._removed().extend(old_names)
        return result

    @action
    def reconfigure(self) -> dict[str, Any]:
        """configd `interface vlan configure`, lower-cased and trimmed: "ok"."""
        result = self.reconfigure_base("vlan")
        if result["status"] == "ok":
            self._removed().clear()
        return result


CONTROLLERS = [VlanSettingsController]
