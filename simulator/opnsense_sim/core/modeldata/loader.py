"""Reads a model file and builds its ItemTypes, settings fields and Model.

A model file holds what the model XML states (source class, mount, version, description, item
containers with their fields, settings leaves); the service that loads it adds what only the
simulator knows (the model's API name, reload subsystem, title) and its hand-written hooks.
Relations name their target as the XML does (source class and container path); they resolve to
the target container's state key, in this file or in a model loaded before.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from ..fields import Field, ItemType, Model
from .registry import FIELD_TYPES

# Relation targets of models the simulator does not simulate: their relations find no items.
UNSIMULATED_TARGETS: dict[tuple[str, str], str] = {
    ("OPNsense.Cron.Cron", "jobs.job"): "cron.job",
    ("OPNsense.Kea.KeaDhcpv4", "options.option"): "kea.option",
    ("OPNsense.TrafficShaper.TrafficShaper", "pipes.pipe"): "trafficshaper.pipe",
    ("OPNsense.TrafficShaper.TrafficShaper", "queues.queue"): "trafficshaper.queue",
}

# State key -> the field class of relations onto it, where that container has more items than
# its configured ones (aliases: AliasField's built-in entries).
RELATION_CLASSES: dict[str, Callable[..., Field]] = {}

# (source class, container path) -> state key of every container loaded so far.
_TARGETS: dict[tuple[str, str], str] = dict(UNSIMULATED_TARGETS)


class ModelDataError(ValueError):
    """A model file the loader cannot turn into fields; the message names the model and the field."""


def read_model_data(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def build_field(data: dict[str, Any], where: str, spec: dict[str, Any], targets: dict) -> Field:
    """One field from its spec; `where` is "<container>.<field>" for messages."""
    model = data.get("source", "?")
    kind = spec.get("type", "")
    field_type = FIELD_TYPES.get(kind)
    if field_type is None:
        raise ModelDataError(f"model {model}, field {where}: unknown field type {kind!r}")
    try:
        kwargs = field_type.arguments(spec)
    except KeyError as exc:
        raise ModelDataError(f"model {model}, field {where}: {kind} does not understand {exc.args[0]!r}") from None
    except (ValueError, TypeError) as exc:
        raise ModelDataError(f"model {model}, field {where}: {exc}") from None
    if "target" not in kwargs:
        return field_type.cls(**kwargs)
    try:
        kwargs["target"] = relation_target(kwargs["target"], targets)
    except ValueError as exc:
        raise ModelDataError(f"model {model}, field {where}: {exc}") from None
    return RELATION_CLASSES.get(kwargs["target"], field_type.cls)(**kwargs)


def relation_target(pairs: list[tuple[str, str]], targets: dict[tuple[str, str], str]) -> str:
    """The state key a relation reads. Several templates are supported only over unsimulated
    models: none has items, so one empty container stands for their union."""
    for source, items in pairs:
        if (source, items) not in targets:
            raise ValueError(f"unknown relation target {source} {items}")
    if len(pairs) > 1 and not all(pair in UNSIMULATED_TARGETS for pair in pairs):
        raise ValueError("a relation over several simulated containers is not supported")
    return targets[pairs[0]]


def register_relation_class(key: str, cls: Callable[..., Field]) -> None:
    """Relations onto the container `key` build `cls` (ModelRelationField's arguments) instead."""
    RELATION_CLASSES[key] = cls


def load_model(path: str | Path, *, name: str, subsystem: str | None, title: str = "") -> Model:
    """The Model of one model file, its relations resolved; its containers become relation targets."""
    data = read_model_data(path)
    source = data.get("source", "")
    targets = {**_TARGETS, **{(source, item["path"]): item["key"] for item in data.get("items", [])}}
    items = [
        ItemType(
            key=item["key"],
            path=item["path"],
            fields={
                fname: build_field(data, f"{item['path']}.{fname}", spec, targets)
                for fname, spec in item["fields"].items()
            },
        )
        for item in data.get("items", [])
    ]
    settings = {dotted: build_field(data, dotted, spec, targets) for dotted, spec in data.get("settings", {}).items()}
    _TARGETS.update({(source, item.path): item.key for item in items})
    return Model(
        name=name,
        mount=data.get("mount", "").lstrip("/"),
        version=data.get("version", ""),
        items=items,
        settings=settings,
        subsystem=subsystem,
        title=title,
        description=data.get("description", ""),
    )
