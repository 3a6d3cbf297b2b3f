"""Firewall categories, /api/firewall/category/ (firewall.md section 3)."""

from __future__ import annotations

from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.errors import UserException
from ...core.fields import BooleanField, FieldContext, ItemType, Model, TextField

CATEGORY = ItemType(
    key="firewall.category",
    path="categories.category",
    label=("name",),
    fields={
        "name": TextField(required=True, mask=r"[^,]+", message="Invalid name, commas are not allowed."),
        "auto": BooleanField(default="0", required=False),
        "color": TextField(mask=r"[0-9a-fA-F]{6}", message="A valid color code consists of 6 hex digits."),
    },
)


def _unique_name(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    for uuid, other in ctx.view.items(CATEGORY.key).items():
        if uuid != ctx.uuid and other.get("name") == item.get("name"):
            return {"name": ["A category with this name already exists."]}
    return {}


CATEGORY.validate = _unique_name

MODEL = Model(name="category", mount="OPNsense/Firewall/Category", version="1.0.0", items=[CATEGORY], subsystem=None, title="Firewall")
MODELS = [MODEL]


class CategoryController(MutableModelController):
    namespace = "Firewall"
    name = "Category"
    model = MODEL
    safe_delete = True

    @action
    def searchItem(self, add_empty: str = "0") -> dict[str, Any]:
        extra = []
        if add_empty == "1":
            extra = [{"uuid": "", "name": "(No Category)", "auto": "0", "color": ""}]
        result = self.search_base("categories.category", ["name"], "name")
        if extra:
            result["rows"] = extra + result["rows"]
            result["total"] += 1
            result["rowCount"] += 1
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
        if self.req.is_post:
            item = self.store.view().item(CATEGORY.key, uuid)
            if item is not None and self.app.extra.get("legacy_category_names", set()) & {item["name"]}:
                raise UserException("Cannot delete a category which is still in use.", "Category in use")
        return self.del_base("categories.category", uuid)


CONTROLLERS = [CategoryController]
