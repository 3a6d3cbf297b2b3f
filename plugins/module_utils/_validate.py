# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local validation of a desired record against its spec, before any request is sent.

Catches what the spec knows (required fields, ranges, patterns, lengths, choices, conditional
requirements, the spec's ``validate`` hook) so bad input fails with ``type/name: field: message``
and nothing reaches the firewall. OPNsense still validates everything on write; its messages are
reported the same way (see ``_service.validation_errors``).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import fold_case, normalise
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    BOOL,
    INT,
    OPTION,
    FieldSpec,
    ResourceSpec,
)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def check_field(spec: FieldSpec, value: Any) -> List[str]:
    """Messages for one field's value (empty list when valid). Empty values are not checked here."""
    if _empty(value):
        return []
    messages = []
    if spec.kind == INT:
        try:
            number = int(value)
        except (TypeError, ValueError):
            return ["must be an integer, got %r" % (value,)]
        if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None and number > spec.maximum):
            low = spec.minimum if spec.minimum is not None else "-inf"
            high = spec.maximum if spec.maximum is not None else "inf"
            messages.append("must be between %s and %s, got %s" % (low, high, number))
        if spec.choices and str(number) not in spec.choices:
            messages.append("must be one of %s, got %s" % (", ".join(spec.choices), number))
        return messages
    if spec.kind == BOOL:
        return []
    items = normalise(spec, value) if spec.is_list else [fold_case(spec, str(value))]
    for item in items:
        if spec.choices and item not in spec.choices and (spec.kind == OPTION or spec.is_list):
            messages.append("%r is not one of: %s" % (item, ", ".join(spec.choices)))
        if spec.max_length is not None and len(item) > spec.max_length:
            messages.append("must be at most %d characters, got %d" % (spec.max_length, len(item)))
        if spec.pattern and not re.match(spec.pattern, item):
            hint = spec.pattern_message or "must match %s" % spec.pattern
            messages.append("%r %s" % (item, hint) if spec.is_list else "%s, got %r" % (hint, item))
    return messages


def validate(spec: ResourceSpec, values: Dict[str, Any], identity_only: bool = False) -> List[Tuple[str, str]]:
    """All problems of a desired record, as ``[(field name, message)]`` in spec order.

    ``identity_only`` checks just the identity fields (enough to find an object to delete).
    """
    errors: List[Tuple[str, str]] = []
    fields = [spec.field(name) for name in spec.identity] if identity_only else list(spec.fields)
    for item in fields:
        value = values.get(item.name)
        if item.required and _empty(value) and item.default is None and not item.auto:
            errors.append((item.name, "is required"))
            continue
        for message in check_field(item, value):
            errors.append((item.name, message))
    if identity_only:
        return errors
    for condition in spec.conditions:
        current = values.get(condition.field)
        if current in condition.values or (current is not None and str(current) in [str(v) for v in condition.values]):
            for name in condition.then:
                if _empty(values.get(name)):
                    errors.append((name, condition.message.format(field=condition.field, value=current)))
    if spec.hooks.validate:
        errors.extend(spec.hooks.validate(values))
    return errors
