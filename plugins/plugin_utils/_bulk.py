# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bulk writes: the OPNsense endpoints that save many objects of one type in one request, and which
writes may go through them (docs/apply.md, "Bulk writes").

Only an endpoint that keeps every guarantee of a one-object ``set<Item>/<uuid>`` is used:

- the CSV import keyed on ``@uuid`` (``ApiMutableModelControllerBase::importCsv`` over
  ``ArrayField::importRecordSet``, 26.1 and later): a record whose uuid exists is updated, any
  other is created **under the uuid it carries** (``ArrayField::add($uuid)``), so creates keep the
  plan's uuid and a retried upload updates what the first one created instead of duplicating it.
  Each record is validated; records with a message are dropped and the rest imported again, then
  saved with **one** config save; when the second pass still has messages nothing is saved. The
  answer lists the first pass's messages by record (``sequence``). Filter rules use it
  (``uploadRules``, FilterBaseController::uploadRulesBase): ``categories`` travel as category
  *names* (unknown names are dropped), ``sort_order``/``prio_group`` are ignored.

- the alias ``import`` (``AliasController::importAction``), for **updates only**: it matches on
  ``name`` and sets only the properties given, so an update of an existing alias that keeps its
  name lands on the same object (same uuid), as ``setItem`` would. It takes ``Config::lock()``,
  validates every imported alias and saves once, and only when nothing failed (atomic); the
  messages are keyed ``<client key>.<field>``, and the client key is the plan's uuid. A rename is
  not grouped (import would create a second alias, and ``setItem`` also rewrites the references),
  nor is a create: import creates under a uuid the firewall generates (``aliases->alias->Add()``).

Left out on purpose: creates through the alias import (see above), and the whole-model ``set``
(``BaseField::setNodes`` creates every unknown key with ``add()``, a new server uuid): both would
give created objects other uuids than the plan's.

This table is about endpoints (an API path), not resource types: a type uses a bulk endpoint when
its controller has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple, Union

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import CREATE, UPDATE, Action

# At most this many objects per bulk request: a unit stays small enough that a failure or a lost
# answer costs little, and large enough that the per-request and per-save costs vanish.
BULK_WRITE_MAX = 100
BULK_MODES = ("auto", "off")


@dataclass(frozen=True)
class CsvImport:
    """An ``importCsv`` endpoint keyed on ``@uuid`` (see the module docstring)."""

    command: str  # the action word under <module>/<controller>/
    since: Tuple[int, ...]  # first release whose import creates under the record's @uuid
    ignored: Tuple[str, ...] = ()  # columns the endpoint drops
    by_name: Tuple[str, ...] = ()  # reference fields the endpoint takes as names of the referenced type


@dataclass(frozen=True)
class NameImport:
    """An import that matches existing objects by a name field and saves only when all validate
    (the alias ``import``); used for updates that keep the name."""

    command: str
    since: Tuple[int, ...]
    container: Tuple[str, ...]  # where the objects go in ``{"data": {...}}``
    match: str  # the field the endpoint matches on


Endpoint = Union[CsvImport, NameImport]

# <module>/<controller> -> endpoint (FilterController::uploadRulesAction; 26.1 FilterController
# already imports keyed on @uuid with ArrayField::add($uuid). AliasController::importAction is the
# same in 26.1 and 26.7.2).
ENDPOINTS: Dict[Tuple[str, str], Endpoint] = {
    ("firewall", "filter"): CsvImport(
        "upload_rules", since=(26, 1), ignored=("sort_order", "prio_group"), by_name=("categories",)
    ),
    ("firewall", "alias"): NameImport("import", since=(26, 1), container=("aliases", "alias"), match="name"),
}


def endpoint_for(spec: ResourceSpec, version_tuple: Tuple[int, ...]) -> Optional[Endpoint]:
    """The bulk endpoint of ``spec``'s controller on a firewall of this version, or None."""
    if spec.settings:
        return None
    found = ENDPOINTS.get((spec.module, spec.controller))
    if found is None or not version_tuple or version_tuple < found.since:
        return None
    return found


def _plain(value: Any) -> bool:
    """A value a CSV cell carries unchanged: PHP's fgetcsv treats a backslash as an escape character,
    so a value with one goes out alone; nested values never go in CSV."""
    if value is None or isinstance(value, bool):
        return value is None
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and "\\" not in value


def groupable(endpoint: Endpoint, action: Action) -> bool:
    """Whether ``action`` may share a bulk request: for the CSV import a create or update whose
    payload is plain text; for a name import an update that keeps its name."""
    if action.op not in (CREATE, UPDATE) or not action.uuid:
        return False
    if isinstance(endpoint, NameImport):
        name = action.payload.get(endpoint.match)
        return (
            action.op == UPDATE
            and bool(name)
            and name == (action.before or {}).get(endpoint.match)
            and action.payload.get("type") != "internal"  # import skips internal aliases
            and all(v is None or isinstance(v, (str, int, float)) for v in action.payload.values())
        )
    return all(_plain(v) and k not in endpoint.ignored and not k.startswith("@") for k, v in action.payload.items())


def signature(endpoint: Endpoint, action: Action) -> Tuple[str, ...]:
    """CSV: actions share a request only when they send the same fields (one heading for all, and a
    cell left empty would clear a field that a one-object ``set`` leaves alone). A name import sets
    only what each object gives: any fields."""
    if isinstance(endpoint, NameImport):
        return ()
    return tuple(sorted(action.payload))


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if not any(c in text for c in ';"\n\r\t ,'):
        return text
    return '"' + text.replace('"', '""') + '"'


def csv_payload(actions: List[Action], names: Dict[str, Dict[str, str]]) -> str:
    """The CSV of ``actions`` (``;`` separated, ``@uuid`` first so the endpoint picks ``;``), with
    reference fields in ``names`` (field -> uuid -> name) turned into names."""
    columns = sorted(actions[0].payload)
    lines = [";".join(_cell(c) for c in ["@uuid"] + columns)]
    for action in actions:
        row = [action.uuid]
        for column in columns:
            value = action.payload.get(column)
            if column in names and value:
                value = ",".join(names[column][u] for u in str(value).split(",") if u)
            row.append(value)
        lines.append(";".join(_cell(v) for v in row))
    return "\n".join(lines) + "\n"


__all__ = [
    "BULK_MODES",
    "BULK_WRITE_MAX",
    "ENDPOINTS",
    "CsvImport",
    "NameImport",
    "csv_payload",
    "endpoint_for",
    "groupable",
    "signature",
]
