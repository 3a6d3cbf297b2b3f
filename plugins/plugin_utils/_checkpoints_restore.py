# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore planning: a checkpoint + what the firewall holds now -> a :class:`Plan` for the apply engine.

Pure: no I/O. Over the checkpoint's scope (its types), every object is compared by UUID:

- on the firewall but not in the checkpoint (created since): **delete**;
- in both with different values (changed since): **update**, sending the fields that differ (plus
  the identity and server-computed fields, as the planner does) from the checkpoint;
- in the checkpoint only (deleted since): **create** under its original UUID (``set<Item>/<uuid>``
  creates under a client-chosen UUIDv4, opnsense-api/generic.md 4), so references to it hold again;
- equal: nothing.

Every object is planned by ``_object_plan.plan_object``, as the planner and the per-resource modules
plan theirs: compared on the values written (uuids), shown with the names objects have after the
restore (a deleted object with the names they have now).

Objects of types outside the scope are never written; built-in and legacy rows never appear (the
service skips them when reading). The plan is ordered like any other (``_graph``): what an object
refers to is written first, what still refers to a deleted object is changed or deleted first, and
an object that takes over an identity (a name) waits for the object giving it up. Problems that
OPNsense would only report half-way (deleting an object something outside the restore still uses,
a reference to an object that will not exist, a rule naming an alias that is gone, an option the
firewall no longer offers) fail the plan before any write, every one named.

Sensitive values are never in a checkpoint: an update leaves them as they are on the firewall, and
an object re-created by a restore is created without them (reported in ``not_restored``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._diff import identity_key
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import (
    decode_row,
    encode,
    encode_payload,
    referenced,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._object_plan import as_list, name_refs, plan_object
from ansible_collections.opnform.opnsense.plugins.module_utils._php import filter_ip, is_subnet
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import FieldSpec, ResourceSpec
from ansible_collections.opnform.opnsense.plugins.module_utils._validate import facts_only
from ansible_collections.opnform.opnsense.plugins.plugin_utils._graph import add_edges, build, check_acyclic, stages
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import (
    CREATE,
    DELETE,
    UPDATE,
    Action,
    Inventory,
    Plan,
    fingerprint,
    new_id,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import PlanError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import REDACTED
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource


@dataclass
class RestorePlan:
    """The plan plus what the plan cannot carry."""

    plan: Plan
    warnings: List[str] = field(default_factory=list)
    not_restored: List[Dict[str, Any]] = field(default_factory=list)
    deployments: Dict[str, DeploymentState] = field(default_factory=dict)
    unchanged: int = 0

    def summary(self) -> Dict[str, int]:
        counts = self.plan.summary()
        return {
            "create": counts[CREATE],
            "update": counts[UPDATE],
            "delete": counts[DELETE],
            "unchanged": self.unchanged,
        }


class _World(object):
    """The objects of one side (the checkpoint's, or the firewall's now), decoded, with name lookups."""

    def __init__(self, registry: Dict[str, ResourceSpec]) -> None:
        self.registry = registry
        self.values: Dict[str, Dict[str, Dict[str, Any]]] = {}

    def put(self, type_name: str, uuid: str, values: Dict[str, Any]) -> None:
        self.values.setdefault(type_name, {})[uuid] = values

    def get(self, type_name: str, uuid: str) -> Optional[Dict[str, Any]]:
        return self.values.get(type_name, {}).get(uuid)

    def has_type(self, type_name: str) -> bool:
        return type_name in self.values

    def name(self, type_name: str, uuid: str) -> Optional[str]:
        values = self.get(type_name, uuid)
        if values is None:
            return None
        spec = self.registry[type_name]
        value = values.get(spec.identity[0]) if spec.identity else spec.display_name(values)
        return None if value is None else str(value)

    def by_name(self, type_name: str, name: str) -> List[str]:
        spec = self.registry[type_name]
        if not spec.identity:
            return []  # settings are never named by other objects
        first = spec.identity[0]
        return sorted(u for u, v in self.values.get(type_name, {}).items() if str(v.get(first)) == name)


class RestorePlanner(object):
    """Plans the restore of one checkpoint against one firewall's inventory."""

    def __init__(
        self,
        registry: Dict[str, ResourceSpec],
        checkpoint: Dict[str, Any],
        inventory: Inventory,
        firewall: str,
        deployment: str,
        secrets: Optional[Dict[Tuple[str, str], Dict[str, Any]]] = None,
    ) -> None:
        self.registry = registry
        self.checkpoint = checkpoint
        self.secrets = dict(secrets or {})
        self.secrets_used: Set[Tuple[str, str]] = set()
        self.inventory = inventory
        self.firewall = firewall
        self.deployment = deployment
        self.problems: List[str] = []
        self.warnings: List[str] = []
        self.not_restored: List[Dict[str, Any]] = []
        unknown = [t for t in checkpoint.get("scope", []) if t not in registry]
        if unknown:
            raise PlanError(
                [
                    "checkpoint %s covers type(s) %s, which this version of opnform.opnsense does not know; "
                    "it cannot be restored with it" % (checkpoint.get("id"), ", ".join(sorted(unknown)))
                ],
                "checkpoint",
            )
        order = dict((t, i) for i, t in enumerate(registry))
        self.scope = sorted(checkpoint.get("scope", []), key=lambda t: order[t])
        self.stored: Dict[str, Dict[str, Dict[str, Any]]] = checkpoint.get("objects") or {}
        self.withheld: Dict[str, List[str]] = checkpoint.get("withheld") or {}
        missing = [t for t in self.scope if not inventory.has(t)]
        if missing:
            raise PlanError(["the firewall's %s objects were not read" % ", ".join(missing)], "checkpoint")

    # -- the two worlds ------------------------------------------------------------------------

    def _worlds(self) -> None:
        """``now``: what the firewall holds; ``then``: what it will hold after the restore (the
        checkpoint for types in scope, the firewall as it is for the others)."""
        self.now = _World(self.registry)
        self.then = _World(self.registry)
        for type_name in self.inventory.rows:
            if type_name not in self.registry:
                continue
            self.now.values.setdefault(type_name, {})
            if type_name not in self.scope:
                self.then.values.setdefault(type_name, {})
            for uuid, values in self.inventory.objects(type_name).items():
                self.now.put(type_name, uuid, values)
                if type_name not in self.scope:
                    self.then.put(type_name, uuid, values)
        for type_name in self.scope:
            spec = self.registry[type_name]
            self.then.values.setdefault(type_name, {})
            for uuid, payload in (self.stored.get(type_name) or {}).items():
                self.then.put(type_name, uuid, decode_row(spec, payload))

    def _now_name(self, type_name: str, uuid: str) -> Optional[str]:
        """The name a referenced object has on the firewall now."""
        return self.now.name(type_name, uuid)

    def _then_name(self, type_name: str, uuid: str) -> Optional[str]:
        """The name a referenced object has after the restore (else now)."""
        return self.then.name(type_name, uuid) or self.now.name(type_name, uuid)

    def _refs(self, spec: ResourceSpec, values: Dict[str, Any], world: _World) -> Set[Tuple[str, str]]:
        """``(type, uuid)`` of what an object refers to in ``world`` (reference fields, and names in
        text fields that name objects of that world)."""

        def uuids_named(type_name: str, name: str) -> List[str]:
            if type_name not in self.registry or not world.has_type(type_name):
                return []
            return list(world.by_name(type_name, name))

        return referenced(spec, values, uuids_named)

    # -- entry point ---------------------------------------------------------------------------

    def plan(self, own: DeploymentState, deployments: Dict[str, DeploymentState]) -> RestorePlan:
        self._worlds()
        actions: List[Action] = []
        unchanged = 0
        for type_name in self.scope:
            spec = self.registry[type_name]
            stored = self.stored.get(type_name) or {}
            live = self.inventory.objects(type_name)
            for uuid in sorted(set(stored) | set(live)):
                if spec.settings and (uuid not in live or uuid not in stored):
                    # Settings are only ever updated: never created or deleted by a restore.
                    continue
                if uuid not in live:
                    actions.append(self._create(spec, uuid, stored[uuid]))
                elif uuid not in stored:
                    actions.append(self._delete(spec, uuid))
                else:
                    action = self._update(spec, uuid, stored[uuid])
                    if action is None:
                        unchanged += 1
                    else:
                        actions.append(action)
        self._unique_ids(actions)
        for type_name, name in sorted(set(self.secrets) - self.secrets_used):
            self.warnings.append(
                "secrets for %s/%s were not used: the restore does not re-create that object" % (type_name, name)
            )
        self._requires(actions)
        self._check_references(actions)
        self._check_values(actions)
        self._check_in_use(actions)
        if self.problems:
            problems, self.problems = self.problems, []
            raise PlanError(problems, "restore")
        for number, action in enumerate(actions):
            action.order = number
        plan = Plan(
            id=new_id("restore-"),
            deployment=self.deployment,
            firewall=self.firewall,
            actions=actions,
            stages=self._stages(actions),
            firewall_version=self.inventory.version,
            state_fingerprint=own.fingerprint(),
            warnings=list(self.warnings),
            keep_uuids=True,
        )
        restored = restored_deployments(self.checkpoint, self.scope, deployments, self.then)
        target = restored.get(self.deployment) or DeploymentState(self.deployment, dict(own.resources))
        plan.new_state = [target.resources[k].as_dict() for k in sorted(target.resources)]
        return RestorePlan(
            plan=plan,
            warnings=list(self.warnings),
            not_restored=list(self.not_restored),
            deployments=restored,
            unchanged=unchanged,
        )

    # -- actions -------------------------------------------------------------------------------

    def _fields(self, spec: ResourceSpec, uuid: str, payload: Dict[str, Any]) -> Tuple[List[str], List[str]]:
        """The fields a restore can compare and write for one stored object, and those it cannot."""
        sample = self.inventory.sample_row(spec.type)
        usable: List[str] = []
        lost: List[str] = []
        withheld = set(self.withheld.get("%s/%s" % (spec.type, uuid), []))
        for item in spec.fields:
            if item.sensitive or item.api in withheld:
                if item.api in withheld:
                    lost.append(item.name)
                continue
            if item.api not in payload:
                continue
            if REDACTED in str(payload[item.api]):
                # A value that matched a known secret was masked on the way to disk: writing the mask
                # back would replace the real value with asterisks.
                lost.append(item.name)
                continue
            if sample is not None and item.api not in sample:
                self.warnings.append(
                    "%s %s: field %s is not in this firewall's API (another version?); it is not restored"
                    % (spec.type, uuid, item.name)
                )
                continue
            usable.append(item.name)
        return usable, lost

    def _base(self, op: str, spec: ResourceSpec, uuid: str, values: Dict[str, Any]) -> Action:
        name = spec.display_name(values)
        return Action(
            id="%s/%s" % (spec.type, name),
            op=op,
            type=spec.type,
            name=name,
            uuid=uuid,
            subsystem=spec.reload,
            identity=dict((i, values.get(i)) for i in spec.identity),
        )

    def _lost(self, action: Action, lost: List[str], why: str) -> None:
        if lost:
            self.not_restored.append({"id": action.id, "uuid": action.uuid, "fields": sorted(lost), "reason": why})

    def _create(self, spec: ResourceSpec, uuid: str, payload: Dict[str, Any]) -> Action:
        want = self.then.get(spec.type, uuid) or {}
        usable, lost = self._fields(spec, uuid, payload)
        plan = plan_object(spec, dict((n, want.get(n)) for n in usable), None, self._then_name)
        action = self._base(CREATE, spec, uuid, want)
        action.payload = encode_payload(spec, plan.values, self.inventory.sample_row(spec.type))
        given = self.secrets.get((spec.type, action.name))
        if given:
            # Secrets the task supplies for an object the restore re-creates (option ``secrets``).
            self.secrets_used.add((spec.type, action.name))
            for name, value in sorted(given.items()):
                item = spec.field(name)
                action.payload[item.api] = encode(item, value)
                if name in lost:
                    lost.remove(name)
        action.expected = plan.expected
        action.changes = plan.change_dicts()
        self._lost(
            action,
            lost,
            "secrets are never written to a checkpoint: the object is re-created without them; pass them with the "
            "secrets option, or set them again with opnform.opnsense.apply",
        )
        return action

    def _update(self, spec: ResourceSpec, uuid: str, payload: Dict[str, Any]) -> Optional[Action]:
        have = self.inventory.get(spec.type, uuid) or {}
        want = self.then.get(spec.type, uuid) or {}
        usable, _lost = self._fields(spec, uuid, payload)
        plan = plan_object(
            spec,
            dict((n, want.get(n)) for n in usable),
            have,
            self._now_name,
            name_refs(spec, want, self._then_name),
            "%s/%s" % (spec.type, spec.display_name(want)),
        )
        self.warnings.extend(plan.warnings)
        if not plan.changed:
            return None
        action = self._base(UPDATE, spec, uuid, want)
        action.changes = plan.change_dicts()
        action.payload = encode_payload(spec, plan.values, self.inventory.sample_row(spec.type))
        action.before = self.inventory.payload(spec.type, uuid)
        action.fingerprint = fingerprint(spec, action.before)
        action.undo_fields = sorted(action.payload)
        action.expected = plan.expected
        action.current_refs = sorted(u for _t, u in self._refs(spec, have, self.now))
        return action

    def _delete(self, spec: ResourceSpec, uuid: str) -> Action:
        have = self.inventory.get(spec.type, uuid) or {}
        action = self._base(DELETE, spec, uuid, have)
        action.changes = plan_object(spec, None, have, self._now_name).change_dicts()
        action.before = self.inventory.payload(spec.type, uuid)
        action.fingerprint = fingerprint(spec, action.before)
        action.current_refs = sorted(u for _t, u in self._refs(spec, have, self.now))
        return action

    @staticmethod
    def _unique_ids(actions: List[Action]) -> None:
        """``type/name`` ids; objects sharing a name (an object deleted and another created under the
        same name since the checkpoint) are told apart by their uuid."""
        seen: Dict[str, int] = {}
        for action in actions:
            seen[action.id] = seen.get(action.id, 0) + 1
        for action in actions:
            if seen[action.id] > 1:
                action.id = "%s/%s [%s]" % (action.type, action.name, action.uuid)

    # -- order ---------------------------------------------------------------------------------

    def _requires(self, actions: List[Action]) -> None:
        """What a created or updated object refers to after the restore, as action ids."""
        by_object = dict(((a.type, a.uuid), a) for a in actions)
        for action in actions:
            if action.op == DELETE:
                continue
            spec = self.registry[action.type]
            want = self.then.get(action.type, action.uuid) or {}
            needs = set()
            for key in self._refs(spec, want, self.then):
                target = by_object.get(key)
                if target is not None and target is not action and target.op in (CREATE, UPDATE):
                    needs.add(target.id)
            action.requires = sorted(needs)
            action.depends_on = list(action.requires)

    def _stages(self, actions: List[Action]) -> List[List[str]]:
        add_edges(actions)
        # An object that takes over an identity (a name) goes after the object that gives it up:
        # OPNsense refuses a second alias of one name, and a rule's description is how plans find it.
        giving_up: Dict[Tuple[str, Tuple[Any, ...]], List[Action]] = {}
        for other in actions:
            if other.op == CREATE:
                continue
            spec = self.registry[other.type]
            now_key = identity_key(spec, self.now.get(other.type, other.uuid) or {})
            if other.op == DELETE or identity_key(spec, self.then.get(other.type, other.uuid) or {}) != now_key:
                giving_up.setdefault((other.type, now_key), []).append(other)
        for action in actions:
            if action.op == DELETE:
                continue
            spec = self.registry[action.type]
            key = identity_key(spec, self.then.get(action.type, action.uuid) or {})
            extra = set(action.after)
            for other in giving_up.get((action.type, key), []):
                if other is not action:
                    extra.add(other.id)
            action.after = sorted(extra)
        graph = build(actions)
        check_acyclic(graph, actions)
        return stages(graph, actions)

    # -- checks before any write ---------------------------------------------------------------

    def _check_references(self, actions: List[Action]) -> None:
        """Every reference of a restored object must name an object that exists after the restore."""
        for action in actions:
            if action.op == DELETE:
                continue
            spec = self.registry[action.type]
            want = self.then.get(action.type, action.uuid) or {}
            for item in spec.ref_fields:
                target = str(item.ref)
                if not self.then.has_type(target):
                    continue  # that type was not read (its plugin is missing): OPNsense will say
                for uuid in as_list(want.get(item.name)):
                    if self.then.get(target, uuid) is None:
                        where = "in the checkpoint" if target in self.scope else "on the firewall"
                        self.problems.append(
                            "%s.%s refers to %s %s, which is not %s (it is outside the checkpoint's scope or "
                            "was deleted); restore it first or take a checkpoint with a wider scope"
                            % (action.id, item.name, target, uuid, where)
                        )

    def _then_facts(self) -> Any:
        """The firewall's facts (option lists) with the names it will have after the restore."""
        facts = self.inventory.facts.without_names(self.then.values)
        for type_name, objects in self.then.values.items():
            spec = self.registry[type_name]
            facts.add_rows(spec, [])  # read: a name none of them has is gone
            if not spec.identity:
                continue
            for values in list(objects.values()) + list(self.inventory.builtin(type_name).values()):
                name = values.get(spec.identity[0])
                if name not in (None, ""):
                    facts.add_name(type_name, str(name), values)
        return facts

    def _check_values(self, actions: List[Action]) -> None:
        """A restored object's values as OPNsense would judge them on this firewall after the restore:
        what its own options and names allow now (the checkpoint's values were valid when taken, so
        only what depends on the firewall is checked)."""
        if self.inventory.facts is None:
            return
        facts = self._then_facts()
        for action in actions:
            if action.op == DELETE:
                continue
            spec = self.registry[action.type]
            values = self.then.get(action.type, action.uuid) or {}
            for name, message in facts_only(spec, values, facts):
                item = spec.field(name)
                gone = self._gone(item, values.get(name), facts)
                if gone:
                    message += (
                        " (the checkpoint names %s %s, which is neither in the checkpoint nor on the firewall "
                        "now; restore it too, or take a checkpoint with a wider scope)"
                        % (item.mentions, ", ".join(repr(g) for g in gone))
                    )
                self.problems.append("%s.%s: %s" % (action.id, name, message))

    @staticmethod
    def _gone(item: FieldSpec, value: Any, facts: Any) -> List[str]:
        """The names in a field that may name objects (``mentions``) that no such object has."""
        if not item.mentions:
            return []
        names = facts.names(item.mentions) or {}
        interfaces = facts.interfaces or {}
        found = []
        for text in as_list(value) if item.is_list else [str(value)]:
            for entry in text.split("\n"):
                if entry in names or entry in interfaces or entry in ("any", "(self)") or not entry:
                    continue
                if filter_ip(entry) or is_subnet(entry) or entry[:1].isdigit() or entry[:1] == "!":
                    continue
                found.append(entry)
        return found

    def _check_in_use(self, actions: List[Action]) -> None:
        """A deleted object that an object the restore leaves alone still uses would be refused by
        OPNsense's safe delete half-way through (opnsense-api/generic.md 5): say so before any write."""
        doomed = dict(((a.type, a.uuid), a) for a in actions if a.op == DELETE)
        if not doomed:
            return
        written = set((a.type, a.uuid) for a in actions)
        for type_name in sorted(self.now.values):
            spec = self.registry[type_name]
            for uuid, values in sorted(self.now.values[type_name].items()):
                if (type_name, uuid) in written:
                    continue
                for key in sorted(self._refs(spec, values, self.now) & set(doomed)):
                    outside = "" if type_name in self.scope else ", outside the checkpoint's scope,"
                    self.problems.append(
                        "cannot delete %s (uuid %s): %s %r (uuid %s)%s still uses it and the restore does not "
                        "change it" % (doomed[key].id, key[1], type_name, spec.display_name(values), uuid, outside)
                    )


def restored_deployments(
    checkpoint: Dict[str, Any],
    scope: List[str],
    now: Dict[str, DeploymentState],
    then: Any,
) -> Dict[str, DeploymentState]:
    """The deployment states after the restore, for every deployment whose state changes.

    A deployment keeps what it manages now outside the scope, and within the scope manages again what
    it managed when the checkpoint was taken (objects the checkpoint holds). A checkpoint that
    recorded no deployment states leaves them all alone.
    """
    recorded = checkpoint.get("deployments")
    if not isinstance(recorded, dict):
        return {}
    in_scope = set(scope)
    out: Dict[str, DeploymentState] = {}
    for name in sorted(set(now) | set(recorded)):
        current = now.get(name) or DeploymentState(name)
        before = DeploymentState.from_dict(name, recorded.get(name))
        state = DeploymentState(name, last_run=current.last_run)
        for key, managed in current.resources.items():
            if managed.type not in in_scope:
                state.resources[key] = managed
        for key, managed in before.resources.items():
            if managed.type in in_scope and then.get(managed.type, managed.uuid) is not None:
                state.resources[key] = ManagedResource(managed.type, managed.name, managed.uuid, managed.depends_on)
        if state.as_dict()["resources"] != current.as_dict()["resources"]:
            out[name] = state
    return out


def plan_restore(
    registry: Dict[str, ResourceSpec],
    checkpoint: Dict[str, Any],
    inventory: Inventory,
    firewall: str,
    deployments: Dict[str, DeploymentState],
    secrets: Optional[Dict[Tuple[str, str], Dict[str, Any]]] = None,
) -> RestorePlan:
    """The restore of ``checkpoint`` against ``inventory`` (which must hold every type of its scope,
    and should hold the types that refer to them or that they refer to, for the checks).

    ``secrets`` are values of sensitive fields for objects the restore re-creates, by ``(type, name)``
    (see :func:`parse_secrets`)."""
    deployment = str(checkpoint.get("deployment") or "default")
    own = deployments.get(deployment) or DeploymentState(deployment)
    planner = RestorePlanner(registry, checkpoint, inventory, firewall, deployment, secrets)
    return planner.plan(own, deployments)


def parse_secrets(raw: Any, registry: Dict[str, ResourceSpec], canonical: Any) -> Dict[Tuple[str, str], Dict[str, Any]]:
    """The ``secrets`` option: ``{"<type>/<name>": {<sensitive field>: value}}`` -> ``{(type, name): values}``.

    Only sensitive fields are accepted: everything else is in the checkpoint already.
    """
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise PlanError(['secrets must be a dict of {"type/name": {field: value}}'], "validation")
    out: Dict[Tuple[str, str], Dict[str, Any]] = {}
    problems = []
    for key, values in raw.items():
        type_name, _slash, name = str(key).partition("/")
        try:
            type_name = canonical(type_name)
        except KeyError as exc:
            problems.append("secrets[%s]: %s" % (key, exc.args[0] if exc.args else exc))
            continue
        if not name or not isinstance(values, dict):
            problems.append('secrets[%s]: use "<type>/<name>": {<field>: <value>}' % key)
            continue
        spec = registry[type_name]
        fields = {}
        for field_name, value in values.items():
            item = next((f for f in spec.fields if field_name in (f.name, f.api)), None)
            if item is None or not item.sensitive:
                problems.append(
                    "secrets[%s].%s: not a sensitive field of %s (sensitive: %s)"
                    % (key, field_name, type_name, ", ".join(f.name for f in spec.fields if f.sensitive) or "none")
                )
                continue
            fields[item.name] = value
        out[(type_name, name)] = fields
    if problems:
        raise PlanError(problems, "validation")
    return out


def context_types(registry: Dict[str, ResourceSpec], scope: List[str]) -> List[str]:
    """Types to read besides the scope: what scope types refer to (to check references) and what
    refers to scope types (to refuse deleting something still in use)."""
    wanted: Set[str] = set()
    inside = set(scope)
    for type_name in scope:
        wanted |= set(registry[type_name].dependencies)
    for spec in registry.values():
        if inside & set(spec.dependencies):
            wanted.add(spec.type)
    return sorted(t for t in wanted if t in registry and t not in inside)


__all__ = ["RestorePlan", "RestorePlanner", "context_types", "parse_secrets", "plan_restore", "restored_deployments"]
