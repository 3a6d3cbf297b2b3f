"""Firewall aliases, /api/firewall/alias/ (AliasController.php; firewall.md section 2)."""

from __future__ import annotations

import json
from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.errors import UnexpectedError, UserException
from ...core.fields import ItemType
from ...core.php import htmlspecialchars, natural_key
from ...core.store import Txn
from ...core.values import php_empty
from ...http import Response
from . import netdb
from .alias_model import ALIAS, KEY, MODEL, PATH, alias_index, builtin_aliases, refactor, where_used
from .alias_transfer import export_payload, import_aliases

MODELS = [MODEL]


def _listed(value: Any) -> list[Any] | None:
    """in_array()/array_intersect() need an array: anything else non-empty makes PHP throw (firewall.md 2.1)."""
    if php_empty(value):
        return None
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    raise UnexpectedError("in_array(): Argument #2 ($haystack) must be of type array")


class AliasController(MutableModelController):
    namespace = "Firewall"
    name = "Alias"
    model = MODEL

    # -- search / get ------------------------------------------------------------------------------
    @action
    def searchItem(self) -> dict[str, Any]:
        types = _listed(self.req.get_request("type"))
        categories = _listed(self.req.get_request("category"))

        def wanted(item: dict[str, str]) -> bool:
            ok_type = types is None or item.get("type", "") in [str(t) for t in types]
            ok_cat = categories is None or bool(
                set(item.get("categories", "").split(",")) & {str(c) for c in categories}
            )
            return ok_type and ok_cat

        view = self.store.view()
        builtin = builtin_aliases(view.items(KEY), self.env)
        extra = [self.row(ALIAS, name, item, view) for name, item in builtin.items() if wanted(item)]
        result = self.search_base(PATH, None, "name", where=lambda _u, item: wanted(item), extra_rows=extra)
        groups = None
        for row in result["rows"]:
            row["categories_uuid"] = [c for c in row.get("categories", "").split(",") if c != ""]
            if row.get("type") == "authgroup":
                groups = groups if groups is not None else self.listUserGroups()
                # Split on "," although content is newline separated: only a single gid maps (per code).
                row["content"] = ",".join(groups[g]["name"] for g in row.get("content", "").split(",") if g in groups)
        return result

    def _builtin(self, uuid: str) -> dict[str, str] | None:
        return builtin_aliases(self.store.view().items(KEY), self.env).get(uuid)

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        view = self.store.view()
        builtin = self._builtin(uuid) if uuid is not None else None
        if builtin is not None:
            response: dict[str, Any] = {"alias": self.render_item(ALIAS, builtin, uuid, view)}
        else:
            response = self.get_base("alias", PATH, uuid)
        # Every alias name joins the content options, with descriptions (an unknown uuid still gets them).
        content = response.setdefault("alias", {}).setdefault("content", {})
        for name, alias in alias_index(view, self.env).items():
            if name not in content:
                content[name] = {"selected": 0, "value": name}
            content[name]["description"] = alias.get("description", "")
        return response

    @action
    def getAliasUUID(self, name: str) -> dict[str, Any]:
        uuid = alias_index(self.store.view(), self.env).uuids.get(name)
        return {"uuid": uuid} if uuid is not None else {}

    @action
    def get(self) -> dict[str, Any]:
        result = self.get_model()
        if result:
            view = self.store.view()
            rendered = result["alias"].setdefault("aliases", {}).setdefault("alias", {})
            for name, item in builtin_aliases(view.items(KEY), self.env).items():
                rendered[name] = self.render_item(ALIAS, item, name, view)
        return result

    # -- writes ------------------------------------------------------------------------------------
    @action
    def addItem(self) -> dict[str, Any]:
        return self.add_base("alias", PATH)

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        return self.set_base("alias", PATH, uuid)

    def before_set(
        self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None, posted: Any
    ) -> dict[str, str]:
        """A rename rewrites every reference before the item is saved (firewall.md 2.1)."""
        new_name = posted.get("name") if isinstance(posted, dict) else None
        if old is None or php_empty(new_name) or isinstance(new_name, (list, dict)):
            return item
        old_name = old.get("name", "")
        new_name = str(new_name)
        if new_name == old_name:
            return item
        refactor(txn, old_name, new_name, skip=uuid)
        if posted.get("content") is None:
            entries = old.get("content", "").split("\n")
            if old_name in entries:
                entries = list(dict.fromkeys(entries))
                entries[entries.index(old_name)] = new_name
                item = {**item, "content": "\n".join(entries)}
        return item

    @action
    def delItem(self, uuids: str) -> dict[str, Any]:
        """The usage check runs before the POST check, so it answers GET too (firewall.md 2.1, 2.3)."""
        view = self.store.view()
        builtin = builtin_aliases(view.items(KEY), self.env)
        for uuid in uuids.split(",") if not php_empty(uuids) else []:
            item = view.item(KEY, uuid) or builtin.get(uuid)
            if item is None:
                continue
            uses = where_used(view, self.env, item.get("name", ""))
            if uses:
                lines = "".join(htmlspecialchars(f"\n[{ref}] {descr}", quotes=False) for ref, descr in uses.items())
                raise UserException(
                    f"Cannot delete alias {item.get('name', '')}. Currently in use by {lines}", "Alias in use"
                )
        return self.del_base(PATH, uuids)

    @action
    def toggleItem(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base(PATH, uuid, enabled)

    # -- helper lists ------------------------------------------------------------------------------
    @action
    def listCategories(self) -> dict[str, Any]:
        view = self.store.view()
        counts: dict[str, int] = {}
        items = list(view.items(KEY).values()) + list(builtin_aliases(view.items(KEY), self.env).values())
        for item in items:
            for cat in item.get("categories", "").split(",") if item.get("categories") else []:
                counts[cat] = counts.get(cat, 0) + 1
        return {"rows": category_rows(view, counts)}

    @action
    def listNetworkAliases(self) -> dict[str, Any]:
        index = alias_index(self.store.view(), self.env)
        result = {
            name: {"name": name, "description": a.get("description", "")}
            for name, a in index.items()
            if a.get("type") not in ("external", "port")
        }
        return dict(sorted(result.items()))

    @action
    def listCountries(self) -> dict[str, Any]:
        return {code: {"name": name, "region": region} for code, (name, region) in netdb.COUNTRIES.items()}

    @action
    def listUserGroups(self) -> dict[str, Any]:
        return {gid: {"name": name, "gid": gid} for gid, name in sorted(netdb.USER_GROUPS.items()) if name != "all"}

    @action
    def getGeoIP(self) -> dict[str, Any]:
        if self.req.method != "GET":
            return {}
        view = self.store.view()
        usages = sum(1 for a in alias_index(view, self.env).values() if a.get("type") == "geoip")
        url = view.setting(MODEL.name, "geoip.url", "")
        return {"alias": {"geoip": {"url": url, "usages": usages, "address_count": 0}}}

    @action
    def update(self, target: str | None = None) -> dict[str, Any]:
        if self.req.is_post and target in ("geoip", "bogons"):
            return {"status": "ok", "message": "Update completed"}
        return {"status": "failed", "message": "Error updating action"}

    # -- apply, export, import ---------------------------------------------------------------------
    @action
    def reconfigure(self) -> dict[str, Any]:
        """`filter reload skip_alias` plus `filter refresh_aliases`: aliases and rules go live (firewall.md 2.1)."""
        return self.reconfigure_base("alias")

    @action
    def export(self) -> Response:
        if self.req.method not in ("GET", "POST"):
            raise UserException("Unsupported request type")
        ids = self.req.get_request("ids")
        if php_empty(ids):
            selected = None
        elif isinstance(ids, (list, dict)):
            selected = [str(v) for v in (ids.values() if isinstance(ids, dict) else ids)]
        else:
            selected = str(ids).split(",")
        payload = export_payload(self.store.view(), self.env, selected)
        text = json.dumps(_empty_as_list(payload), indent=4, ensure_ascii=True).replace("/", "\\/")
        return Response(200, text.encode(), {"Content-Type": "application/json; charset=UTF-8"})

    @action
    def import_(self) -> dict[str, Any]:
        if not self.req.is_post:
            raise UserException("Unsupported request type")
        return import_aliases(self, self.req.get_post("data"))


# `import` is a Python keyword: the router matches action names case-insensitively without "_".
setattr(AliasController, "import", AliasController.import_)
del AliasController.import_


def _empty_as_list(data: Any) -> Any:
    """json_encode() prints an empty PHP array as []."""
    if isinstance(data, dict):
        return {k: _empty_as_list(v) for k, v in data.items()} if data else []
    return data


def category_rows(view: Any, counts: dict[str, int]) -> list[dict[str, Any]]:
    """listCategoriesAction(): every category with its use count, natural (case-sensitive) order by name."""
    rows = [
        {"uuid": uuid, "name": c.get("name", ""), "color": c.get("color", ""), "used": counts.get(uuid, 0)}
        for uuid, c in view.items("firewall.category").items()
    ]
    rows.sort(key=lambda r: natural_key(r["name"]))
    return rows


def install(app: Any) -> None:
    """Alias reconfigure also reloads the filter, so running rules catch up as well (firewall.md 2.1)."""

    def reload_aliases() -> None:
        app.store.reload("alias")
        hook = app.reloaders.get("filter")
        if hook is not None:
            hook()
        else:
            app.store.reload("filter")

    app.reloaders["alias"] = reload_aliases


CONTROLLERS = [AliasController]
__all__ = ["AliasController", "MODELS", "CONTROLLERS", "install", "category_rows"]
