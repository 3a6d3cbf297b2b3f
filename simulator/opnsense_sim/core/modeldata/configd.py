"""configd actions that fill option lists: a JsonKeyValueStoreField's `<ConfigdPopulateAct>`.

Upstream the field runs the configd action and reads its JSON (key -> label); here a service that
simulates the action registers a function of the field context that returns the same mapping.
"""

from __future__ import annotations

from typing import Any, Callable

from ..fields import FieldContext

ConfigdList = Callable[[FieldContext], dict[str, Any]]

CONFIGD_LISTS: dict[str, ConfigdList] = {}


def register_configd_list(action: str, source: ConfigdList) -> None:
    """Make the configd `action` (for example "interface gateways list") answer with `source`."""
    CONFIGD_LISTS[action] = source


def configd_list(action: str) -> ConfigdList:
    if action not in CONFIGD_LISTS:
        raise ValueError(f"configd action {action!r} is not simulated")
    return CONFIGD_LISTS[action]
