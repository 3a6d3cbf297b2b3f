"""Test doubles for the module_utils and plugin_utils unit tests.

``FakeFirewall`` is a small in-memory stand-in for the generic OPNsense MVC API (search rows of raw
strings, set-as-upsert, del, reconfigure), driven by the registry's specs. It lets the modules'
and the engine's logic be tested in milliseconds; the integration tests run the real modules against the simulator.
"""

from __future__ import annotations

import copy
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


@pytest.fixture
def fake_fw() -> FakeFirewall:
    return FakeFirewall()
