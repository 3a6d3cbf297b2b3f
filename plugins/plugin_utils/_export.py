# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Export: what a firewall holds now, as the resource list ``apply`` takes (docs/export.md).

A hand-configured firewall is brought under management by exporting it, reviewing and committing
the file, and applying it: every object is then adopted as it is, with no write. This module owns
turning one read of the firewall (``_session.Session.refresh``) into that list and its file:

- which objects: the manageable rows of each type (built-in and legacy rows are left out by the
  refresh, rows OPNsense marks as automatic here), and which types (every type of the registry, or
  the ones asked for; types of a plugin the firewall lacks are skipped when none were asked for);
- each object as apply reads it back: named as apply matches it (the identity field of a type with
  one, else the type's display name), references rendered as the referenced objects' names, only
  the properties that differ from the spec's default, computed (``auto``) fields left out;
- what cannot be exported as is: objects without a name, several objects with one identity (apply
  would refuse both) and objects holding a secret. A secret is never written: such an object is
  left out of the list and shown as a commented-out block to complete, since applying it without
  its secret would clear the secret on the firewall;
- the order: types after the types they refer to, objects by name, objects evaluated in sequence
  (filter rules) in evaluation order; the file is block-style YAML with a comment header.

Nothing here writes to the firewall or to the state folder; the only file written is ``dest``.
"""

from __future__ import annotations

import os
import re
import textwrap
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple
from urllib.parse import urlsplit

import yaml

from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import DEFAULT_TIMEOUT, connection_argspec
from ansible_collections.opnform.opnsense.plugins.module_utils._diff import identity_key
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import TRUE_STRINGS
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import normalise as normalise_value
from ansible_collections.opnform.opnsense.plugins.module_utils._object_plan import as_list, is_empty, name_refs
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import BOOL, INT, FieldSpec, ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import DEFAULT_PARALLELISM, Connection, Options
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Inventory
from ansible_collections.opnform.opnsense.plugins.plugin_utils._session import Session
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import atomic_write_text

# Flags OPNsense sets on rows it created itself (an automatic category: firewall.md 3; automatic
# rules: firewall.md 1.4). Such rows are left out unless the spec manages a field of that name.
AUTOMATIC_FLAGS = ("auto", "is_automatic")
# The header line that changes with every export; two files that differ only there are the same export.
DATE_PREFIX = "# Exported: "


def export_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of ``opnform.opnsense.export`` (documented in ``plugins/modules/export.py``)."""
    spec: Dict[str, Dict[str, Any]] = {
        "types": {"type": "list", "elements": "str"},
        "dest": {"type": "path"},
        "parallelism": {"type": "int", "default": DEFAULT_PARALLELISM},
    }
    spec.update(connection_argspec())
    return spec


# -- which types -------------------------------------------------------------------------------------


def export_types(
    requested: Optional[Iterable[str]],
    registry: Dict[str, ResourceSpec],
    canonical: Callable[[str], str] = canonical_type,
) -> Tuple[List[str], List[str]]:
    """The types to export, and those of them that may be missing (a plugin's, when none were asked
    for). Unknown names are refused, all at once."""
    if not requested:
        every = sorted(registry)
        return every, [t for t in every if registry[t].plugin]
    types: List[str] = []
    unknown: List[str] = []
    for name in requested:
        try:
            found = canonical(str(name))
        except KeyError:
            unknown.append(str(name))
            continue
        if found not in types:
            types.append(found)
    if unknown:
        raise OpnError(
            "types: unknown resource type%s %s (known: %s)"
            % ("s" if len(unknown) > 1 else "", ", ".join(unknown), ", ".join(sorted(registry)))
        )
    return sorted(types), []


def types_to_read(
    types: List[str], optional: List[str], registry: Dict[str, ResourceSpec]
) -> Tuple[List[str], List[str]]:
    """The types the export exports plus the types their reference fields name (their objects'
    names are needed), split into required and optional reads."""
    required = set(t for t in types if t not in optional)
    maybe = set(optional)
    for type_name in types:
        targets = set(f.ref for f in registry[type_name].ref_fields if f.ref in registry)
        (maybe if type_name in optional else required).update(targets)
    maybe -= required
    return sorted(required), sorted(maybe)


def _ordered(nodes: Iterable[str], edges: Iterable[Tuple[str, str]]) -> List[str]:
    """``nodes`` with every ``(before, after)`` edge respected where the edges allow it: strongly
    connected groups (types that may refer to each other) stay together, ties alphabetical. Kahn's
    algorithm over the condensation; small graphs, so plain Python."""
    nodes = sorted(set(nodes))
    succ: Dict[str, Set[str]] = dict((n, set()) for n in nodes)
    for before, after in edges:
        if before in succ and after in succ and before != after:
            succ[before].add(after)
    groups = _components(nodes, succ)
    group_of = dict((n, i) for i, members in enumerate(groups) for n in members)
    after: Dict[int, Set[int]] = dict((i, set()) for i in range(len(groups)))
    for node in nodes:
        for other in succ[node]:
            if group_of[other] != group_of[node]:
                after[group_of[node]].add(group_of[other])
    waiting = dict((i, 0) for i in range(len(groups)))
    for targets in after.values():
        for target in targets:
            waiting[target] += 1
    ready = sorted((groups[i][0], i) for i, n in waiting.items() if n == 0)
    out: List[str] = []
    while ready:
        ready.sort()
        _first, index = ready.pop(0)
        out.extend(groups[index])
        for target in after[index]:
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append((groups[target][0], target))
    return out


def _components(nodes: List[str], succ: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected components (Tarjan), each sorted by name."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(succ[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            found.append(sorted(members))

    for node in nodes:
        if node not in index:
            visit(node)
    return found


def type_order(
    types: Iterable[str], registry: Dict[str, ResourceSpec], used: Iterable[Tuple[str, str]] = ()
) -> List[str]:
    """Types after the types they may refer to (the registry's dependencies). Types that may refer
    to each other (HAProxy's) are ordered by the references the exported objects actually hold
    (``used``: ``(referenced type, referring type)``), then alphabetically."""
    types = sorted(set(types))
    used = list(used)
    declared = [(dep, t) for t in types for dep in registry[t].dependencies if dep in types]
    out: List[str] = []
    for group in _group_runs(types, declared):
        out.extend(_ordered(group, used) if len(group) > 1 else group)
    return out


def _group_runs(types: List[str], edges: List[Tuple[str, str]]) -> List[List[str]]:
    """The strongly connected groups of ``types`` in dependency order."""
    succ: Dict[str, Set[str]] = dict((t, set()) for t in types)
    for before, after in edges:
        if before != after:
            succ[before].add(after)
    order = _ordered(types, edges)
    groups = _components(types, succ)
    group_of = dict((n, tuple(g)) for g in groups for n in g)
    runs: List[List[str]] = []
    seen: Set[Tuple[str, ...]] = set()
    for name in order:
        group = group_of[name]
        if group not in seen:
            seen.add(group)
            runs.append(list(group))
    return runs


# -- one object --------------------------------------------------------------------------------------


def is_automatic_row(spec: ResourceSpec, row: Dict[str, Any]) -> bool:
    """Whether OPNsense created the row itself (a flag the spec does not manage as a field)."""
    for flag in AUTOMATIC_FLAGS:
        if spec.by_api(flag) is None and str(row.get(flag, "")).strip().lower() in TRUE_STRINGS:
            return True
    return False


def resource_name(spec: ResourceSpec, values: Dict[str, Any]) -> str:
    """The name apply matches the object by: its identity field's value (fill_identity), or the
    display name of a type identified by several fields (its properties then carry them)."""
    if len(spec.identity) == 1:
        value = values.get(spec.identity[0])
        return "" if is_empty(value) else str(value)
    return spec.display_name(values)


def _shown(item: FieldSpec, value: Any) -> Any:
    """A value as the file holds it: an empty value as the empty value of its kind."""
    if is_empty(value):
        if item.is_list:
            return []
        return None if item.kind in (BOOL, INT) else ""
    if item.is_list:
        return [str(v) for v in as_list(value)]
    return value


def properties_of(spec: ResourceSpec, named: Dict[str, Any]) -> Tuple[Dict[str, Any], List[str]]:
    """The properties to export (spec order) and the sensitive fields that hold a value (never
    exported). ``named``: the decoded object with references as names.

    Left out: the identity field of a type with one (it is the resource's name), computed fields
    (``auto``: compared only when given), fields the firewall did not return, and values equal to
    the spec's default (apply fills those in). A multi-field identity is always written out."""
    props: Dict[str, Any] = {}
    secrets: List[str] = []
    single = len(spec.identity) == 1
    for item in spec.fields:
        if item.name not in named or item.auto:
            continue
        if single and item.name == spec.identity[0]:
            continue
        value = named[item.name]
        if item.sensitive:
            if not is_empty(value):
                secrets.append(item.name)
            continue
        keep = not single and item.name in spec.identity
        if not keep and normalise_value(item, value) == normalise_value(item, item.default):
            continue
        props[item.name] = _shown(item, value)
    return props, secrets


# -- the whole export --------------------------------------------------------------------------------


@dataclass
class Export:
    """The result of one export: resources in file order and what was left out, with why."""

    types: List[str]
    resources: List[Dict[str, Any]] = field(default_factory=list)
    withheld: List[Dict[str, Any]] = field(default_factory=list)  # objects with a secret, secrets left out
    skipped: List[Dict[str, Any]] = field(default_factory=list)  # objects apply could not match
    builtin: Dict[str, int] = field(default_factory=dict)  # built-in, legacy and automatic rows per type
    missing_types: List[str] = field(default_factory=list)  # a plugin's types the firewall lacks
    warnings: List[str] = field(default_factory=list)
    # file order, with the commented-out blocks: ("resource" | "withheld", type, entry)
    items: List[Tuple[str, str, Dict[str, Any]]] = field(default_factory=list)

    def counts(self) -> Dict[str, int]:
        out = dict((t, 0) for t in self.types)
        for entry in self.resources:
            out[entry["type"]] = out.get(entry["type"], 0) + 1
        return out


def build_export(inventory: Inventory, registry: Dict[str, ResourceSpec], types: List[str]) -> Export:
    """The export of ``types`` from one read of the firewall (``inventory``)."""
    present = [t for t in types if inventory.has(t)]
    export = Export(types=[], missing_types=[t for t in types if not inventory.has(t)])

    def name_of(type_name: str, uuid: str) -> Optional[str]:
        return inventory.index(type_name).name_for(uuid) if inventory.has(type_name) else None

    per_type: Dict[str, List[Tuple[str, Dict[str, Any]]]] = {}
    used: Set[Tuple[str, str]] = set()
    for type_name in present:
        spec = registry[type_name]
        export.builtin[type_name] = len(inventory.builtin(type_name))
        rows = inventory.rows.get(type_name, [])
        kept: List[Tuple[int, str, Dict[str, Any], Dict[str, Any]]] = []
        for position, row in enumerate(rows):
            uuid = str(row.get("uuid"))
            if is_automatic_row(spec, row):
                export.builtin[type_name] += 1
                continue
            values = inventory.get(type_name, uuid) or {}
            kept.append((position, uuid, values, row))
        entries = _entries(spec, kept, inventory, name_of, export)
        per_type[type_name] = entries
        for _kind, entry in entries:
            for item in spec.ref_fields:
                if item.ref and item.ref != type_name and not is_empty(entry["properties"].get(item.name)):
                    used.add((item.ref, type_name))
    export.types = type_order(present, registry, used)
    for type_name in export.types:
        for kind, entry in per_type[type_name]:
            export.items.append((kind, type_name, entry))
            (export.resources if kind == "resource" else export.withheld).append(entry)
    return export


def _entries(
    spec: ResourceSpec,
    kept: List[Tuple[int, str, Dict[str, Any], Dict[str, Any]]],
    inventory: Inventory,
    name_of: Callable[[str, str], Optional[str]],
    export: Export,
) -> List[Tuple[str, Dict[str, Any]]]:
    """One type's entries in file order: ``("resource", entry)`` or ``("withheld", entry)``."""
    by_identity: Dict[Tuple[Any, ...], List[str]] = {}
    for _position, uuid, values, _row in kept:
        by_identity.setdefault(identity_key(spec, values), []).append(uuid)
    made: List[Tuple[Tuple[Any, ...], str, Dict[str, Any], Dict[str, Any]]] = []
    taken: Set[str] = set()
    for position, uuid, values, row in kept:
        name = resource_name(spec, values)
        if len(spec.identity) > 1 and name in taken:
            # Two identities with one display name (host "a.b" in "c", host "a" in "b.c"): the
            # name is free for such types, so the later one is numbered.
            name = next("%s (%d)" % (name, n) for n in range(2, len(kept) + 2) if "%s (%d)" % (name, n) not in taken)
        taken.add(name)
        if not name:
            export.skipped.append({"type": spec.type, "uuid": uuid, "reason": "no %s" % spec.identity[0]})
            export.warnings.append(
                "%s %s has no %s, so apply cannot match it; it is not exported (give it a unique %s)"
                % (spec.type, uuid, spec.identity[0], spec.identity[0])
            )
            continue
        twins = by_identity[identity_key(spec, values)]
        if len(twins) > 1:
            export.skipped.append({"type": spec.type, "uuid": uuid, "name": name, "reason": "duplicate identity"})
            if twins[0] == uuid:
                export.warnings.append(
                    "%s/%s: %d objects share this identity (uuids %s), so apply would refuse them; none is "
                    "exported (make them unique)" % (spec.type, name, len(twins), ", ".join(twins))
                )
            continue
        _check_refs(spec, name, values, inventory, export)
        props, secrets = properties_of(spec, name_refs(spec, values, name_of))
        entry: Dict[str, Any] = {"type": spec.type, "name": name, "properties": props}
        kind = "resource"
        if secrets:
            kind, entry["secrets"] = "withheld", secrets
            export.warnings.append(
                "%s/%s holds a secret (%s) and is not exported: the file shows it commented out, to "
                "complete with the secret from a vault (docs/export.md)" % (spec.type, name, ", ".join(secrets))
            )
        made.append((_sort_key(spec, position, name, values, row), kind, entry, values))
    made.sort(key=lambda item: item[0])
    _pin_ties(spec, [(entry, values) for _key, _kind, entry, values in made])
    return [(kind, entry) for _key, kind, entry, _values in made]


def _sort_key(
    spec: ResourceSpec, position: int, name: str, values: Dict[str, Any], row: Dict[str, Any]
) -> Tuple[Any, ...]:
    """By name; a type evaluated in sequence in evaluation order: OPNsense's ``sort_order`` where the
    row has it (priority group, then sequence: floating rules first, firewall.md 1.4), else the
    sequence field; ties as the firewall listed them."""
    if spec.ordering is None:
        return ("", 0, name, position)
    value = values.get(spec.ordering.field)
    number = value if isinstance(value, int) else None
    return (str(row.get("sort_order") or ""), 0 if number is not None else 1, number or 0, position)


def _pin_ties(spec: ResourceSpec, entries: List[Tuple[Dict[str, Any], Dict[str, Any]]]) -> None:
    """Objects evaluated in sequence keep their positions through the order of the list (apply
    numbers them in list order, keeping the numbers they have where that order holds), unless two of
    one group share a number: apply would then renumber one. For every member of such a group the
    sequence is written out, so the export applies without a move."""
    rule = spec.ordering
    if rule is None:
        return
    groups: Dict[Tuple[Any, ...], List[Tuple[Dict[str, Any], Dict[str, Any]]]] = {}
    for entry, values in entries:
        key = tuple(_group_value(spec.field(g), values.get(g)) for g in rule.group)
        groups.setdefault(key, []).append((entry, values))
    for members in groups.values():
        numbers = [values.get(rule.field) for _entry, values in members]
        if all(isinstance(n, int) for n in numbers) and all(a < b for a, b in zip(numbers, numbers[1:])):
            continue
        for (entry, _values), number in zip(members, numbers):
            if number is not None:
                entry["properties"] = _with_field(spec, entry["properties"], rule.field, number)


def _group_value(item: FieldSpec, value: Any) -> Any:
    normal = normalise_value(item, value)
    return tuple(normal) if isinstance(normal, list) else normal


def _with_field(spec: ResourceSpec, props: Dict[str, Any], name: str, value: Any) -> Dict[str, Any]:
    """``props`` with ``name`` set, in spec order."""
    merged = dict(props, **{name: value})
    return dict((f.name, merged[f.name]) for f in spec.fields if f.name in merged)


def _check_refs(
    spec: ResourceSpec,
    name: str,
    values: Dict[str, Any],
    inventory: Inventory,
    export: Export,
) -> None:
    """Warn about references apply could not resolve by name: to an object that no longer exists,
    or to a built-in object (apply names only manageable objects in reference fields)."""
    for item in spec.ref_fields:
        if not item.ref or not inventory.has(item.ref):
            continue
        index = inventory.index(item.ref)
        for uuid in as_list(values.get(item.name)):
            if uuid in index.by_uuid:
                continue
            what = "built-in" if uuid in inventory.builtin(item.ref) else "missing"
            export.warnings.append(
                "%s/%s.%s refers to a %s %s (%s); apply cannot resolve it by name"
                % (spec.type, name, item.name, what, item.ref, uuid)
            )


# -- the file ----------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key, as ansible-lint's yamllint expects."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, default_flow_style=False, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def firewall_label(api_url: str) -> str:
    """The firewall's URL without credentials, path or query (``https://fw.example.com:8443``)."""
    parts = urlsplit(api_url if "://" in api_url else "https://" + api_url)
    host = parts.hostname or ""
    if ":" in host:
        host = "[%s]" % host
    port = ":%d" % parts.port if parts.port else ""
    return "%s://%s%s" % (parts.scheme or "https", host, port)


def render(export: Export, firewall: str, version: Optional[str], created: str) -> str:
    """The export as YAML: a comment header, then one list item per resource, grouped by type."""
    lines = [
        "---",
        "# opnform.opnsense.export of %s (OPNsense %s)" % (firewall, version or "unknown"),
        DATE_PREFIX + created,
    ]
    lines += textwrap.wrap(
        "Types: %s" % (", ".join(export.types) or "none"), 96, initial_indent="# ", subsequent_indent="#   "
    )
    lines += [
        "# Apply with opnform.opnsense.apply (resources_file): objects no deployment manages yet are",
        "# adopted as they are, with no change on the firewall (docs/export.md).",
    ]
    if export.missing_types:
        lines.append("# Not on this firewall (plugin not installed): %s" % ", ".join(export.missing_types))
    left = len(export.withheld) + len(export.skipped)
    if left:
        lines.append("# Not exported: %d object(s); see the comments below and the task's warnings." % left)
    for skipped in export.skipped:
        what = " ".join(str(skipped.get("name") or skipped["uuid"]).split())  # one comment line
        lines.append("#   %s %s: %s" % (skipped["type"], what, skipped["reason"]))
    if not export.items:
        return "\n".join(lines + ["[]"]) + "\n"
    current = None
    for kind, type_name, entry in export.items:
        if type_name != current:
            current = type_name
            count = sum(1 for k, t, _e in export.items if t == type_name and k == "resource")
            lines += ["", "# %s (%d)" % (type_name, count)]
        if kind == "resource":
            lines.append(_dump([entry]).rstrip("\n"))
        else:
            lines += _withheld_block(entry)
    return "\n".join(lines) + "\n"


def _withheld_block(entry: Dict[str, Any]) -> List[str]:
    """An object holding a secret, commented out, with a vault placeholder where each secret goes.
    Commented out because a resources file is never templated (the placeholder would be sent as the
    secret) and because applying the object without its secret would clear the secret."""
    secrets = entry["secrets"]
    props = dict(entry["properties"])
    slug = re.sub(r"[^A-Za-z0-9_]+", "_", "%s_%s" % (entry["type"], entry["name"])).strip("_").lower()
    for name in secrets:
        props[name] = "{{ vault_%s_%s }}" % (slug, name)
    text = _dump([{"type": entry["type"], "name": entry["name"], "properties": props}]).rstrip("\n")
    head = textwrap.wrap(
        "%s/%s holds a secret (%s): not exported, since an export never writes a secret and applying "
        "the object without it would clear it. To manage it, put this entry, with the secret from your "
        "vault, in an inline resources list (docs/export.md):"
        % (entry["type"], " ".join(entry["name"].split()), ", ".join(secrets)),
        96,
        initial_indent="# ",
        subsequent_indent="# ",
    )
    return head + ["# " + line for line in text.split("\n")]


def same_export(old: Optional[str], new: str) -> bool:
    """Whether two export files say the same thing (only the date line may differ)."""
    if old is None:
        return False

    def body(text: str) -> List[str]:
        return [line for line in text.splitlines() if not line.startswith(DATE_PREFIX)]

    return body(old) == body(new)


def read_text(path: str) -> Optional[str]:
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OpnError("dest %s cannot be read: %s" % (path, exc)) from None


# -- the task ----------------------------------------------------------------------------------------


def run_export(
    args: Dict[str, Any],
    check_mode: bool,
    diff: bool,
    dest: Optional[str] = None,
    client_factory: Optional[Callable[[], Any]] = None,
    registry: Optional[Dict[str, ResourceSpec]] = None,
) -> Dict[str, Any]:
    """The task: read, build, render, and write ``dest`` (an absolute path) unless check mode or
    unchanged. Nothing is written to the firewall or to the state folder."""
    registry = registry if registry is not None else REGISTRY
    types, optional = export_types(args.get("types"), registry)
    required, maybe = types_to_read(types, optional, registry)
    conn = Connection(
        api_url=args["api_url"],
        api_key=args["api_key"],
        api_secret=args["api_secret"],
        validate_certs=bool(args.get("validate_certs", True)),
        ca_path=args.get("ca_path"),
        timeout=float(args.get("timeout") or DEFAULT_TIMEOUT),
    )
    parallelism = int(args.get("parallelism") or DEFAULT_PARALLELISM)
    if parallelism < 1:
        raise OpnError("parallelism must be at least 1, got %d" % parallelism)
    options = Options(parallelism=parallelism)
    if hasattr(options, "state_backend"):
        # The export keeps no controller state: whatever backend the environment names, the
        # session's state is the local folder object, which touches nothing until used.
        options.state_backend = "local"
    session = Session(conn, options, registry=registry, client_factory=client_factory)
    try:
        inventory = session.refresh(required, maybe)
        started = time.time()
        export = build_export(inventory, registry, types)
        firewall = firewall_label(conn.api_url)
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        text = render(export, firewall, inventory.version, created)
        session.timer.add("export", started)
        result: Dict[str, Any] = {
            "changed": False,
            "firewall": firewall,
            "version": inventory.version,
            "types": export.types,
            "missing_types": export.missing_types,
            "counts": export.counts(),
            "resources": export.resources,
            "withheld": [{"type": e["type"], "name": e["name"], "fields": e["secrets"]} for e in export.withheld],
            "skipped": export.skipped,
            "builtin": export.builtin,
            "warnings": export.warnings,
        }
        if dest:
            old = read_text(dest)
            changed = not same_export(old, text)
            if not changed:
                text = old or text  # the file on disk stays as it is, date included
            elif not check_mode:
                folder = os.path.dirname(dest)
                if folder and not os.path.isdir(folder):
                    raise OpnError("dest %s: the folder %s does not exist" % (dest, folder))
                atomic_write_text(dest, text)
            result.update(changed=changed, dest=dest)
            if diff and changed:
                result["diff"] = {
                    "before_header": dest if old is not None else "%s (absent)" % dest,
                    "after_header": dest,
                    "before": old or "",
                    "after": text,
                }
        return session.finish(result)
    finally:
        session.close()
