# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API calls of one unit of work, and what a failed call means for what OPNsense holds.

Kept apart from the scheduler so that the rollback sends its undo writes through the very same code
(and tests can put a fake in its place). Writes are idempotent by construction, so a write whose
answer was lost can be retried: creates and updates are ``set<Item>/<uuid>`` upserts under the UUID
the plan chose (generic.md 4); a delete retried after a lost answer finds "not found", which means
done. Deletes of one type can go out as one comma-separated ``del`` when the firewall is 26.1.3 or
later, which OPNsense applies atomically: the first object still in use aborts the call and nothing
is saved (generic.md 4, haproxy.md 4); whether the firewall can is decided here, from its version.
Creates and updates of one type can go out as one CSV import keyed on the plan's uuids (``_bulk``):
the answer names each rejected object, and the others are sent again one by one, so every action
ends with its own outcome (:class:`BulkOutcome`).
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional, Tuple, Union

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    InUseError,
    OpnError,
    TransportError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._bulk import CsvImport, NameImport, csv_payload
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import CREATE, DELETE, UPDATE, Action
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import ClientPool

# Comma-separated deletes work (and are atomic) from this release on (generic.md 4, commit c0569f86d5).
BULK_DELETE_SINCE = (26, 1, 3)
BULK_DELETE_MAX = 50


def version_tuple(version: Optional[str]) -> Tuple[int, ...]:
    parts = []
    for piece in str(version or "").split("_", maxsplit=1)[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def supports_bulk_delete(version: Optional[str]) -> bool:
    found = version_tuple(version)
    return bool(found) and found >= BULK_DELETE_SINCE


def server_computes(spec: ResourceSpec, action: Action) -> bool:
    """True for a create whose payload leaves an ``auto`` field for OPNsense to fill in."""
    return action.op == CREATE and any(f.auto and f.api not in action.payload for f in spec.fields)


def applied_after(exc: BaseException) -> Optional[bool]:
    """Whether a failed write may have been saved: False when OPNsense answered that it did not
    save (validation, "in use", ``result: failed``), None (unknown) when the answer was lost or the
    server failed part-way."""
    if isinstance(exc, (ValidationError, InUseError)):
        return False
    if isinstance(exc, ApiError) and "did not save" in str(exc):
        return False
    return None


class BulkOutcome(OpnError):
    """A bulk request that did not save every object: ``failures`` maps the action ids OPNsense
    refused to their error; every other action of the unit was written."""

    def __init__(self, failures: Dict[str, OpnError]) -> None:
        super().__init__("%d of the objects of one bulk write failed" % len(failures))
        self.failures = failures


class Writer(object):
    """Sends the write(s) of one unit of work. Stateless apart from the client pool."""

    def __init__(
        self,
        pool: ClientPool,
        specs: Dict[str, ResourceSpec],
        delete_retries: int = 2,
        bulk: Optional[Dict[str, Union[CsvImport, NameImport]]] = None,
    ) -> None:
        self.pool = pool
        self.specs = specs
        self.delete_retries = delete_retries
        self.bulk = bulk or {}  # type -> its bulk endpoint, for the types whose writes may be grouped

    def write(self, actions: List[Action]) -> None:
        first = actions[0]
        spec = self.specs[first.type]
        if len(actions) > 1 and first.op in (CREATE, UPDATE):
            self.write_bulk(spec, actions)
            return
        try:
            if first.op in (CREATE, UPDATE):
                self.upsert(spec, first.uuid, first.payload)
            elif first.op == DELETE:
                self.delete(spec, [a.uuid for a in actions])
            else:  # pragma: no cover - noops are never scheduled
                raise ValueError("not a write: %s" % first.label)
        except OpnError as exc:
            if len(actions) == 1:
                exc.with_context(first.type, first.name)
            raise

    def upsert(self, spec: ResourceSpec, uuid: str, payload: Dict[str, Any]) -> None:
        self.pool.service(spec).upsert(uuid, payload)

    def write_bulk(self, spec: ResourceSpec, actions: List[Action]) -> None:
        """Creates and updates of one type (same fields) in one CSV import; see ``_bulk``.

        The import is keyed on the plan's uuids, so it is an upsert like ``set<Item>/<uuid>`` and
        is retried after a lost answer like one. When OPNsense names records it refused, those
        actions fail (nothing of them was saved) and the others are sent again one by one: the
        endpoint saved them only if its second pass validated, which its answer does not say, and
        an upsert under the same uuid lands the same object either way. Raises
        :class:`BulkOutcome` when some actions failed; any other error concerns the whole unit.
        """
        endpoint = self.bulk[spec.type]
        if isinstance(endpoint, NameImport):
            return self._name_import(spec, endpoint, actions)
        names = self._names(spec, endpoint, actions)
        if names is None:  # a reference the endpoint cannot take by name: one request each
            return self._one_by_one(spec, actions, {})
        service = self.pool.service(spec)
        path = "%s/%s/%s" % (spec.module, spec.controller, endpoint.command)
        answer = service._call(lambda: service.client.post(path, {"payload": csv_payload(actions, names)}, retry=True))
        if not isinstance(answer, dict) or not isinstance(answer.get("uuids"), dict):
            raise ApiError("OPNsense did not import (POST /api/%s answered %r)" % (path, str(answer)[:200]))
        refused: Dict[str, List[Tuple[str, str]]] = {}
        for item in answer.get("validations") or []:
            if not isinstance(item, dict) or not isinstance(item.get("sequence"), int):
                continue
            if 0 <= item["sequence"] < len(actions):
                field = str(item.get("field") or "")
                found = spec.by_api(field)
                name = found.name if found else (field or "@record")
                refused.setdefault(actions[item["sequence"]].id, []).append((name, str(item.get("message", ""))))
        if not refused:
            missing = [a.uuid for a in actions if a.uuid not in answer["uuids"]]
            if missing:
                raise ApiError("OPNsense did not import %s (POST /api/%s)" % (", ".join(missing), path))
            return None
        failures: Dict[str, OpnError] = {}
        for action in actions:
            if action.id in refused:
                failures[action.id] = ValidationError(refused[action.id], source="opnsense").with_context(
                    action.type, action.name
                )
        self._one_by_one(spec, [a for a in actions if a.id not in failures], failures)
        return None

    def _name_import(self, spec: ResourceSpec, endpoint: NameImport, actions: List[Action]) -> None:
        """Updates that keep their names, in one import matched by name (``_bulk``): all saved, or
        none. Refused objects fail with OPNsense's message; the others, not saved, go one by one.
        Should the import have created an object (one renamed or deleted by someone else since the
        plan), that object is deleted again and every action goes one by one, as without bulk."""
        objects: Dict[str, Any] = dict((a.uuid, a.payload) for a in actions)
        body: Dict[str, Any] = objects
        for part in reversed(endpoint.container):
            body = {part: body}
        service = self.pool.service(spec)
        path = "%s/%s/%s" % (spec.module, spec.controller, endpoint.command)
        answer = service._call(lambda: service.client.post(path, {"data": body}, retry=True))
        if not isinstance(answer, dict) or answer.get("status") not in ("ok", "failed"):
            raise ApiError("OPNsense did not import (POST /api/%s answered %r)" % (path, str(answer)[:200]))
        if answer["status"] == "ok":
            if answer.get("new"):
                self._delete_strays(spec, endpoint, actions)
                return self._one_by_one(spec, actions, {})
            return None
        refused: Dict[str, List[Tuple[str, str]]] = {}
        by_uuid = dict((a.uuid, a) for a in actions)
        validations = answer.get("validations")
        for key, message in validations.items() if isinstance(validations, dict) else []:
            client, _dot, field = str(key).rpartition(".")
            if client in by_uuid:
                found = spec.by_api(field)
                messages = message if isinstance(message, list) else [message]
                for text in messages:
                    refused.setdefault(by_uuid[client].id, []).append((found.name if found else field, str(text)))
        failures: Dict[str, OpnError] = {}
        for action in actions:
            if action.id in refused:
                failures[action.id] = ValidationError(refused[action.id], source="opnsense").with_context(
                    action.type, action.name
                )
        self._one_by_one(spec, [a for a in actions if a.id not in failures], failures)
        return None

    def _delete_strays(self, spec: ResourceSpec, endpoint: NameImport, actions: List[Action]) -> None:
        names = dict((a.payload.get(endpoint.match), a.uuid) for a in actions)
        service = self.pool.service(spec)
        for row in service.list():
            name = row.get(endpoint.match)
            if name in names and row.get("uuid") != names[name]:
                service.delete(str(row["uuid"]))

    def _one_by_one(self, spec: ResourceSpec, actions: List[Action], failures: Dict[str, OpnError]) -> None:
        for action in actions:
            try:
                self.upsert(spec, action.uuid, action.payload)
            except OpnError as exc:
                failures[action.id] = exc.with_context(action.type, action.name)
        if failures:
            raise BulkOutcome(failures)

    def _names(
        self, spec: ResourceSpec, endpoint: CsvImport, actions: List[Action]
    ) -> Optional[Dict[str, Dict[str, str]]]:
        """field -> uuid -> name for the reference fields the endpoint takes by name (one read of
        each referenced type), or None when a referenced uuid has no usable name."""
        names: Dict[str, Dict[str, str]] = {}
        for field_name in endpoint.by_name:
            item = spec.by_api(field_name)
            if item is None or not item.ref:
                continue
            wanted = set(u for a in actions for u in str(a.payload.get(field_name) or "").split(",") if u)
            if not wanted:
                continue
            target = self.specs[item.ref]
            key = target.field(target.identity[0]).api
            found = dict((row.get("uuid"), str(row.get(key, ""))) for row in self.pool.service(target).list())
            if any(not found.get(u) or "," in found[u] for u in wanted):
                return None
            if len(set(found.values())) != len(found):  # the endpoint maps names back: they must be unique
                return None
            names[field_name] = found
        return names

    def delete(self, spec: ResourceSpec, uuids: List[str]) -> None:
        """Delete one or several objects; a lost answer is retried, "not found" then means done."""
        joined = ",".join(uuids)
        for attempt in range(self.delete_retries + 1):
            try:
                self.pool.service(spec).delete(joined)
                return
            except TransportError:
                if attempt >= self.delete_retries:
                    raise
                time.sleep(0.2 * (attempt + 1))


__all__ = [
    "BULK_DELETE_MAX",
    "BulkOutcome",
    "BULK_DELETE_SINCE",
    "Writer",
    "applied_after",
    "server_computes",
    "supports_bulk_delete",
    "version_tuple",
]
