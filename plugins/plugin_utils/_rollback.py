# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Undoing writes (design.md 3 step 8): in a failed apply, and when recovering a killed run.

Each write the run made, or may have made, is undone in reverse completion order, which is also a
valid dependency order (a dependent is written after what it depends on, so it is undone first):

- a create is undone by deleting the object (``not found`` counts as undone: it never landed); one
  a bulk request may have created under a uuid the firewall picked (``Action.located``) is looked
  for by its identity first;
- an update by writing back the original values of the fields it sent;
- a delete by upserting the object's pre-apply image under its **original UUID**
  (``set<Item>/<uuid>`` creates under a well-formed UUIDv4, opnsense-api/generic.md 4), so every
  reference to it is valid again.

Every undo is idempotent, so a write whose outcome is unknown (the answer was lost) is undone the
same way as one that succeeded. Undo failures are collected with their reason and reported, never
hidden. Secrets are never on disk, so an undo replayed from the journal cannot restore a sensitive
value; such a field is reported as not restored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import decode
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import normalise as normalise_value
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink, action_ref
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import CREATE, DELETE, UPDATE, Action
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import Writer


@dataclass
class UndoStep:
    """One undo: ``delete`` (of a created object), ``revert`` (an update) or ``restore`` (a delete)."""

    action_id: str
    op: str
    type: str
    name: str
    uuid: str
    kind: str
    subsystem: Optional[str] = None
    payload: Dict[str, Any] = field(default_factory=dict)
    missing: List[str] = field(default_factory=list)
    locate: Dict[str, Any] = field(default_factory=dict)  # identity of a create to find first

    def as_dict(self) -> Dict[str, Any]:
        return {
            "id": self.action_id,
            "op": self.op,
            "undo": self.kind,
            "type": self.type,
            "name": self.name,
            "uuid": self.uuid,
        }


def undo_step(action: Action) -> UndoStep:
    """How to undo one action, from its plan (or journal) record."""
    step = UndoStep(action.id, action.op, action.type, action.name, action.uuid, "delete", action.subsystem)
    before = dict(action.before or {})
    if action.op == CREATE:
        if action.located:
            step.locate = dict(action.identity)
        return step
    if action.op == UPDATE:
        step.kind = "revert"
        fields = action.undo_fields or sorted(action.payload)
        step.payload = dict((f, before[f]) for f in fields if f in before)
        step.missing = sorted(
            f for f in fields if f not in before and f in set(action.before_withheld) | set(action.withheld)
        )
        return step
    if action.op == DELETE:
        step.kind = "restore"
        step.payload = before
        step.missing = sorted(action.before_withheld)
        return step
    raise ValueError("nothing to undo for %s" % action.label)


@dataclass
class RollbackResult:
    rolled_back: List[Dict[str, Any]] = field(default_factory=list)
    failed: List[Dict[str, Any]] = field(default_factory=list)
    subsystems: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


class UndoHooks(object):
    """Journal records around each undo; the defaults do nothing."""

    def before_undo(self, step: UndoStep) -> None:
        pass

    def after_undo(self, step: UndoStep, ok: bool, error: Optional[str]) -> None:
        pass


class Rollback(object):
    """Runs undo steps one at a time (order matters more than speed here)."""

    def __init__(
        self,
        writer: Writer,
        specs: Dict[str, ResourceSpec],
        events: EventSink,
        hooks: Optional[UndoHooks] = None,
    ) -> None:
        self.writer = writer
        self.specs = specs
        self.events = events
        self.hooks = hooks or UndoHooks()

    def run(self, steps: List[UndoStep], reason: str = "") -> RollbackResult:
        result = RollbackResult()
        self.events.emit("rollback_start", total=len(steps), status=reason or None)
        for number, step in enumerate(steps, 1):
            started = time.time()
            self.hooks.before_undo(step)
            error: Optional[str] = None
            try:
                self._undo(step)
            except OpnError as exc:
                error = str(exc.with_context(step.type, step.name))
            except Exception as exc:  # noqa: BLE001 - report every undo failure, keep undoing
                error = "%s: %s" % (type(exc).__name__, exc)
            self.hooks.after_undo(step, error is None, error)
            duration = int(round((time.time() - started) * 1000.0))
            entry = dict(step.as_dict(), duration_ms=duration)
            if step.subsystem and step.subsystem not in result.subsystems:
                result.subsystems.append(step.subsystem)
            if error is None:
                if step.missing:
                    entry["not_restored"] = list(step.missing)
                    result.failed.append(
                        dict(
                            step.as_dict(),
                            error="sensitive field(s) %s could not be restored: secrets are never written to disk"
                            % ", ".join(step.missing),
                        )
                    )
                result.rolled_back.append(entry)
            else:
                result.failed.append(dict(step.as_dict(), error=error))
            self.events.emit(
                "rollback_action",
                action=action_ref(step.op, step.type, step.name),
                undo=step.kind,
                status="ok" if error is None else "failed",
                error=error,
                duration_ms=duration,
                completed=number,
                total=len(steps),
            )
        return result

    def _undo(self, step: UndoStep) -> None:
        spec = self.specs[step.type]
        if step.kind == "delete":
            if step.locate:
                found = self.writer.locate(spec, step.uuid, step.locate)
                if found is None:
                    return  # it never landed
                step.uuid = found
            self.writer.delete(spec, [step.uuid])
        elif step.payload:
            self.writer.upsert(spec, step.uuid, step.payload)


def verify_undone(
    steps: Iterable[UndoStep], rows: Dict[str, List[Dict[str, Any]]], specs: Dict[str, ResourceSpec]
) -> List[Dict[str, Any]]:
    """Check that the pre-apply state is back; one entry per object that is not as it was."""
    problems: List[Dict[str, Any]] = []
    by_type = dict((t, dict((str(r.get("uuid")), r) for r in found)) for t, found in rows.items())
    for step in steps:
        spec = specs[step.type]
        row = by_type.get(step.type, {}).get(step.uuid)
        if step.kind == "delete":
            if row is not None:
                problems.append(dict(step.as_dict(), error="still on the firewall after the rollback"))
            continue
        if row is None:
            problems.append(dict(step.as_dict(), error="missing after the rollback"))
            continue
        for api, value in step.payload.items():
            item = spec.by_api(api)
            if item is None or api not in row:
                continue
            if normalise_value(item, decode(item, row[api])) != normalise_value(item, decode(item, value)):
                problems.append(dict(step.as_dict(), error="field %s was not restored" % item.name))
    return problems
