# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A resource type as data: :class:`ResourceSpec` and :class:`FieldSpec`.

Everything the engine knows about a type lives in one of these records (one file per type under
``specs/``): where its API is, its identity, its reload subsystem, and one FieldSpec per field with
the API name, the user-facing option name, the kind of value, OPNsense's default, choices, limits,
case folding and sensitivity. Argument specs, JSON Schema, validation, codecs and documentation are
all derived from these records, so the engine never needs to branch on a type's name. Behaviour a
record cannot express goes into a named hook on :class:`Hooks`.
"""

from __future__ import annotations

import dataclasses
import re
import uuid as uuidlib
from dataclasses import dataclass, replace
from typing import Any, Callable, Dict, List, Optional, Tuple

# Value kinds. The API side of every kind is a string (opnsense-api/generic.md 3).
TEXT = "text"  # plain string
INT = "int"  # integer stored as "123"
BOOL = "bool"  # "0" / "1"
OPTION = "option"  # one key of an option list (OptionField, InterfaceField, ...)
LIST = "list"  # several values sent as one comma-separated string (generic.md 4)
LINES = "lines"  # several values sent as one newline-separated string (alias content)
REF = "ref"  # uuid of another object; the user gives its name
REFS = "refs"  # comma-separated uuids of other objects; the user gives their names
KINDS = (TEXT, INT, BOOL, OPTION, LIST, LINES, REF, REFS)
LIST_KINDS = (LIST, LINES, REFS)
REF_KINDS = (REF, REFS)
# The OPNsense field type (Base/FieldTypes/*.php class) a kind stands for unless a field names its own.
FIELD_TYPES = {
    TEXT: "TextField",
    INT: "IntegerField",
    BOOL: "BooleanField",
    OPTION: "OptionField",
    LIST: "OptionField",
    LINES: "TextField",
    REF: "ModelRelationField",
    REFS: "ModelRelationField",
}

# The duration syntax HAProxy timeouts use ("T8" in opnsense-api/haproxy.md 3), with HAProxy.xml's message.
DURATION = r"^[0-9]{1,8}(us|ms|s|m|h|d)?$"
DURATION_MESSAGE = (
    'Should be a number between 1 and 8 characters, optionally followed by either "d", "h", "m", "s", "ms" or "us".'
)


def snake_case(api_name: str) -> str:
    """The user-facing option name for an API field: ``linkedServers`` -> ``linked_servers``."""
    name = api_name.replace("-", "_")
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"_+", "_", name).lower()


@dataclass(frozen=True)
class FieldSpec:
    """One field of a resource type.

    ``default`` is OPNsense's default in user terms (``True``, ``"pass"``, ``["h2", "http11"]``);
    ``None`` means OPNsense leaves the field empty. ``auto`` marks fields OPNsense computes when they
    are not given (sequence numbers, device names): they are compared only when the user sets them.
    ``mentions`` is the type whose objects a text field may *name* (a rule's ``source_net`` naming an
    alias): the value stays a name in the API, but naming a desired object makes a dependency on it.

    How OPNsense validates the field: ``ftype`` is its field type (the ``type`` attribute in the
    model XML, for example ``NetworkAliasField``; by default the plain type of the kind),
    ``message`` its ``<ValidationMessage>`` (None: the type's own message), ``pattern`` its
    ``<Mask>`` and ``xml`` the other settings of the field type that change what it accepts
    (``(("NetMaskRequired", "Y"),)``). ``options_also`` names ``(type, field)`` whose values in the
    same task are valid options too (a QinQ's parent may be a VLAN device the task creates).
    """

    api: str
    kind: str = TEXT
    name: str = ""
    doc: str = ""
    default: Any = None
    choices: Tuple[str, ...] = ()
    required: bool = False
    case: Optional[str] = None
    keep_case: Tuple[str, ...] = ()
    ordered: bool = False
    sensitive: bool = False
    ref: Optional[str] = None
    auto: bool = False
    minimum: Optional[int] = None
    maximum: Optional[int] = None
    pattern: Optional[str] = None
    message: Optional[str] = None
    max_length: Optional[int] = None
    aliases: Tuple[str, ...] = ()
    mentions: Optional[str] = None
    ftype: str = ""
    xml: Tuple[Tuple[str, str], ...] = ()
    options_also: Tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", snake_case(self.api))
        if self.kind not in KINDS:
            raise ValueError("field %s: unknown kind %r" % (self.api, self.kind))
        if not self.ftype:
            object.__setattr__(self, "ftype", FIELD_TYPES[self.kind])
        if self.kind in REF_KINDS and not self.ref:
            raise ValueError("field %s: a reference needs the referenced type" % self.api)
        if self.mentions and self.kind in REF_KINDS:
            raise ValueError("field %s: a reference field already depends on %s" % (self.api, self.ref))

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def is_ref(self) -> bool:
        return self.kind in REF_KINDS

    def setting(self, name: str) -> Optional[str]:
        """The value of one of the field type's XML settings (``xml``), or None."""
        for key, value in self.xml:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class RequiredIf:
    """When ``field`` has one of ``values``, every field in ``then`` must be non-empty (a model XML
    ``SetIfConstraint``); ``message`` is the constraint's ``<ValidationMessage>``."""

    field: str
    values: Tuple[Any, ...]
    then: Tuple[str, ...]
    message: str = "A value is required."


@dataclass(frozen=True)
class Unique:
    """A model XML ``UniqueConstraint``: no two objects may share the values of ``fields``;
    ``message`` (its ``<ValidationMessage>``) is reported on ``fields[0]``."""

    fields: Tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Commands:
    """The command words of a controller; they differ per controller (opnsense-api/generic.md 4)."""

    search: str = "searchItem"
    get: str = "getItem"
    add: str = "addItem"
    set: str = "setItem"
    delete: str = "delItem"
    toggle: Optional[str] = "toggleItem"


@dataclass(frozen=True)
class Hooks:
    """Named hooks for what plain data cannot express. Every hook is optional and pure.

    - ``validate(values, facts) -> [(field, message)]``: the model's cross-field checks
      (``performValidation`` in its PHP class) on user values, before any write. ``facts`` is what
      the firewall offers (``_facts.Facts``), or None when it was not read: checks that need it skip.
    - ``adapt_row(row) -> row``: turn a search row from this firewall into the canonical field names
      of the spec (for example a field that an older OPNsense release names differently).
    - ``adapt_payload(payload, sample_row) -> payload``: the reverse of ``adapt_row`` for a write;
      ``sample_row`` is any raw row read from the same firewall (or None when there is none).
    """

    validate: Optional[Callable[[Dict[str, Any], Any], List[Tuple[str, str]]]] = None
    adapt_row: Optional[Callable[[Dict[str, Any]], Dict[str, Any]]] = None
    adapt_payload: Optional[Callable[[Dict[str, Any], Optional[Dict[str, Any]]], Dict[str, Any]]] = None


@dataclass(frozen=True)
class Ordering:
    """Objects of a type are evaluated in sequence: ordered by the integer ``field`` within groups
    of equal ``group`` fields; new positions are spaced ``step`` apart inside ``[minimum, maximum]``."""

    field: str
    group: Tuple[str, ...] = ()
    step: int = 100
    minimum: int = 1
    maximum: int = 999999


@dataclass(frozen=True)
class ResourceSpec:
    """A resource type: API location, identity, reload subsystem and fields."""

    type: str
    module: str
    controller: str
    key: str
    identity: Tuple[str, ...]
    fields: Tuple[FieldSpec, ...]
    summary: str
    commands: Commands = dataclasses.field(default_factory=Commands)
    reload: Optional[str] = None
    plugin: Optional[str] = None
    aliases: Tuple[str, ...] = ()
    display: str = "{name}"
    description: Tuple[str, ...] = ()
    notes: Tuple[str, ...] = ()
    conditions: Tuple[RequiredIf, ...] = ()
    unique: Tuple[Unique, ...] = ()
    hooks: Hooks = dataclasses.field(default_factory=Hooks)
    ordering: Optional[Ordering] = None
    settings: bool = False
    # (GET path, dotted container) of a read that lists every object when ``search`` may not:
    # OPNsense's source NAT search shows the manual rules only in hybrid and advanced mode, while the
    # filter model's whole-model ``get`` holds them all (simulator services/firewall/FACTS.md).
    list_from: Optional[Tuple[str, str]] = None
    # The first release whose set<Item> takes the config lock before it computes the ``auto``
    # fields: from then on two creates in flight cannot get the same value (``_pool.Throttle``).
    computes_under_lock_since: Optional[Tuple[int, ...]] = None

    def __post_init__(self) -> None:
        if self.settings and self.identity:
            raise ValueError("%s: settings are one object per firewall and have no identity fields" % self.type)
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("%s: duplicate field names" % self.type)
        for ident in self.identity:
            if ident not in names:
                raise ValueError("%s: identity field %s is not a field" % (self.type, ident))
        if self.ordering is not None:
            for name in (self.ordering.field,) + tuple(self.ordering.group):
                if name not in names:
                    raise ValueError("%s: ordering field %s is not a field" % (self.type, name))
        for constraint in self.unique:
            for name in constraint.fields:
                if name not in names:
                    raise ValueError("%s: unique field %s is not a field" % (self.type, name))
        # Lookups by name run for every field of every resource of a plan (15,000 resources make
        # millions): indexes instead of a scan of the fields each time.
        object.__setattr__(self, "_by_name", dict((f.name, f) for f in self.fields))
        object.__setattr__(self, "_by_api", dict((f.api, f) for f in reversed(self.fields)))

    @property
    def settings_uuid(self) -> Optional[str]:
        """The fixed uuid the one object of a settings type goes by (None for other types)."""
        return settings_uuid(self.type) if self.settings else None

    def field(self, name: str) -> FieldSpec:
        """The field with user-facing ``name``."""
        try:
            return self._by_name[name]  # type: ignore[attr-defined]
        except KeyError:
            raise KeyError("%s has no field %s" % (self.type, name)) from None

    def by_api(self, api: str) -> Optional[FieldSpec]:
        """The field with API name ``api`` (None if the spec does not know it)."""
        return self._by_api.get(api)  # type: ignore[attr-defined]

    @property
    def ref_fields(self) -> Tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.is_ref)

    @property
    def references(self) -> Tuple[str, ...]:
        """The types this type refers to (its dependencies), sorted and unique."""
        return tuple(sorted(set(f.ref for f in self.ref_fields if f.ref)))

    @property
    def mention_fields(self) -> Tuple[FieldSpec, ...]:
        """Text fields whose values may name objects of another type (``FieldSpec.mentions``)."""
        return tuple(f for f in self.fields if f.mentions)

    @property
    def dependencies(self) -> Tuple[str, ...]:
        """Every type objects of this type may depend on: references and mentions, sorted and unique."""
        return tuple(sorted(set(self.references) | set(f.mentions for f in self.mention_fields if f.mentions)))

    def path(self, command: str, *args: str) -> str:
        """``<module>/<controller>/<command word>[/<arg>...]`` for a command of :class:`Commands`."""
        word = getattr(self.commands, command)
        if not word:
            raise ValueError("%s has no %s command" % (self.type, command))
        parts = [self.module, self.controller, word] + [str(a) for a in args]
        return "/".join(parts)

    def display_name(self, values: Dict[str, Any]) -> str:
        """The human name of an object (used in messages), from its identity values."""
        safe = dict((k, "" if v is None else v) for k, v in values.items())
        try:
            text = self.display.format(**safe)
        except (KeyError, IndexError, ValueError):
            text = "/".join(str(safe.get(i, "")) for i in self.identity)
        return text.strip(" .") or "(unnamed)"


# A settings type (``ResourceSpec.settings``) is one object per firewall, never created or deleted:
# its node of the whole model (``key``, a dotted path such as ``haproxy.general``) is read with the
# controller's ``get`` and written with its ``set``, and its fields' ``api`` names are dotted paths
# below that node for sub-sections (``tuning.maxConnections``). It has no identity: every resource
# of the type is that one object, which goes by a fixed uuid derived from the type's name (so
# inventories, checkpoints, journals and rollbacks handle it as any other object).
SETTINGS_NAMESPACE = uuidlib.UUID("6f1d5c0e-8a51-4d2b-9a53-0f6e3c1b7d20")
SETTINGS_COMMANDS = Commands(search="get", get="get", add=None, set="set", delete=None, toggle=None)  # type: ignore[arg-type]


def settings_uuid(type_name: str) -> str:
    """The fixed uuid of the one object of settings type ``type_name``."""
    return str(uuidlib.uuid5(SETTINGS_NAMESPACE, type_name))


# -- builders: keep the per-type data files short ------------------------------------------------


def text(api: str, doc: str = "", **kw: Any) -> FieldSpec:
    return FieldSpec(api=api, kind=TEXT, doc=doc, **kw)


def integer(
    api: str, doc: str = "", minimum: Optional[int] = None, maximum: Optional[int] = None, **kw: Any
) -> FieldSpec:
    return FieldSpec(api=api, kind=INT, doc=doc, minimum=minimum, maximum=maximum, **kw)


def boolean(api: str, default: Optional[bool] = None, doc: str = "", **kw: Any) -> FieldSpec:
    return FieldSpec(api=api, kind=BOOL, default=default, doc=doc, **kw)


def option(
    api: str, choices: Tuple[str, ...] = (), default: Optional[str] = None, doc: str = "", **kw: Any
) -> FieldSpec:
    return FieldSpec(api=api, kind=OPTION, choices=tuple(choices), default=default, doc=doc, **kw)


def multi(api: str, choices: Tuple[str, ...] = (), default: Any = None, doc: str = "", **kw: Any) -> FieldSpec:
    return FieldSpec(
        api=api, kind=LIST, choices=tuple(choices), default=list(default) if default else None, doc=doc, **kw
    )


def lines(api: str, doc: str = "", **kw: Any) -> FieldSpec:
    return FieldSpec(api=api, kind=LINES, doc=doc, **kw)


def ref(api: str, target: str, doc: str = "", **kw: Any) -> FieldSpec:
    return FieldSpec(api=api, kind=REF, ref=target, doc=doc, **kw)


def refs(api: str, target: str, doc: str = "", **kw: Any) -> FieldSpec:
    return FieldSpec(api=api, kind=REFS, ref=target, doc=doc, **kw)


def duration(api: str, default: Optional[str] = None, doc: str = "", **kw: Any) -> FieldSpec:
    """A HAProxy time value such as ``30s``."""
    return FieldSpec(api=api, kind=TEXT, default=default, doc=doc, pattern=DURATION, message=DURATION_MESSAGE, **kw)


def with_changes(spec: FieldSpec, **changes: Any) -> FieldSpec:
    """A copy of ``spec`` with some attributes changed (shared field definitions across types)."""
    return replace(spec, **changes)
