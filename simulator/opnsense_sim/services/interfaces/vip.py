"""Virtual IPs, /api/interfaces/vip_settings/ (core 26.7.2 VipSettingsController.php; devices.md).

The API speaks of `network` ("<address>/<bits>") where the model has `subnet` and `subnet_bits`:
add and set split a posted `network` into both (without one, both are emptied unless both were
posted), get joins them and drops them, and validation messages on either move to `vip.network`,
always as a list. A change of address or interface, and a delete, queue the old address for removal
by `reconfigure` (/tmp/delete_vip_<uuid>.todo). NAT rules, which whereUsed() checks, are not
simulated: no address is ever in use by one.
"""

from __future__ import annotations

from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.errors import UnexpectedError, UserException
from ...core.values import php_empty
from .vip_model import KEY, MODEL, _scoped, computed

MODELS = [MODEL]


class VipSettingsController(MutableModelController):
    namespace = "Interfaces"
    name = "VipSettings"
    model = MODEL

    def _removed(self) -> list[str]:
        return self.app.extra.setdefault("vips_removed", [])

    def _overlay(self) -> None:
        """getVipOverlay(): `network` split into subnet and subnet_bits, applied after the post."""
        tmp = self.req.get_post("vip")
        if not isinstance(tmp, dict):
            return
        overlay: dict[str, str] | None = None
        if not php_empty(tmp.get("network")):
            parts = str(tmp["network"]).split("/", 1)
            overlay = {"subnet": parts[0], "subnet_bits": parts[1] if len(parts) == 2 and parts[1] != "" else ""}
        elif self.env.version != "26.1" and (php_empty(tmp.get("subnet")) or php_empty(tmp.get("subnet_bits"))):
            # Since 26.7; 26.1.11 leaves subnet and subnet_bits as they are without a network.
            overlay = {"subnet": "", "subnet_bits": ""}
        if overlay is not None:
            self.req.post["vip"] = {**tmp, **overlay}

    @staticmethod
    def _form_validations(result: dict[str, Any]) -> dict[str, Any]:
        """handleFormValidations(): messages on subnet or subnet_bits become a list on vip.network."""
        validations = result.get("validations")
        if not validations:
            return result
        for name in [n for n in validations if n in ("vip.subnet", "vip.subnet_bits")]:
            msgs = validations.setdefault("vip.network", []) or []
            if not isinstance(msgs, list):
                msgs = [msgs]
            value = validations.pop(name)
            msgs.extend(value if isinstance(value, list) else [value])
            validations["vip.network"] = msgs
        return result

    @action
    def searchItem(self) -> dict[str, Any]:
        mode = self.req.get_request("mode")

        def decorate(row: dict[str, Any]) -> dict[str, Any]:
            for name in ("address", "vhid_txt"):
                row[name] = computed(name, row)
            return row

        where = None
        if not php_empty(mode):
            if not isinstance(mode, (list, dict)):
                # in_array($record->mode, $mode) with a string haystack: a TypeError, HTTP 500.
                raise UnexpectedError("in_array(): Argument #2 ($haystack) must be of type array")
            modes = [str(m) for m in (mode.values() if isinstance(mode, dict) else mode)]
            where = lambda uuid, item: item.get("mode") in modes  # noqa: E731
        return self.search_base("vip", None, "descr", where=where, decorate=decorate)

    @action
    def getUnusedVhid(self) -> dict[str, Any]:
        vhids = {v.get("vhid", "") for v in self.store.view().items(KEY).values() if not php_empty(v.get("vhid"))}
        for i in range(1, 256):
            if str(i) not in vhids:
                return {"vhid": i, "status": "ok"}
        return {"status": "not_found"}

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        vip = self.get_base("vip", "vip", uuid)
        node = vip.get("vip")
        if node and not php_empty(node.get("subnet")):
            node["network"] = f"{node['subnet']}/{node['subnet_bits']}"
        elif node:
            node["network"] = ""
        if node is not None:
            node.pop("subnet", None)
            node.pop("subnet_bits", None)
        return vip

    @action
    def addItem(self) -> dict[str, Any]:
        self._overlay()
        return self._form_validations(self.add_base("vip", "vip"))

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        node = self.store.view().item(KEY, uuid)
        tmp = self.req.get_post("vip")
        tmp = tmp if isinstance(tmp, dict) else {}
        post_subnet = str(tmp["network"]).split("/")[0] if not php_empty(tmp.get("network")) else ""
        post_interface = str(tmp["interface"]) if not php_empty(tmp.get("interface")) else ""
        self._overlay()
        result = self._form_validations(self.set_base("vip", "vip", uuid))
        if result.get("validations"):
            return result
        if node is not None and (post_subnet != node.get("subnet", "") or post_interface != node.get("interface", "")):
            self._removed().append(_scoped(node))
        return result

    @action
    def delItem(self, uuids: str) -> dict[str, Any]:
        items = self.store.view().items(KEY)
        nodes = []
        for uuid in uuids.split(",") if not php_empty(uuids) else []:
            node = items.get(uuid)
            if node is None:
                continue
            if node.get("mode") == "carp":
                # Any IP alias with the same VHID blocks, on whichever interface it is.
                if any(
                    v.get("mode") == "ipalias" and v.get("vhid", "") == node.get("vhid", "") for v in items.values()
                ):
                    raise UserException(
                        f"Cannot delete CARP Virtual IP, IP Alias with VHID Group {node.get('vhid', '')} still exists.",
                        "Error",
                    )
            nodes.append(node)
        result = self.del_base("vip", uuids)
        if result.get("result") == "deleted":
            self._removed().extend(_scoped(n) for n in nodes)
        return result

    @action
    def reconfigure(self) -> dict[str, Any]:
        """configd `interface vip configure` (reconfigure_vips.php), lower-cased and trimmed: "ok"."""
        result = self.reconfigure_base("vip")
        if result["status"] == "ok":
            self._removed().clear()
        return result


CONTROLLERS = [VipSettingsController]
