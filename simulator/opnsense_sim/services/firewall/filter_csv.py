"""filter/downloadRules and filter/uploadRules: rules as `;` separated CSV (FilterBaseController,
exportCsv/importCsv, ArrayField::asRecordSet/importRecordSet; firewall.md 1.1).

Categories travel as names and `overload` as an alias name; the import key is the `@uuid` column.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ...core.controller import UUID4, new_uuid
from ...core.fields import FieldContext
from ...core.store import View
from ...http import Response
from .alias_model import alias_index
from .fieldtypes import available
from .filter_model import KEY, RULE

EXCLUDED = ("sort_order", "prio_group")


def _fields(version: str) -> list[str]:
    return [n for n, f in RULE.fields.items() if n not in EXCLUDED and available(f, version)]


def _csv_field(value: str) -> str:
    """fputcsv($fh, $row, ';', '"', '\\\\'): enclose when needed, double quotes not escaped by a backslash."""
    if not any(c in value for c in ';"\\\n\r\t '):
        return value
    out, escaped = [], False
    for ch in value:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            out.append('"')
        out.append(ch)
    return '"' + "".join(out) + '"'


def download_rules(view: View, env: Any) -> Response:
    categories = {u: c.get("name", "") for u, c in view.items("firewall.category").items()}
    aliases = {uuid: name for name, uuid in alias_index(view, env).uuids.items()}
    fields = _fields(env.version)
    lines = []
    for uuid, rule in view.items(KEY).items():
        record = {"@uuid": uuid}
        for name in fields:
            record[name] = rule.get(name, "")
        if record.get("categories"):
            record["categories"] = ",".join(categories[c] for c in record["categories"].split(",") if c in categories)
        if record.get("overload") and record["overload"] in aliases:
            record["overload"] = aliases[record["overload"]]
        if not lines:
            lines.append(";".join(_csv_field(k) for k in record))
        lines.append(";".join(_csv_field(v) for v in record.values()))
    body = "".join(line + "\n" for line in lines)
    headers = {"Content-Type": "text/csv", "Content-Transfer-Encoding": "binary", "Pragma": "no-cache", "Expires": "0"}
    return Response(200, body.encode(), headers)


def _parse(payload: str) -> tuple[list[str], dict[int, dict[str, str]]]:
    comma, semicolon = payload.find(","), payload.find(";")
    comma = 9999 if comma < 0 else comma
    semicolon = 9999 if semicolon < 0 else semicolon
    separator = "," if comma < semicolon else ";"
    heading: list[str] = []
    data: dict[int, dict[str, str]] = {}
    for line in csv.reader(io.StringIO(payload), delimiter=separator, quotechar='"'):
        if not heading:
            heading = line
        elif line:
            data[len(data)] = {heading[i]: v for i, v in enumerate(line) if i < len(heading)}
    return heading, data


def upload_rules(controller: Any, payload: str) -> dict[str, Any]:
    """Import, then, when some records fail, retry once without them; report the first pass."""
    heading, data = _parse(payload)
    response: dict[str, Any] | None = None
    for _attempt in range(2):
        with controller.transaction() as txn:
            result = _import(txn, controller.env, data)
            controller.app.costs.pay_items(len(data))  # every record validated, under Config::lock()
            response = response or result
            if result["validations"]:
                for idx in {v["sequence"] for v in result["validations"] if v["sequence"] is not None}:
                    data.pop(idx, None)
                continue
            if result["inserted"] or result["updated"]:
                txn.save()
            break
    assert response is not None
    return {**response, "fieldnames": heading}


def _import(txn: Any, env: Any, data: dict[int, dict[str, str]]) -> dict[str, Any]:
    result: dict[str, Any] = {"validations": [], "inserted": 0, "updated": 0, "uuids": {}}
    categories = {c.get("name", ""): u for u, c in txn.items("firewall.category").items()}
    aliases = alias_index(txn, env).uuids
    changed: dict[str, set[str] | None] = {}
    for idx, record in data.items():
        record = dict(record)
        uuid = record.get("@uuid", "")
        if uuid and not UUID4.match(uuid):
            result["validations"].append(
                {"sequence": idx, "field": "@uuid", "message": f"Invalid UUID offered ({uuid})"}
            )
            continue
        if record.get("categories"):
            record["categories"] = ",".join(categories[n] for n in record["categories"].split(",") if n in categories)
        if record.get("overload") and record["overload"] in aliases:
            record["overload"] = aliases[record["overload"]]
        for name in EXCLUDED:
            record.pop(name, None)
        base = txn.item(KEY, uuid) if uuid else None
        if base is None:
            result["inserted"] += 1
            uuid = uuid or new_uuid()
            base = RULE.blank(FieldContext(view=txn, env=env, item={}, uuid=uuid, itemtype=RULE))
            changed[uuid] = None
        else:
            result["updated"] += 1
        result["uuids"][uuid] = idx
        rule = dict(base)
        for name, value in record.items():
            f = RULE.fields.get(name)
            if f is not None and not f.volatile and available(f, env.version):
                rule[name] = f.store(value)
        if changed.get(uuid, set()) is not None:
            changed[uuid] = (changed.get(uuid) or set()) | {n for n in RULE.fields if rule.get(n) != base.get(n)}
        txn.put(KEY, uuid, rule)
    for uuid, fields in changed.items():
        if fields is not None and not fields:
            continue
        rule = txn.item(KEY, uuid)
        ctx = FieldContext(view=txn, env=env, item=rule, uuid=uuid, itemtype=RULE)
        reported = set()
        messages = [
            (n, m)
            for n, f in RULE.fields.items()
            if not f.volatile and (fields is None or n in fields)
            for m in f.validate(rule.get(n, ""), ctx)
        ]
        messages += [(n, m) for n, ms in RULE.validate(rule, ctx).items() for m in ms]  # type: ignore[misc]
        for name, msg in messages:
            if name not in reported:
                reported.add(name)
                result["validations"].append({"sequence": result["uuids"][uuid], "message": msg, "field": name})
    return result
