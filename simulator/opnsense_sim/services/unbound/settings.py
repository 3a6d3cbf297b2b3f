"""Unbound host overrides and host aliases, /api/unbound/settings/ (interfaces-and-services.md 4).

SettingsController.php defines `__call`, so any action name it does not know answers an empty
HTTP 200 instead of 404 (generic.md 1); `catch_all` gives the same here. `__call` also maps the
old `*Dot*` action names onto the `*Forward*` actions with the controller's `type` switched from
`forward` to `dot` (unbound/README.md): query forwarding and DNS over TLS share `dots.dot`, told
apart by `type`, which search filters on and add/set force (their overlay).
"""

from __future__ import annotations

import re
from typing import Any

from ...app import action
from ...core.controller import MutableModelController, new_uuid
from ...core.fields import ItemType
from ...core.php import trim
from ...core.store import Txn, View
from ...core.values import SKIP, php_string
from .model import ALIAS, ALIAS_KEY, DOT, HOST, HOST_KEY, MODEL, alias_names, host_aliases
from .service import ServiceController

MODELS = [MODEL]


class SettingsController(MutableModelController):
    namespace = "Unbound"
    name = "Settings"
    model = MODEL
    catch_all = True

    _aliases: str | None = None  # the posted `aliases` of a host override, if any
    _type = "forward"  # SettingsController::$type: "dot" when reached through a *Dot* name

    def call_missing(self, action: str, params: list[str]) -> Any:
        """__call: `preg_replace('/Dot/', 'Forward', ...)` (case-sensitive) names an existing action
        and the name matches /dot/i: run it as type "dot"; anything else answers null (empty 200)."""
        fn = action.replace("Dot", "Forward")
        found = self.app.actions(type(self)).get(fn.lower())
        if found is None or not re.search("dot", action, re.I):
            return ""
        method, _required, maximum, _name = found
        self._type = "dot"
        return method(self, *(params if maximum is None else params[:maximum]))

    # -- the volatile `aliases` field of a host (AliasReflector) -----------------------------------
    def apply_post(self, it: ItemType, item: dict[str, str], data: Any, prefix: str = "") -> dict[str, str]:
        out = super().apply_post(it, item, data, prefix)
        if it is DOT:
            out["type"] = self._type  # the overlay of addForward/setForward, applied after the post
        if it is HOST and isinstance(data, dict) and "aliases" in data:
            value = php_string("aliases", data["aliases"])
            self._aliases = None if value is SKIP else HOST.fields["aliases"].store(value)
        return out

    def validate_item(self, it: ItemType, item: dict[str, str], uuid: str, view: View, key: str) -> dict[str, Any]:
        errors = super().validate_item(it, item, uuid, view, key)
        if it is HOST and self._aliases:
            msgs = HOST.fields["aliases"].check(self._aliases, self.ctx(view, item, uuid, it))
            if msgs:
                errors[f"{key}.aliases"] = msgs[0]
        return errors

    def after_change(self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None) -> None:
        if it is HOST and self._aliases is not None:
            self._reflect_aliases(txn, uuid, item, self._aliases)

    def _reflect_aliases(self, txn: Txn, host_uuid: str, host: dict[str, str], value: str) -> None:
        """AliasReflector::setValue(): add and delete linked aliases so they match the posted list.

        Aliases created this way are not validated: they lie outside the host item, whose
        validation is the only one reported (generic.md 4).
        """
        linked = host_aliases(txn).get(host_uuid, [])
        current = alias_names(host, linked)
        if value == ",".join(current):
            return
        # array_filter(array_map('trim', ...)): empty and "0" entries drop out.
        wanted = [t for v in value.split(",") if (t := trim(v)) not in ("", "0")]
        have = [t for v in current if (t := trim(v)) not in ("", "0")]
        for entry in [v for v in have if v not in wanted]:
            hostname, domain = _split(entry, host.get("domain", ""))
            for alias_uuid, alias in linked:
                if alias.get("hostname") == hostname and alias.get("domain") == domain:
                    txn.delete(ALIAS_KEY, alias_uuid)
        for entry in [v for v in wanted if v not in have]:
            hostname, domain = _split(entry, host.get("domain", ""))
            alias = ALIAS.blank()
            alias.update(enabled="1", host=host_uuid, hostname=hostname, domain=domain, description="")
            txn.put(ALIAS_KEY, new_uuid(), alias)

    # -- query forwarding and DNS over TLS (dots.dot) ---------------------------------------------
    @action
    def searchForward(self) -> dict[str, Any]:
        return self.search_base("dots.dot", None, where=lambda _u, item: item.get("type") == self._type)

    @action
    def getForward(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("dot", "dots.dot", uuid)

    @action
    def addForward(self) -> dict[str, Any]:
        return self.add_base("dot", "dots.dot")

    @action
    def delForward(self, uuid: str) -> dict[str, Any]:
        return self.del_base("dots.dot", uuid)

    @action
    def setForward(self, uuid: str) -> dict[str, Any]:
        return self.set_base("dot", "dots.dot", uuid)

    @action
    def toggleForward(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base("dots.dot", uuid, enabled)

    # -- access lists (acls.acl) -------------------------------------------------------------------
    @action
    def searchAcl(self) -> dict[str, Any]:
        return self.search_base("acls.acl", None)

    @action
    def getAcl(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("acl", "acls.acl", uuid)

    @action
    def addAcl(self) -> dict[str, Any]:
        return self.add_base("acl", "acls.acl")

    @action
    def delAcl(self, uuid: str) -> dict[str, Any]:
        return self.del_base("acls.acl", uuid)

    @action
    def setAcl(self, uuid: str) -> dict[str, Any]:
        return self.set_base("acl", "acls.acl", uuid)

    @action
    def toggleAcl(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base("acls.acl", uuid, enabled)

    # -- host overrides ----------------------------------------------------------------------------
    @action
    def searchHostOverride(self) -> dict[str, Any]:
        result = self.search_base("hosts.host", None)
        view = self.store.view()
        aliases = host_aliases(view)
        for host in result["rows"]:
            linked = aliases.get(host["uuid"], [])
            stored = view.item(HOST_KEY, host["uuid"]) or {}
            host["aliases"] = ",".join(alias_names(stored, linked))
            child = dict(host)
            host["isAlias"] = False
            for alias_uuid, alias in linked:
                child["uuid"] = alias_uuid
                child["isAlias"] = True
                for key in ("enabled", "hostname", "domain", "description"):
                    child[key] = alias.get(key, "")
                child.pop("aliases", None)
                host.setdefault("_children", []).append(dict(child))
        return result

    @action
    def getHostOverride(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("host", "hosts.host", uuid)

    @action
    def addHostOverride(self) -> dict[str, Any]:
        return self.add_base("host", "hosts.host")

    @action
    def delHostOverride(self, uuid: str) -> dict[str, Any]:
        """Deletes the host's linked aliases first (section 4)."""
        for alias_uuid, alias in list(self.store.view().items(ALIAS_KEY).items()):
            if alias.get("host") == uuid:
                self.del_base("aliases.alias", alias_uuid)
        return self.del_base("hosts.host", uuid)

    @action
    def setHostOverride(self, uuid: str) -> dict[str, Any]:
        return self.set_base("host", "hosts.host", uuid)

    @action
    def toggleHostOverride(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base("hosts.host", uuid, enabled)

    # -- host aliases ------------------------------------------------------------------------------
    @action
    def searchHostAlias(self) -> dict[str, Any]:
        host = self.req.get_request("host")
        if host in (None, "", "0"):
            return self.search_base("aliases.alias", None)
        return self.search_base("aliases.alias", None, where=lambda _u, item: item.get("host") == host)

    @action
    def getHostAlias(self, uuid: str | None = None) -> dict[str, Any]:
        host = self.req.get_request("host")
        result = self.get_base("alias", "aliases.alias", uuid)
        if uuid is None and host not in (None, "", "0"):
            for key, option in result["alias"]["host"].items():
                option["selected"] = 1 if key == host else 0
        return result

    @action
    def addHostAlias(self) -> dict[str, Any]:
        return self.add_base("alias", "aliases.alias")

    @action
    def delHostAlias(self, uuid: str) -> dict[str, Any]:
        return self.del_base("aliases.alias", uuid)

    @action
    def setHostAlias(self, uuid: str) -> dict[str, Any]:
        return self.set_base("alias", "aliases.alias", uuid)

    @action
    def toggleHostAlias(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base("aliases.alias", uuid, enabled)


def _split(entry: str, host_domain: str) -> tuple[str, str]:
    """AliasReflector::splitHostDomain(); a domain equal to the host's is stored empty."""
    entry = trim(entry).rstrip(".")
    hostname, _, domain = entry.partition(".")
    return hostname, "" if domain == host_domain else domain


CONTROLLERS = [SettingsController, ServiceController]


def install(app: Any) -> None:
    """A fresh install runs the resolver: general.enabled is 1 in the factory config."""
    for settings in (app.store.settings, app.store.running_settings):
        settings.setdefault(MODEL.name, {})["general.enabled"] = "1"
