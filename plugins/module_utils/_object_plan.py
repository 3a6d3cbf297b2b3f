# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan for one object: the one place that decides what to do with it (pure, no I/O).

Every path that writes an object goes through :func:`plan_object`: the per-resource modules
(``_resource.ResourceRun``, on the target), the apply/plan engine (``_planner.Planner``) and the
checkpoint restore (``_checkpoints_restore.RestorePlanner``). Given the desired record (references
as uuids, or ``None`` to delete), the current record (decoded, or ``None`` when the object does not
exist) and a uuid -> name lookup for references, it returns an :class:`ObjectPlan`:

- the operation: create, update, delete or noop;
- the compared fields: every field the desired record has, except computed (``auto``) fields left
  empty and fields this firewall's API does not have (a warning when a value is lost that way);
- the field-level changes, decided on the values that are written (references as uuids) and shown
  with references as names;
- the values to send: everything compared on create; on update the changed fields plus the
  identity and computed fields (sent unchanged: VLAN setItem recomputes the device name from what is
  posted, opnsense-api/interfaces-and-services.md 1);
- the normalised record expected back from OPNsense after the write;
- before and after records for display, references shown as names.

:func:`read_back_differences` compares what OPNsense stored with that expected record (the module's
read-back warning and the engine's post-apply verification). The helpers every planner shares are
exported from here too (they live in ``_fields``, below ``_diff``): :func:`is_empty`, the one "no
value" test, :func:`as_list`, :func:`name_refs` (references shown as names, from ``{type: RefIndex}``
or a ``name_of(type, uuid)`` lookup) and :func:`index_names`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._diff import Change, apply_changes, diff, normalise
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import (
    NameOf,
    as_list,
    index_names,
    is_empty,
    name_refs,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import normalise as normalise_value
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec

CREATE = "create"
UPDATE = "update"
DELETE = "delete"
NOOP = "noop"

MISSING_FIELD = "%s: %s: this firewall's API has no such field, the value is ignored"


def compared_fields(
    spec: ResourceSpec, desired: Dict[str, Any], current: Optional[Dict[str, Any]], label: str, warnings: List[str]
) -> List[str]:
    """Fields to compare and send: those ``desired`` has, except computed fields left empty and fields
    this firewall's API does not have (older releases, a simulator with fewer fields); a value other
    than the default lost that way is a warning appended to ``warnings``."""
    names = []
    for item in spec.fields:
        if item.name not in desired:
            continue
        value = desired[item.name]
        if item.auto and is_empty(value):
            continue
        if current is not None and item.name not in current:
            if normalise_value(item, value) != normalise_value(item, item.default):
                warnings.append(MISSING_FIELD % (label, item.name))
            continue
        names.append(item.name)
    return names


@dataclass
class ObjectPlan:
    """What to do with one object, and what to show and expect of it."""

    op: str
    compared: List[str] = field(default_factory=list)
    changes: List[Change] = field(default_factory=list)  # normalised, references as names
    values: Dict[str, Any] = field(default_factory=dict)  # to send: user names, references as uuids
    expected: Dict[str, Any] = field(default_factory=dict)  # normalised read-back, references as uuids
    before: Dict[str, Any] = field(default_factory=dict)  # for display, references as names
    after: Dict[str, Any] = field(default_factory=dict)
    warnings: List[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.op != NOOP

    @property
    def changed_fields(self) -> List[str]:
        return [c.field for c in self.changes]

    def change_dicts(self) -> List[Dict[str, Any]]:
        """The changes as plan actions carry them (no before for a create, no after for a delete)."""
        out = []
        for change in self.changes:
            entry = change.as_dict()
            if self.op == CREATE:
                entry["before"] = None
            elif self.op == DELETE:
                entry["after"] = None
            out.append(entry)
        return out


def plan_object(
    spec: ResourceSpec,
    desired: Optional[Dict[str, Any]],
    current: Optional[Dict[str, Any]],
    names: Optional[NameOf] = None,
    shown: Optional[Dict[str, Any]] = None,
    label: str = "",
) -> ObjectPlan:
    """The plan for one object.

    ``desired``: the record to hold (references as uuids; the fields it has are the ones that count),
    or None to delete the object. ``current``: the object as decoded from the firewall, or None.
    ``names``: reference names for display (current side). ``shown``: the desired record as the user
    named it (default: ``desired`` with ``names`` applied): the same values as ``desired`` except in
    the reference fields. ``label``: ``type/name`` for warnings.
    """
    named = name_refs(spec, current, names) if current is not None else {}
    before = normalise(spec, named, current.keys()) if current is not None else {}
    if desired is None:
        if current is None:
            return ObjectPlan(NOOP)
        present = [n for n in named if not is_empty(named.get(n))]
        return ObjectPlan(DELETE, changes=diff(spec, named, {}, present), before=before)
    if shown is None:
        shown = name_refs(spec, desired, names)
    warnings: List[str] = []
    compare = compared_fields(spec, desired, current, label, warnings)
    if current is None:
        # A create: every compared field that is not empty is a change. Normalised once each way
        # (a large first apply is all creates).
        after = normalise(spec, shown, compare)
        expected = dict(after)  # ``shown`` differs from ``desired`` in the references alone
        for item in spec.ref_fields:
            if item.name in expected:
                expected[item.name] = normalise_value(item, desired.get(item.name))
        return ObjectPlan(
            CREATE,
            compared=compare,
            changes=created_fields(spec, after),
            values=dict((n, desired.get(n)) for n in compare),
            expected=expected,
            after=after,
            warnings=warnings,
        )
    expected = normalise(spec, desired, compare)
    changes = []
    for change in diff(spec, current, desired, compare):
        item = spec.field(change.field)
        old = normalise_value(item, named.get(item.name))
        new = normalise_value(item, shown.get(item.name))
        # Other uuids behind the same names: show the uuids.
        changes.append(Change(item.name, old, new) if old != new else change)
    plan = ObjectPlan(
        UPDATE if changes else NOOP,
        compared=compare,
        changes=changes,
        expected=expected,
        before=before,
        after=apply_changes(before, changes),
        warnings=warnings,
    )
    if changes:
        plan.values = update_values(spec, desired, current, compare, [c.field for c in changes])
    return plan


_EMPTY: Dict[int, Any] = {}  # id(field spec) -> its normalised empty value; specs live as long as the process


def created_fields(spec: ResourceSpec, after: Dict[str, Any]) -> List[Change]:
    """The changes of a create: each field of the normalised ``after`` (in spec order) that differs
    from empty."""
    changes = []
    for name, value in after.items():
        item = spec.field(name)
        empty = _EMPTY.get(id(item), _EMPTY)
        if empty is _EMPTY:
            empty = _EMPTY[id(item)] = normalise_value(item, None)
        if value != empty:
            changes.append(Change(name, empty, value))
    return changes


def update_values(
    spec: ResourceSpec, desired: Dict[str, Any], current: Dict[str, Any], compare: List[str], changed: Iterable[str]
) -> Dict[str, Any]:
    """What an update sends: the changed fields, plus the identity (messages stay clear) and the
    computed fields, desired where compared, else as they are now."""
    values = dict((name, desired.get(name)) for name in changed)
    for item in spec.fields:
        if item.name in values or not (item.auto or item.name in spec.identity):
            continue
        if item.name in compare:
            values[item.name] = desired.get(item.name)
        elif item.name in current:
            values[item.name] = current[item.name]
    return values


def read_back_differences(
    spec: ResourceSpec,
    stored: Dict[str, Any],
    expected: Dict[str, Any],
    fields: Optional[Iterable[str]] = None,
    names: Optional[NameOf] = None,
) -> List[Change]:
    """How what OPNsense stored (decoded row) differs from the record a plan expected, one
    ``Change(field, stored, expected)`` per field of ``expected`` (or of ``fields``), in its order;
    with ``names``, reference values are shown as names."""
    items = dict((item.name, item) for item in spec.fields)
    wanted = list(expected) if fields is None else [n for n in fields if n in expected]
    out = []
    for name in wanted:
        item = items.get(name)
        if item is None:  # a field this version no longer knows (a plan saved before): OPNsense has no value
            held, want = None, expected[name]
        else:
            held, want = normalise_value(item, stored.get(name)), normalise_value(item, expected[name])
        if held == want:
            continue
        if names is not None and item is not None and item.ref:
            held = normalise_value(item, name_refs(spec, {name: held}, names)[name])
            want = normalise_value(item, name_refs(spec, {name: want}, names)[name])
        out.append(Change(name, held, want))
    return out


__all__ = [
    "CREATE",
    "DELETE",
    "NOOP",
    "UPDATE",
    "NameOf",
    "ObjectPlan",
    "as_list",
    "compared_fields",
    "index_names",
    "is_empty",
    "name_refs",
    "plan_object",
    "read_back_differences",
    "update_values",
]
