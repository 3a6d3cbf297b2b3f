"""Dnsmasq hosts, DHCP tags and DHCP ranges, /api/dnsmasq/settings/ (Dnsmasq/Api/SettingsController.php,
core 26.7.2).

The controller uses safe delete (`$internalModelUseSafeDelete = true`): a tag a host or range
names cannot be deleted; hosts and ranges are referenced by nothing. `searchHost`, `searchRange`
(and `searchTag`) take an optional `tags` list: rows whose `interface`, `set_tag` (or, for tags,
uuid) hold one of them. Hosts sort by their grid's default (no sort field), as do ranges.
"""

from __future__ import annotations

from typing import Any, Callable

from ...app import action
from ...core.controller import MutableModelController
from .model import MODEL
from .service import ServiceController

MODELS = [MODEL]


class SettingsController(MutableModelController):
    namespace = "Dnsmasq"
    name = "Settings"
    model = MODEL
    safe_delete = True

    def _tag_filter(self) -> Callable[[str, dict[str, str]], bool] | None:
        """buildFilterFunction(): `tags` values matched against interface and set_tag (comma lists)."""
        wanted = self.req.get_request("tags")
        if not wanted:
            return None
        values = wanted if isinstance(wanted, list) else [wanted]

        def where(_uuid: str, item: dict[str, str]) -> bool:
            for name in ("interface", "set_tag", "tag"):
                if name in item and any(v.strip() in values for v in item[name].split(",")):
                    return True
            return False

        return where

    # -- hosts -------------------------------------------------------------------------------------
    @action
    def searchHost(self) -> dict[str, Any]:
        return self.search_base("hosts", None, where=self._tag_filter())

    @action
    def getHost(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("host", "hosts", uuid)

    @action
    def setHost(self, uuid: str) -> dict[str, Any]:
        return self.set_base("host", "hosts", uuid)

    @action
    def addHost(self) -> dict[str, Any]:
        return self.add_base("host", "hosts")

    @action
    def delHost(self, uuid: str) -> dict[str, Any]:
        return self.del_base("hosts", uuid)

    # -- DHCP tags ---------------------------------------------------------------------------------
    @action
    def searchTag(self) -> dict[str, Any]:
        wanted = self.req.get_request("tags")
        if not wanted:
            return self.search_base("dhcp_tags", None)
        values = wanted if isinstance(wanted, list) else [wanted]
        return self.search_base("dhcp_tags", None, where=lambda uuid, _item: uuid in values)

    @action
    def getTag(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("tag", "dhcp_tags", uuid)

    @action
    def setTag(self, uuid: str) -> dict[str, Any]:
        return self.set_base("tag", "dhcp_tags", uuid)

    @action
    def addTag(self) -> dict[str, Any]:
        return self.add_base("tag", "dhcp_tags")

    @action
    def delTag(self, uuid: str) -> dict[str, Any]:
        return self.del_base("dhcp_tags", uuid)

    # -- DHCP ranges -------------------------------------------------------------------------------
    @action
    def searchRange(self) -> dict[str, Any]:
        return self.search_base("dhcp_ranges", None, where=self._tag_filter())

    @action
    def getRange(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("range", "dhcp_ranges", uuid)

    @action
    def setRange(self, uuid: str) -> dict[str, Any]:
        return self.set_base("range", "dhcp_ranges", uuid)

    @action
    def addRange(self) -> dict[str, Any]:
        return self.add_base("range", "dhcp_ranges")

    @action
    def delRange(self, uuid: str) -> dict[str, Any]:
        return self.del_base("dhcp_ranges", uuid)


CONTROLLERS = [SettingsController, ServiceController]
