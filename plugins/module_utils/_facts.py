# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one firewall offers that decides whether a value is valid there: :class:`Facts`.

- *Option lists*: ``get<Item>`` without a uuid returns a blank item whose list fields are option
  maps ``{key: {value, selected}}``, with a ``""`` entry for a non-required single select
  (opnsense-api/generic.md 4 and 7). They are read once per type (``ResourceService.blank``) and hold what
  the GUI would offer on this box: its interfaces, VLAN parents, gateways, protocols, certificates.
- *Names*: objects of a type by their name, from the firewall's search rows (built-in ones too,
  such as the alias ``bogons``, firewall.md 2.4) and from the task being validated.
- *Interfaces*: the keys of every InterfaceField list read (what NetworkAliasField accepts).
- the firewall's version.

Checks that need a fact nobody read skip it; OPNsense still validates on write.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import decode_row
from ansible_collections.opnform.opnsense.plugins.module_utils._fieldtypes import box_options
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import LINES, ResourceSpec


class Facts(object):
    """Option lists, object names and the version of one firewall (plus the task's own names)."""

    def __init__(self, version: Optional[str] = None) -> None:
        self.version = version
        self._options: Dict[Tuple[str, str], Dict[str, str]] = {}
        self._names: Dict[str, Dict[str, Dict[str, Any]]] = {}
        self.interfaces: Optional[Dict[str, str]] = None

    # -- option lists --------------------------------------------------------------------------

    def add_blank(self, spec: ResourceSpec, item: Dict[str, Any]) -> None:
        """The option maps of one type's blank item."""
        for field in spec.fields:
            options = item.get(field.api)
            if not isinstance(options, dict) or field.kind == LINES:
                continue  # a plain value, or alias content (its "options" are alias names)
            keys = dict(
                (str(k), str(v.get("value", k)) if isinstance(v, dict) else str(v))
                for k, v in options.items()
                if k != ""
            )
            self._options[(spec.type, field.api)] = keys
            if field.ftype == "InterfaceField":
                self.interfaces = dict(self.interfaces or {}, **keys)

    def add_option(self, type_name: str, api: str, key: str) -> None:
        """One more valid option (a value the task itself creates, ``FieldSpec.options_also``)."""
        if (type_name, api) in self._options:
            self._options[(type_name, api)].setdefault(key, key)

    def options(self, type_name: str, api: str) -> Optional[Dict[str, str]]:
        """``{key: label}`` of a list field, or None when its blank item was not read."""
        return self._options.get((type_name, api))

    # -- names ---------------------------------------------------------------------------------

    def add_rows(self, spec: ResourceSpec, rows: Iterable[Dict[str, Any]]) -> None:
        """Objects from raw search rows (managed and built-in), by their first identity field."""
        known = self._names.setdefault(spec.type, {})
        if not spec.identity:
            return  # settings: one object with no name
        first = spec.identity[0]
        for row in rows:
            values = decode_row(spec, row)
            name = values.get(first)
            if name not in (None, ""):
                known.setdefault(str(name), values)

    def add_name(self, type_name: str, name: str, values: Dict[str, Any]) -> None:
        """An object the task describes (it wins over the firewall's object of that name)."""
        self._names.setdefault(type_name, {})[name] = values

    def names(self, type_name: str) -> Optional[Dict[str, Dict[str, Any]]]:
        """``{name: values}`` of a type, or None when that type's objects were not read."""
        return self._names.get(type_name)

    def without_names(self, type_names: Iterable[str]) -> "Facts":
        """A copy that does not know the objects of ``type_names`` (their names are not checked)."""
        other = self.copy()
        for type_name in type_names:
            other._names.pop(type_name, None)
        return other

    def copy(self) -> "Facts":
        other = Facts(self.version)
        other._options = dict((k, dict(v)) for k, v in self._options.items())
        other._names = dict((k, dict(v)) for k, v in self._names.items())
        other.interfaces = None if self.interfaces is None else dict(self.interfaces)
        return other


def needs_blank(spec: ResourceSpec, records: Optional[Iterable[Dict[str, Any]]] = None) -> bool:
    """Whether validating ``spec``'s records needs its blank item: a field whose options only the
    firewall knows is set in one of ``records`` (in any record when ``records`` is None)."""
    fields = [f for f in spec.fields if box_options(f)]
    if records is None:
        return bool(fields)
    for record in records:
        for field in fields:
            if record.get(field.name) not in (None, "", []):
                return True
    return False
