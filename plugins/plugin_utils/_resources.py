# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A task's ``resources`` option: parsed into :class:`Resource` records and checked, before any write.

Two passes, every problem of each collected (``type/name.field: message``):

1. :func:`read_resources`, before the firewall is read: the shape of each entry (``type``, ``name``,
   ``properties``, ``depends_on`` and their Python types), unknown properties, a resource listed
   twice, and each record against its spec without the firewall (``_validate``). A value of the
   wrong type is reported and dropped, so nothing later trips over it.
2. :func:`check_against`, once the firewall's facts are read (``_facts.Facts``): what depends on the
   box (its option lists: interfaces, VLAN parents, protocols, gateways, ...) and on names (a rule's
   ``source_net`` naming an alias that is neither in the task nor on the firewall).

Checks that need the firewall's objects matched to the task (unique keys, references) are the
planner's; the planner reports them together with these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import TRUE_STRINGS, split
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import BOOL, INT, FieldSpec, ResourceSpec
from ansible_collections.opnform.opnsense.plugins.module_utils._validate import (
    facts_only,
    python_type,
    shape_problem,
    show,
    validate,
)

ENTRY_KEYS = ("type", "name", "properties", "depends_on")


class PlanError(OpnError):
    """The desired state cannot be planned; ``problems`` lists every reason found."""

    kind = "plan"

    def __init__(self, problems: Iterable[str], kind: Optional[str] = None) -> None:
        self.problems = list(problems)
        if kind:
            self.kind = kind
        if len(self.problems) == 1:
            text = self.problems[0]
        else:
            text = "%d problems: %s" % (len(self.problems), "; ".join(self.problems))
        super().__init__(text, details={"problems": self.problems})


@dataclass
class Resource:
    """One entry of the task's ``resources`` list, its type resolved to the registry name."""

    type: str
    name: str
    properties: Dict[str, Any]
    depends_on: List[str] = field(default_factory=list)
    index: int = 0
    # Fields whose check looked at the firewall's facts in the first validation pass (None: not
    # validated yet); only they are checked again once the facts are read.
    fact_fields: Optional[Set[str]] = None

    @property
    def key(self) -> str:
        return "%s/%s" % (self.type, self.name)


# -- the first pass: without the firewall ----------------------------------------------------------


def _coerce(spec: FieldSpec, value: Any) -> Any:
    """Forgive what Ansible's templating produces: numbers as strings, "yes" for true, a CSV string
    for a list. Anything else is left for validation to judge."""
    if value is None:
        return None
    if spec.is_list and isinstance(value, str):
        return split(spec, value)
    if spec.kind == INT and isinstance(value, str) and re.match(r"^-?[0-9]+$", value.strip()):
        return int(value.strip())
    if (
        spec.kind == BOOL
        and isinstance(value, str)
        and value.strip().lower() in TRUE_STRINGS + ("0", "false", "no", "off")
    ):
        return value.strip().lower() in TRUE_STRINGS
    if (
        spec.kind not in (INT, BOOL)
        and not spec.is_list
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        return str(value)
    return value


def field_by_any_name(spec: ResourceSpec, key: str) -> Optional[FieldSpec]:
    for item in spec.fields:
        if key == item.name or key == item.api or key in item.aliases:
            return item
    return None


def _depends_on(raw: Any, where: str, problems: List[str]) -> List[str]:
    """``depends_on``: one or a list of ``type/name`` strings or ``{type, name}`` dicts."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, (str, dict)) else raw
    if not isinstance(items, list):
        problems.append(
            "%s.depends_on: must be a list of type/name strings, got %s %s" % (where, python_type(raw), show(raw))
        )
        return []
    keys = []
    for dep in items:
        if isinstance(dep, dict) and isinstance(dep.get("type"), str) and isinstance(dep.get("name"), str):
            keys.append("%s/%s" % (dep["type"], dep["name"]))
        elif isinstance(dep, str) and dep.strip():
            keys.append(dep)
        else:
            problems.append(
                "%s.depends_on: %s is neither a type/name string nor a {type, name} dict" % (where, show(dep))
            )
    return keys


def read_resources(
    raw: Any, registry: Dict[str, ResourceSpec], canonical: Callable[[str], str]
) -> Tuple[List[Resource], List[str]]:
    """The ``resources`` option as records, and every problem found without the firewall."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["resources must be a list of {type, name, properties, depends_on}, got %s" % show(raw)]
    problems: List[str] = []
    resources: List[Resource] = []
    seen: Dict[str, int] = {}
    for index, entry in enumerate(raw):
        where = "resources[%d]" % index
        if not isinstance(entry, dict):
            problems.append("%s: must be a dict with type, name and properties, got %s" % (where, show(entry)))
            continue
        unknown = sorted(str(k) for k in set(entry) - set(ENTRY_KEYS))
        if unknown:
            problems.append("%s: unknown keys %s (allowed: %s)" % (where, ", ".join(unknown), ", ".join(ENTRY_KEYS)))
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append("%s: name must be a non-empty string, got %s" % (where, show(name)))
            continue
        type_name = entry.get("type")
        if not isinstance(type_name, str):
            problems.append("%s (%s): type must be a string, got %s" % (where, name, show(type_name)))
            continue
        try:
            type_name = canonical(type_name)
        except KeyError as exc:
            problems.append("%s (%s): %s" % (where, name, exc.args[0] if exc.args else exc))
            continue
        resource = Resource(type_name, name, {}, [], index)
        spec = registry[type_name]
        props = entry.get("properties")
        if props is not None and not isinstance(props, dict):
            problems.append("%s: properties must be a dict, got %s" % (resource.key, show(props)))
            props = {}
        for key, value in (props or {}).items():
            item = field_by_any_name(spec, str(key))
            if item is None:
                problems.append(
                    "%s.%s: unknown property (known: %s)" % (resource.key, key, ", ".join(f.name for f in spec.fields))
                )
                continue
            resource.properties[item.name] = _coerce(item, value)
        resource.depends_on = _depends_on(entry.get("depends_on"), resource.key, problems)
        if resource.key in seen:
            problems.append(
                "%s: listed twice (resources[%d] and resources[%d])" % (resource.key, seen[resource.key], index)
            )
            continue
        seen[resource.key] = index
        fill_identity(spec, resource)
        problems.extend(validate_resource(spec, resource))
        resources.append(resource)
    return resources, problems


def parse_resources(raw: Any, registry: Dict[str, ResourceSpec], canonical: Callable[[str], str]) -> List[Resource]:
    """:func:`read_resources`, raising every problem at once."""
    resources, problems = read_resources(raw, registry, canonical)
    if problems:
        raise PlanError(problems, "validation")
    return resources


def fill_identity(spec: ResourceSpec, resource: Resource) -> None:
    """A single-field identity defaults to the resource's name (alias ``name``, rule ``description``)."""
    if len(spec.identity) == 1:
        ident = spec.identity[0]
        if resource.properties.get(ident) in (None, ""):
            resource.properties[ident] = resource.name


def record(spec: ResourceSpec, resource: Resource) -> Dict[str, Any]:
    """The resource's values for every field, OPNsense's default where it sets none."""
    props = resource.properties
    return {f.name: props.get(f.name, f.default) for f in spec.fields}


def _lines(resource: Resource, errors: List[Tuple[str, str]]) -> List[str]:
    return [
        "%s.%s: %s" % (resource.key, name, message) if name else "%s: %s" % (resource.key, message)
        for name, message in errors
    ]


def validate_resource(spec: ResourceSpec, resource: Resource) -> List[str]:
    """The spec's checks without the firewall; a value of the wrong Python type is dropped after it
    is reported."""
    resource.fact_fields = set()
    errors = validate(spec, record(spec, resource), consulted=resource.fact_fields)
    if not errors:
        return []  # a value of the wrong type is always among the errors: nothing to drop
    for item in spec.fields:
        if shape_problem(item, resource.properties.get(item.name)):
            resource.properties[item.name] = None
    return _lines(resource, errors)


# -- the second pass: with the firewall's facts ----------------------------------------------------


def task_facts(resources: List[Resource], registry: Dict[str, ResourceSpec], facts: Any) -> Any:
    """The firewall's facts plus what the task itself creates: its objects' names (a rule may name an
    alias of the same task) and the option values other fields of the task add (``options_also``)."""
    combined = facts.copy()
    for resource in resources:
        spec = registry[resource.type]
        values = record(spec, resource)
        first = values.get(spec.identity[0]) if spec.identity else None
        combined.add_name(spec.type, str(first or resource.name), values)
    wanted = set(
        (t, f.api) + tuple(f.options_also)
        for t in set(r.type for r in resources)
        for f in registry[t].fields
        if len(f.options_also) == 2
    )
    for type_name, api, other_type, other_field in sorted(wanted):
        for other in resources:
            value = other.properties.get(other_field) if other.type == other_type else None
            if value not in (None, ""):
                combined.add_option(type_name, api, str(value))
    return combined


def check_against(resources: List[Resource], registry: Dict[str, ResourceSpec], facts: Any) -> List[str]:
    """What the firewall's facts add to the first pass (``facts`` None: nothing)."""
    if facts is None:
        return []
    combined = task_facts(resources, registry, facts)
    problems: List[str] = []
    for resource in resources:
        spec = registry[resource.type]
        values = record(spec, resource)
        problems.extend(_lines(resource, facts_only(spec, values, combined, only=resource.fact_fields)))
    return problems
