"""Static routes, /api/routes/routes/ (RoutesController.php, Route.xml, Route.php; interfaces-and-services.md 2).

The model is mounted on the legacy `//staticroutes` section; items live directly under `route`
(state key `routes.route`). Command names are lower-case upstream (`searchroute`, ...); the router
ignores case and underscores, so `searchRoute` and `search_route` reach them too.

The route's enable flag is `enabled` (default 1) on both simulated releases: it replaced `disabled`
in 26.1.10 (checked in the source at tags 26.1.9, 26.1.10, 26.1.11 and 26.7.2), and the 26.1 line
is simulated as 26.1.11.

The fields are data, Route.json (generated from Route.xml); the gateway's options come from the
configd action `interface gateways list` (routing/gateway_list.py), the family check is Route.php's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.fields import FieldContext
from ...core.modeldata import load_model
from ...core.php import trim
from ..routing import gateway_list  # noqa: F401  (registers `interface gateways list`)

GATEWAY_MSG = "Specify a valid gateway from the list matching the networks ip protocol."


MODEL = load_model(Path(__file__).with_name("Route.json"), name="route", subsystem="routes", title="route")
ROUTE = MODEL.item("route")
ROUTE.label = ("descr",)


def validate(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """Route.php: the network's family must match the gateway's, except IPv4 over IPv6 (RFC 5549)."""
    options = ROUTE.fields["gateway"].options(ctx)  # type: ignore[attr-defined]
    label = options.get(item.get("gateway", ""))
    if label is None:
        return {}  # an unknown gateway already failed the option check
    proto_net = "inet6" if ":" in item.get("network", "") else "inet"
    gateway_ip = trim(label.split("-")[-1])
    if gateway_ip in ("inet", "inet6"):
        proto_gw = gateway_ip
    else:
        proto_gw = "inet6" if ":" in gateway_ip else "inet"
    if proto_gw == "inet6" and proto_net == "inet":
        return {}
    if not gateway_ip or proto_gw != proto_net:
        return {"gateway": [GATEWAY_MSG]}
    return {}


ROUTE.validate = validate

MODELS = [MODEL]


class RoutesController(MutableModelController):
    namespace = "Routes"
    name = "Routes"
    model = MODEL

    def _todo(self) -> dict[str, str]:
        """/tmp/delete_route_<uuid>.todo files: old networks removed on the next reconfigure."""
        return self.app.extra.setdefault("route_deletes", {})

    @action
    def searchroute(self) -> dict[str, Any]:
        # Upstream sorts on "description", a field routes do not have; ArrayField::sortedBy() then
        # orders on the sort key's tie-breaker alone, the uuid (natural, case-insensitive).
        return self.search_base("route", None, "description")

    @action
    def getroute(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("route", "route", uuid)

    @action
    def addroute(self) -> dict[str, Any]:
        return self.add_base("route", "route")

    @action
    def setroute(self, uuid: str) -> dict[str, Any]:
        old = self.store.view().item(ROUTE.key, uuid)
        posted = self.req.get_post("route")
        new_net = posted.get("network") if isinstance(posted, dict) else None
        if old is not None and old.get("network") and new_net != old["network"] and uuid not in self._todo():
            self._todo()[uuid] = old["network"]
        return self.set_base("route", "route", uuid)

    @action
    def delroute(self, uuid: str) -> dict[str, Any]:
        old = self.store.view().item(ROUTE.key, uuid)
        result = self.del_base("route", uuid)
        if result.get("result") == "deleted":
            self._todo()[uuid] = old.get("network", "") if old else ""
        return result

    @action
    def toggleroute(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base("route", uuid, enabled)

    @action
    def reconfigure(self) -> dict[str, Any]:
        """`interface routes configure`: "OK" becomes {"status": "ok"} (section 2)."""
        result = self.reconfigure_base("routes")
        if result["status"] == "ok":
            self._todo().clear()
        return result


CONTROLLERS = [RoutesController]
