"""Gateways, /api/routing/settings/ (SettingsController.php; interfaces-and-services.md 3).

Factory state: the WAN device has learned the router 203.0.113.1 (`Interface.router`), so the
dynamic gateway `WAN_GW` (uuid "WAN_GW" in searches, interface wan, inet) exists out of the box and
static routes can use it. setGateway/WAN_GW converts it into a configured gateway under a new uuid.
Gateway groups are not simulated as a model; `app.extra["gateway_groups"]` ({group: [gateway
names]}) stands in for them where delGateway checks group membership.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ...app import action
from ...core.controller import UUID4, MutableModelController, grid, new_uuid
from ...core.errors import UserException
from ...core.php import filter_ip
from ...core.values import SKIP, php_empty, php_string
from . import gateway_list
from .gateway_model import GATEWAY, MODEL

FACTORY_WAN_ROUTER = "203.0.113.1"
PATH = "gateway_item"
KEY = "gateway_item"

MODELS = [MODEL]


def _status(records: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """`interface gateways status` without dpinger: every active gateway reports online, or forced down."""
    out = {}
    for name, gw in gateway_list.indexed(records).items():
        down = not php_empty(gw.get("force_down"))
        out[name] = {
            "status": "force_down" if down else "none",
            "status_translated": "Offline (forced)" if down else "Online",
            "delay": "~",
            "stddev": "~",
            "loss": "~",
        }
    return out


def _default_gw(records: list[dict[str, Any]], proto: str) -> str | None:
    """Gateways::getDefaultGW(): the first usable gateway of the family in priority order."""
    for gw in records:
        if gw.get("ipprotocol") != proto:
            continue
        if any(not php_empty(gw.get(k)) for k in ("disabled", "defunct", "is_loopback", "force_down")):
            continue
        return gw["name"]
    return None


def _in_subnet(address: str, iface: Any, proto: str) -> bool | None:
    """Whether the gateway lies in the interface's subnet; None when the interface has no static address."""
    ip, bits = (iface.ipaddr, iface.subnet) if proto == "inet" else (iface.ipaddrv6, iface.subnetv6)
    if not ip or not filter_ip(ip):
        return None
    if not bits:
        return False
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(f"{ip}/{bits}", strict=False)
    except ValueError:
        return False


class SettingsController(MutableModelController):
    namespace = "Routing"
    name = "Settings"
    model = MODEL

    def _row(self, gw: dict[str, Any], status: dict[str, Any], defaults: set[str]) -> dict[str, Any]:
        row = dict(gw)
        if not row.get("uuid"):
            row["uuid"] = row["name"]
        row["virtual"] = not php_empty(row.get("virtual"))
        row["disabled"] = not php_empty(row.get("disabled"))
        row["upstream"] = not php_empty(row.get("defaultgw"))
        row["defaultgw"] = row["name"] in defaults
        iface = self.env.interface(row.get("interface", ""))
        row["interface_descr"] = (iface.descr if iface is not None else "") or str(row.get("interface", "")).upper()
        mine = status.get(row["name"], {})
        row["status"] = mine.get("status_translated", "Pending")
        for kw in ("delay", "stddev", "loss"):
            row[kw] = mine.get(kw, "~")
        row["label_class"] = "fa fa-plug text-default"
        if mine:
            if "down" in mine["status"]:
                row["label_class"] = "fa fa-plug text-danger"
            elif "loss" in mine["status"] or "delay" in mine["status"]:
                row["label_class"] = "fa fa-plug text-warning"
            elif "none" in mine["status"]:
                row["label_class"] = "fa fa-plug text-success"
        elif not row["disabled"] and not php_empty(gw.get("monitor_disable")):
            row["label_class"] = "fa fa-plug text-success"
        if php_empty(gw.get("fargw")) and "gateway" in gw and filter_ip(str(gw["gateway"])) and iface is not None:
            inside = _in_subnet(str(gw["gateway"]), iface, gw.get("ipprotocol", "inet"))
            if inside is False:
                row["status"] = "Misconfigured Gateway IP"
                row["label_class"] = "fa fa-plug text-warning"
        if php_empty(gw.get("is_loopback")) and not gw.get("if"):
            row["status"] = "No interface attached"
            row["label_class"] = "fa fa-plug text-warning"
        return row

    @action
    def searchGateway(self) -> dict[str, Any]:
        """Recordset search over the system's gateway list (generic.md 6 B): POST parameters only."""
        records = gateway_list.gateways(self.store.view(), self.env)
        status = _status(records)
        defaults = {n for n in (_default_gw(records, "inet"), _default_gw(records, "inet6")) if n}
        rows = [self._row(gw, status, defaults) for gw in gateway_list.indexed(records, True, False, True).values()]
        return grid(self.req, rows, None, None, recordset=True)

    @action
    def getGateway(self, uuid: str | None = None) -> dict[str, Any]:
        if uuid is None or not UUID4.match(uuid):
            # A name: a legacy or dynamic gateway shown as a new, unsaved item (section 3).
            view = self.store.view()
            found = gateway_list.indexed(gateway_list.gateways(view, self.env), True, False, True).get(uuid or "")
            if found is None:
                return self.get_base(KEY, PATH, None)
            record = dict(found)
            if not php_empty(record.get("dynamic")):
                record["gateway"] = None
            item = GATEWAY.blank(self.ctx(view, {}, None, GATEWAY))
            for name, f in GATEWAY.fields.items():
                if name in record:
                    value = php_string(name, record[name])
                    if value is not SKIP:
                        item[name] = f.store(value)
            return {KEY: self.render_item(GATEWAY, item, None, view)}
        return self.get_base(KEY, PATH, uuid)

    @action
    def addGateway(self) -> dict[str, Any]:
        return self.add_base(KEY, PATH)

    @action
    def setGateway(self, uuid: str) -> dict[str, Any]:
        if not UUID4.match(uuid):
            uuid = new_uuid()  # converts a legacy or dynamic gateway (section 3)
        return self.set_base(KEY, PATH, uuid)

    @action
    def delGateway(self, uuid: str) -> dict[str, Any]:
        if not self.req.is_post:
            return {"result": "failed"}
        view = self.store.view()
        gw = view.item(GATEWAY.key, uuid)
        if gw is None:
            if self.env.version != "26.1":
                return {"result": "failed"}
            # Up to 26.1.x the missing gateway's name reads as "" and matches any interface without
            # a gateway: HTTP 500 (fixed in 26.7 by commit 8e2b3e7ccf, core issue 10429).
            gw = {}
        name = gw.get("name", "")
        for iface in self.env.interfaces:
            if iface.gateway == name:
                raise UserException(
                    f"Gateway {name} cannot be deleted because it is in use on Interface '{iface.descr or iface.key}'"
                )
        groups = [g for g, members in self.app.extra.get("gateway_groups", {}).items() if name in members]
        if groups:
            raise UserException(
                f"Gateway {name} cannot be deleted because it is in use on Gateway Group(s) '{', '.join(groups)}'"
            )
        routes = [r.get("network", "") for r in view.items("routes.route").values() if r.get("gateway") == name]
        if routes:
            raise UserException(
                f"Gateway {name} cannot be deleted because it is in use on Static Route(s) '{', '.join(routes)}'"
            )
        return self.del_base(PATH, uuid)

    @action
    def toggleGateway(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        """Works on `disabled`, inverting the parameter so it reads like an enable toggle (section 3)."""
        result: dict[str, Any] = {"result": "failed"}
        if not self.req.is_post:
            return result
        with self.transaction() as txn:
            node = txn.item(GATEWAY.key, uuid)
            if node is None:
                return result
            result["changed"] = True
            current = node.get("disabled", "0")
            if enabled in ("0", "1"):
                disabled = "1" if enabled == "0" else "0"
                result["result"] = "Enabled" if disabled == "0" else "Disabled"
                result["changed"] = current != disabled
            elif enabled is not None:
                result["changed"] = False
                return result
            elif current == "0":
                result["result"], disabled = "Disabled", "1"
            else:
                result["result"], disabled = "Enabled", "0"
            if result["changed"]:
                txn.put(GATEWAY.key, uuid, {**node, "disabled": disabled})
                txn.save()
        return result

    @action
    def reconfigure(self) -> dict[str, Any]:
        """`interface routes configure`; the answer does not depend on its output."""
        return self.reconfigure_base("routes")


CONTROLLERS = [SettingsController]


def install(app: Any) -> None:
    wan = app.env.interface("wan")
    if wan is not None and not wan.router:
        wan.router = FACTORY_WAN_ROUTER
