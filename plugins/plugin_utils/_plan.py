# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan as data: :class:`Action`, :class:`Plan` and the :class:`Inventory` it was planned against.

A plan is what the planner decides and everything later stages need, so that executing, rolling
back, journaling, saving and showing a plan never have to plan again:

- per action: the operation, the object's UUID (a client-chosen UUIDv4 for creates, so a retried or
  restored create keeps it), the exact payload to write, the pre-apply image to undo with, the
  normalised record to verify against, the field-level changes to show, a fingerprint of the object
  the action was planned against, and the actions that must finish first;
- per plan: stages (topological generations, for display), the deployment state to write on
  success, and what is needed to refuse a stale saved plan.

One exception to "the plan chose the UUID": a bulk request that creates under UUIDs the firewall
picks (the alias import, ``_bulk``). Such a create is *located* by its identity afterwards, and
:meth:`Plan.rekey` puts the firewall's UUID everywhere the planned one was (the action, the payloads
and expected values that reference it, the deployment state), before anything that depends on it
is written.

In memory, payloads hold secrets (they must reach OPNsense); :meth:`Plan.to_dict` is the only way
out to disk or to the task result and strips or masks them (see ``_redact``).
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import (
    RefIndex,
    decode_row,
    encode_payload,
    name_index,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._object_plan import CREATE, DELETE, NOOP, UPDATE
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import REDACTED, Redactor, strip_sensitive

OPS = (CREATE, UPDATE, DELETE, NOOP)
WRITES = (CREATE, UPDATE, DELETE)
PLAN_FORMAT = 1


def new_id(prefix: str = "") -> str:
    """A sortable unique id: ``<prefix>20260101T120000Z-1a2b3c``."""
    return "%s%s-%s" % (prefix, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()), uuidlib.uuid4().hex[:6])


def fingerprint(spec: ResourceSpec, payload: Optional[Dict[str, Any]]) -> str:
    """A digest of an object's API values (``absent`` when there is none).

    Sensitive values are left out: a digest of a short password is as good as the password to
    anyone with a wordlist, and the plan that holds it is written to disk.
    """
    if payload is None:
        return "absent"
    clean = strip_sensitive(spec, payload)[0]
    text = json.dumps(clean, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass
class Inventory:
    """What the refresh read: the manageable rows of each type, decoded, plus firewall facts."""

    specs: Dict[str, ResourceSpec]
    rows: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)
    version: Optional[str] = None
    facts: Any = None  # _facts.Facts: option lists and names for validation, when they were read
    _values: Dict[str, Dict[str, Dict[str, Any]]] = field(default_factory=dict)
    _builtin: Dict[str, Dict[str, Dict[str, Any]]] = field(default_factory=dict)
    _indexes: Dict[str, RefIndex] = field(default_factory=dict)

    def add(self, type_name: str, rows: List[Dict[str, Any]]) -> None:
        spec = self.specs[type_name]
        self.rows[type_name] = list(rows)
        self._values[type_name] = dict((str(row["uuid"]), decode_row(spec, row)) for row in rows)
        self._indexes.pop(type_name, None)

    def add_builtin(self, type_name: str, rows: List[Dict[str, Any]]) -> None:
        """Rows that cannot be managed but take names (built-in aliases, firewall.md 2.4)."""
        spec = self.specs[type_name]
        self._builtin[type_name] = dict((str(row.get("uuid")), decode_row(spec, row)) for row in rows)

    def builtin(self, type_name: str) -> Dict[str, Dict[str, Any]]:
        """``{uuid: decoded values}`` of a type's unmanageable rows (their uuid is their name)."""
        return self._builtin.get(type_name, {})

    def has(self, type_name: str) -> bool:
        return type_name in self.rows

    def objects(self, type_name: str) -> Dict[str, Dict[str, Any]]:
        """``{uuid: decoded values}`` (references as uuids) of one type."""
        return self._values.get(type_name, {})

    def get(self, type_name: str, uuid: str) -> Optional[Dict[str, Any]]:
        return self._values.get(type_name, {}).get(uuid)

    def row(self, type_name: str, uuid: str) -> Optional[Dict[str, Any]]:
        for row in self.rows.get(type_name, []):
            if str(row.get("uuid")) == uuid:
                return row
        return None

    def sample_row(self, type_name: str) -> Optional[Dict[str, Any]]:
        rows = self.rows.get(type_name) or []
        return rows[0] if rows else None

    def payload(self, type_name: str, uuid: str) -> Optional[Dict[str, Any]]:
        """The object's current values as an API payload (what an undo writes back)."""
        values = self.get(type_name, uuid)
        if values is None:
            return None
        return encode_payload(self.specs[type_name], values, self.sample_row(type_name))

    def index(self, type_name: str) -> RefIndex:
        """Name <-> uuid index of a type, named by its first identity field (as ``_resource`` does)."""
        if type_name not in self._indexes:
            self._indexes[type_name] = name_index(self.specs[type_name], self.objects(type_name).items())
        return self._indexes[type_name]

    def find_uuid(self, uuid: str) -> Optional[str]:
        """The type of the object with ``uuid`` among everything read, or None."""
        for type_name, values in self._values.items():
            if uuid in values:
                return type_name
        return None


@dataclass
class Action:
    """One planned change to one object."""

    id: str
    op: str
    type: str
    name: str
    uuid: str
    subsystem: Optional[str] = None
    identity: Dict[str, Any] = field(default_factory=dict)
    changes: List[Dict[str, Any]] = field(default_factory=list)
    payload: Dict[str, Any] = field(default_factory=dict)
    before: Optional[Dict[str, Any]] = None
    undo_fields: List[str] = field(default_factory=list)
    expected: Dict[str, Any] = field(default_factory=dict)
    fingerprint: str = "absent"
    adopted: bool = False
    move: Optional[Dict[str, Any]] = None
    after: List[str] = field(default_factory=list)
    stage: Optional[int] = None
    depends_on: List[str] = field(default_factory=list)
    requires: List[str] = field(default_factory=list)
    current_refs: List[str] = field(default_factory=list)
    withheld: List[str] = field(default_factory=list)
    before_withheld: List[str] = field(default_factory=list)
    order: int = 0
    # Written by a request that creates under a UUID the firewall picks: found by ``identity``
    # afterwards (and by an undo whose write's outcome is unknown), not by the planned UUID alone.
    located: bool = False

    @property
    def is_write(self) -> bool:
        return self.op in WRITES

    @property
    def label(self) -> str:
        return "%s %s" % (self.op, self.id)

    def to_dict(self, spec: ResourceSpec, redactor: Redactor, for_disk: bool = True) -> Dict[str, Any]:
        """The action without secrets: payloads lose sensitive values (listed in ``withheld``) and
        changes show them as ``********``."""
        return redactor.scrub(self.unscrubbed(spec, for_disk))

    def unscrubbed(self, spec: ResourceSpec, for_disk: bool = True) -> Dict[str, Any]:
        """:meth:`to_dict` before the redactor's scrub, for a caller that scrubs what holds it anyway
        (:meth:`Plan.to_dict`: scrubbing each of 15,000 actions twice was a tenth of the plan)."""
        payload, withheld = strip_sensitive(spec, self.payload)
        before, before_withheld = strip_sensitive(spec, self.before)
        sensitive = set(f.name for f in spec.fields if f.sensitive)
        changes = []
        for change in self.changes:
            if change["field"] in sensitive:
                change = dict(change)
                for side in ("before", "after"):
                    if change.get(side) not in (None, "", []):
                        change[side] = REDACTED
            changes.append(change)
        data: Dict[str, Any] = {
            "id": self.id,
            "op": self.op,
            "type": self.type,
            "name": self.name,
            "uuid": self.uuid,
            "subsystem": self.subsystem,
            "identity": self.identity,
            "changes": changes,
            "fingerprint": self.fingerprint,
            "adopted": self.adopted,
            "move": self.move,
            "after": list(self.after),
            "stage": self.stage,
            "depends_on": list(self.depends_on),
            "order": self.order,
        }
        if for_disk:
            expected = dict(self.expected)
            for name in sensitive:
                if expected.get(name) not in (None, "", []):
                    expected[name] = REDACTED
            data.update(
                payload=payload,
                before=before,
                undo_fields=list(self.undo_fields),
                expected=expected,
                withheld=sorted(set(withheld) | set(self.withheld)),
                before_withheld=sorted(set(before_withheld) | set(self.before_withheld)),
                current_refs=list(self.current_refs),
                requires=list(self.requires),
            )
        return data

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Action":
        return cls(
            id=data["id"],
            op=data["op"],
            type=data["type"],
            name=data["name"],
            uuid=data["uuid"],
            subsystem=data.get("subsystem"),
            identity=dict(data.get("identity") or {}),
            changes=list(data.get("changes") or []),
            payload=dict(data.get("payload") or {}),
            before=data.get("before"),
            undo_fields=list(data.get("undo_fields") or []),
            expected=dict(data.get("expected") or {}),
            fingerprint=data.get("fingerprint", "absent"),
            adopted=bool(data.get("adopted")),
            move=data.get("move"),
            after=list(data.get("after") or []),
            stage=data.get("stage"),
            depends_on=list(data.get("depends_on") or []),
            requires=list(data.get("requires") or []),
            current_refs=list(data.get("current_refs") or []),
            withheld=list(data.get("withheld") or []),
            before_withheld=list(data.get("before_withheld") or []),
            order=int(data.get("order") or 0),
        )


@dataclass
class Plan:
    """The actions of one deployment against one firewall, in dependency order."""

    id: str
    deployment: str
    firewall: str
    actions: List[Action] = field(default_factory=list)
    stages: List[List[str]] = field(default_factory=list)
    created: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    prune: bool = False
    firewall_version: Optional[str] = None
    state_fingerprint: str = ""
    new_state: List[Dict[str, Any]] = field(default_factory=list)
    forgotten: List[Dict[str, Any]] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    # Managed objects changed (or deleted) outside Ansible since the deployment's last apply:
    # ``{id, uuid, deleted, fields: [{field, applied, now}]}`` (``_planner.Planner._drift``).
    drift: List[Dict[str, Any]] = field(default_factory=list)
    # planned uuid -> the uuid the firewall gave the object (``rekey``)
    rekeyed: Dict[str, str] = field(default_factory=dict)
    # Creates must land under the planned uuids (a checkpoint restore puts objects back under the
    # uuids other objects still name): no bulk request that picks uuids itself.
    keep_uuids: bool = False

    def by_id(self) -> Dict[str, Action]:
        return dict((a.id, a) for a in self.actions)

    @property
    def writes(self) -> List[Action]:
        return [a for a in self.actions if a.is_write]

    @property
    def has_changes(self) -> bool:
        return bool(self.writes)

    def summary(self) -> Dict[str, int]:
        counts = dict((op, 0) for op in OPS)
        for action in self.actions:
            counts[action.op] += 1
        counts["adopt"] = sum(1 for a in self.actions if a.adopted)
        counts["move"] = sum(1 for a in self.actions if a.move)
        counts["drift"] = len(self.drift)
        return counts

    def subsystems(self) -> List[str]:
        return sorted(set(a.subsystem for a in self.writes if a.subsystem))

    def rekey(self, uuids: Dict[str, str], among: Optional[Iterable[str]] = None) -> None:
        """Objects created under UUIDs the firewall picked (``{action id: uuid}``): each action
        takes its object's UUID, and every payload, expected value and state entry that names the
        planned UUID names the firewall's instead. Called before any dependent is written. ``among``
        limits the search to these action ids (the dependents: a reference is an edge of the plan)
        and their state entries; None searches everything."""
        swaps: Dict[str, str] = {}
        by_id = self.by_id()
        for action_id, uuid in uuids.items():
            action = by_id.get(action_id)
            if action is not None and uuid and action.uuid != uuid:
                swaps[action.uuid] = uuid
                action.uuid = uuid
        if not swaps:
            return
        self.rekeyed.update(swaps)
        ids = None if among is None else set(among) | set(uuids)
        for action in self.actions if ids is None else [by_id[i] for i in ids if i in by_id]:
            action.payload = swap_uuids(action.payload, swaps)
            action.expected = swap_uuids(action.expected, swaps)
        self.new_state = [
            (
                entry
                if ids is not None and "%s/%s" % (entry.get("type"), entry.get("name")) not in ids
                else swap_uuids(entry, swaps)
            )
            for entry in self.new_state
        ]

    def lines(self) -> List[str]:
        """The plan as text, one line per change, in stage order (for humans)."""
        out = []
        by_id = self.by_id()
        for number, stage in enumerate(self.stages, 1):
            for action_id in stage:
                action = by_id[action_id]
                detail = ", ".join(c["field"] for c in action.changes)
                extra = " (adopt)" if action.adopted else ""
                if action.move:
                    extra += " (move %s -> %s)" % (action.move.get("from"), action.move.get("to"))
                out.append(
                    "stage %d: %s %s%s%s" % (number, action.op, action.id, extra, ": " + detail if detail else "")
                )
        for action in self.actions:
            if action.op == NOOP and action.adopted:
                out.append("adopt (no change) %s" % action.id)
        for item in self.drift:
            if item["deleted"]:
                out.append("drift %s: deleted outside Ansible (uuid %s)" % (item["id"], item["uuid"]))
                continue
            changed = "; ".join("%s: applied %r, now %r" % (f["field"], f["applied"], f["now"]) for f in item["fields"])
            out.append("drift %s: %s" % (item["id"], changed))
        return out

    def to_dict(self, specs: Dict[str, ResourceSpec], redactor: Redactor, for_disk: bool = True) -> Dict[str, Any]:
        data = {
            "format": PLAN_FORMAT,
            "id": self.id,
            "deployment": self.deployment,
            "firewall": self.firewall,
            "created": self.created,
            "prune": self.prune,
            "firewall_version": self.firewall_version,
            "state_fingerprint": self.state_fingerprint,
            "summary": self.summary(),
            "stages": [list(s) for s in self.stages],
            # Unchanged resources are only counted in the task result (``summary``): a 500-resource
            # no-op run would otherwise ship 500 entries through Ansible's result pipeline.
            "actions": [
                a.unscrubbed(specs[a.type], for_disk) for a in self.actions if for_disk or a.is_write or a.adopted
            ],
            "warnings": list(self.warnings),
            "forgotten": list(self.forgotten),
            "drift": list(self.drift),
            "adoptions": [a.id for a in self.actions if a.adopted],
            "keep_uuids": self.keep_uuids,
        }
        if for_disk:
            data["new_state"] = list(self.new_state)
        return redactor.scrub_new(data)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Plan":
        plan = cls(
            id=data["id"],
            deployment=data["deployment"],
            firewall=data["firewall"],
            actions=[Action.from_dict(a) for a in data.get("actions", [])],
            stages=[list(s) for s in data.get("stages", [])],
            created=data.get("created", ""),
            prune=bool(data.get("prune")),
            firewall_version=data.get("firewall_version"),
            state_fingerprint=data.get("state_fingerprint", ""),
            new_state=list(data.get("new_state") or []),
            forgotten=list(data.get("forgotten") or []),
            drift=list(data.get("drift") or []),
            warnings=list(data.get("warnings") or []),
            keep_uuids=bool(data.get("keep_uuids")),
        )
        return plan


def swap_uuids(value: Any, swaps: Dict[str, str]) -> Any:
    """``value`` with every UUID in ``swaps`` replaced, wherever it stands: as a whole string, as an
    item of a comma-separated reference list (how the API takes them) or of a list. Planned UUIDs are
    random UUIDv4s, so nothing else can be equal to one. Unchanged containers are returned as they
    are (an action in flight keeps the very payload it is being sent with)."""
    if isinstance(value, str):
        if value in swaps:
            return swaps[value]
        if "," in value:
            parts = value.split(",")
            if any(p in swaps for p in parts):
                return ",".join(swaps.get(p, p) for p in parts)
        return value
    if isinstance(value, dict):
        swapped = dict((k, swap_uuids(v, swaps)) for k, v in value.items())
        return swapped if any(swapped[k] is not value[k] for k in value) else value
    if isinstance(value, list):
        items = [swap_uuids(v, swaps) for v in value]
        return items if any(a is not b for a, b in zip(items, value)) else value
    return value


def ansible_diff(plan: Plan, specs: Dict[str, ResourceSpec], redactor: Redactor) -> List[Dict[str, Any]]:
    """Ansible's ``diff`` list: one before/after pair per changed object, secrets masked."""
    out = []
    for action in plan.actions:
        if not action.is_write:
            continue
        sensitive = set(f.name for f in specs[action.type].fields if f.sensitive)
        before: Dict[str, Any] = {}
        after: Dict[str, Any] = {}
        for change in action.changes:
            name = change["field"]
            old, new = change.get("before"), change.get("after")
            if name in sensitive:
                old = REDACTED if old not in (None, "", []) else old
                new = REDACTED if new not in (None, "", []) else new
            before[name] = old
            after[name] = new
        header = "opnsense:%s/%s%s" % (action.type, action.name, " (adopted)" if action.adopted else "")
        if action.op == CREATE:
            before = {}
        if action.op == DELETE:
            after = {}
        out.append(
            {
                "before_header": header,
                "after_header": header,
                "before": redactor.scrub(before),
                "after": redactor.scrub(after),
            }
        )
    return out


def action_ids(actions: Iterable[Action]) -> List[str]:
    return [a.id for a in actions]
