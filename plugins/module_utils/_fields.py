# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field codecs: between OPNsense's string encodings and user values.

OPNsense stores every value as a string (opnsense-api/generic.md 3): booleans as ``"0"``/``"1"``,
multi-value fields as one comma-separated string (generic.md 4), alias content newline-separated
(firewall.md 2.2), and references as uuids. ``search`` rows carry these raw strings; ``get`` renders
option fields as ``{key: {value, selected}}`` dicts instead (generic.md 7). ``decode`` accepts both
shapes, ``encode`` produces what ``add``/``set`` accept, and ``normalise`` gives the canonical form
used for comparison (case folded where OPNsense folds it, order dropped where OPNsense ignores it).

References: the user names objects, the API stores uuids. :class:`RefIndex` maps between the two for
one referenced type; the ``*_refs`` functions apply it to a whole record.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple, Union

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    AmbiguousError,
    ReferenceNotFoundError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    BOOL,
    INT,
    LINES,
    LIST_KINDS,
    REF,
    REFS,
    FieldSpec,
    ResourceSpec,
)

TRUE_STRINGS = ("1", "true", "yes", "on")


def separator(spec: FieldSpec) -> str:
    return "\n" if spec.kind == LINES else ","


def _selected_keys(options: Dict[str, Any]) -> List[str]:
    """Reduce a ``get`` option dict to the keys marked ``selected: 1`` (generic.md 7)."""
    keys = []
    for key, meta in options.items():
        if key == "" or not isinstance(meta, dict):
            continue
        try:
            selected = int(meta.get("selected", 0) or 0)
        except (TypeError, ValueError):
            selected = 1 if meta.get("selected") is True else 0
        if selected == 1:
            keys.append(key)
    return keys


def fold_case(spec: FieldSpec, value: str) -> str:
    """Apply the case change OPNsense applies when it stores the value."""
    if not spec.case:
        return value
    for kept in spec.keep_case:
        if value.lower() == kept.lower():
            return kept
    return value.lower() if spec.case == "lower" else value.upper()


def decode(spec: FieldSpec, raw: Any) -> Any:
    """An API value (search-row string or get-shaped dict) as a user value; refs stay uuids."""
    if isinstance(raw, dict):
        raw = separator(spec).join(_selected_keys(raw))
    elif isinstance(raw, (list, tuple)):
        raw = separator(spec).join(str(item) for item in raw)
    text = "" if raw is None else str(raw)
    if spec.kind in LIST_KINDS:
        return split(spec, text)
    if text == "":
        return None
    if spec.kind == BOOL:
        return text.strip().lower() in TRUE_STRINGS
    if spec.kind == INT:
        try:
            return int(text.strip())
        except ValueError:
            return text
    return text


def split(spec: FieldSpec, text: str) -> List[str]:
    """Split a multi-value string; empty items are dropped (OPNsense drops them too)."""
    if spec.kind == LINES:
        items = text.replace("\r\n", "\n").split("\n")
    else:
        items = text.split(",")
    return [item.strip() for item in items if item.strip()]


def encode(spec: FieldSpec, value: Any) -> str:
    """A user value (refs already resolved to uuids) as the string ``add``/``set`` accept."""
    if value is None:
        return ""
    if spec.kind in LIST_KINDS:
        if isinstance(value, str):
            value = split(spec, value)
        return separator(spec).join(str(item) for item in value)
    if spec.kind == BOOL:
        if isinstance(value, str):
            value = value.strip().lower() in TRUE_STRINGS
        return "1" if value else "0"
    if spec.kind == INT:
        return str(int(value)) if not isinstance(value, str) else value.strip()
    return str(value)


def normalise(spec: FieldSpec, value: Any) -> Any:
    """The canonical form of a user value, for comparison and display.

    ``None`` and ``""`` are the same (OPNsense stores both as empty); lists become lists of strings,
    case-folded where OPNsense folds, sorted unless the order matters to OPNsense.
    """
    if spec.kind in LIST_KINDS:
        if value is None:
            items: List[str] = []
        elif isinstance(value, str):
            items = split(spec, value)
        else:
            items = [str(item).strip() for item in value if item is not None and str(item).strip() != ""]
        items = [fold_case(spec, item) for item in items]
        return items if spec.ordered else sorted(items)
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if spec.kind == BOOL:
        if isinstance(value, str):
            return value.strip().lower() in TRUE_STRINGS
        return bool(value)
    if spec.kind == INT:
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)
    return fold_case(spec, str(value))


def decode_row(spec: ResourceSpec, row: Dict[str, Any]) -> Dict[str, Any]:
    """A raw row (search or get shape) as ``{user name: value}`` for the fields the row carries."""
    if spec.hooks.adapt_row:
        row = spec.hooks.adapt_row(dict(row))
    values = {}
    for item in spec.fields:
        if item.api in row:
            values[item.name] = decode(item, row[item.api])
    return values


def encode_payload(
    spec: ResourceSpec, values: Dict[str, Any], sample_row: Optional[Dict[str, Any]] = None
) -> Dict[str, str]:
    """``{user name: value}`` (refs as uuids) as the ``{api name: string}`` body of ``set``."""
    payload = {}
    for item in spec.fields:
        if item.name in values:
            payload[item.api] = encode(item, values[item.name])
    if spec.hooks.adapt_payload:
        payload = spec.hooks.adapt_payload(payload, sample_row)
    return payload


class RefIndex(object):
    """Name <-> uuid map of every object of one referenced type."""

    def __init__(self, type_name: str, pairs: Iterable[Tuple[str, str]]) -> None:
        self.type_name = type_name
        self.by_uuid: Dict[str, str] = {}
        self.by_name: Dict[str, List[str]] = {}
        for uuid, name in pairs:
            self.by_uuid[uuid] = name
            self.by_name.setdefault(name, []).append(uuid)

    def uuid_for(self, name: str, field_name: str) -> str:
        """The uuid of the object called ``name``; a missing or duplicate name is an error."""
        if name in self.by_uuid and name not in self.by_name:
            return name  # already a uuid (for example copied from OPNsense's UI)
        found = self.by_name.get(name, [])
        if not found:
            raise ReferenceNotFoundError(self.missing(name), field=field_name)
        if len(found) > 1:
            raise AmbiguousError(
                "%d %s objects are named %r (uuids %s); names used as references must be unique"
                % (len(found), self.type_name, name, ", ".join(found)),
                field=field_name,
            )
        return found[0]

    def missing(self, name: str) -> str:
        """What to say about a name no object of the type has."""
        known = ", ".join(sorted(self.by_name)[:20]) or "none"
        return "no %s named %r exists (known: %s)" % (self.type_name, name, known)

    def name_for(self, uuid: str) -> str:
        """The name of the object with ``uuid``; an unknown uuid is shown as itself."""
        return self.by_uuid.get(uuid, uuid)


def name_index(spec: ResourceSpec, objects: Iterable[Tuple[str, Dict[str, Any]]]) -> RefIndex:
    """Name <-> uuid index of ``(uuid, decoded values)`` pairs of ``spec``'s type, each object named
    by its first identity field (how references name objects). An object of a type with several
    identity fields is also named by its display name, which tells apart objects that share the
    first field (``www.example.com A`` and ``www.example.com AAAA``) and which it is shown by."""
    first = spec.identity[0] if spec.identity else None  # settings have no identity: no names
    pairs = []
    for uuid, values in objects:
        value = values.get(first) if first else None
        pairs.append((uuid, "" if value is None else str(value)))
        if len(spec.identity) > 1:
            pairs.append((uuid, spec.display_name(values)))
    return RefIndex(spec.type, pairs)


def resolve_refs(
    spec: ResourceSpec,
    values: Dict[str, Any],
    indexes: Dict[str, RefIndex],
    missing: Optional[List[Tuple[FieldSpec, str]]] = None,
) -> Dict[str, Any]:
    """User values with reference names replaced by uuids.

    An unknown name raises, unless ``missing`` is a list: then ``(field, name)`` is appended to it
    and the name stays as it is (check mode, where an earlier task may be about to create it). An
    ambiguous name always raises.
    """
    out = dict(values)

    def uuid_for(index: RefIndex, item: FieldSpec, name: str) -> str:
        if missing is not None and name not in index.by_name and name not in index.by_uuid:
            missing.append((item, name))
            return name
        return index.uuid_for(name, item.name)

    for item in spec.ref_fields:
        value = values.get(item.name)
        if is_empty(value):
            continue
        index = indexes[item.ref]
        if item.kind == REF:
            out[item.name] = uuid_for(index, item, str(value))
        elif item.kind == REFS:
            names = value if not isinstance(value, str) else split(item, value)
            out[item.name] = [uuid_for(index, item, str(name)) for name in names]
    return out


def is_empty(value: Any) -> bool:
    """No value: None, the empty string or the empty list (OPNsense stores all three as empty)."""
    return value is None or value == "" or value == []


def as_list(value: Any) -> List[str]:
    """A single or multi value as a list of non-empty strings."""
    if is_empty(value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if not is_empty(v)]
    return [str(value)]


#: ``name_of(type, uuid)``: the name of a referenced object, or None when it is not known.
NameOf = Callable[[str, str], Optional[str]]


def index_names(indexes: Dict[str, RefIndex]) -> NameOf:
    """A name lookup over name <-> uuid indexes by type (a type without an index has no names)."""

    def name_of(type_name: str, uuid: str) -> Optional[str]:
        index = indexes.get(type_name)
        return index.name_for(uuid) if index is not None else None

    return name_of


def _known(name: Optional[str], uuid: str) -> str:
    return uuid if name is None else name


UuidsOf = Callable[[str, str], Iterable[str]]


def referenced(spec: ResourceSpec, values: Dict[str, Any], uuids_of: UuidsOf) -> Set[Tuple[str, str]]:
    """``(type, uuid)`` of every object ``values`` (decoded, references as uuids) refer to: the
    uuids of the reference fields, and the objects the text fields name (``mentions``), as
    ``uuids_of(type, name)`` finds them (nothing for a type the caller does not know)."""
    found: Set[Tuple[str, str]] = set()
    for item in spec.ref_fields:
        for uuid in as_list(values.get(item.name)):
            found.add((str(item.ref), uuid))
    for item in spec.mention_fields:
        if not item.mentions:
            continue
        for name in as_list(values.get(item.name)):
            for uuid in uuids_of(str(item.mentions), name):
                found.add((str(item.mentions), uuid))
    return found


def name_refs(spec: ResourceSpec, values: Dict[str, Any], names: Union[Dict[str, RefIndex], NameOf]) -> Dict[str, Any]:
    """Decoded values with reference uuids replaced by the referenced objects' names.

    ``names`` is ``{type: RefIndex}`` or a lookup ``name_of(type, uuid)``; a uuid whose name is not
    known is shown as itself."""
    name_of = names if callable(names) else index_names(names)
    out = dict(values)
    for item in spec.ref_fields:
        uuids = as_list(values.get(item.name))
        if not uuids:
            continue
        shown = [_known(name_of(str(item.ref), uuid), uuid) for uuid in uuids]
        out[item.name] = shown[0] if item.kind == REF else shown
    return out
