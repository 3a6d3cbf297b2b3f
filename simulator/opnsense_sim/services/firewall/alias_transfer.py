"""Alias export and import (AliasController::exportAction/importAction; firewall.md 2.1)."""

from __future__ import annotations

from typing import Any

from ...core.controller import new_uuid
from ...core.errors import UnexpectedError
from ...core.fields import FieldContext
from ...core.store import View
from ...core.values import php_empty, php_scalar_str
from .alias_model import ALIAS, KEY, builtin_aliases


def _raw(item: dict[str, str]) -> dict[str, str]:
    """getRawNodes(): every field (volatile ones included) as its stored string."""
    return {name: item.get(name, f.default if not f.volatile else "") for name, f in ALIAS.fields.items()}


def export_payload(view: View, env: Any, selected: list[str] | None) -> dict[str, Any]:
    items = dict(view.items(KEY))
    items.update(builtin_aliases(view.items(KEY), env))
    if selected is not None:
        return {"aliases": {"alias": {u: _raw(i) for u, i in items.items() if u in selected}}}
    url = view.setting("alias", "geoip.url", "")
    return {"geoip": {"url": url}, "aliases": {"alias": {u: _raw(i) for u, i in items.items()}}}


def _cast(value: Any) -> str:
    """(string) in BaseField::setValue(): null is "", an array is "Array" (with a PHP warning)."""
    if isinstance(value, (list, dict)):
        return "Array"
    return php_scalar_str(value)


def import_aliases(controller: Any, data: Any) -> dict[str, Any]:
    """Create or update by name, skip `internal` types, save only when every change validates."""
    result: dict[str, Any] = {"existing": 0, "new": 0, "status": "failed"}
    aliases = data.get("aliases") if isinstance(data, dict) else None
    records = aliases.get("alias") if isinstance(aliases, dict) else None
    if isinstance(records, list):
        records = {str(i): v for i, v in enumerate(records)}
    if not isinstance(records, dict) or not records:
        return result
    with controller.transaction() as txn:
        builtin = builtin_aliases(txn.items(KEY), controller.env)
        by_name = {item.get("name", ""): uuid for uuid, item in txn.items(KEY).items()}
        touched: dict[str, tuple[str, set[str] | None]] = {}  # uuid -> (client key, changed fields or None=new)
        for client_key, content in records.items():
            if not isinstance(content, dict) or php_empty(content.get("name")):
                continue
            if _cast(content.get("type")) == "internal" and not php_empty(content.get("type")):
                continue
            name = _cast(content["name"])
            uuid = by_name.get(name)
            if uuid is None and name in builtin:
                # A built-in alias is a virtual node: counted and written to, never saved.
                result["existing"] += 1
                _assign({}, content)
                continue
            if uuid is None:
                uuid = new_uuid()
                base = ALIAS.blank(FieldContext(view=txn, env=controller.env, item={}, uuid=uuid, itemtype=ALIAS))
                result["new"] += 1
                changed = None
            else:
                base = txn.item(KEY, uuid) or {}
                result["existing"] += 1
                changed = touched[uuid][1] if uuid in touched else set()
            item = _assign(base, content)
            if changed is not None:
                changed |= {n for n in ALIAS.fields if item.get(n) != base.get(n)}
            txn.put(KEY, uuid, item)
            by_name[item.get("name", "")] = uuid
            touched[uuid] = (str(client_key), changed)
        validations = _validate(txn, controller.env, touched)
        controller.app.costs.pay_items(len(touched))  # performValidation() over every imported alias
        if validations:
            result["validations"] = validations
            return result
        result["status"] = "ok"
        txn.save()
    return result


def _assign(base: dict[str, str], content: dict[str, Any]) -> dict[str, str]:
    """`$node->$prop = $value`: an unknown property throws (HTTP 500)."""
    item = dict(base)
    for prop, value in content.items():
        f = ALIAS.fields.get(str(prop))
        if f is None:
            raise UnexpectedError(f"{prop} not an attribute of aliases.alias")
        if not f.volatile:
            item[str(prop)] = f.store(_cast(value))
    return item


def _validate(txn: Any, env: Any, touched: dict[str, tuple[str, set[str] | None]]) -> dict[str, str]:
    """performValidation() over changed fields; keys "<client id>.<field>", the last message wins."""
    out: dict[str, str] = {}
    for uuid, (client_key, changed) in touched.items():
        item = txn.item(KEY, uuid) or {}
        if changed is not None and not changed:
            continue
        ctx = FieldContext(view=txn, env=env, item=item, uuid=uuid, itemtype=ALIAS)
        for name, f in ALIAS.fields.items():
            if f.volatile or (changed is not None and name not in changed):
                continue
            for msg in f.validate(item.get(name, ""), ctx):
                out[f"{client_key}.{name}"] = msg
        for name, msgs in (ALIAS.validate(item, ctx) if ALIAS.validate else {}).items():
            if changed is not None and name == "interface" and not changed & {"interface", "type"}:
                continue
            for msg in msgs:
                out[f"{client_key}.{name}"] = msg
    return out
