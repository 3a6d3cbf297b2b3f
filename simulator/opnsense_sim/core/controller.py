"""Controller base classes: ApiMutableModelControllerBase and ApiMutableServiceControllerBase.

Action methods are named as upstream without the `Action` suffix (`searchItem`, `setItem`), take
their path parameters as positional arguments (required ones without defaults, exactly as the PHP
signatures, so a missing one is a 404, generic.md section 1) and return a dict (JSON) or a
`Response`. The generic helpers implement generic.md sections 4, 6 and 7 for any item type, read
against ApiMutableModelControllerBase.php, UIModelGrid.php and BaseField::setNodes of 26.7.2.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .errors import BadInput, UnexpectedError, UserException
from .fields import Field, FieldContext, ItemType, Model, UniqueIdField
from .php import htmlspecialchars, natcase_key, natcase_tail_key
from .store import Txn, View
from .values import SKIP, ascii_lower, loose_equal, php_empty, php_int, php_scalar_str, php_string

if TYPE_CHECKING:
    from ..app import App
    from ..http import Request

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
UUID_ANY = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# checkAndThrowValueInUse only accepts tokens like this (safe delete).
_TOKEN = re.compile(r"^[0-9a-zA-Z\-]{1,255}$")
GENERIC_ERROR = "Unexpected error, check log for details"


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def _mark_action(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn._is_action = True  # type: ignore[attr-defined]
    return fn


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
        return FieldContext(view=view, env=self.env, item=item, uuid=uuid, itemtype=itemtype, loaded=self.store.view())

    def transaction(self):
        """Config::lock() ... save(): the revision names "<user>@<ip>" and "<request uri> made changes"."""
        return self.store.transaction(
            description=f"{self.req.uri} made changes",
            username=f"{self.req.username}@{self.req.remote}",
            apitoken=self.req.api_key,
        )

    def reconfigure_base(self, subsystem: str) -> dict[str, Any]:
        """A reconfigure action: POST only; configd reloads the subsystem and "OK" becomes "ok"."""
        if not self.req.is_post:
            return {"status": "failed"}
        self.app.reload(subsystem)
        return {"status": "ok"}

    def call_missing(self, action: str, params: list[str]) -> Any:
        """PHP __call for an action the class does not define (only reached when `catch_all`)."""
        return ""


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
        """BaseField::getNodes; 26.7 adds `%field` for string values whose description differs (generic.md 7)."""
        ctx = self.ctx(view, item, uuid, it)
        describe = self.env.version != "26.1"
        out: dict[str, Any] = {}
        for name, f in it.fields.items():
            _render_leaf(out, name, f, item.get(name, f.default), ctx, describe)
        return out

    def row(
        self, it: ItemType, uuid: str, item: dict[str, str], view: View, ctx: FieldContext | None = None
    ) -> dict[str, Any]:
        """A grid row: uuid, every raw leaf value, and `%field` where the display text differs (loosely)."""
        if ctx is None:
            ctx = self.ctx(view, item, uuid, it)
        else:
            ctx.item, ctx.uuid = item, uuid
        out: dict[str, Any] = {"uuid": uuid}
        for name, f, default, described in _leaves(it):
            value = item.get(name, default)
            out[name] = value
            if described:
                shown = f.display(value, ctx)
                if shown is not None and not loose_equal(value, shown):
                    out[f"%{name}"] = shown
        return out

    def apply_post(self, it: ItemType, item: dict[str, str], data: Any, prefix: str = "") -> dict[str, str]:
        """BaseField::setNodes: present leaves are cast to strings, null skipped, unknown keys ignored.

        Anything but an object at the item level sets nothing (PHP's isset() on a string offset is
        false); a list or object for a single-value field, or a scalar for a container, throws,
        which the client sees as HTTP 500 "Unexpected error" (generic.md 4).
        """
        out = dict(item)
        if isinstance(data, dict):
            _set_nodes(_field_tree(it), data, out)
        return out

    def validate_item(self, it: ItemType, item: dict[str, str], uuid: str, view: View, key: str) -> dict[str, Any]:
        ctx = self.ctx(view, item, uuid, it)
        messages: dict[str, list[str]] = {}
        for name, f in it.fields.items():
            if f.volatile:
                continue
            for msg in f.validate(item.get(name, ""), ctx):
                bucket = messages.setdefault(name, [])
                if msg not in bucket:
                    bucket.append(msg)
        if it.validate is not None:
            for name, msgs in it.validate(item, ctx).items():
                for msg in msgs if isinstance(msgs, list) else [msgs]:
                    if msg not in messages.setdefault(name, []):
                        messages[name].append(msg)
        # One message is a string, several different ones a list (validate() in the PHP base).
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
        """searchBase + UIModelGrid (generic.md section 6 A)."""
        it = self.itemtype(path)
        view = self.store.view()
        ctx = self.ctx(view, {}, None, it)  # one context, re-pointed at each row
        rows = [
            self.row(it, u, item, view, ctx)
            for u, item in view.items(it.key).items()
            if where is None or where(u, item)
        ]
        if decorate is not None:
            rows = [decorate(r) for r in rows]
        rows += extra_rows or []
        if not fields:
            # 26.7 searches every leaf (nested ones too); 26.1 only the item's direct children.
            names = [n for n, f in it.fields.items() if not f.volatile]
            fields = [n for n in names if "." not in n] if self.env.version == "26.1" else names
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
        if not self.req.is_post or not self.req.has_post(key):
            return {"result": "failed"}
        it = self.itemtype(path)
        posted = self.req.get_post(key)
        with self.transaction() as txn:
            uuid = new_uuid()
            item = it.blank(self.ctx(txn, {}, uuid, it))
            item = self.apply_post(it, item, posted)
            # A new item's fields all count as changed, so all of them are validated.
            failed = self._put_validated(txn, it, uuid, item, None, key)
            if failed:
                return failed
        return {"result": "saved", "uuid": uuid}

    def set_base(self, key: str, path: str, uuid: str) -> dict[str, Any]:
        if not self.req.is_post or not self.req.has_post(key):
            return {"result": "failed"}
        it = self.itemtype(path)
        posted = self.req.get_post(key)
        with self.transaction() as txn:
            old = txn.item(it.key, uuid)
            if old is None:
                # Upsert under a well-formed lowercase UUIDv4 (generic.md section 4).
                if not UUID4.match(uuid):
                    return {"result": "failed"}
                base = it.blank(self.ctx(txn, {}, uuid, it))
            else:
                base = old
            item = self.apply_post(it, base, posted)
            item = self.before_set(txn, it, uuid, item, old, posted)
            # set validates the whole model but keeps only messages about this item.
            failed = self._put_validated(txn, it, uuid, item, old, key)
            if failed:
                return failed
        return {"result": "saved"}

    def _put_validated(
        self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None, key: str
    ) -> dict[str, Any] | None:
        """Put the item, validate it and, when valid, run after_change and save; else the failure."""
        txn.put(it.key, uuid, item)
        errors = self.validate_item(it, item, uuid, txn, key)
        if errors:
            return {"result": "failed", "validations": errors}
        self.after_change(txn, it, uuid, item, old)
        txn.save()
        return None

    def del_base(self, path: str, uuid: str) -> dict[str, Any]:
        """delBase: each listed uuid is checked (safe delete) and deleted; the result names the last one."""
        if not self.req.is_post:
            return {"result": "failed"}
        it = self.itemtype(path)
        result = "failed"
        safe = self.safe_delete or it.safe_delete
        with self.transaction() as txn:
            changed = False
            # The in-use scan reads config.xml, which only changes when the loop is done: an item
            # deleted earlier in the same list still blocks (haproxy.md 4).
            loaded = View(*txn.snapshot())
            for one in uuid.split(",") if not php_empty(uuid) else []:
                item = txn.item(it.key, one)
                if safe:
                    if not _TOKEN.match(one):
                        raise UserException("Invalid input token provided", "Invalid token")
                    if item is None:
                        self.raise_if_in_use(loaded, it, one, None)
                    else:
                        self.check_in_use(loaded, it, one, item)
                if item is None:
                    result = "not found"
                    continue
                self.before_delete(txn, it, one, item)
                txn.delete(it.key, one)
                changed = True
                result = "deleted"
            if changed:
                txn.save()
        return {"result": result}

    def toggle_base(self, path: str, uuid: str, enabled: str | None = None, field: str = "enabled") -> dict[str, Any]:
        """toggleBase, including its quirks: `changed` describes the last uuid, and only then is it saved."""
        if not self.req.is_post:
            return {"result": "failed"}
        it = self.itemtype(path)
        uuids = uuid.split(",") if not php_empty(uuid) else []
        if len(uuids) > 1 and enabled is None:
            raise UserException("Toggle with a list of items in only supported for explicit actions [0,1]", "Toggle")
        result: dict[str, Any] = {"result": "failed"}
        with self.transaction() as txn:
            for one in uuids:
                item = txn.item(it.key, one)
                if item is None:
                    continue
                result["changed"] = True
                current = item.get(field, "")
                if enabled is not None and (loose_equal(enabled, "0") or loose_equal(enabled, "1")):
                    result["result"] = "Disabled" if php_empty(enabled) else "Enabled"
                    result["changed"] = current != enabled
                    new = enabled
                elif enabled is not None:
                    result["changed"] = False
                    break
                elif current == "1":
                    result["result"], new = "Disabled", "0"
                else:
                    result["result"], new = "Enabled", "1"
                txn.put(it.key, one, {**item, field: new})
            if result.get("changed"):
                txn.save()
        return result

    def get_model(self) -> dict[str, Any]:
        """Whole-model get: GET only, otherwise `[]`."""
        if not self.req.is_get:
            return {}
        view = self.store.view()
        describe = self.env.version != "26.1"
        tree: dict[str, Any] = {}
        settings = view.settings(self.model.name)
        ctx = self.ctx(view, settings, None, None)
        for dotted, f in self.model.settings.items():
            _render_leaf(tree, dotted, f, view.setting(self.model.name, dotted, f.default), ctx, describe)
        for it in self.model.items:
            container = {u: self.render_item(it, item, u, view) for u, item in view.items(it.key).items()}
            _put_dotted(tree, it.path, container)
        return {self.model.name: tree}

    def set_model(self) -> dict[str, Any]:
        """Whole-model set: updates known items, creates unknown keys under server UUIDs, deletes nothing.

        Only changed fields (and every field of a new item) are validated, and nothing is saved if
        any validation fails (generic.md section 4). Without the model key nothing changes, and the
        (unchanged) config is still saved, as setAction does.
        """
        if not self.req.is_post:
            return {"result": "failed"}
        data = self.req.get_post(self.model.name)
        if not isinstance(data, dict):
            data = {}
        errors: dict[str, Any] = {}
        prefix = self.model.name
        with self.transaction() as txn:
            before = dict(txn.settings(self.model.name))
            for dotted, f in self.model.settings.items():
                value = _posted_leaf(data, dotted)
                if value is not SKIP and f.store(value) != before.get(dotted, f.default):
                    txn.set_setting(self.model.name, dotted, f.store(value))
            after = txn.settings(self.model.name)
            ctx = self.ctx(txn, after, None, None)
            for dotted, f in self.model.settings.items():
                value = after.get(dotted, f.default)
                if value != before.get(dotted, f.default):
                    msgs = list(dict.fromkeys(f.validate(value, ctx)))  # equal messages merge (validate())
                    if msgs:
                        errors[f"{prefix}.{dotted}"] = msgs[0] if len(msgs) == 1 else msgs
            for it in self.model.items:
                posted = _posted_container(data, it.path)
                if posted is None:
                    continue
                for key, values in posted.items():
                    existing = txn.item(it.key, key)
                    if existing is not None:
                        if values is None:
                            continue
                        if not isinstance(values, (dict, list)):
                            raise BadInput(f"Invalid input type for {key}: expected a list")
                        uuid, base = key, existing
                    else:
                        uuid = new_uuid()
                        base = it.blank(self.ctx(txn, {}, uuid, it))
                    item = self.apply_post(it, base, values if isinstance(values, dict) else {})
                    txn.put(it.key, uuid, item)
                    changed = {n for n in it.fields if item.get(n) != base.get(n)} if existing is not None else None
                    found = self.validate_item(it, item, uuid, txn, f"{prefix}.{it.path}.{uuid}")
                    for field_key, msg in found.items():
                        if changed is None or field_key.rsplit(".", 1)[-1] in changed:
                            errors[field_key] = msg
            # every posted item is validated in one performValidation(), under Config::lock()
            self.app.costs.pay_items(sum(len(_posted_container(data, it.path) or {}) for it in self.model.items))
            if errors:
                return {"result": "failed", "validations": errors}
            txn.save()
        return {"result": "saved"}

    # The base class's own actions: every mutable model controller has whole-model get and set.
    @_mark_action
    def get(self) -> dict[str, Any]:
        return self.get_model()

    @_mark_action
    def set(self) -> dict[str, Any]:
        return self.set_model()

    # -- hooks -------------------------------------------------------------------------------------
    def before_set(
        self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None, posted: Any
    ) -> dict[str, str]:
        return item

    def after_change(self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None) -> None:
        pass

    def before_delete(self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str]) -> None:
        pass

    def check_in_use(self, txn: View, it: ItemType, uuid: str, item: dict[str, str]) -> None:
        """Safe delete of an existing item; override to add checks, call super() to keep the generic one."""
        self.raise_if_in_use(txn, it, uuid, item)

    def raise_if_in_use(self, view: View, it: ItemType, uuid: str, item: dict[str, str] | None) -> None:
        """checkAndThrowValueInUse: every item field anywhere whose text contains the uuid blocks the delete.

        One line per matching field, "<model root tag> - <item description> {<reference>}\\n", the
        reference being "<root>.<container path>.<uuid>"; fields inside nested containers are not
        reported, as upstream only reports text whose parent node carries a uuid (firewall.md 3).
        """
        lines = [f"{line}\n" for line in self.value_in_use(view, uuid)]
        if lines:
            # `$n->description ?: $n->descr ?: $n->name ?: $uuid` tests field objects, which are always
            # truthy: the first of these fields the item type has wins even when empty (haproxy.md 4).
            present = [n for n in ("description", "descr", "name") if n in it.fields]
            name = (item.get(present[0], "") if present else uuid) if item is not None else uuid
            raise UserException("".join(lines), f"Item {it.path} {{{name}}} in use by:")

    def value_in_use(self, view: View, token: str) -> list[str]:
        lines = []
        for model in self.app.store.models:
            root = model.mount.rstrip("+").split("/")[-1]
            for owner in model.items:
                prefix = f"{root}.{owner.path}."
                for ref_uuid, ref in view.items(owner.key).items():
                    hits = sum(1 for name, v in ref.items() if token in v and "." not in name)
                    if hits:
                        label = _first_filled(ref, ("description", "descr", "name"))
                        lines.extend([f"{root} - {label} {{{prefix}{ref_uuid}}}"] * hits)
        return lines


def _leaves(it: ItemType) -> list[tuple[str, Field, str, bool]]:
    """(name, field, default, has a display text) per field, cached on the item type."""
    cached = it.__dict__.get("_leaves")
    if cached is None or cached[0] is not it.fields or len(cached[1]) != len(it.fields):
        leaves = [(n, f, f.default, type(f).display is not Field.display) for n, f in it.fields.items()]
        cached = (it.fields, leaves)
        it.__dict__["_leaves"] = cached
    return cached[1]


def _render_leaf(tree: dict[str, Any], dotted: str, f: Field, value: str, ctx: FieldContext, describe: bool) -> None:
    """getNodes() for one leaf: getNodeData, plus `%leaf` when it is a string its description differs from."""
    rendered = f.render(value, ctx)
    _put_dotted(tree, dotted, rendered)
    if describe and isinstance(rendered, str):
        shown = f.display(value, ctx)
        if shown is not None and shown != rendered:
            _put_dotted(tree, _percent(dotted), shown)


def _first_filled(item: dict[str, str], names: Iterable[str]) -> str:
    for name in names:
        if not php_empty(item.get(name)):
            return item[name]
    return ""


def _percent(dotted: str) -> str:
    head, _, leaf = dotted.rpartition(".")
    return f"{head}.%{leaf}" if head else f"%{leaf}"


def _field_tree(it: ItemType) -> dict[str, Any]:
    """The item's fields as a tree of containers (dotted names) for setNodes."""
    tree = it.__dict__.get("_set_tree")
    if tree is None or tree[0] is not it.fields or tree[1] != len(it.fields):
        nodes: dict[str, Any] = {}
        for name, f in it.fields.items():
            node = nodes
            parts = name.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = (name, f)
        tree = (it.fields, len(it.fields), nodes)
        it.__dict__["_set_tree"] = tree
    return tree[2]


def _set_nodes(tree: dict[str, Any], data: dict[str, Any], out: dict[str, str]) -> None:
    for key, sub in tree.items():
        value = data.get(key)
        if value is None:
            continue
        if isinstance(sub, dict):
            if isinstance(value, list):
                value = {str(i): v for i, v in enumerate(value)}
            if not isinstance(value, dict):
                raise BadInput(f"Invalid input type for {key}: expected a list")
            _set_nodes(sub, value, out)
            continue
        name, f = sub
        if f.volatile:
            continue
        cast = php_string(key, value)
        if cast is SKIP:
            continue
        if isinstance(f, UniqueIdField):
            # UniqueIdField::setValue: a posted value never lands; an empty id gets a fresh uniqid.
            out[name] = out.get(name) or f.initial()
            continue
        out[name] = f.store(cast)


def _descend(data: Any, parts: list[str]) -> dict[str, Any] | None:
    """Follow `parts` into posted data (a JSON list counts as a PHP array); None where one is missing."""
    node: Any = data
    for part in parts:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
        if isinstance(node, list):
            node = {str(i): v for i, v in enumerate(node)}
        if not isinstance(node, dict):
            raise BadInput(f"Invalid input type for {part}: expected a list")
    return node


def _posted_leaf(data: dict[str, Any], dotted: str) -> Any:
    parts = dotted.split(".")
    node = _descend(data, parts[:-1])
    if node is None:
        return SKIP
    return php_string(parts[-1], node.get(parts[-1]))


def _posted_container(data: dict[str, Any], dotted: str) -> dict[str, Any] | None:
    return _descend(data, dotted.split("."))


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


# -- search grids ----------------------------------------------------------------------------------
def _sanitize_string(value: Any) -> str:
    """Request::get($name, 'string'): htmlspecialchars(ENT_QUOTES | ENT_HTML401)."""
    if isinstance(value, (list, dict)):
        raise UnexpectedError("explode(): Argument #2 ($string) must be of type string, array given")
    return htmlspecialchars(php_scalar_str(value))


def grid(
    req: "Request",
    rows: list[dict[str, Any]],
    fields: list[str] | None,
    default_sort: str | None,
    recordset: bool,
) -> dict[str, Any]:
    """Filter, sort and page search rows (generic.md section 6): UIModelGrid or searchRecordsetBase."""
    if recordset:
        return _recordset(req, rows, fields, default_sort)
    return _model_grid(req, rows, fields, default_sort)


def _model_grid(
    req: "Request", rows: list[dict[str, Any]], fields: list[str] | None, default_sort: str | None
) -> dict[str, Any]:
    """UIModelGrid::fetchBindRequest: paging and phrase from $_REQUEST, sort only when POSTed."""
    per_page = php_int(req.get_request("rowCount"), -1)
    page = php_int(req.get_request("current"), 1)
    sort_by = [default_sort] if default_sort else []
    descending = False
    sort = req.get_post("sort")
    if isinstance(sort, list):
        sort = {str(i): v for i, v in enumerate(sort)}  # a JSON list is a PHP array too
    if isinstance(sort, dict) and sort:
        # Every key takes part in the sort key; only the first one's direction counts.
        sort_by = list(sort)
        first = sort[sort_by[0]]
        descending = first is True or first == "desc"
    tokens = [t for t in _sanitize_string(req.get_request("searchPhrase", "")).split(" ") if t not in ("", "0")]
    if fields is None:
        fields = [k for k in (rows[0] if rows else {}) if k != "uuid" and not k.startswith("%")]
    if tokens and any(UUID4.match(t) for t in tokens):
        fields = [*fields, "uuid"] if "uuid" not in fields else fields
    if sort_by:
        rows = _sorted_like_array_field(rows, sort_by, descending)
    lowered = [ascii_lower(t) for t in tokens]
    selected: list[dict[str, Any]] = []
    index = 0
    start = per_page * (page - 1)
    for row in rows:
        if lowered:
            found = False
            for token in lowered:
                found = False
                for name in fields:
                    value = row.get(f"%{name}")
                    if value is None:
                        value = row.get(name, "")
                    if not php_empty(value) and token in ascii_lower(str(value)):
                        found = True
                        break
                if not found:
                    break
            if not found:
                continue
        if (len(selected) < per_page and index >= start) or per_page == -1:
            selected.append(row)
        index += 1
    return {"rows": selected, "rowCount": len(selected), "total": index, "current": page}


def _sorted_like_array_field(rows: list[dict[str, Any]], sort_by: list[str], descending: bool) -> list[dict[str, Any]]:
    """ArrayField::sortedBy: the descriptions of the sort fields plus the uuid, natural case-insensitive."""

    names = [n for n in sort_by if "." not in n and n != "uuid" and not n.startswith("%")]

    def key(row: dict[str, Any]) -> str:
        # Padding to 30 columns does not matter: the natural comparison skips whitespace.
        text = ""
        for name in names:
            if name in row:
                payload = row.get(f"%{name}")
                text += f"{row[name] if payload is None else payload},"
        uuid = str(row.get("uuid", ""))
        # The text ends with ",", so no digit run spans the join and the two keys concatenate.
        return natcase_key(text) + natcase_tail_key(uuid) if text else natcase_key(uuid)

    return sorted(rows, key=key, reverse=descending)


def _recordset(
    req: "Request", rows: list[dict[str, Any]], fields: list[str] | None, default_sort: str | None
) -> dict[str, Any]:
    """ApiControllerBase::searchRecordsetBase: everything from the POST body only."""
    records = list(rows)
    per_page = php_int(req.get_post("rowCount"), 9999)
    per_page = len(records) if per_page == -1 else per_page
    page = php_int(req.get_post("current"), 1)
    offset = (page - 1) * per_page
    phrase = req.get_post("searchPhrase", "")
    phrase = "Array" if isinstance(phrase, (list, dict)) else php_scalar_str(phrase)
    clauses = re.split(r"\s+", phrase)
    sort_key, descending = default_sort, False
    sort = req.get_post("sort")
    if isinstance(sort, dict) and sort:
        sort_key = next(iter(sort))
        value = sort[sort_key]
        descending = not (value is True or value == "asc")
    if sort_key and records:
        records.sort(key=lambda r: natcase_key(_flat(r.get(sort_key))), reverse=descending)
    needles = [ascii_lower(c) for c in clauses]

    def matches(record: dict[str, Any]) -> bool:
        # stripos() with an empty needle matches, so an empty phrase keeps rows with any searched field.
        for needle in needles:
            if not any(needle in ascii_lower(_flat(v)) for k, v in record.items() if not fields or k in fields):
                return False
        return True

    records = [r for r in records if matches(r)]
    selected = _array_slice(records, offset, per_page)
    return {"total": len(records), "rowCount": len(selected), "current": page, "rows": selected}


def _flat(value: Any) -> str:
    """(string) of a record value; arrays are flattened and joined with spaces."""
    if isinstance(value, dict):
        return " ".join(_flat(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_flat(v) for v in value)
    return php_scalar_str(value)


def _array_slice(items: list[Any], offset: int, length: int) -> list[Any]:
    n = len(items)
    start = max(0, n + offset) if offset < 0 else min(offset, n)
    stop = max(start, n + length) if length < 0 else min(n, start + length)
    return items[start:stop]


# ApiMutableServiceControllerBase::statusAction's widget captions, in its order.
SERVICE_WIDGET = {"caption_restart": "Restart", "caption_start": "Start", "caption_stop": "Stop"}


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

    @_mark_action
    def reconfigure(self) -> dict[str, Any]:
        return self.reconfigure_base(self.subsystem)

    @_mark_action
    def status(self) -> dict[str, Any]:
        state = "running" if self.service_enabled() else "disabled"
        return {"status": state, "widget": dict(SERVICE_WIDGET)}

    def _control(self, verb: str) -> dict[str, Any]:
        if not self.req.is_post:
            return {"response": []}
        return {"response": "OK"}

    @_mark_action
    def start(self) -> dict[str, Any]:
        return self._control("start")

    @_mark_action
    def stop(self) -> dict[str, Any]:
        return self._control("stop")

    @_mark_action
    def restart(self) -> dict[str, Any]:
        return self._control("restart")


__all__ = ["Controller", "MutableModelController", "ServiceController", "grid", "natcase_key", "Field"]
