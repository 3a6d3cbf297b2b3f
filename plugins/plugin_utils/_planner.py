# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planner: desired resources + what the firewall holds + deployment state -> a :class:`Plan`.

Pure: no I/O, no threads. Everything it knows about a type comes from the type's spec record
(fields, identity, references, names in text fields, ordering, reload subsystem; design.md 7.1).

Decisions, in the order they are made (design.md 3 steps 1-4):

1. *Validate* every resource (``_resources``: its shape and spec before anything is read, then the
   firewall's option lists and names), its unique keys against the task and the firewall
   (``spec.unique``) and that no two resources describe one object; errors name ``type/name.field``.
2. *Match* each resource to at most one firewall object: first the UUID this deployment recorded,
   else the type's identity fields. An object found by identity that no deployment manages is
   *adopted* (an update, or a no-op, reported as an adoption), never duplicated. An object another
   deployment manages is an error naming both deployments.
3. *Order*: for types evaluated in sequence (filter rules), resources keep the order in which the
   task lists them within their group unless they set the sequence field; existing positions are
   kept where they already agree (longest increasing run), the rest are *moved* into gaps.
4. *References*: names become UUIDs of desired objects (created under UUIDs chosen now, so the
   payload is complete at plan time) or of objects on the firewall. A name that is neither fails
   the plan before any write, naming the resource and field. Every problem of steps 1-4 is reported
   at once, before any write.
5. *Diff*: each object is planned by ``_object_plan.plan_object`` (the core the per-resource
   modules and the restore use too): compared fields, normalised field-level changes, the payload
   (computed fields keep their current value), the expected read-back; no change costs no write.
6. *Prune*: only objects this deployment's state records are ever deleted.
7. *Graph*: edges and stages (``_graph``); a cycle among the desired resources fails the plan
   naming the resources on it (``_graph.check_acyclic``), even when nothing on it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._constraints import clashes
from ansible_collections.opnform.opnsense.plugins.module_utils._diff import identity_key
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import encode_payload, referenced
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import normalise as normalise_value
from ansible_collections.opnform.opnsense.plugins.module_utils._object_plan import (
    as_list,
    is_empty,
    plan_object,
    read_back_differences,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._service import UUID4_RE, UUID_RE, new_uuid
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    REF,
    FieldSpec,
    Ordering,
    ResourceSpec,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._graph import (
    check_acyclic,
    nx,
    order_plan,
    require_networkx,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import (
    DELETE,
    Action,
    Inventory,
    Plan,
    fingerprint,
    new_id,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import (
    PlanError,
    Resource,
    check_against,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource

# -- what to read --------------------------------------------------------------------------------


def types_to_read(
    resources: List[Resource],
    own: DeploymentState,
    registry: Dict[str, ResourceSpec],
    prune: bool,
) -> List[str]:
    """Every type the plan needs: desired and managed types, the types they refer to, and (when
    pruning) the types that may refer to what is pruned (to order deletes and catch 'in use')."""
    wanted: Set[str] = set(r.type for r in resources)
    wanted |= set(m.type for m in own.resources.values() if m.type in registry)
    for type_name in list(wanted):
        spec = registry[type_name]
        wanted |= set(spec.dependencies)
    if prune:
        listed = set(r.key for r in resources)
        doomed = set(m.type for k, m in own.resources.items() if k not in listed)
        for spec in registry.values():
            if doomed & set(spec.dependencies):
                wanted.add(spec.type)
    return sorted(t for t in wanted if t in registry)


# -- the planner ---------------------------------------------------------------------------------


@dataclass
class _Slot:
    """Working data for one desired resource while planning."""

    resource: Resource
    spec: ResourceSpec
    desired: Dict[str, Any]
    uuid: str = ""
    current: Optional[Dict[str, Any]] = None
    adopted: bool = False
    requires: Set[str] = field(default_factory=set)
    move: Optional[Dict[str, Any]] = None
    waits: Set[str] = field(default_factory=set)  # deletes that free a unique key it takes


class Planner(object):
    """Plans one deployment against one firewall's inventory."""

    def __init__(
        self,
        registry: Dict[str, ResourceSpec],
        deployment: str,
        firewall: str,
        own: DeploymentState,
        others: Optional[Dict[str, DeploymentState]] = None,
        prune: bool = False,
        uuid_factory: Callable[[], str] = new_uuid,
        adopt: bool = True,
    ) -> None:
        self.registry = registry
        self.deployment = deployment
        self.firewall = firewall
        self.own = own
        self.others = dict((k, v) for k, v in (others or {}).items() if k != deployment)
        self.prune = prune
        self.adopt = adopt
        self.uuid_factory = uuid_factory
        self.problems: List[str] = []
        self.warnings: List[str] = []

    # -- entry point ---------------------------------------------------------------------------

    def plan(
        self,
        resources: List[Resource],
        inventory: Inventory,
        plan_id: Optional[str] = None,
        problems: Optional[List[str]] = None,
    ) -> Plan:
        """The plan; ``problems`` are those already found (``read_resources``), reported with the
        planner's own in one :class:`PlanError` before anything is written."""
        self.inventory = inventory
        found: Dict[str, List[str]] = {"validation": list(problems or [])}
        found["validation"] += check_against(resources, self.registry, inventory.facts)
        slots = [self._slot(r) for r in resources]
        self.slots = dict((s.resource.key, s) for s in slots)
        self._match(slots)
        deletes = self._prune(slots)
        found["conflict"] = self._take()
        found["validation"] += self._check_unique(slots, deletes)
        self._order(slots)
        resolved = dict((s.resource.key, self._resolve(s, deletes)) for s in slots)
        self._check_in_use(deletes, slots)
        found["reference"] = self._take()
        every = [p for kind in ("validation", "conflict", "reference") for p in found.get(kind, [])]
        if every:
            raise PlanError(every, next(kind for kind in ("validation", "conflict", "reference") if found.get(kind)))
        self._check_cycles(slots)
        actions: List[Action] = []
        for number, slot in enumerate(slots):
            actions.append(self._action(slot, resolved[slot.resource.key], number))
        for number, doomed in enumerate(deletes, len(actions)):
            doomed.order = number
            actions.append(doomed)
        stages = order_plan(actions)
        plan = Plan(
            id=plan_id or new_id("plan-"),
            deployment=self.deployment,
            firewall=self.firewall,
            actions=actions,
            stages=stages,
            prune=self.prune,
            firewall_version=inventory.version,
            state_fingerprint=self.own.fingerprint(),
            warnings=list(self.warnings),
        )
        plan.new_state, plan.forgotten = self._new_state(slots, deletes, actions)
        plan.drift = self._drift()
        return plan

    def _take(self) -> List[str]:
        problems, self.problems = self.problems, []
        return problems

    def _check_unique(self, slots: List[_Slot], deletes: List[Action]) -> List[str]:
        """Unique keys (``spec.unique``) against the task and the firewall's other objects (what this
        plan deletes no longer counts), and no two resources with one identity."""
        problems: List[str] = []
        doomed = set(a.uuid for a in deletes)
        by_type: Dict[str, List[_Slot]] = {}
        for slot in slots:
            by_type.setdefault(slot.spec.type, []).append(slot)
        for type_name, members in sorted(by_type.items()):
            spec = self.registry[type_name]
            existing = dict((u, v) for u, v in self.inventory.objects(type_name).items() if u not in doomed)
            existing.update(self.inventory.builtin(type_name))
            # A resource matching failed for (a conflict, already reported) is left out.
            desired = [(s.resource.key, s.desired, s.uuid) for s in members if s.uuid]
            for label, fieldname, message in clashes(spec, desired, existing):
                problems.append("%s.%s: %s" % (label, fieldname, message))
            # A key an object this plan deletes holds is free once that delete ran.
            freed = dict((a.uuid, a.id) for a in deletes if a.type == type_name)
            held = dict((u, v) for u, v in self.inventory.objects(type_name).items() if u in freed)
            for slot in (s for s in members if s.uuid):
                for uuid, values in held.items():
                    if clashes(spec, [(slot.resource.key, slot.desired, slot.uuid)], {uuid: values}):
                        slot.waits.add(freed[uuid])
            first: Dict[Tuple[Any, ...], _Slot] = {}
            for slot in members:
                key = identity_key(spec, slot.desired)
                other = first.setdefault(key, slot)
                if other is not slot and slot.uuid and other.uuid and slot.uuid != other.uuid:
                    problems.append(
                        "%s: describes the same object as %s (%s); list it once"
                        % (slot.resource.key, other.resource.key, self._identity_text(spec, slot.desired))
                    )
        return problems

    # -- desired records -----------------------------------------------------------------------

    def _slot(self, resource: Resource) -> _Slot:
        spec = self.registry[resource.type]
        desired: Dict[str, Any] = {}
        for item in spec.fields:
            if item.name in resource.properties:
                desired[item.name] = resource.properties[item.name]
            elif not item.auto:
                desired[item.name] = item.default
        return _Slot(resource, spec, desired)

    # -- matching ------------------------------------------------------------------------------

    def _claims(self) -> Dict[str, str]:
        """``{uuid: deployment}`` for every object another deployment manages."""
        claims: Dict[str, str] = {}
        for name, state in sorted(self.others.items()):
            for managed in state.resources.values():
                claims.setdefault(managed.uuid, name)
        return claims

    def _match(self, slots: List[_Slot]) -> None:
        claims = self._claims()
        own_by_uuid = self.own.by_uuid()
        identity_index: Dict[str, Dict[Tuple[Any, ...], List[str]]] = {}
        taken: Dict[str, str] = {}
        for slot in slots:
            spec, resource = slot.spec, slot.resource
            objects = self.inventory.objects(spec.type)
            if spec.type not in identity_index:
                index: Dict[Tuple[Any, ...], List[str]] = {}
                for uuid, values in objects.items():
                    index.setdefault(identity_key(spec, values), []).append(uuid)
                identity_index[spec.type] = index
            key = identity_key(spec, slot.desired)
            by_identity = identity_index[spec.type].get(key, [])
            managed = self.own.resources.get(resource.key)
            uuid: Optional[str] = None
            if managed is not None and managed.uuid in objects:
                uuid = managed.uuid
                clash = [u for u in by_identity if u != uuid]
                if clash:
                    self.problems.append(
                        "%s: another object on the firewall already has this identity (%s; uuid %s)"
                        % (resource.key, self._identity_text(spec, slot.desired), ", ".join(clash))
                    )
            elif len(by_identity) > 1:
                self.problems.append(
                    "%s: %d objects on the firewall match its identity (%s; uuids %s); remove the duplicates first"
                    % (resource.key, len(by_identity), self._identity_text(spec, slot.desired), ", ".join(by_identity))
                )
                continue
            elif by_identity:
                uuid = by_identity[0]
                owner = own_by_uuid.get(uuid)
                slot.adopted = owner is None
                # Settings always exist: taking them over is implicit, adopt: false or not.
                if slot.adopted and not self.adopt and not spec.settings:
                    self.problems.append(
                        "%s: an object with this identity is already on the firewall (uuid %s) and no deployment "
                        "manages it; adopt: false refuses to take it over. Rename the resource, remove the object, "
                        "or allow adoption" % (resource.key, uuid)
                    )
                    continue
            if uuid is not None:
                if uuid in claims:
                    self.problems.append(
                        "%s: the object (uuid %s) is managed by deployment %r; deployment %r cannot manage it too. "
                        "Remove it from one of the two deployments"
                        % (resource.key, uuid, claims[uuid], self.deployment)
                    )
                    continue
                if uuid in taken:
                    self.problems.append(
                        "%s and %s describe the same firewall object (uuid %s)" % (taken[uuid], resource.key, uuid)
                    )
                    continue
                taken[uuid] = resource.key
                slot.uuid = uuid
                slot.current = objects[uuid]
            elif spec.settings:
                self.problems.append(
                    "%s: the firewall's %s settings were not read; settings are never created"
                    % (resource.key, spec.type)
                )
            else:
                # A managed object deleted behind our back is recreated under its old UUID, so the
                # references other objects still hold become valid again.
                if (
                    managed is not None
                    and UUID4_RE.match(managed.uuid)
                    and self.inventory.find_uuid(managed.uuid) is None
                ):
                    slot.uuid = managed.uuid
                else:
                    slot.uuid = self.uuid_factory()
        # The same check for objects another deployment may be about to create: identities must not
        # collide across deployments either (their states name the uuid, the inventory the identity).

    @staticmethod
    def _identity_text(spec: ResourceSpec, values: Dict[str, Any]) -> str:
        return ", ".join("%s=%s" % (i, values.get(i)) for i in spec.identity)

    # -- prune ---------------------------------------------------------------------------------

    def _prune(self, slots: List[_Slot]) -> List[Action]:
        listed = set(s.resource.key for s in slots)
        kept_uuids = set(s.uuid for s in slots)
        deletes: List[Action] = []
        self.kept: List[ManagedResource] = []
        self.gone: List[ManagedResource] = []
        for key in sorted(self.own.resources):
            managed = self.own.resources[key]
            if key in listed or managed.uuid in kept_uuids:
                continue
            spec = self.registry.get(managed.type)
            if spec is None:
                self.warnings.append("%s: type no longer known to this collection; left alone" % key)
                self.kept.append(managed)
                continue
            current = self.inventory.get(managed.type, managed.uuid)
            if current is None:
                self.gone.append(managed)
                continue
            if not self.prune or spec.settings:
                # Settings are never deleted: left out of the task, they stay as they are (and managed).
                self.kept.append(managed)
                continue
            deletes.append(self._delete_action(spec, managed, current))
        return deletes

    def _delete_action(self, spec: ResourceSpec, managed: ManagedResource, current: Dict[str, Any]) -> Action:
        before = self.inventory.payload(spec.type, managed.uuid)
        changes = plan_object(spec, None, current, self._name_of).change_dicts()
        requires = []
        for dep in managed.depends_on:
            if dep in self.own.resources:
                requires.append(dep)
        return Action(
            id=managed.key,
            op=DELETE,
            type=spec.type,
            name=managed.name,
            uuid=managed.uuid,
            subsystem=spec.reload,
            identity=dict((i, current.get(i)) for i in spec.identity),
            changes=changes,
            before=before,
            fingerprint=fingerprint(spec, before),
            requires=requires,
            current_refs=sorted(self._current_refs(spec, current)),
            depends_on=list(managed.depends_on),
        )

    # -- ordering ------------------------------------------------------------------------------

    def _order(self, slots: List[_Slot]) -> None:
        groups: Dict[Tuple[str, Tuple[Any, ...]], List[_Slot]] = {}
        for slot in slots:
            rule = slot.spec.ordering
            if rule is None:
                continue
            key = tuple(self._group_value(slot.spec, g, slot.desired.get(g)) for g in rule.group)
            groups.setdefault((slot.spec.type, key), []).append(slot)
        for (type_name, _key), members in sorted(groups.items(), key=lambda kv: (kv[0][0], repr(kv[0][1]))):
            self._order_group(self.registry[type_name].ordering, members)

    @staticmethod
    def _group_value(spec: ResourceSpec, name: str, value: Any) -> Any:
        normal = normalise_value(spec.field(name), value)
        return tuple(normal) if isinstance(normal, list) else normal

    def _order_group(self, rule: Optional[Ordering], members: List[_Slot]) -> None:
        """Give every member without an explicit position one that keeps the listed order, moving
        as few existing objects as possible."""
        if rule is None:
            return
        free = [s for s in members if is_empty(s.resource.properties.get(rule.field))]
        if not free:
            return
        current: List[Optional[int]] = []
        for slot in free:
            value = (slot.current or {}).get(rule.field)
            current.append(
                int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None
            )
        keep = _longest_increasing([(i, v) for i, v in enumerate(current) if v is not None])
        assigned: List[Optional[int]] = [current[i] if i in keep else None for i in range(len(free))]
        if not _fill_gaps(assigned, rule):
            # No integer gap left somewhere: renumber the whole group evenly.
            start = rule.minimum - 1 + rule.step
            assigned = [start + i * rule.step for i in range(len(free))]
            if assigned[-1] > rule.maximum:
                step = max(1, (rule.maximum - rule.minimum) // (len(free) + 1))
                assigned = [rule.minimum + (i + 1) * step for i in range(len(free))]
        for slot, old, new in zip(free, current, assigned):
            slot.desired[rule.field] = new
            if old is not None and old != new:
                slot.move = {"field": rule.field, "from": old, "to": new}

    # -- references ----------------------------------------------------------------------------

    def _target(self, type_name: str, name: str) -> Optional[_Slot]:
        """The desired resource of ``type_name`` named ``name`` (by identity, else resource name)."""
        if not hasattr(self, "_targets"):
            self._targets: Dict[Tuple[str, str], _Slot] = {}
            for slot in reversed(list(self.slots.values())):
                self._targets[(slot.spec.type, "n:" + slot.resource.name)] = slot
            for slot in (s for s in reversed(list(self.slots.values())) if s.spec.identity):
                first = slot.desired.get(slot.spec.identity[0])
                self._targets[(slot.spec.type, "i:" + str(first))] = slot
                if len(slot.spec.identity) > 1:  # also by display name, as name_index names them
                    self._targets[(slot.spec.type, "i:" + slot.spec.display_name(slot.desired))] = slot
        return self._targets.get((type_name, "i:" + name)) or self._targets.get((type_name, "n:" + name))

    def _name_of(self, type_name: str, uuid: str) -> Optional[str]:
        """The name a referenced object has on the firewall now (None when its type was not read)."""
        return self.inventory.index(type_name).name_for(uuid) if self.inventory.has(type_name) else None

    def _current_refs(self, spec: ResourceSpec, values: Dict[str, Any]) -> Set[str]:
        """UUIDs an existing object refers to now (reference fields and names in text fields)."""
        return set(uuid for _type, uuid in referenced(spec, values, self._uuids_named))

    def _uuids_named(self, type_name: str, name: str) -> List[str]:
        if not self.inventory.has(type_name):
            return []
        return list(self.inventory.index(type_name).by_name.get(name, []))

    def _resolve(self, slot: _Slot, deletes: List[Action]) -> Dict[str, Any]:
        """Desired values with references as uuids; records dependencies and dangling names."""
        spec, resource = slot.spec, slot.resource
        doomed = dict((a.uuid, a) for a in deletes)
        resolved = dict(slot.desired)
        for item in spec.ref_fields:
            names = as_list(slot.desired.get(item.name))
            if not names:
                continue
            uuids: List[str] = []
            shown: List[str] = []
            for name in names:
                target = self._target(item.ref, name)
                if target is not None:
                    uuids.append(target.uuid)
                    shown.append(str(target.desired.get(target.spec.identity[0])))
                    slot.requires.add(target.resource.key)
                    continue
                uuid = self._existing(item.ref, name, resource, item)
                if uuid is None:
                    continue
                if uuid in doomed:
                    self.problems.append(
                        "%s.%s: references %s %r, which this plan deletes (%s is pruned); keep it in resources"
                        % (resource.key, item.name, item.ref, name, doomed[uuid].id)
                    )
                    continue
                uuids.append(uuid)
                shown.append(self.inventory.index(item.ref).name_for(uuid))
            resolved[item.name] = uuids[0] if item.kind == REF and uuids else uuids
            slot.desired[item.name] = shown[0] if item.kind == REF and shown else shown
        for item in spec.mention_fields:
            for name in as_list(slot.desired.get(item.name)):
                target = self._target(item.mentions or "", name)
                if target is not None and target is not slot:
                    slot.requires.add(target.resource.key)
        for dep in resource.depends_on:
            key = self._dependency_key(resource, dep)
            if key:
                slot.requires.add(key)
        return resolved

    def _existing(self, type_name: str, name: str, resource: Resource, item: FieldSpec) -> Optional[str]:
        if not self.inventory.has(type_name):
            self.problems.append(
                "%s.%s: cannot check %s %r: that type was not read" % (resource.key, item.name, type_name, name)
            )
            return None
        index = self.inventory.index(type_name)
        found = index.by_name.get(name, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self.problems.append(
                "%s.%s: %d %s objects are named %r (uuids %s); names used as references must be unique"
                % (resource.key, item.name, len(found), type_name, name, ", ".join(found))
            )
            return None
        if UUID_RE.match(name) and name in index.by_uuid:
            return name
        self.problems.append(
            "%s.%s: references %s %r, which is neither in resources nor on the firewall"
            % (resource.key, item.name, type_name, name)
        )
        return None

    def _dependency_key(self, resource: Resource, dep: str) -> Optional[str]:
        matches = [dep] if dep in self.slots else [k for k, s in self.slots.items() if s.resource.name == dep]
        if matches == [resource.key]:
            self.problems.append(
                "%s.depends_on: %r is the resource itself; a resource cannot depend on itself" % (resource.key, dep)
            )
            return None
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            self.problems.append(
                "%s.depends_on: %r is ambiguous (%s); write it as type/name"
                % (resource.key, dep, ", ".join(sorted(matches)))
            )
            return None
        self.problems.append("%s.depends_on: %r names no resource in this task" % (resource.key, dep))
        return None

    def _check_cycles(self, slots: List[_Slot]) -> None:
        """A cycle among the desired resources is an error even when nothing on it changes."""
        require_networkx()
        graph = nx.DiGraph()
        for slot in slots:
            graph.add_node(slot.resource.key)
            for dep in slot.requires:
                graph.add_edge(dep, slot.resource.key)
        check_acyclic(graph, [])

    def _check_in_use(self, deletes: List[Action], slots: List[_Slot]) -> None:
        """A pruned object that an object outside this plan still uses would be refused by OPNsense's
        safe delete half-way through the apply; say so before any write."""
        if not deletes:
            return
        doomed = dict((a.uuid, a) for a in deletes)
        handled = set(s.uuid for s in slots) | set(doomed)
        for type_name in sorted(self.inventory.rows):
            spec = self.registry.get(type_name)
            if spec is None:
                continue
            for uuid, values in self.inventory.objects(type_name).items():
                if uuid in handled:
                    continue
                for ref in sorted(self._current_refs(spec, values) & set(doomed)):
                    name = spec.display_name(values)
                    self.problems.append(
                        "cannot delete %s: %s %r (uuid %s), which this deployment does not manage, still uses it"
                        % (doomed[ref].id, type_name, name, uuid)
                    )

    # -- actions -------------------------------------------------------------------------------

    def _action(self, slot: _Slot, resolved: Dict[str, Any], order: int) -> Action:
        spec, resource = slot.spec, slot.resource
        plan = plan_object(spec, resolved, slot.current, self._name_of, slot.desired, resource.key)
        self.warnings.extend(plan.warnings)
        action = Action(
            id=resource.key,
            op=plan.op,
            type=spec.type,
            name=resource.name,
            uuid=slot.uuid,
            subsystem=spec.reload,
            identity=dict((i, slot.desired.get(i)) for i in spec.identity),
            expected=plan.expected,
            adopted=slot.adopted,
            requires=sorted(slot.requires),
            depends_on=sorted(slot.requires),
            order=order,
            after=sorted(slot.waits),
            changes=plan.change_dicts(),
        )
        if plan.changed:
            action.payload = encode_payload(spec, plan.values, self.inventory.sample_row(spec.type))
        if slot.current is None:
            return action
        action.before = self.inventory.payload(spec.type, slot.uuid)
        action.fingerprint = fingerprint(spec, action.before)
        action.current_refs = sorted(self._current_refs(spec, slot.current))
        if plan.changed:
            action.move = slot.move
            action.undo_fields = sorted(action.payload)
        return action

    # -- state ---------------------------------------------------------------------------------

    def _new_state(
        self, slots: List[_Slot], deletes: List[Action], actions: List[Action]
    ) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
        """What the deployment manages after the plan ran, each object with the values it will hold
        (the drift baseline of the next plan; sensitive fields are never recorded)."""
        expected = dict((a.id, a.expected) for a in actions)
        state: List[Dict[str, Any]] = []
        for slot in slots:
            spec, key = slot.spec, slot.resource.key
            values = dict((k, v) for k, v in expected.get(key, {}).items() if not spec.field(k).sensitive)
            state.append(
                ManagedResource(spec.type, slot.resource.name, slot.uuid, sorted(slot.requires), values).as_dict()
            )
        for managed in self.kept:
            state.append(managed.as_dict())
        forgotten = [dict(m.as_dict(), reason="no longer on the firewall") for m in self.gone]
        return sorted(state, key=lambda r: (r["type"], r["name"])), forgotten

    # -- drift ---------------------------------------------------------------------------------

    def _drift(self) -> List[Dict[str, Any]]:
        """Fields of managed objects that changed outside Ansible since this deployment's last apply
        left them (the values the state records), and managed objects deleted outside it. Only types
        this plan read are looked at; references are shown by name."""
        drift: List[Dict[str, Any]] = []
        for key in sorted(self.own.resources):
            managed = self.own.resources[key]
            spec = self.registry.get(managed.type)
            if spec is None or not managed.values or not self.inventory.has(managed.type):
                continue
            current = self.inventory.get(managed.type, managed.uuid)
            if current is None:
                drift.append({"id": key, "uuid": managed.uuid, "deleted": True, "fields": []})
                continue
            changes = read_back_differences(spec, current, managed.values, names=self._name_of)
            if changes:
                fields = [{"field": c.field, "applied": c.after, "now": c.before} for c in changes]
                drift.append({"id": key, "uuid": managed.uuid, "deleted": False, "fields": fields})
        return drift


def _longest_increasing(pairs: List[Tuple[int, int]]) -> Set[int]:
    """Indexes (first elements) of a longest strictly increasing run of values, O(n log n)."""
    import bisect

    tails: List[int] = []
    tail_idx: List[int] = []
    parent: Dict[int, Optional[int]] = {}
    for idx, value in pairs:
        pos = bisect.bisect_left(tails, value)
        if pos == len(tails):
            tails.append(value)
            tail_idx.append(idx)
        else:
            tails[pos] = value
            tail_idx[pos] = idx
        parent[idx] = tail_idx[pos - 1] if pos > 0 else None
    keep: Set[int] = set()
    node: Optional[int] = tail_idx[-1] if tail_idx else None
    while node is not None:
        keep.add(node)
        node = parent[node]
    return keep


def _fill_gaps(assigned: List[Optional[int]], rule: Ordering) -> bool:
    """Fill the ``None`` positions with integers strictly between their kept neighbours; False when
    some run does not fit."""
    n = len(assigned)
    i = 0
    while i < n:
        if assigned[i] is not None:
            i += 1
            continue
        j = i
        while j < n and assigned[j] is None:
            j += 1
        low = assigned[i - 1] if i > 0 else None
        high = assigned[j] if j < n else None
        count = j - i
        if high is None:
            base = low if low is not None else rule.minimum - 1
            values = [base + rule.step * (k + 1) for k in range(count)]
            if values[-1] > rule.maximum:
                return False
        else:
            lower = low if low is not None else rule.minimum - 1
            if high - lower - 1 < count:
                return False
            if low is None and high - rule.step * count > lower:
                values = [high - rule.step * (count - k) for k in range(count)]
            else:
                gap = (high - lower) / float(count + 1)
                values = [int(lower + gap * (k + 1)) for k in range(count)]
            if len(set(values)) != count or values[0] <= lower or values[-1] >= high:
                return False
        assigned[i:j] = values
        i = j
    return True
