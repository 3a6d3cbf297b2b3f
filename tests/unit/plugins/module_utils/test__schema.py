"""JSON Schema generated from the specs validates the same records the modules accept."""

from __future__ import annotations

import jsonschema
import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._schema import json_schema

SPECS = sorted(REGISTRY.items())


@pytest.mark.parametrize("name,spec", SPECS)
def test_schema_is_valid_and_accepts_defaults(name, spec):
    schema = json_schema(spec)
    jsonschema.Draft202012Validator.check_schema(schema)
    record = dict((f.name, f.default) for f in spec.fields)
    for ident in schema["required"]:
        field = spec.field(ident)
        if record[ident] is None:
            record[ident] = field.choices[0] if field.choices else ([] if field.is_list else None)
    sample = {
        "firewall_alias": {"name": "web", "type": "host"},
        "interfaces_vlan": {"parent": "igb1", "tag": 10},
        "routes_route": {"network": "10.0.0.0/8", "gateway": "GW"},
        "haproxy_frontend": {"bind": ["0.0.0.0:80"]},
        "unbound_host_override": {"domain": "example.com"},
    }.get(name, {})
    record.update(sample)
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
