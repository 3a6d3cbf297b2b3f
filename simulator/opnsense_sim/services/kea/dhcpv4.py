"""Kea DHCPv4 subnets and reservations, /api/kea/dhcpv4/ (Kea/Api/Dhcpv4Controller.php, core 26.7.2).

Safe delete (`$internalModelUseSafeDelete = true`): a subnet a reservation names cannot be
deleted. `searchSubnet` sorts on `subnet`, `searchReservation` on `hw_address`. `getSubnet` with
`fetchmode=copy` proposes the highest subnet_id + 1 (the id is unique). There are no toggle
commands. Saving the general settings (`set`) would also rewrite the option data of subnets with
`option_data_autocollect` from the interface addresses (KeaDhcpv4::setNodes()); subnet and
reservation commands do not run it (addBase/setBase call setNodes() of the item, not the model's).

26.1 (KeaDhcpv4.xml 1.0.5) has no `subnet_id` (added in 26.7, model 1.0.6, together with
`fetchmode=copy`): on 26.1 the field is neither rendered, nor stored, nor validated.
"""

from __future__ import annotations

from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.fields import FieldContext, ItemType
from ...core.store import View
from .model import MODEL, SUBNET, SUBNET_KEY
from .service import ServiceController

MODELS = [MODEL]


class Dhcpv4Controller(MutableModelController):
    namespace = "Kea"
    name = "Dhcpv4"
    model = MODEL
    safe_delete = True

    # -- 26.1: no subnet_id ----------------------------------------------------------------------------
    def _absent(self, it: ItemType) -> tuple[str, ...]:
        return ("subnet_id",) if it is SUBNET and self.env.version == "26.1" else ()

    def render_item(self, it: ItemType, item: dict[str, str], uuid: str | None, view: View) -> dict[str, Any]:
        out = super().render_item(it, item, uuid, view)
        for name in self._absent(it):
            out.pop(name, None)
        return out

    def row(
        self, it: ItemType, uuid: str, item: dict[str, str], view: View, ctx: FieldContext | None = None
    ) -> dict[str, Any]:
        out = super().row(it, uuid, item, view, ctx)
        for name in self._absent(it):
            out.pop(name, None)
        return out

    def apply_post(self, it: ItemType, item: dict[str, str], data: Any, prefix: str = "") -> dict[str, str]:
        out = super().apply_post(it, item, data, prefix)
        for name in self._absent(it):
            out.pop(name, None)
        return out

    def validate_item(self, it: ItemType, item: dict[str, str], uuid: str, view: View, key: str) -> dict[str, Any]:
        errors = super().validate_item(it, item, uuid, view, key)
        for name in self._absent(it):
            errors.pop(f"{key}.{name}", None)
        return errors

    @action
    def searchSubnet(self) -> dict[str, Any]:
        return self.search_base("subnets.subnet4", None, "subnet")

    @action
    def getSubnet(self, uuid: str | None = None) -> dict[str, Any]:
        result = self.get_base("subnet4", "subnets.subnet4", uuid)
        if self.req.get_request("fetchmode") == "copy" and result.get("subnet4") and self.env.version != "26.1":
            ids = [int(s.get("subnet_id") or 0) for s in self.store.view().items(SUBNET_KEY).values()]
            result["subnet4"]["subnet_id"] = max(ids, default=0) + 1
        return result

    @action
    def addSubnet(self) -> dict[str, Any]:
        return self.add_base("subnet4", "subnets.subnet4")

    @action
    def setSubnet(self, uuid: str) -> dict[str, Any]:
        return self.set_base("subnet4", "subnets.subnet4", uuid)

    @action
    def delSubnet(self, uuid: str) -> dict[str, Any]:
        return self.del_base("subnets.subnet4", uuid)

    @action
    def searchReservation(self) -> dict[str, Any]:
        return self.search_base("reservations.reservation", None, "hw_address")

    @action
    def getReservation(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("reservation", "reservations.reservation", uuid)

    @action
    def addReservation(self) -> dict[str, Any]:
        return self.add_base("reservation", "reservations.reservation")

    @action
    def setReservation(self, uuid: str) -> dict[str, Any]:
        return self.set_base("reservation", "reservations.reservation", uuid)

    @action
    def delReservation(self, uuid: str) -> dict[str, Any]:
        return self.del_base("reservations.reservation", uuid)


CONTROLLERS = [Dhcpv4Controller, ServiceController]
