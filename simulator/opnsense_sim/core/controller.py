"""Controller base classes: ApiMutableModelControllerBase and ApiMutableServiceControllerBase.

Action methods are named as upstream without the `Action` suffix (`searchItem`, `setItem`), take
their path parameters as positional arguments (required ones without defaults, exactly as the PHP
signatures, so a missing one is a 404, generic.md section 1) and return a dict (JSON) or a
`Response`. The generic helpers implement generic.md sections 4, 6 and 7 for any item type.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from typing import TYPE_CHECKING, Any, Callable

from .errors import UnexpectedError, UserException
from .fields import FieldContext, ItemType, Model, natural_key
from .store import Txn, View
from .values import SKIP, php_string

if TYPE_CHECKING:
    from ..app import App
    from ..http import Request

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
UUID_ANY = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def new_uuid() -> str:
    return str(uuidlib.uuid4())


class Controller:
    """Base of every API controller. `namespace` and `name` are the PHP folder and class stem."""

    namespace = ""  # e.g. "Firewall", "HAProxy"
    name = ""  # e.g. "Alias" for AliasController, "VlanSettings"
    # Controllers with a PHP __call accept any action name with an empty 200 (unbound settings).
    catch_all = False

    def __init__(self, app: "App", req: "Request") -> None:
        self.app = app
        self.req = req

    @property
    def store(self):
        return self.app.store

    @property
    def env(self):
        return self.app.env

    def ctx(self, view: View, item: dict[str, str], uuid: str | None, itemtype: ItemType | None) -> FieldContext:
        return FieldContext(view=view, env=self.env, item=item, uuid=uuid, itemtype=itemtype)

    def transaction(self):
        return self.store.transaction(
            description=f"{self.req.path} made changes", username=f"{self.req.username}@{self.req.remote}"
        )


class MutableModelController(Controller):
    """ApiMutableModelControllerBase: generic search/get/add/set/del/toggle over item types."""

    model: Model
    safe_delete = False

    # -- helpers -----------------------------------------------------------------------------------
    def itemtype(self, path: str) -> ItemType:
        for it in self.model.items:
            if it.path == path:
                return it
        raise KeyError(path)

    def render_item(self, it: ItemType, item: dict[str, str], uuid: str | None, view: View) -> dict[str, Any]:
        ctx = self.ctx(view, item, uuid, it)
        return {name: f.render(item.get(name, f.default), ctx) for name, f in it.fields.items()}

    def row(self, it: ItemType, uuid: str, item: dict[str, str], view: View) -> dict[str, Any]:
        """A grid row: uuid, every raw leaf value, and `%field` where the display text differs."""
        ctx = self.ctx(view, item, uuid, it)
        out: dict[str, Any] = {"uuid": uuid}
        for name, f in it.fields.items():
            value = item.get(name, f.default)
            out[name] = value
            shown = f.display(value, ctx)
            if shown is not None and shown != value:
                out[f"%{name}"] = shown
        return out

    def apply_post(self, it: ItemType, item: dict[str, str], data: Any, prefix: str = "") -> dict[str, str]:
        """BaseField::setNodes: known leaves are cast to strings, null skipped, unknown keys ignored."""
        if not isinstance(data, dict):
            raise UnexpectedError("Invalid input type: expected a list")
        out = dict(item)
        for name, f in it.fields.items():
            if f.volatile or name not in data:
                continue
            value = php_string(name, data[name])
            if value is SKIP:
                continue
            out[name] = f.store(value)
        return out

    def validate_item(self, it: ItemType, item: dict[str, str], uuid: str, view: View, key: str) -> dict[str, Any]:
        ctx = self.ctx(view, item, uuid, it)
        messages: dict[str, list[str]] = {}
        for name, f in it.fields.items():
            if f.volatile:
                continue
            for msg in f.validate(item.get(name, ""), ctx):
                messages.setdefault(name, []).append(msg)
        if it.validate is not None:
            for name, msgs in it.validate(item, ctx).items():
                for msg in msgs if isinstance(msgs, list) else [msgs]:
                    if msg not in messages.setdefault(name, []):
                        messages[name].append(msg)
        return {f"{key}.{name}": (m[0] if len(m) == 1 else m) for name, m in messages.items() if m}

    # -- generic actions ---------------------------------------------------------------------------
    def search_base(
        self,
        path: str,
        fields: list[str] | None = None,
        default_sort: str | None = None,
        where: Callable[[str, dict[str, str]], bool] | None = None,
        extra_rows: list[dict[str, Any]] | None = None,
        decorate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """UIModelGrid (generic.md section 6 A)."""
        it = self.itemtype(path)
        view = self.store.view()
        rows = [self.row(it, u, item, view) for u, item in view.items(it.key).items() if where is None or where(u, item)]
        if decorate is not None:
            rows = [decorate(r) for r in rows]
        rows += extra_rows or []
        return grid(self.req, rows, fields, default_sort, recordset=False)

    def get_base(self, key: str, path: str, uuid: str | None = None) -> dict[str, Any]:
        it = self.itemtype(path)
        view = self.store.view()
        if uuid is None:
            blank = it.blank(self.ctx(view, {}, None, it))
            return {key: self.render_item(it, blank, None, view)}
        item = view.item(it.key, uuid)
        if item is None:
            return {}
        return {key: self.render_item(it, item, uuid, view)}

    def add_base(self, key: str, path: str) -> dict[str, Any]:
        if not self.req.is_post or not isinstance(self.req.get_post(key), dict):
            return {"result": "failed"}
        it = self.itemtype(path)
        with self.transaction() as txn:
            uuid = new_uuid()
            item = it.blank(self.ctx(txn, {}, uuid, it))
            item = self.apply_post(it, item, self.req.get_post(key))
            txn.put(it.key, uuid, item)
            errors = self.validate_item(it, item, uuid, txn, key)
            if errors:
                return {"result": "failed", "validations": errors}
            self.after_change(txn, it, uuid, item, None)
            txn.save()
        return {"result": "saved", "uuid": uuid}

    def set_base(self, key: str, path: str, uuid: str) -> dict[str, Any]:
        if not self.req.is_post or not isinstance(self.req.get_post(key), dict):
            return {"result": "failed"}
        it = self.itemtype(path)
        with self.transaction() as txn:
            old = txn.item(it.key, uuid)
            if old is None:
                # Upsert under a well-formed lowercase UUIDv4 (generic.md section 4).
                if not UUID4.match(uuid):
                    return {"result": "failed"}
                base = it.blank(self.ctx(txn, {}, uuid, it))
            else:
                base = old
            item = self.apply_post(it, base, self.req.get_post(key))
            item = self.before_set(txn, it, uuid, item, old, self.req.get_post(key))
            txn.put(it.key, uuid, item)
            errors = self.validate_item(it, item, uuid, txn, key)
            if errors:
                return {"result": "failed", "validations": errors}
            self.after_change(txn, it, uuid, item, old)
            txn.save()
        return {"result": "saved"}

    def del_base(self, path: str, uuid: str) -> dict[str, Any]:
        if not self.req.is_post:
            return {"result": "failed"}
        it = self.itemtype(path)
        result = "not found"
        with self.transaction() as txn:
            for one in uuid.split(","):
                item = txn.item(it.key, one)
                if item is None:
                    result = "not found"
                    continue
                if self.safe_delete or it.safe_delete:
                    self.check_in_use(txn, it, one, item)
                self.before_delete(txn, it, one, item)
                txn.delete(it.key, one)
                result = "deleted"
            if result == "deleted" or any(txn.touched):
                txn.save()
        return {"result": result}

    def toggle_base(self, path: str, uuid: str, enabled: str | None = None, field: str = "enabled") -> dict[str, Any]:
        if not self.req.is_post:
            return {"result": "failed"}
        it = self.itemtype(path)
        uuids = uuid.split(",")
        if len(uuids) > 1 and enabled is None:
            raise UserException("Toggle with a list of items in only supported for explicit actions [0,1]")
        result: dict[str, Any] = {"result": "failed"}
        with self.transaction() as txn:
            changed = False
            for one in uuids:
                item = txn.item(it.key, one)
                if item is None:
                    continue
                current = item.get(field, "0")
                if enabled is None:
                    new = "0" if current == "1" else "1"
                else:
                    new = "1" if enabled == "1" else "0"
                changed = changed or new != current
                txn.put(it.key, one, {**item, field: new})
                result = {"result": "Enabled" if new == "1" else "Disabled", "changed": new != current}
            if result["result"] != "failed":
                txn.save()
        return result

    def get_model(self) -> dict[str, Any]:
        """Whole-model get: GET only, otherwise `[]`."""
        if self.req.method != "GET":
            return {}
        view = self.store.view()
        tree: dict[str, Any] = {}
        for dotted, f in self.model.settings.items():
            ctx = self.ctx(view, view.settings(self.model.name), None, None)
            _put_dotted(tree, dotted, f.render(view.setting(self.model.name, dotted, f.default), ctx))
        for it in self.model.items:
            container = {u: self.render_item(it, item, u, view) for u, item in view.items(it.key).items()}
            _put_dotted(tree, it.path, container)
        return {self.model.name: tree}

    def set_model(self) -> dict[str, Any]:
        """Whole-model set: updates known items, creates unknown keys under server UUIDs, deletes nothing."""
        if not self.req.is_post:
            return {"result": "failed"}
        data = self.req.get_post(self.model.name)
        if not isinstance(data, dict):
            return {"result": "failed"}
        errors: dict[str, Any] = {}
        with self.transaction() as txn:
            for dotted, f in self.model.settings.items():
                value = _get_dotted(data, dotted)
                if value is None:
                    continue
                if isinstance(value, (list, dict)):
                    raise UnexpectedError(f"Invalid input type for {dotted}: expected a single value")
                value = f.store(php_string(dotted, value))
                if value == txn.setting(self.model.name, dotted, f.default):
                    continue
                txn.set_setting(self.model.name, dotted, value)
                ctx = self.ctx(txn, txn.settings(self.model.name), None, None)
                for msg in f.validate(value, ctx):
                    errors[f"{self.model.name}.{dotted}"] = msg
            for it in self.model.items:
                posted = _get_dotted(data, it.path)
                if not isinstance(posted, dict):
                    continue
                for key, values in posted.items():
                    existing = txn.item(it.key, key)
                    uuid = key if existing is not None else new_uuid()
                    base = existing if existing is not None else it.blank(self.ctx(txn, {}, uuid, it))
                    item = self.apply_post(it, base, values)
                    txn.put(it.key, uuid, item)
                    changed = {n for n in it.fields if item.get(n) != base.get(n)} if existing else set(it.fields)
                    for field_key, msg in self.validate_item(it, item, uuid, txn, f"{self.model.name}.{it.path}.{uuid}").items():
                        if field_key.rsplit(".", 1)[-1] in changed:
                            errors[field_key] = msg
            if errors:
                return {"result": "failed", "validations": errors}
            txn.save()
        return {"result": "saved"}

    # -- hooks -------------------------------------------------------------------------------------
    def before_set(
        self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None, posted: Any
    ) -> dict[str, str]:
        return item

    def after_change(self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None) -> None:
        pass

    def before_delete(self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str]) -> None:
        pass

    def check_in_use(self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str]) -> None:
        """checkAndThrowValueInUse: any item anywhere whose value contains the uuid blocks the delete."""
        lines = []
        for key, container in txn._data.items():
            owner = self.app.store.itemtypes.get(key)
            model = self.app.store.model_of.get(key)
            if owner is None:
                continue
            for ref_uuid, ref in container.items():
                if ref_uuid == uuid:
                    continue
                if any(uuid in v for v in ref.values()):
                    root = model.title or model.name
                    lines.append(f"{root} - {owner.title(ref)} {{{root}.{owner.path}.{ref_uuid}}}")
        if lines:
            title_name = item.get("description") or item.get("name") or item.get("descr") or ""
            raise UserException("\n".join(lines), f"Item {it.path} {{{title_name}}} in use by:")


def _put_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = tree
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _get_dotted(tree: Any, dotted: str) -> Any:
    node = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def grid(
    req: "Request",
    rows: list[dict[str, Any]],
    fields: list[str] | None,
    default_sort: str | None,
    recordset: bool,
) -> dict[str, Any]:
    """Filter, sort and page search rows (generic.md section 6).

    Model grids read current/rowCount/searchPhrase from POST or the query string and sort only
    from POST; recordset searches read everything only from the POST body.
    """
    source = req.get_post if recordset else req.get_request
    try:
        current = max(1, int(source("current", 1) or 1))
    except (TypeError, ValueError):
        current = 1
    try:
        row_count = int(source("rowCount", 9999 if recordset else -1))
    except (TypeError, ValueError):
        row_count = 9999 if recordset else -1
    phrase = str(source("searchPhrase", "") or "")
    tokens = [t.lower() for t in phrase.split() if t]
    if tokens:

        def matches(row: dict[str, Any]) -> bool:
            keys = fields or [k for k in row if not k.startswith("%") and k != "uuid"]
            hay = []
            for k in keys:
                value = row.get(f"%{k}", row.get(k, ""))
                hay.append(str(value).lower())
            for t in tokens:
                ok = any(t in h for h in hay)
                if not ok and UUID_ANY.match(t):
                    ok = t in str(row.get("uuid", "")).lower()
                if not ok:
                    return False
            return True

        rows = [r for r in rows if matches(r)]
    sort = req.get_post("sort")
    sort_field, descending = default_sort, False
    if isinstance(sort, dict) and sort:
        sort_field = next(iter(sort))
        descending = str(sort[sort_field]).lower() == "desc"
    if sort_field:
        rows.sort(key=lambda r: natural_key(str(r.get(f"%{sort_field}", r.get(sort_field, "")))), reverse=descending)
    total = len(rows)
    if row_count > 0:
        start = (current - 1) * row_count
        rows = rows[start : start + row_count]
    return {"total": total, "rowCount": len(rows), "current": current, "rows": rows}


class ServiceController(Controller):
    """ApiMutableServiceControllerBase: reconfigure/start/stop/restart/status over one subsystem."""

    subsystem = ""
    service_name = ""
    enabled_model = ""  # model name holding the enabled flag; "" = always enabled
    enabled_path = "general.enabled"

    def service_enabled(self) -> bool:
        if not self.enabled_model:
            return True
        return self.store.view().setting(self.enabled_model, self.enabled_path, "0") == "1"

    def reconfigure(self) -> dict[str, Any]:
        if not self.req.is_post:
            return {"status": "failed"}
        self.app.reload(self.subsystem)
        return {"status": "ok"}

    def status(self) -> dict[str, Any]:
        state = "running" if self.service_enabled() else "disabled"
        return {"status": state, "widget": {"caption_stop": "stop service", "caption_start": "start service", "caption_restart": "restart service"}}

    def _control(self, verb: str) -> dict[str, Any]:
        if not self.req.is_post:
            return {"response": []}
        return {"response": "OK"}

    def start(self) -> dict[str, Any]:
        return self._control("start")

    def stop(self) -> dict[str, Any]:
        return self._control("stop")

    def restart(self) -> dict[str, Any]:
        return self._control("restart")
