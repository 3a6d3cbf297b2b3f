"""Test doubles for the module_utils and plugin_utils unit tests.

``FakeFirewall`` is a small in-memory stand-in for the generic OPNsense MVC API (search rows of raw
strings, set-as-upsert, del, reconfigure, and the bulk endpoints: the rules' CSV import keyed on
``@uuid``, the categories' keyed on ``name``, the alias import), driven by the registry's specs. It lets the modules'
and the engine's logic be tested in milliseconds; the integration tests run the real modules against the simulator.
"""

from __future__ import annotations

import copy
import csv
import io
import uuid as uuidlib
from typing import Any, Dict, List, Optional, Tuple

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import encode
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import SUBSYSTEMS


class FakeFirewall(object):
    """Client double: records every call and answers like OPNsense's generic controllers."""

    base_url = "https://fw.test/api/"

    def __init__(self) -> None:
        self.objects: Dict[str, Dict[str, Dict[str, str]]] = dict((name, {}) for name in REGISTRY)
        self.calls: List[Tuple[str, str, Any]] = []
        self.validations: Dict[str, Any] = {}
        self.answers: Dict[str, Any] = {}
        self.prefix_answers: Dict[str, Any] = {}  # like ``answers``, for every path starting with the key
        self.hidden_fields: Dict[str, List[str]] = {}
        self.extra_rows: Dict[str, List[Dict[str, Any]]] = {}
        # bulk endpoints: records/aliases whose (plan) uuid is listed here are refused
        self.csv_refuse: List[str] = []

    # -- helpers for tests ---------------------------------------------------------------------

    def add(self, type_name: str, uuid: Optional[str] = None, **api_values: Any) -> str:
        """Store an object (API field names), filling the other fields with encoded defaults."""
        spec = REGISTRY[type_name]
        uuid = uuid or str(uuidlib.uuid4())
        row = dict((f.api, encode(f, f.default)) for f in spec.fields if not f.auto)
        row.update(dict((k, str(v)) for k, v in api_values.items()))
        self.objects[type_name][uuid] = row
        return uuid

    @property
    def writes(self) -> List[Tuple[str, str, Any]]:
        """POSTs that are not reads (what must never happen in check mode)."""
        return [c for c in self.calls if c[0] == "POST" and "/search" not in c[1].lower()]

    # -- client interface ----------------------------------------------------------------------

    def get(self, path: str, params: Any = None) -> Any:
        self.calls.append(("GET", path, None))
        return self._dispatch("GET", path, None)

    def post(self, path: str, body: Any = None, retry: bool = False) -> Any:
        self.calls.append(("POST", path, copy.deepcopy(body)))
        return self._dispatch("POST", path, body)

    def close(self) -> None:
        pass

    def _dispatch(self, method: str, path: str, body: Any) -> Any:
        prefixes = [p for p in self.prefix_answers if path.startswith(p)]
        if path in self.answers or prefixes:
            answer = self.answers[path] if path in self.answers else self.prefix_answers[prefixes[0]]
            if isinstance(answer, Exception):
                raise answer
            return answer
        lists = [(n, s) for n, s in REGISTRY.items() if s.list_from and s.list_from[0] == path]
        if method == "GET" and lists:
            # A whole-model read that holds the objects of types with ``list_from`` (source NAT rules).
            tree: Dict[str, Any] = {}
            for name, spec in lists:
                node = tree
                parts = spec.list_from[1].split(".")
                for part in parts[:-1]:
                    node = node.setdefault(part, {})
                node[parts[-1]] = dict((u, dict(row)) for u, row in self.objects[name].items())
            return tree
        if path in BULK_ENDPOINTS:
            return BULK_ENDPOINTS[path](self, body)
        for subsystem in SUBSYSTEMS:
            if path == subsystem.path:
                return {"status": "OK\n\n" if subsystem.name == "filter" else "ok"}
            if path == subsystem.precheck:
                return {"result": "Configuration file is valid\n"}
        for name, spec in REGISTRY.items():
            prefix = "%s/%s/" % (spec.module, spec.controller)
            if not path.startswith(prefix):
                continue
            parts = path[len(prefix) :].split("/")
            word, args = parts[0], parts[1:]
            store = self.objects[name]
            if spec.settings and word in (spec.commands.get, spec.commands.set) and not args:
                return self._settings(name, spec, word, body)
            if word == spec.commands.search:
                rows = [dict(row, uuid=u) for u, row in store.items()]
                for row in rows:
                    for hidden in self.hidden_fields.get(name, []):
                        row.pop(hidden, None)
                return {
                    "rows": rows + self.extra_rows.get(name, []),
                    "rowCount": len(rows),
                    "total": len(rows),
                    "current": 1,
                }
            if word == spec.commands.set:
                if self.validations:
                    return {"result": "failed", "validations": self.validations}
                item = dict(body[spec.key])
                store.setdefault(args[0], {}).update(item)
                return {"result": "saved"}
            if word == spec.commands.delete:
                return {"result": "deleted"} if store.pop(args[0], None) is not None else {"result": "not found"}
            if word == spec.commands.get:
                row = store.get(args[0]) if args else None
                return {spec.key: dict(row)} if row else []
        raise AssertionError("FakeFirewall: unexpected %s %s" % (method, path))

    def _settings(self, name: str, spec: Any, word: str, body: Any) -> Any:
        """A settings type: its one object (defaults until set) under its node of the whole model.
        Several settings types of one controller share the model; each answers its own node."""
        row = self.objects[name].setdefault(
            spec.settings_uuid, dict((f.api, encode(f, f.default)) for f in spec.fields if not f.auto)
        )
        path = spec.key.split(".")
        if word == spec.commands.set:
            if self.validations:
                return {"result": "failed", "validations": self.validations}
            node = body
            for part in path:
                node = node[part]

            def flatten(tree: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
                flat: Dict[str, Any] = {}
                for key, value in tree.items():
                    if isinstance(value, dict):
                        flat.update(flatten(value, prefix + key + "."))
                    else:
                        flat[prefix + key] = value
                return flat

            row.update(flatten(node))
            return {"result": "saved"}
        tree: Dict[str, Any] = {}
        for dotted, value in row.items():
            parts = dotted.split(".")
            node = tree
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
        for part in reversed(path):
            tree = {part: tree}
        return tree


def csv_import(fw: FakeFirewall, type_name: str, body: Any, match: str = "@uuid") -> Dict[str, Any]:
    """importCsv: a record matching an object on ``match`` updates it, any other is created under
    its ``@uuid`` (else a new one); records whose uuid is in ``fw.csv_refuse`` get a message and are
    dropped, the rest saved; refused ones are named by their index."""
    reader = csv.reader(io.StringIO(body["payload"]), delimiter=";", quotechar='"')
    heading = next(reader)
    result: Dict[str, Any] = {"validations": [], "inserted": 0, "updated": 0, "uuids": {}, "fieldnames": heading}
    store = fw.objects[type_name]
    for idx, line in enumerate(r for r in reader if r):
        record = dict(zip(heading, line))
        uuid = record.pop("@uuid")
        if uuid in fw.csv_refuse:
            result["validations"].append({"sequence": idx, "field": "description", "message": "refused"})
            continue
        if match != "@uuid":
            found = [u for u, o in store.items() if o.get(match) == record.get(match)]
            uuid = found[0] if found else (uuid or str(uuidlib.uuid4()))
        result["updated" if uuid in store else "inserted"] += 1
        result["uuids"][uuid] = idx
        store.setdefault(uuid, {}).update(record)
    return result


def alias_import(fw: FakeFirewall, body: Any) -> Dict[str, Any]:
    """AliasController::importAction: match by name (else create under a new uuid), set the given
    properties, save only when nothing failed; messages keyed "<client key>.<field>"."""
    store = fw.objects["firewall_alias"]
    work = dict((u, dict(a)) for u, a in store.items())
    result: Dict[str, Any] = {"existing": 0, "new": 0, "status": "failed"}
    validations = {}
    for key, content in body["data"]["aliases"]["alias"].items():
        found = [u for u, a in work.items() if a.get("name") == content["name"]]
        if found:
            result["existing"] += 1
            work[found[0]].update(content)
        else:
            result["new"] += 1
            work[str(uuidlib.uuid4())] = dict(content)
        if key in fw.csv_refuse:
            validations[key + ".content"] = "refused"
    if validations:
        result["validations"] = validations
        return result
    store.clear()
    store.update(work)
    result["status"] = "ok"
    return result


HAPROXY_CONTAINERS = {"servers": "haproxy_server", "backends": "haproxy_backend", "frontends": "haproxy_frontend"}


def haproxy_model_set(fw: FakeFirewall, body: Any) -> Dict[str, Any]:
    """ApiMutableModelControllerBase::setAction on the HAProxy model: a known uuid is updated, any
    other key created under a new uuid; nothing is saved when an object keyed in ``fw.csv_refuse``
    is among them (messages ``haproxy.<path>.<uuid>.<field>``, the uuid it got). The settings part
    goes where the settings type keeps it."""
    tree = dict(body["haproxy"])
    work = dict((t, dict((u, dict(o)) for u, o in fw.objects[t].items())) for t in HAPROXY_CONTAINERS.values())
    validations: Dict[str, str] = {}
    for plural, type_name in HAPROXY_CONTAINERS.items():
        node = tree.pop(plural, None)
        for key, content in (node[plural[:-1]] if node else {}).items():
            uuid = key if key in work[type_name] else str(uuidlib.uuid4())
            work[type_name].setdefault(uuid, {}).update(content)
            if key in fw.csv_refuse:
                validations["haproxy.%s.%s.%s.name" % (plural, plural[:-1], uuid)] = "refused"
    if validations:
        return {"result": "failed", "validations": validations}
    for type_name, objects in work.items():
        fw.objects[type_name] = objects
    if tree:
        return fw._settings("haproxy_settings", REGISTRY["haproxy_settings"], "set", {"haproxy": tree})
    return {"result": "saved"}


BULK_ENDPOINTS = {
    "haproxy/settings/set": haproxy_model_set,
    "firewall/filter/upload_rules": lambda fw, body: csv_import(fw, "firewall_filter_rule", body),
    "firewall/category/upload": lambda fw, body: csv_import(fw, "firewall_category", body, match="name"),
    "firewall/alias/import": alias_import,
}


@pytest.fixture
def fake_fw() -> FakeFirewall:
    return FakeFirewall()
