"""Firewall categories, /api/firewall/category/ (firewall.md section 3; Category.xml, CategoryController.php).

The fields are data, Category.json (generated from Category.xml); the name's UniqueConstraint, the
controller and its CSV import/export are here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ...app import action
from ...core.controller import UUID4, MutableModelController, new_uuid
from ...core.errors import UserException
from ...core.fields import FieldContext
from ...core.modeldata import load_model
from ...http import Response

# The name's mask has no ValidationMessage: a comma gives TextField's default text.
MODEL = load_model(Path(__file__).with_name("Category.json"), name="category", subsystem=None, title="Firewall")
CATEGORY = MODEL.item("categories.category")
CATEGORY.label = ("name",)


def _unique_name(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """UniqueConstraint on name (case-sensitive)."""
    for uuid, other in ctx.view.items(CATEGORY.key).items():
        if uuid != ctx.uuid and other.get("name") == item.get("name"):
            return {"name": ["A category with this name already exists."]}
    return {}


CATEGORY.validate = _unique_name

MODELS = [MODEL]


class CategoryController(MutableModelController):
    namespace = "Firewall"
    name = "Category"
    model = MODEL
    safe_delete = True  # categories are referenced by uuid (filter rules) and by name (legacy rules)

    @action
    def searchItem(self, add_empty: str = "0") -> dict[str, Any]:
        result = self.search_base("categories.category", None, "name")
        if add_empty not in ("", "0"):
            # Prepended after paging; total and rowCount are not adjusted (firewall.md 3).
            result["rows"] = [{"uuid": "", "name": "(No Category)", "auto": "", "color": ""}] + result["rows"]
        return result

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("category", "categories.category", uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        return self.add_base("category", "categories.category")

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        return self.set_base("category", "categories.category", uuid)

    @action
    def delItem(self, uuid: str) -> dict[str, Any]:
        item = self.store.view().item(CATEGORY.key, uuid)
        if item is not None and item["name"] in self.app.extra.get("legacy_category_names", set()):
            raise UserException("Cannot delete a category which is still in use.", "Category in use")
        return self.del_base("categories.category", uuid)

    @action
    def download(self) -> Any:
        """GET only: name;color as CSV (exportCsv of asRecordSet without `auto`)."""
        if not self.req.is_get:
            return None
        records = [{"name": c["name"], "color": c["color"]} for c in self.store.view().items(CATEGORY.key).values()]
        lines = [_fputcsv(list(records[0]))] if records else []
        lines += [_fputcsv(list(record.values())) for record in records]
        headers = {
            "Content-Type": "text/csv",
            "Content-Transfer-Encoding": "binary",
            "Pragma": "no-cache",
            "Expires": "0",
        }
        return Response(200, "".join(lines).encode(), headers)

    @action
    def upload(self) -> dict[str, Any]:
        """importCsv keyed on name: existing names are updated, new ones added; bad rows reported."""
        if not (self.req.is_post and self.req.has_post("payload")):
            return {"status": "failed"}
        payload = str(self.req.get_post("payload"))
        return self._import(payload)

    def _import(self, payload: str) -> dict[str, Any]:
        comma, semi = payload.find(","), payload.find(";")
        separator = "," if (comma if comma >= 0 else 9999) < (semi if semi >= 0 else 9999) else ";"
        heading: list[str] = []
        records: list[dict[str, str]] = []
        for line in csv.reader(io.StringIO(payload), delimiter=separator, quotechar='"'):
            if not heading:
                heading = line
            elif line:
                records.append({heading[i]: v for i, v in enumerate(line) if i < len(heading)})
        response: dict[str, Any] = {}
        with self.transaction() as txn:
            rows = dict(enumerate(records))
            for _attempt in range(2):
                work = dict(txn.items(CATEGORY.key))
                result = _import_records(work, rows)
                self.app.costs.pay_items(len(rows))  # every record validated, under Config::lock()
                for uuid, seq in result["uuids"].items():
                    errors = self.validate_item(CATEGORY, work[uuid], uuid, _Overlay(txn, work), "x")
                    for key, msg in errors.items():
                        msgs = msg if isinstance(msg, list) else [msg]
                        result["validations"].append({"sequence": seq, "message": msgs[0], "field": key[2:]})
                response = response or result
                if result["validations"]:
                    for seq in {v["sequence"] for v in result["validations"] if v.get("sequence") is not None}:
                        rows.pop(seq, None)
                    continue
                if result["inserted"] or result["updated"]:
                    for uuid, item in work.items():
                        txn.put(CATEGORY.key, uuid, item)
                    txn.save()
                break
        return {**response, "fieldnames": heading}


class _Overlay:
    """A view of the transaction with the category container replaced by a working copy."""

    def __init__(self, txn: Any, work: dict[str, dict[str, str]]) -> None:
        self.txn, self.work = txn, work

    def items(self, key: str) -> dict[str, dict[str, str]]:
        return self.work if key == CATEGORY.key else self.txn.items(key)

    def item(self, key: str, uuid: str) -> dict[str, str] | None:
        return self.items(key).get(uuid)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.txn, name)


def _import_records(work: dict[str, dict[str, str]], rows: dict[int, dict[str, str]]) -> dict[str, Any]:
    """ArrayField::importRecordSet with key field `name`: a record whose name exists updates that
    category; any other is added under the record's `@uuid` when it offers one (`add($uuid)`,
    26.1 and later), else under a new uuid. An `@uuid` that is not a lowercase UUIDv4 refuses the
    record ("Invalid UUID offered")."""
    result: dict[str, Any] = {"validations": [], "inserted": 0, "updated": 0, "uuids": {}}
    current: dict[str, str | None] = {}
    for uuid, item in work.items():
        key = item.get("name", "")
        current[key] = None if key in current else uuid
    for seq, record in rows.items():
        offered = record.get("@uuid", "")
        if offered and not UUID4.match(offered):
            result["validations"].append(
                {"sequence": seq, "field": "@uuid", "message": f"Invalid UUID offered ({offered})"}
            )
            continue
        key = record.get("name", "")
        if key in current and current[key] is None:
            result["validations"].append({"sequence": seq, "message": "Duplicate key entry found"})
            continue
        uuid = current.get(key)
        if uuid is None:
            result["inserted"] += 1
            uuid = offered or new_uuid()
            work[uuid] = CATEGORY.blank()
        else:
            result["updated"] += 1
        result["uuids"][uuid] = seq
        work[uuid] = {**work[uuid], **{k: str(v) for k, v in record.items() if k in CATEGORY.fields}}
    return result


def _fputcsv(values: list[str]) -> str:
    """fputcsv($fh, $values, ";", '"', "\\"): quote fields holding a separator, quote, space or newline."""
    out = []
    for value in values:
        if any(c in value for c in ';"\\\n\r\t '):
            value = '"' + value.replace('"', '""') + '"'
        out.append(value)
    return ";".join(out) + "\n"


CONTROLLERS = [CategoryController]
