# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation of one desired record against its spec, before any write: ``[(field, message)]``.

In the order OPNsense's model would judge the record, every problem collected:

1. *shape*: a value of the wrong Python type (``content: 7``) is named with its type, and the
   field is not looked at further (nothing below ever iterates an int);
2. *presence*: an empty required field without a default (``BaseField``'s "A value is required.");
3. *field type*: the value as OPNsense would store it (one string, case changed where the field
   changes it), checked by its OPNsense field type (``_fieldtypes``, ``_fieldtypes_firewall``),
   with the firewall's option lists and the names in the task and on the firewall when ``facts``
   (``_facts.Facts``) are given;
4. *the model*: ``SetIfConstraint``s (``spec.conditions``) and the model's ``performValidation``
   (``spec.hooks.validate``).

Messages are OPNsense's; where OPNsense's text does not show the offending value, it is added as
``(got ...)``. Checks across records (unique names, references) are ``_constraints``.
"""

from __future__ import annotations

from typing import Any, Collection, Dict, List, Optional, Set, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils import (
    _fieldtypes,
    _fieldtypes_dhcp,
    _fieldtypes_firewall,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import (
    TRUE_STRINGS,
    fold_case,
    is_empty,
    separator,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    BOOL,
    INT,
    FieldSpec,
    ResourceSpec,
)

FALSE_STRINGS = ("0", "false", "no", "off")
CHECKS = dict(_fieldtypes.CHECKS, **dict(_fieldtypes_firewall.CHECKS, **_fieldtypes_dhcp.CHECKS))
SCALARS = (str, int, float)


def show(value: Any) -> str:
    """A value as a message quotes it (Ansible's tagged str and int subclasses print as plain ones)."""
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return repr(kind(value))
    if isinstance(value, (list, tuple)):
        return "[%s]" % ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%s: %s" % (show(k), show(v)) for k, v in value.items())
    return repr(value)


def with_value(message: str, offending: Any) -> str:
    """OPNsense's message, plus the offending value when the message does not show it."""
    text = show(offending) if not isinstance(offending, str) else offending
    if text == "" or text in message:
        return message
    return "%s (got %s)" % (message, show(offending))


def python_type(value: Any) -> str:
    """The name of a value's type as the user knows it (Ansible's tagged int is an int)."""
    for kind, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"), (dict, "dict")):
        if isinstance(value, kind):
            return name
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


def shape_problem(spec: FieldSpec, value: Any) -> Optional[str]:
    """Why a value cannot be a value of this field at all (its Python type), or None."""
    if value is None:
        return None
    if spec.is_list:
        if isinstance(value, str):
            return None
        if not isinstance(value, (list, tuple)):
            return "must be a list of strings, %s" % _got(value)
        bad = [item for item in value if isinstance(item, bool) or not isinstance(item, SCALARS)]
        return "every item must be a string, got %s" % ", ".join(show(i) for i in bad) if bad else None
    if spec.kind == BOOL:
        if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
            return None
        if isinstance(value, str) and value.strip().lower() in TRUE_STRINGS + FALSE_STRINGS:
            return None
        return "must be a boolean (true or false), %s" % _got(value)
    if isinstance(value, bool) or not isinstance(value, SCALARS):
        return "must be %s, %s" % ("an integer" if spec.kind == INT else "a string", _got(value))
    return None


def _got(value: Any) -> str:
    """``got <type> <value>``, written only for a value that has a problem (most values have none,
    and showing every value was a fifth of planning 15,000 resources)."""
    return "got %s %s" % (python_type(value), show(value))


def api_value(spec: FieldSpec, value: Any) -> str:
    """The string OPNsense would store for a (well-shaped) user value, case changed as it would."""
    if spec.is_list:
        items = value.split(separator(spec)) if isinstance(value, str) else [str(v) for v in value]
        return separator(spec).join(fold_case(spec, item.strip()) for item in items if item.strip())
    if spec.kind == BOOL:
        if isinstance(value, str):
            return "1" if value.strip().lower() in TRUE_STRINGS else "0"
        return "1" if value else "0"
    if spec.kind == INT and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return fold_case(spec, str(value))


def check_field(
    spec: FieldSpec,
    value: Any,
    record: Optional[Dict[str, Any]] = None,
    facts: Any = None,
    type_name: str = "",
) -> List[str]:
    """Messages for one field's value (empty list when valid). Empty values are not checked here."""
    if is_empty(value):
        return []
    shape = shape_problem(spec, value)
    if shape:
        return [shape]
    context = _fieldtypes.Context(type_name, record if record is not None else {spec.name: value}, facts)
    return _typed_problems(spec, value, context)


def _typed_problems(spec: FieldSpec, value: Any, context: _fieldtypes.Context) -> List[str]:
    """:func:`check_field` for a non-empty value of the right shape (``validate`` knows both already,
    and makes one context per record, not one per field)."""
    if spec.is_ref:
        return []  # names of other objects: resolved against the task and the firewall (_constraints)
    check = CHECKS[spec.ftype]
    text = api_value(spec, value)
    if text == "":
        return []
    out: List[str] = []
    for message, offending in check(spec, text, context):
        # The whole value is shown as the user wrote it (4095, not '4095'); an item as a string.
        line = with_value(message, value if offending == text and not spec.is_list else offending)
        if line not in out:
            out.append(line)
    return out


def validate(
    spec: ResourceSpec,
    values: Dict[str, Any],
    identity_only: bool = False,
    facts: Any = None,
    consulted: Optional[Set[str]] = None,
    only: Optional[Collection[str]] = None,
) -> List[Tuple[str, str]]:
    """All problems of a desired record, as ``[(field name, message)]`` in spec order.

    ``identity_only`` checks just the identity fields (enough to find an object to delete).
    ``facts`` (``_facts.Facts``) adds what depends on the firewall: its option lists and names.
    ``consulted`` collects the fields whose check looked at the facts (``_fieldtypes.Context``);
    ``only`` limits the field checks to those fields (a second pass with the facts: the other
    checks would give the first pass's answer again) and leaves out the conditions, which never
    look at the facts; the spec's ``validate`` hook, which may, always runs.
    """
    errors: List[Tuple[str, str]] = []
    fields = [spec.field(name) for name in spec.identity] if identity_only else list(spec.fields)
    if only is not None:
        fields = [item for item in fields if item.name in only]
    shapes, usable = _shapes(spec, values)
    context = _fieldtypes.Context(spec.type, usable, facts)
    for item in fields:
        value = values.get(item.name)
        shape = shapes.get(item.name)
        if shape:
            errors.append((item.name, shape))
            continue
        if is_empty(value):
            if item.required and item.default is None and not item.auto:
                errors.append((item.name, _fieldtypes.REQUIRED))
            continue
        context.field_name = item.name
        for message in _typed_problems(item, value, context):
            errors.append((item.name, message))
    if consulted is not None:
        consulted.update(context.consulted)
    if identity_only:
        return errors
    for condition in spec.conditions if only is None else ():
        current = usable.get(condition.field)
        if current in condition.values or (current is not None and str(current) in [str(v) for v in condition.values]):
            for name in condition.then:
                if is_empty(usable.get(name)):
                    errors.append((name, condition.message.format(field=condition.field, value=current)))
    if spec.hooks.validate:
        errors.extend(spec.hooks.validate(usable, facts))
    return _unique(errors)


def _shapes(spec: ResourceSpec, values: Dict[str, Any]) -> Tuple[Dict[str, str], Dict[str, Any]]:
    """The shape problem of each field that has one, and the record the later checks see, where a
    value of the wrong shape counts as not given. One pass: validation runs per record, 15,000 times
    for a large plan."""
    shapes: Dict[str, str] = {}
    usable: Dict[str, Any] = {}
    for item in spec.fields:
        value = values.get(item.name)
        shape = shape_problem(item, value) if value is not None else None
        if shape:
            shapes[item.name] = shape
            value = None
        usable[item.name] = value
    return shapes, usable


def _unique(errors: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    """OPNsense merges equal messages of one field (``ApiMutableModelControllerBase::validate``)."""
    out: List[Tuple[str, str]] = []
    for pair in errors:
        if pair not in out:
            out.append(pair)
    return out


def facts_only(
    spec: ResourceSpec,
    values: Dict[str, Any],
    facts: Any,
    known: Optional[List[Tuple[str, str]]] = None,
    only: Optional[Collection[str]] = None,
) -> List[Tuple[str, str]]:
    """The problems ``facts`` add to those found without them (``known``). Left out, ``known`` is
    found here only when there are problems with facts: a valid record is validated once, not twice.
    ``only``: the fields whose check looked at the facts in the first pass (``validate``'s
    ``consulted``); the others cannot add a problem."""
    found = validate(spec, values, facts=facts, only=only)
    if found and known is None:
        known = validate(spec, values)
    return [pair for pair in found if pair not in (known or [])]
