# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bulk writes: the OPNsense endpoints that save many objects of one type in one request, and which
writes may go through them (docs/apply.md, "Bulk writes"; the facts with their sources are in the
simulator's README, "Bulk endpoints").

- the CSV import (``ApiMutableModelControllerBase::importCsv`` over ``ArrayField::importRecordSet``,
  26.1 and later). A record whose key matches an object updates it; any other is created **under
  the uuid its ``@uuid`` column carries** (``ArrayField::add($uuid)``), so creates keep the plan's
  uuid and a retried upload updates what the first one created instead of duplicating it. Each
  record is validated; records with a message are dropped and the rest imported again, then saved
  with **one** config save; when the second pass still has messages nothing is saved. The answer
  lists the first pass's messages by record (``sequence``) and which uuid each record landed on
  (``uuids``). Filter rules (``uploadRules``) are keyed on ``@uuid``: ``categories`` travel as
  category *names*, ``sort_order``/``prio_group`` are ignored. Categories (``upload``, 26.1.3 and
  later) are keyed on ``name``: a create lands under the plan's uuid unless another category has
  its name (the writer sends such a create alone), and an update must keep its name.

- the alias ``import`` (``AliasController::importAction``): it matches on ``name`` and sets only the
  properties given; it takes ``Config::lock()``, validates every alias and saves once, only when
  nothing failed. An update that keeps its name lands on the same object, as ``setItem`` would. A
  create lands under a uuid **the firewall generates** (``aliases->alias->Add()``), which the answer
  does not name: the writer reads the aliases after the import and finds each new one by its name
  (the alias name is unique), and the engine re-keys the plan (``Plan.rekey``). A rename is not
  grouped (import would create a second alias, and ``setItem`` also rewrites the references).

- the whole-model ``set`` (``ApiMutableModelControllerBase::setAction``): the model's objects
  under their uuids; a known uuid is updated, any other key creates an object under a uuid **the
  firewall generates** (``BaseField::setNodes`` calls ``add()``). It validates what changed, saves
  once, and only when nothing failed. Used for the HAProxy objects, whose plugin has no other bulk
  endpoint: updates keyed on their uuids (OPNsense's messages name them, so a refused one fails
  alone), creates found by name afterwards like the alias import's (names are not unique in
  OPNsense: a create whose name exists already goes alone, and one that would be ambiguous after
  the request fails rather than guess). A create's messages name the uuid the firewall generated
  and nothing was saved, so a refused unit of creates is sent again one by one, each with its own
  outcome. It is not an upsert: sent twice, it creates twice, so it is never retried after a lost
  answer (the creates are then found by identity, as after a crash).

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
    """An ``importCsv`` endpoint (see the module docstring): creates land under the record's
    ``@uuid``; records match existing objects on ``match``."""

    command: str  # the action word under <module>/<controller>/
    since: Tuple[int, ...]  # first release whose import creates under the record's @uuid
    ignored: Tuple[str, ...] = ()  # columns the endpoint drops
    by_name: Tuple[str, ...] = ()  # reference fields the endpoint takes as names of the referenced type
    match: str = "@uuid"  # the key the endpoint matches records on: "@uuid", or a name field
    keeps_uuid = True  # a create lands under the plan's uuid


@dataclass(frozen=True)
class NameImport:
    """An import that matches existing objects by a name field and saves only when all validate
    (the alias ``import``); used for updates that keep the name."""

    command: str
    since: Tuple[int, ...]
    container: Tuple[str, ...]  # where the objects go in ``{"data": {...}}``
    match: str  # the field the endpoint matches on
    keeps_uuid = False  # a create lands under a uuid the firewall generates: located by ``match``


@dataclass(frozen=True)
class ModelSet:
    """The whole-model ``set`` of a controller (see the module docstring)."""

    model: str  # the top-level key of the body: the model's name
    containers: Tuple[Tuple[str, str], ...]  # (the type's post-field key, the dotted path of its objects)
    since: Tuple[int, ...] = (0,)  # every release: setNodes has created unknown keys since 2015
    match: str = "name"  # the field creates are found by afterwards
    command = "set"
    keeps_uuid = False

    def container(self, key: str) -> Optional[str]:
        return dict(self.containers).get(key)


Endpoint = Union[CsvImport, NameImport, ModelSet]

# <module>/<controller> -> endpoint (FilterController::uploadRulesAction; 26.1 FilterController
# already imports keyed on @uuid with ArrayField::add($uuid). AliasController::importAction is the
# same in 26.1 and 26.7.2).
ENDPOINTS: Dict[Tuple[str, str], Endpoint] = {
    ("firewall", "filter"): CsvImport(
        "upload_rules", since=(26, 1), ignored=("sort_order", "prio_group"), by_name=("categories",)
    ),
    ("firewall", "alias"): NameImport("import", since=(26, 1), container=("aliases", "alias"), match="name"),
    # CategoryController::uploadAction, importCsv('categories.category', ..., ['name']): 26.1.3 on.
    ("firewall", "category"): CsvImport("upload", since=(26, 1, 3), match="name"),
    # os-haproxy SettingsController: ApiMutableModelControllerBase::setAction over HAProxy.xml
    ("haproxy", "settings"): ModelSet(
        "haproxy",
        (
            ("server", "servers.server"),
            ("healthcheck", "healthchecks.healthcheck"),
            ("backend", "backends.backend"),
            ("frontend", "frontends.frontend"),
            ("acl", "acls.acl"),
            ("action", "actions.action"),
        ),
    ),
}


def endpoint_for(spec: ResourceSpec, version_tuple: Tuple[int, ...]) -> Optional[Endpoint]:
    """The bulk endpoint of ``spec``'s controller on a firewall of this version, or None."""
    if spec.settings:
        return None
    found = ENDPOINTS.get((spec.module, spec.controller))
    if found is None or not version_tuple or version_tuple < found.since:
        return None
    if isinstance(found, ModelSet) and found.container(spec.key) is None:
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
    """Whether ``action`` may share a bulk request: a create, or an update that keeps the value an
    endpoint keyed on a name matches on (it must find its own object), whose values the request
    carries unchanged (plain text in CSV; scalars in JSON, where the alias import skips internal
    aliases)."""
    if action.op not in (CREATE, UPDATE) or not action.uuid:
        return False
    keyed_on_name = endpoint.match != "@uuid" and not (isinstance(endpoint, ModelSet) and action.op == UPDATE)
    if keyed_on_name:
        key = action.payload.get(endpoint.match)
        if not key or (action.op == UPDATE and key != (action.before or {}).get(endpoint.match)):
            return False
    if isinstance(endpoint, CsvImport):
        return all(_plain(v) and k not in endpoint.ignored and not k.startswith("@") for k, v in action.payload.items())
    if isinstance(endpoint, NameImport) and action.payload.get("type") == "internal":
        return False
    return all(v is None or isinstance(v, (str, int, float)) for v in action.payload.values())


def signature(endpoint: Endpoint, action: Action) -> Tuple[str, ...]:
    """CSV: actions share a request only when they send the same fields (one heading for all, and a
    cell left empty would clear a field that a one-object ``set`` leaves alone). A name import sets
    only what each object gives, any fields, but creates (located afterwards) and updates go apart."""
    if isinstance(endpoint, CsvImport):
        return tuple(sorted(action.payload))
    return (action.op,)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if not any(c in text for c in ';"\n\r\t ,'):
        return text
    return '"' + text.replace('"', '""') + '"'


def csv_payload(actions: List[Action], names: Dict[str, Dict[str, str]], endpoint: CsvImport) -> str:
    """The CSV of ``actions`` (``;`` separated, ``@uuid`` first so the endpoint picks ``;``), with
    reference fields in ``names`` (field -> uuid -> name) turned into names. An import keyed on a
    name gets no ``@uuid`` for an update: the name finds the object, and the endpoint would refuse
    a uuid that is not a UUIDv4 (one made by another tool) before matching."""
    columns = sorted(actions[0].payload)
    lines = [";".join(_cell(c) for c in ["@uuid"] + columns)]
    for action in actions:
        row = [action.uuid if endpoint.match == "@uuid" or action.op == CREATE else ""]
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
    "ModelSet",
    "NameImport",
    "csv_payload",
    "endpoint_for",
    "groupable",
    "signature",
]
