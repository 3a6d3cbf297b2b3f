"""JSON Schema generated from the specs validates the same records the modules accept."""

from __future__ import annotations

import os

import jsonschema
import pytest
import yaml

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._schema import json_schema

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
SPECS = sorted(REGISTRY.items())


def example_values(name):
    """The options of the type's first example that creates something without templating its values
    (tools/module_examples): values OPNsense accepts, since the examples run against the simulator."""
    with open(os.path.join(ROOT, "tools", "module_examples", name + ".yml")) as handle:
        for task in yaml.safe_load(handle) or []:
            args = task.get("opnform.opnsense.%s" % name)
            if isinstance(args, dict) and args.get("state", "present") == "present" and "{{" not in repr(args):
                return dict((k, v) for k, v in args.items() if k not in ("state", "reload"))
    return {}


@pytest.mark.parametrize("name,spec", SPECS)
def test_schema_is_valid_and_accepts_defaults(name, spec):
    schema = json_schema(spec)
    jsonschema.Draft202012Validator.check_schema(schema)
    record = dict((f.name, f.default) for f in spec.fields)
    for ident in schema["required"]:
        field = spec.field(ident)
        if record[ident] is None:
            record[ident] = field.choices[0] if field.choices else ([] if field.is_list else None)
    record.update(example_values(name))
    for field in spec.fields:
        if field.name in schema["required"] and record.get(field.name) in (None, []) and not field.is_list:
            record[field.name] = "x1"
    jsonschema.validate(record, schema)


def test_schema_rejects_bad_values_with_the_field_path():
    schema = json_schema(REGISTRY["interfaces_vlan"])
    with pytest.raises(jsonschema.ValidationError) as err:
        jsonschema.validate({"parent": "igb1", "tag": 5000}, schema)
    assert list(err.value.path) == ["tag"]
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        jsonschema.validate({"parent": "igb1", "tag": 5, "bogus": 1}, schema)
    with pytest.raises(jsonschema.ValidationError, match="'tag' is a required property"):
        jsonschema.validate({"parent": "igb1"}, schema)


def test_choices_become_enums():
    schema = json_schema(REGISTRY["firewall_filter_rule"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"description": "r", "action": "allow"}, schema)
