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
Creates and updates of one type can go out as one bulk request (``_bulk``): the answer names each
rejected object, and the others are sent again one by one, so every action ends with its own
outcome (:class:`BulkOutcome`). A bulk create that lands under a uuid the firewall picked is found
by its identity right after the request, and :meth:`Writer.write` returns that uuid, so the engine
re-keys the plan before anything that names the object is written.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    InUseError,
    OpnError,
    TransportError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import (
    decode,
    decode_row,
    encode_payload,
    normalise,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._bulk import (
    CsvImport,
    Endpoint,
    ModelSet,
    NameImport,
    csv_payload,
)
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


def one_at_a_time(spec: ResourceSpec, action: Action, version: Tuple[int, ...]) -> bool:
    """Whether ``action`` must be the only write of its type in flight on a firewall of ``version``:
    a create OPNsense computes a field of from the configuration it read, unless that release reads
    it under the config lock (``ResourceSpec.computes_under_lock_since``)."""
    since = spec.computes_under_lock_since
    return server_computes(spec, action) and not (since and version and version >= since)


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
    refused to their error; every other action of the unit was written (``rekeyed``: those created
    under a uuid the firewall picked, as :meth:`Writer.write` returns them)."""

    def __init__(self, failures: Dict[str, OpnError], rekeyed: Optional[Dict[str, str]] = None) -> None:
        super().__init__("%d of the objects of one bulk write failed" % len(failures))
        self.failures = failures
        self.rekeyed = dict(rekeyed or {})


Rows = Dict[str, Dict[str, Any]]  # uuid -> search row of one type
Announce = Callable[[List[Action]], None]


def _quiet(actions: List[Action]) -> None:
    """The default announcement of located creates: nobody listens."""


class Writer(object):
    """Sends the write(s) of one unit of work. Stateless apart from the client pool."""

    def __init__(
        self,
        pool: ClientPool,
        specs: Dict[str, ResourceSpec],
        delete_retries: int = 2,
        bulk: Optional[Dict[str, Endpoint]] = None,
    ) -> None:
        self.pool = pool
        self.specs = specs
        self.delete_retries = delete_retries
        self.bulk = bulk or {}  # type -> its bulk endpoint, for the types whose writes may be grouped

    def write(self, actions: List[Action], located: Announce = _quiet) -> Dict[str, str]:
        """Send the write(s) of one unit. Returns ``{action id: uuid}`` for objects a bulk request
        created under a uuid the firewall picked (empty otherwise). ``located`` hears, right before
        such a request, which actions it holds: from then on they are found by identity."""
        first = actions[0]
        spec = self.specs[first.type]
        if len(actions) > 1 and first.op in (CREATE, UPDATE):
            return self.write_bulk(spec, actions, located)
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
        return {}

    def upsert(self, spec: ResourceSpec, uuid: str, payload: Dict[str, Any]) -> None:
        self.pool.service(spec).upsert(uuid, payload)

    def write_bulk(self, spec: ResourceSpec, actions: List[Action], located: Announce = _quiet) -> Dict[str, str]:
        """Creates and updates of one type in one bulk request; see ``_bulk``.

        An endpoint that matches on a name would update another object that has the name of a
        create, so those creates are read for first and a create whose name is taken goes alone
        (as ``set<Item>``, which refuses it with OPNsense's message). When OPNsense names objects
        it refused, those actions fail (nothing of them was saved) and the others are sent again
        one by one: an upsert under the same uuid lands the same object either way. Raises
        :class:`BulkOutcome` when some actions failed; any other error concerns the whole unit.
        """
        endpoint = self.bulk[spec.type]
        before: Optional[Rows] = None
        alone: List[Action] = []
        if endpoint.match != "@uuid" and any(a.op == CREATE for a in actions):
            before = self.rows(spec)
            taken = set(str(row.get(endpoint.match)) for row in before.values())
            alone = [a for a in actions if a.op == CREATE and str(a.payload.get(endpoint.match)) in taken]
            actions = [a for a in actions if a not in alone]
        failures: Dict[str, OpnError] = {}
        rekeyed: Dict[str, str] = {}
        if len(actions) < 2:
            alone, actions = alone + actions, []
        elif isinstance(endpoint, CsvImport):
            alone += self._csv_import(spec, endpoint, actions, before, failures)
        else:
            creates = actions[0].op == CREATE
            if creates:
                located(actions)
            if isinstance(endpoint, NameImport):
                again = self._name_import(spec, endpoint, actions, failures)
            else:
                again = self._model_set(spec, endpoint, actions, before, failures)
            if creates and before is not None and not again and not failures:  # saved: where did they land
                by_name = isinstance(endpoint, NameImport)
                self._find_created(spec, endpoint.match, actions, before, by_name, failures, rekeyed)
            alone += again
        for action in alone:
            try:
                self.upsert(spec, action.uuid, action.payload)
            except OpnError as exc:
                failures[action.id] = exc.with_context(action.type, action.name)
        if failures:
            raise BulkOutcome(failures, rekeyed)
        return rekeyed

    def _csv_import(
        self,
        spec: ResourceSpec,
        endpoint: CsvImport,
        actions: List[Action],
        before: Optional[Rows],
        failures: Dict[str, OpnError],
    ) -> List[Action]:
        """One CSV import; returns the actions to send again one by one."""
        names = self._names(spec, endpoint, actions)
        if names is None:  # a reference the endpoint cannot take by name: one request each
            return actions
        answer = self._post(spec, endpoint.command, {"payload": csv_payload(actions, names, endpoint)})
        if not isinstance(answer, dict) or not isinstance(answer.get("uuids"), dict):
            raise self._no_answer(spec, endpoint.command, answer)
        refused: Dict[str, List[Tuple[str, str]]] = {}
        for item in answer.get("validations") or []:
            if not isinstance(item, dict) or not isinstance(item.get("sequence"), int):
                continue
            if 0 <= item["sequence"] < len(actions):
                field = str(item.get("field") or "")
                found = spec.by_api(field)
                name = found.name if found else (field or "@record")
                refused.setdefault(actions[item["sequence"]].id, []).append((name, str(item.get("message", ""))))
        if refused:
            self._refused(actions, refused, failures)
            return [a for a in actions if a.id not in failures]
        landed = dict((seq, str(uuid)) for uuid, seq in answer["uuids"].items())
        missing = [a for seq, a in enumerate(actions) if landed.get(seq) != a.uuid]
        if missing and endpoint.match == "@uuid":
            raise ApiError(
                "OPNsense did not import %s (POST /api/%s)"
                % (", ".join(a.uuid for a in missing), self._path(spec, endpoint.command))
            )
        for action in missing:  # matched another object by name: someone gave one the name meanwhile
            self._taken_meanwhile(spec, action, landed.get(actions.index(action)), before, failures)
        return []

    def _name_import(
        self, spec: ResourceSpec, endpoint: NameImport, actions: List[Action], failures: Dict[str, OpnError]
    ) -> List[Action]:
        """One import matched by name (``_bulk``): all saved, or none; returns the actions to send
        again one by one. Refused objects fail with OPNsense's message. Should an import of updates
        have created an object (one renamed or deleted by someone else since the plan), that object
        is deleted again and every action goes one by one, as without bulk."""
        body: Dict[str, Any] = dict((a.uuid, a.payload) for a in actions)
        for part in reversed(endpoint.container):
            body = {part: body}
        answer = self._post(spec, endpoint.command, {"data": body})
        if not isinstance(answer, dict) or answer.get("status") not in ("ok", "failed"):
            raise self._no_answer(spec, endpoint.command, answer)
        if answer["status"] == "failed":
            return self._refused_by_key(spec, actions, answer.get("validations"), failures)
        if actions[0].op == UPDATE and answer.get("new"):
            self._delete_strays(spec, endpoint, actions)
            return actions
        return []

    def _model_set(
        self,
        spec: ResourceSpec,
        endpoint: ModelSet,
        actions: List[Action],
        before: Optional[Rows],
        failures: Dict[str, OpnError],
    ) -> List[Action]:
        """One whole-model ``set`` (``_bulk``): all saved, or none; returns the actions to send again
        one by one. Messages name updates by their uuid (those fail alone); a create's name the uuid
        the firewall generated, so a refused unit of creates goes one by one. Sent again, it would
        create again, so after a lost answer the writer reads by name whether the creates landed:
        all of them (it saved), or none (it did not: it is sent once more)."""
        body: Dict[str, Any] = dict((a.uuid, a.payload) for a in actions)
        for part in reversed(str(endpoint.container(spec.key)).split(".")):
            body = {part: body}
        service = self.pool.service(spec)
        path = self._path(spec, endpoint.command)
        creates = actions[0].op == CREATE

        def send() -> Any:
            return service._call(lambda: service.client.post(path, {endpoint.model: body}, retry=not creates))

        try:
            answer = send()
        except TransportError:
            if not creates or before is None:
                raise
            new = self._named(spec, endpoint.match, before)[0]
            landed = [a for a in actions if len(new.get(str(a.payload.get(endpoint.match)), [])) == 1]
            if len(landed) == len(actions):
                return []  # it saved; the caller finds them
            if landed:
                raise
            answer = send()
        if not isinstance(answer, dict) or answer.get("result") not in ("saved", "failed"):
            raise self._no_answer(spec, endpoint.command, answer)
        if answer["result"] == "saved":
            return []
        if creates:
            return actions
        prefix = "%s.%s." % (endpoint.model, endpoint.container(spec.key))
        validations = answer.get("validations")
        keyed = dict(
            (str(k)[len(prefix) :], v)
            for k, v in (validations.items() if isinstance(validations, dict) else [])
            if str(k).startswith(prefix)
        )
        return self._refused_by_key(spec, actions, keyed, failures)

    def _refused_by_key(
        self, spec: ResourceSpec, actions: List[Action], validations: Any, failures: Dict[str, OpnError]
    ) -> List[Action]:
        """Messages keyed ``<uuid>.<field>``: those actions fail with them; returns the others."""
        refused: Dict[str, List[Tuple[str, str]]] = {}
        by_uuid = dict((a.uuid, a) for a in actions)
        for key, message in validations.items() if isinstance(validations, dict) else []:
            client, _dot, field = str(key).rpartition(".")
            if client in by_uuid:
                found = spec.by_api(field)
                messages = message if isinstance(message, list) else [message]
                for text in messages:
                    refused.setdefault(by_uuid[client].id, []).append((found.name if found else field, str(text)))
        self._refused(actions, refused, failures)
        return [a for a in actions if a.id not in failures]

    def _find_created(
        self,
        spec: ResourceSpec,
        match: str,
        actions: List[Action],
        before: Rows,
        by_name: bool,
        failures: Dict[str, OpnError],
        rekeyed: Dict[str, str],
    ) -> None:
        """After a request that created ``actions`` under uuids the firewall picked: each is the one
        new object with its name (into ``rekeyed``). With an endpoint that matches ``by_name``, a
        name an object had before the request means another client gave it that name meanwhile (the
        import updated it: its values are put back); none or several new ones with the name fail
        the action, its outcome unknown."""
        new, old = self._named(spec, match, before)
        for action in actions:
            name = str(action.payload.get(match))
            found = new.get(name, [])
            if len(found) == 1:
                if found[0] != action.uuid:
                    rekeyed[action.id] = found[0]
            elif not found and by_name and name in old:
                self._taken_meanwhile(spec, action, old[name], before, failures)
            else:
                failures[action.id] = ApiError(
                    "OPNsense saved the bulk write, and %d new %s objects are named %r after it"
                    % (len(found), spec.type, name)
                ).with_context(action.type, action.name)

    def _refused(
        self, actions: List[Action], refused: Dict[str, List[Tuple[str, str]]], failures: Dict[str, OpnError]
    ) -> None:
        for action in actions:
            if action.id in refused:
                failures[action.id] = ValidationError(refused[action.id], source="opnsense").with_context(
                    action.type, action.name
                )

    def _named(self, spec: ResourceSpec, match: str, before: Rows) -> Tuple[Dict[str, List[str]], Dict[str, str]]:
        """The type's objects now, by name: those that are new since ``before`` (name -> uuids) and
        those that were there (name -> uuid)."""
        new: Dict[str, List[str]] = {}
        old: Dict[str, str] = {}
        for uuid, row in self.rows(spec).items():
            name = str(row.get(match))
            if uuid in before:
                old[name] = uuid
            else:
                new.setdefault(name, []).append(uuid)
        return new, old

    def _taken_meanwhile(
        self,
        spec: ResourceSpec,
        action: Action,
        uuid: Optional[str],
        before: Optional[Rows],
        failures: Dict[str, OpnError],
    ) -> None:
        """A create that a name-keyed import put onto an object that was there before it (another
        client gave that object the name after the writer read the names): the object gets its
        values back, and the create fails as not saved."""
        row = (before or {}).get(uuid or "")
        restored = row is not None
        if row is not None:
            self.upsert(spec, str(uuid), encode_payload(spec, decode_row(spec, row), row))
        failures[action.id] = ApiError(
            "OPNsense did not save it: another %s took the name %r while it was written (uuid %s%s)"
            % (
                spec.type,
                action.payload.get(self.bulk[spec.type].match),
                uuid,
                "; its values were put back" if restored else "",
            )
        ).with_context(action.type, action.name)

    def locate(
        self, spec: ResourceSpec, uuid: str, identity: Dict[str, Any], rows: Optional[Rows] = None
    ) -> Optional[str]:
        """Where an object a bulk request may have created is: under ``uuid`` when that exists,
        else the object whose identity fields hold ``identity`` (a create under a uuid the firewall
        picked, whose answer was lost), else None (it never landed). ``rows``: the type's objects
        as :meth:`rows` read them, when the caller has them."""
        rows = self.rows(spec) if rows is None else rows
        if uuid in rows or not identity:
            return uuid if uuid in rows else None
        fields = [(spec.field(name), value) for name, value in identity.items()]
        found = [
            candidate
            for candidate, row in rows.items()
            if all(
                item.api in row and normalise(item, decode(item, row[item.api])) == normalise(item, value)
                for item, value in fields
            )
        ]
        if len(found) > 1:  # names need not be unique (HAProxy): never guess which one is ours
            raise OpnError(
                "%d %s objects have the identity %s of an object a bulk request may have created; "
                "none was touched: delete the one this run created by hand" % (len(found), spec.type, identity)
            )
        return found[0] if found else None

    def _no_answer(self, spec: ResourceSpec, command: str, answer: Any) -> ApiError:
        return ApiError(
            "OPNsense did not take the bulk write (POST /api/%s answered %r)"
            % (self._path(spec, command), str(answer)[:200])
        )

    def rows(self, spec: ResourceSpec) -> Rows:
        """The type's objects by uuid (one search)."""
        return dict((str(row.get("uuid")), row) for row in self.pool.service(spec).list())

    def _path(self, spec: ResourceSpec, command: str) -> str:
        return "%s/%s/%s" % (spec.module, spec.controller, command)

    def _post(self, spec: ResourceSpec, command: str, body: Dict[str, Any]) -> Any:
        """One bulk request, retried after a lost answer (every bulk endpoint used is an upsert)."""
        service = self.pool.service(spec)
        path = self._path(spec, command)
        return service._call(lambda: service.client.post(path, body, retry=True))

    def _delete_strays(self, spec: ResourceSpec, endpoint: NameImport, actions: List[Action]) -> None:
        names = dict((a.payload.get(endpoint.match), a.uuid) for a in actions)
        service = self.pool.service(spec)
        for row in service.list():
            name = row.get(endpoint.match)
            if name in names and row.get("uuid") != names[name]:
                service.delete(str(row["uuid"]))

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
    "one_at_a_time",
    "server_computes",
    "supports_bulk_delete",
    "version_tuple",
]
