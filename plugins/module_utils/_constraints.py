# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks across objects of one type: the model XML's ``UniqueConstraint``s (``spec.unique``).

OPNsense refuses a second alias of one name ("An alias with this name already exists."), a VLAN
tag twice on one parent, a device name twice; it finds out only on the write, one object at a
time. :func:`clashes` finds every such clash before any write: among the objects a task describes,
and between them and the objects on the firewall they do not replace. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import normalise
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec, Unique

# (label used in messages, user values, uuid the object has or will have; None: not known yet)
Desired = Tuple[str, Dict[str, Any], Optional[str]]


def _key(spec: ResourceSpec, constraint: Unique, values: Dict[str, Any]) -> Optional[Tuple[Any, ...]]:
    parts = []
    for name in constraint.fields:
        value = normalise(spec.field(name), values.get(name))
        if value in (None, "", []):
            return None  # an empty value takes part in no constraint
        parts.append(tuple(value) if isinstance(value, list) else value)
    return tuple(parts)


def _shown(constraint: Unique, values: Dict[str, Any]) -> str:
    return ", ".join("%s=%s" % (name, values.get(name)) for name in constraint.fields)


def clashes(
    spec: ResourceSpec, desired: List[Desired], existing: Dict[str, Dict[str, Any]]
) -> List[Tuple[str, str, str]]:
    """``[(label, field, message)]`` for every desired object that breaks a unique constraint.

    ``existing`` are the firewall's objects of the type ``{uuid: values}``; one whose uuid a desired
    object has is replaced by it and does not count. The message is OPNsense's, plus what it clashes
    with.
    """
    out: List[Tuple[str, str, str]] = []
    replaced = set(uuid for _label, _values, uuid in desired if uuid)
    for constraint in spec.unique:
        taken: Dict[Tuple[Any, ...], str] = {}
        for uuid, values in sorted(existing.items()):
            key = _key(spec, constraint, values)
            if key is not None and uuid not in replaced:
                taken.setdefault(key, "on the firewall (uuid %s)" % uuid)
        for label, values, _uuid in desired:
            key = _key(spec, constraint, values)
            if key is None:
                continue
            if key in taken:
                out.append(
                    (
                        label,
                        constraint.fields[0],
                        "%s (%s: %s also has it)" % (constraint.message, _shown(constraint, values), taken[key]),
                    )
                )
                continue
            taken[key] = label
    return out
