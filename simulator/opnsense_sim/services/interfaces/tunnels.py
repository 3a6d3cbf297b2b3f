"""GIF and GRE tunnels, /api/interfaces/gif_settings/ and /api/interfaces/gre_settings/ (core 26.7.2
GifSettingsController.php and GreSettingsController.php, the same code for both; devices.md).

The server names devices: a new one gets the first `gif<N>` (`gre<N>`) from 0 that no item uses,
and a set keeps the stored name whatever is posted (only a set that creates an item takes the
posted one). A device assigned as an interface cannot be deleted. Every saved change queues the
device name for `reconfigure` (/tmp/.gif.todo), which runs `interface gif configure` and answers
"ok" whatever configd said.
"""

from __future__ import annotations

from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.errors import UserException
from ...core.fields import ItemType
from ...core.store import View
from ...core.values import SKIP, php_empty, php_string
from ..firewall.fieldtypes import available
from .tunnel_model import GIF_MODEL, GRE_MODEL, link_groups, link_setvalue, local_value

MODELS = [GIF_MODEL, GRE_MODEL]


class _TunnelController(MutableModelController):
    kind = ""  # gif, gre
    label = ""  # GIF, GRE

    @property
    def device_field(self) -> str:
        return f"{self.kind}if"

    def render_item(self, it: ItemType, item: dict[str, str], uuid: str | None, view: View) -> dict[str, Any]:
        """Fields of later releases do not exist in 26.1 (GIF's noclamp)."""
        out = super().render_item(it, item, uuid, view)
        for name in self._missing(it):
            out.pop(name, None)
        return out

    def row(self, it: ItemType, uuid: str, item: dict[str, str], view: View, ctx: Any = None) -> dict[str, Any]:
        out = super().row(it, uuid, item, view, ctx)
        for name in self._missing(it):
            out.pop(name, None)
        return out

    def apply_post(self, it: ItemType, item: dict[str, str], data: Any, prefix: str = "") -> dict[str, str]:
        out = super().apply_post(it, item, data, prefix)
        for name in self._missing(it):
            out[name] = item.get(name, "")
        return out

    def _missing(self, it: ItemType) -> list[str]:
        return [name for name, f in it.fields.items() if not available(f, self.env.version)]

    def _todo(self) -> list[str]:
        return self.app.extra.setdefault(f"{self.kind}_todo", [])

    def _posted(self) -> Any:
        return self.req.get_post(self.kind)

    def _translate(self, overlay: dict[str, str] | None) -> None:
        """setNodes() in model order: `local-addr` (LinkAddressField::setValue into `if`/`ipaddr`),
        then `if` and `ipaddr` as posted, then the controller's overlay."""
        posted = self._posted()
        if not isinstance(posted, dict):
            return
        out = dict(posted)
        link = posted.get("local-addr")
        if link is not None and not isinstance(link, (list, dict)):
            text = php_string("local-addr", link)
            fields: dict[str, str] = {}
            link_setvalue("" if text is SKIP else text, fields)
            for name in ("if", "ipaddr"):
                out[name] = posted[name] if posted.get(name) is not None else fields[name]
        out.update(overlay or {})
        self.req.post[self.kind] = out

    @action
    def searchItem(self) -> dict[str, Any]:
        def decorate(row: dict[str, Any]) -> dict[str, Any]:
            # The volatile local-addr is getValue(), `ipaddr` or `if`, not a stored value.
            row["local-addr"] = local_value(row)
            if row.get("%local-addr") == row["local-addr"]:
                del row["%local-addr"]
            return row

        return self.search_base(self.kind, None, "descr", decorate=decorate)

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base(self.kind, self.kind, uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        names = {item.get(self.device_field, "") for item in self.store.view().items(self.model.items[0].key).values()}
        i = 0
        while f"{self.kind}{i}" in names:
            i += 1
        device = f"{self.kind}{i}"
        self._translate({self.device_field: device})
        result = self.add_base(self.kind, self.kind)
        if result["result"] != "failed":
            self._todo().append(device)
        return result

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        node = self.store.view().item(self.model.items[0].key, uuid)
        overlay = {self.device_field: node.get(self.device_field, "")} if node is not None else None
        self._translate(overlay)
        result = self.set_base(self.kind, self.kind, uuid)
        if result["result"] != "failed":
            posted = self._posted()
            name = overlay[self.device_field] if overlay else posted.get(self.device_field, "")
            self._todo().append(str(name or ""))
        return result

    @action
    def delItem(self, uuids: str) -> dict[str, Any]:
        items = self.store.view().items(self.model.items[0].key)
        nodes = []
        for uuid in uuids.split(",") if not php_empty(uuids) else []:
            node = items.get(uuid)
            if node is not None:
                for iface in self.env.interfaces:
                    if iface.device == node.get(self.device_field, ""):
                        # sprintf('... [%s] %s', $key, $value): the <interfaces> child cast to a
                        # string is its own text, none (config.xml is loaded with LIBXML_NOBLANKS).
                        raise UserException(
                            f"Cannot delete {self.label}. Currently in use by [{iface.key}] ",
                            f"{self.label} in use",
                        )
            nodes.append(node)
        result = self.del_base(self.kind, uuids)
        if result["result"] != "failed":
            self._todo().extend(n.get(self.device_field, "") for n in nodes if n is not None)
        return result

    @action
    def getIfOptions(self) -> dict[str, Any]:
        if not self.req.is_get:
            return {"status": "failed"}
        _, groups = link_groups(self.store.view(), self.env)
        return {"single": {"label": "Manual address"}, **groups}

    @action
    def reconfigure(self) -> dict[str, Any]:
        """configd `interface <kind> configure`; its output is not read: always "ok"."""
        result = self.reconfigure_base(self.kind)
        if result["status"] == "ok":
            self._todo().clear()
        return result


class GifSettingsController(_TunnelController):
    namespace = "Interfaces"
    name = "GifSettings"
    model = GIF_MODEL
    kind = "gif"
    label = "GIF"


class GreSettingsController(_TunnelController):
    namespace = "Interfaces"
    name = "GreSettings"
    model = GRE_MODEL
    kind = "gre"
    label = "GRE"


CONTROLLERS = [GifSettingsController, GreSettingsController]
