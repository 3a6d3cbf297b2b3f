# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ensure one object of any resource type is present (as described) or absent.

This is the whole per-resource flow without Ansible around it, so it can be tested directly:
validate locally, read the type (one search), find the object by identity, validate against the
firewall (its option lists from the blank item when a field needs them, the names of the objects
a field may name, unique keys, references by name: one search per referenced type), plan the object
(``_object_plan.plan_object``: operation, compared fields, changes, payload, expected read-back and
diff display, as the apply engine plans it), write (unless in check mode) as an upsert under a
client-chosen uuid, read back (``_object_plan.read_back_differences``), and reload the type's
subsystem. Every problem found before the write is reported at once;
every error raised from here names the resource type and object
(``_errors.OpnError.with_context``). In check mode a name that only an earlier task of the play
would create is a warning, not an error.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._constraints import clashes
from ansible_collections.opnform.opnsense.plugins.module_utils._diff import identity_key, normalise, redact
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    AmbiguousError,
    ApiError,
    OpnError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts, needs_blank
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import (
    RefIndex,
    decode_row,
    encode_payload,
    name_index,
    resolve_refs,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._object_plan import (
    index_names,
    is_empty,
    name_refs,
    plan_object,
    read_back_differences,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._service import ResourceService, is_managed_row
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.module_utils._validate import facts_only, shape_problem, validate


def ref_index(client: Any, spec: ResourceSpec) -> RefIndex:
    """Name <-> uuid index of every object of ``spec``'s type (named by its first identity field)."""
    return name_index(spec, ((str(row["uuid"]), decode_row(spec, row)) for row in ResourceService(client, spec).list()))


def find_object(spec: ResourceSpec, rows: List[Dict[str, Any]], desired: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The one row whose identity equals the desired record's, or None; duplicates are an error."""
    key = identity_key(spec, desired)
    matches = [row for row in rows if identity_key(spec, decode_row(spec, row)) == key]
    if len(matches) > 1:
        raise AmbiguousError(
            "%d objects on the firewall match this identity (%s; uuids %s); remove the duplicates first"
            % (len(matches), ", ".join(spec.identity), ", ".join(str(r.get("uuid")) for r in matches))
        )
    return matches[0] if matches else None


class ResourceRun(object):
    """One ensure-present / ensure-absent run for one object."""

    def __init__(
        self,
        spec: ResourceSpec,
        params: Dict[str, Any],
        client: Any,
        check_mode: bool = False,
        want_diff: bool = False,
        registry: Optional[Dict[str, ResourceSpec]] = None,
    ) -> None:
        self.spec = spec
        self.params = params
        self.client = client
        self.check_mode = check_mode
        self.want_diff = want_diff
        self.registry = registry if registry is not None else REGISTRY
        self.warnings: List[str] = []
        self.desired = dict((f.name, params.get(f.name)) for f in spec.fields)
        self.name = spec.display_name(dict((i, self.desired.get(i)) for i in spec.identity))
        self.label = "%s/%s" % (spec.type, self.name)
        self._indexes: Dict[str, RefIndex] = {}
        self._missing_refs: List[str] = []

    def run(self) -> Dict[str, Any]:
        """Do it; the result dict is what the module returns (plus ``warnings``)."""
        try:
            result = self._run()
        except OpnError as exc:
            raise exc.with_context(self.spec.type, self.name) from None
        result["warnings"] = self.warnings
        return result

    # -- flow ---------------------------------------------------------------------------------

    def _run(self) -> Dict[str, Any]:
        state = self.params.get("state") or "present"
        if state == "absent" and self.spec.settings:
            raise ValidationError(
                [
                    (
                        "state",
                        "%s settings cannot be absent: they exist once per firewall and are only "
                        "ever updated" % self.spec.type,
                    )
                ]
            )
        errors = validate(self.spec, self.desired, identity_only=state == "absent")
        if errors and state == "absent":
            raise ValidationError(errors)
        service = ResourceService(self.client, self.spec)
        every = service.list_all()
        rows = [r for r in every if is_managed_row(r)]
        row = find_object(self.spec, rows, self.desired)
        if state == "absent":
            return self._absent(service, row)
        errors += self._firewall_problems(service, every, row, errors)
        if errors:
            references = all(field in self._missing_refs for field, _message in errors)
            raise ValidationError(errors, kind="reference" if references else None)
        return self._present(service, rows, row)

    def _firewall_problems(
        self, service: ResourceService, every: List[Dict[str, Any]], row: Optional[Dict[str, Any]], known: List[Any]
    ) -> List[Any]:
        """What the firewall adds to the local checks: its option lists (the blank item, read when a
        field needs it), the names a field may mention (one search of that type), unique keys
        against its other objects and references by name. In check mode a name nothing has yet is a
        warning: an earlier task may be about to create it."""
        spec = self.spec
        facts = Facts()
        facts.add_rows(spec, every)
        if needs_blank(spec, [self.desired]):
            item = service.blank()
            if item is not None:
                facts.add_blank(spec, item)
        mentioned = sorted(set(f.mentions for f in spec.mention_fields if f.mentions and self.desired.get(f.name)))
        for type_name in mentioned:
            if type_name != spec.type:
                facts.add_rows(
                    self.registry[type_name], ResourceService(self.client, self.registry[type_name]).list_all()
                )
        problems = facts_only(spec, self.desired, facts.without_names(mentioned), known)
        if self.check_mode:
            for field, message in facts_only(spec, self.desired, facts, known + problems):
                self.warnings.append(
                    "%s: %s: %s; check mode assumes an earlier task creates what it names"
                    % (self.label, field, message)
                )
        else:
            problems = facts_only(spec, self.desired, facts, known)
        existing = dict((str(r.get("uuid")), decode_row(spec, r)) for r in every)
        uuid = str(row["uuid"]) if row is not None else None
        for _label, field, message in clashes(spec, [(self.name, self.desired, uuid)], existing):
            problems.append((field, message))
        # Values of the wrong type were reported already; references are resolved for the rest.
        usable = dict(
            (f.name, None if shape_problem(f, self.desired.get(f.name)) else self.desired.get(f.name))
            for f in spec.fields
        )
        self._indexes_for(usable, decode_row(spec, row) if row is not None else None)
        self._missing_refs = []
        if not self.check_mode:
            missing: List[Any] = []
            resolve_refs(spec, usable, self._indexes, missing)
            for item, ref_name in missing:
                problems.append((item.name, self._indexes[item.ref or ""].missing(ref_name)))
                self._missing_refs.append(item.name)
        return problems

    def _present(
        self, service: ResourceService, rows: List[Dict[str, Any]], row: Optional[Dict[str, Any]]
    ) -> Dict[str, Any]:
        spec = self.spec
        current = decode_row(spec, row) if row is not None else None
        self._indexes_for(self.desired, current)
        missing: Optional[List[Any]] = [] if self.check_mode else None
        desired_uuids = resolve_refs(spec, self.desired, self._indexes, missing)
        plan = plan_object(spec, desired_uuids, current, index_names(self._indexes), self.desired, self.label)
        self.warnings.extend(plan.warnings)
        for item, ref_name in missing or []:
            # A chain of module tasks in --check: an earlier task would have created the object.
            self.warnings.append(
                "%s: %s: no %s named %r exists yet; check mode assumes an earlier task creates it"
                % (self.label, item.name, item.ref, ref_name)
            )
        uuid = row.get("uuid") if row is not None else None
        after = plan.after
        reloaded: List[str] = []
        if plan.changed and not self.check_mode:
            payload = encode_payload(spec, plan.values, rows[0] if rows else None)
            if row is None:
                uuid = service.create(payload)
            else:
                service.update(str(uuid), payload)
            after = self._read_back(service, str(uuid), plan.expected)
            reloaded = self._reload(service)
        result = {
            "changed": plan.changed,
            "uuid": uuid,
            "resource": redact(spec, after),
            "changed_fields": plan.changed_fields,
            "reloaded": reloaded,
        }
        if self.want_diff and plan.changed:
            result["diff"] = self._diff(plan.before, after)
        return result

    def _absent(self, service: ResourceService, row: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        if row is None:
            return {"changed": False, "uuid": None, "resource": {}, "changed_fields": [], "reloaded": []}
        current = decode_row(self.spec, row)
        uuid = str(row["uuid"])
        reloaded: List[str] = []
        if self.want_diff:
            self._indexes_for({}, current)
        plan = plan_object(self.spec, None, current, index_names(self._indexes))
        if not self.check_mode:
            service.delete(uuid)
            reloaded = self._reload(service)
        result = {"changed": True, "uuid": uuid, "resource": {}, "changed_fields": [], "reloaded": reloaded}
        if self.want_diff:
            result["diff"] = self._diff(plan.before, {})
        return result

    # -- helpers ------------------------------------------------------------------------------

    def _indexes_for(self, desired: Dict[str, Any], current: Optional[Dict[str, Any]]) -> None:
        """Load the name index of every referenced type that this record actually uses."""
        for item in self.spec.ref_fields:
            used = not is_empty(desired.get(item.name)) or (
                current is not None and not is_empty(current.get(item.name))
            )
            if used and item.ref not in self._indexes:
                self._indexes[item.ref] = ref_index(self.client, self.registry[item.ref])

    def _read_back(self, service: ResourceService, uuid: str, expected: Dict[str, Any]) -> Dict[str, Any]:
        """What OPNsense stored, normalised; a field stored differently from what was sent is
        reported as a warning (the next run would show it as a change)."""
        row = next((r for r in service.list() if str(r.get("uuid")) == uuid), None)
        if row is None:
            raise ApiError("OPNsense reported the write as saved, but uuid %s is not in its list" % uuid)
        stored = decode_row(self.spec, row)
        self._indexes_for({}, stored)
        names = index_names(self._indexes)
        for change in read_back_differences(self.spec, stored, expected, [n for n in expected if n in stored], names):
            self.warnings.append(
                "%s: %s: OPNsense stored %r, not %r; the next run will report a change"
                % (self.label, change.field, change.before, change.after)
            )
        return normalise(self.spec, name_refs(self.spec, stored, names), stored.keys())

    def _reload(self, service: ResourceService) -> List[str]:
        if not self.params.get("reload", True) or not self.spec.reload:
            return []
        try:
            outcome = service.reload()
        except OpnError as exc:
            exc.message += (
                " (the change itself was saved; fix the cause and run opnform.opnsense.reload with "
                "subsystems=[%s])" % self.spec.reload
            )
            raise
        if outcome:
            self.warnings.extend(outcome.get("warnings", []))
        return [self.spec.reload]

    def _diff(self, before: Dict[str, Any], after: Dict[str, Any]) -> Dict[str, Any]:
        header = self.label
        return {
            "before": redact(self.spec, before),
            "after": redact(self.spec, after),
            "before_header": header,
            "after_header": header,
        }
