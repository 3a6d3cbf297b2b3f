# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON Schema of a resource type's desired record, generated from its spec.

A description of the record for tools and editors (types, enums, ranges, masks). Validation itself,
in the engine and in the modules alike, is ``_validate``: it applies OPNsense's rules with
OPNsense's messages, which a JSON Schema validator cannot word. Only plain dicts are built here, so
the module stays target-safe.
"""

from __future__ import annotations

from typing import Any, Dict

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    BOOL,
    INT,
    FieldSpec,
    ResourceSpec,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def field_schema(spec: FieldSpec) -> Dict[str, Any]:
    """The schema of one field's user value (``null`` always allowed: it means OPNsense's default)."""
    if spec.kind == BOOL:
        return {"type": ["boolean", "null"]}
    if spec.kind == INT:
        schema: Dict[str, Any] = {"type": ["integer", "null"]}
        if spec.minimum is not None:
            schema["minimum"] = spec.minimum
        if spec.maximum is not None:
            schema["maximum"] = spec.maximum
        return schema
    item: Dict[str, Any] = {"type": "string"}
    if spec.choices:
        item["enum"] = list(spec.choices)
    if spec.pattern:
        item["pattern"] = spec.pattern
    if spec.max_length is not None:
        item["maxLength"] = spec.max_length
    if spec.is_list:
        return {"type": ["array", "null"], "items": item}
    if "enum" in item:
        return {"anyOf": [item, {"type": "null"}]}
    item["type"] = ["string", "null"]
    return item


def json_schema(spec: ResourceSpec) -> Dict[str, Any]:
    """The schema of a desired record ``{user field name: value}``."""
    required = [name for name in spec.identity if spec.field(name).required]
    required += [
        f.name for f in spec.fields if f.required and f.default is None and not f.auto and f.name not in required
    ]
    return {
        "$schema": DRAFT,
        "title": spec.type,
        "type": "object",
        "properties": dict((f.name, field_schema(f)) for f in spec.fields),
        "required": required,
        "additionalProperties": False,
    }
