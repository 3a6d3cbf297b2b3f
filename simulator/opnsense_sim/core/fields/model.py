"""Item containers and models: which fields an ArrayField item has and where a model is mounted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .base import Field, FieldContext


@dataclass
class ItemType:
    """One repeating item container of a model (for example `aliases.alias`)."""

    key: str  # state key, "<module>.<item>", e.g. "firewall.alias"
    path: str  # container path inside the model, e.g. "aliases.alias"
    fields: dict[str, Field]
    validate: Callable[[dict[str, str], FieldContext], dict[str, list[str]]] | None = None
    label: tuple[str, ...] = ("description", "descr", "name")
    safe_delete: bool = False
    on_set: Callable[[dict[str, str], dict[str, str] | None, FieldContext], None] | None = None

    def __post_init__(self) -> None:
        for name, f in self.fields.items():
            f.name = name

    def blank(self, ctx: FieldContext | None = None) -> dict[str, str]:
        return {name: f.initial(ctx) for name, f in self.fields.items() if not f.volatile}

    def title(self, item: dict[str, str]) -> str:
        for name in self.label:
            if item.get(name):
                return item[name]
        return ""


@dataclass
class Model:
    """An MVC model: a mount point in config.xml, item containers, settings and a reload subsystem."""

    name: str  # whole-model get/set key, e.g. "alias", "filter", "haproxy"
    mount: str  # config.xml path, e.g. "OPNsense/Firewall/Alias" or "vlans"
    version: str
    items: list[ItemType]
    settings: dict[str, Field] = field(default_factory=dict)  # dotted path -> field
    subsystem: str | None = None  # reload unit; None = live on save (categories)
    title: str = ""  # model root used in "in use by" lines, e.g. "HAProxy"
    description: str = ""  # <description> of the model XML, written as an attribute in config.xml

    def item(self, path: str) -> ItemType:
        """The item container at `path` (for example "hosts.host")."""
        for it in self.items:
            if it.path == path:
                return it
        raise KeyError(path)
