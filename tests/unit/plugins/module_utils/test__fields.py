"""Codec round trips for every field of every type, and the reference index."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import AmbiguousError, ReferenceNotFoundError
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import (
    RefIndex,
    decode,
    decode_row,
    encode,
    encode_payload,
    name_refs,
    normalise,
    referenced,
    resolve_refs,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    BOOL,
    INT,
    LINES,
    LIST,
    OPTION,
    REF,
    REFS,
    TEXT,
    FieldSpec,
)

FIELDS = [(name, f) for name, spec in sorted(REGISTRY.items()) for f in spec.fields]


def sample_value(field: FieldSpec):
    """A non-empty valid user value for a field."""
    if field.default not in (None, [], ""):
        return field.default
    if field.kind == BOOL:
        return True
    if field.kind == INT:
        return field.minimum if field.minimum is not None else 7
    if field.kind in (LIST, LINES, REFS):
        return list(field.choices[:2]) if field.choices else ["b_item", "a_item"]
    if field.choices:
        return field.choices[-1]
    return "value_1"


def option_dict(field: FieldSpec, encoded: str):
    """The get-shaped rendering OPNsense gives list fields (generic.md 7)."""
    sep = "\n" if field.kind == LINES else ","
    keys = [k for k in encoded.split(sep) if k]
    out = {"": {"value": "None", "selected": 0 if keys else 1}}
    for key in keys:
        out[key] = {"value": key.upper(), "selected": 1}
    out["unrelated"] = {"value": "Unrelated", "selected": 0}
    return out


@pytest.mark.parametrize("name,field", FIELDS, ids=["%s.%s" % (n, f.name) for n, f in FIELDS])
def test_round_trip_through_search_row_shape(name, field):
    value = sample_value(field)
    raw = encode(field, value)
    assert isinstance(raw, str)
    assert normalise(field, decode(field, raw)) == normalise(field, value)


@pytest.mark.parametrize(
    "name,field",
    [(n, f) for n, f in FIELDS if f.kind in (OPTION, LIST, REFS, REF)],
    ids=["%s.%s" % (n, f.name) for n, f in FIELDS if f.kind in (OPTION, LIST, REFS, REF)],
)
def test_round_trip_through_get_option_dict_shape(name, field):
    value = sample_value(field)
    rendered = option_dict(field, encode(field, value))
    assert normalise(field, decode(field, rendered)) == normalise(field, value)


def test_empty_values_round_trip_as_empty():
    for kind in (TEXT, INT, BOOL, OPTION, REF):
        field = FieldSpec(api="x", kind=kind, ref="firewall_alias" if kind == REF else None)
        assert encode(field, None) == ""
        assert decode(field, "") is None
    assert decode(FieldSpec(api="x", kind=LIST), "") == []


def test_booleans_are_zero_and_one():
    field = FieldSpec(api="enabled", kind=BOOL)
    assert encode(field, True) == "1" and encode(field, False) == "0"
    assert decode(field, "1") is True and decode(field, "0") is False


def test_lists_are_comma_strings_and_alias_content_newline_strings():
    """generic.md 4: multi-value fields are one comma-separated string; alias content is newline-separated."""
    assert encode(REGISTRY["firewall_filter_rule"].field("interface"), ["lan", "opt1"]) == "lan,opt1"
    content = REGISTRY["firewall_alias"].field("content")
    assert encode(content, ["10.0.0.1", "10.0.0.2"]) == "10.0.0.1\n10.0.0.2"
    assert decode(content, "10.0.0.1\r\n10.0.0.2\n") == ["10.0.0.1", "10.0.0.2"]


def test_get_shape_keeps_only_selected_keys():
    field = REGISTRY["firewall_alias"].field("content")
    rendered = {
        "10.0.0.1": {"value": "10.0.0.1", "selected": 1},
        "other_alias": {"value": "other_alias", "selected": 0, "description": "x"},
    }
    assert decode(field, rendered) == ["10.0.0.1"]


def test_case_folding_matches_opnsense():
    protocol = REGISTRY["firewall_filter_rule"].field("protocol")
    assert normalise(protocol, "tcp") == "TCP"
    assert normalise(protocol, "ANY") == "any"
    bind = REGISTRY["haproxy_frontend"].field("bind")
    assert normalise(bind, ["UNIX@Sock", "0.0.0.0:80"]) == ["0.0.0.0:80", "unix@sock"]


def test_row_decoding_ignores_display_keys_and_payload_uses_api_names():
    spec = REGISTRY["interfaces_vlan"]
    values = decode_row(
        spec,
        {"uuid": "u", "if": "igb1", "%if": "igb1 (LAN)", "tag": "100", "pcp": "3", "descr": "x", "vlanif": "vlan01"},
    )
    # Only the fields the row carries: a missing field means "this firewall does not have it".
    assert values == {"parent": "igb1", "tag": 100, "pcp": 3, "description": "x", "device": "vlan01"}
    payload = encode_payload(spec, {"parent": "igb1", "tag": 100, "pcp": 0, "description": None})
    assert payload == {"if": "igb1", "tag": "100", "pcp": "0", "descr": ""}


def test_route_hooks_translate_the_old_disabled_field():
    spec = REGISTRY["routes_route"]
    old_row = {"uuid": "u", "network": "10.0.0.0/8", "gateway": "GW", "descr": "", "disabled": "1"}
    assert decode_row(spec, old_row)["enabled"] is False
    payload = encode_payload(spec, {"network": "10.0.0.0/8", "gateway": "GW", "enabled": True}, sample_row=old_row)
    assert payload["disabled"] == "0" and "enabled" not in payload
    new_row = {"uuid": "u", "network": "10.0.0.0/8", "gateway": "GW", "enabled": "1"}
    assert encode_payload(spec, {"enabled": False}, sample_row=new_row) == {"enabled": "0"}


class TestRefIndex:
    index = RefIndex("haproxy_server", [("u1", "web01"), ("u2", "web02"), ("u3", "dup"), ("u4", "dup")])

    def test_names_resolve_to_uuids_and_back(self):
        spec = REGISTRY["haproxy_backend"]
        values = {"linked_servers": ["web02", "web01"], "health_check": None}
        resolved = resolve_refs(spec, values, {"haproxy_server": self.index})
        assert resolved["linked_servers"] == ["u2", "u1"]
        assert name_refs(spec, resolved, {"haproxy_server": self.index})["linked_servers"] == ["web02", "web01"]

    def test_unknown_name_is_a_clear_error(self):
        with pytest.raises(ReferenceNotFoundError) as err:
            self.index.uuid_for("web03", "linked_servers")
        assert err.value.field == "linked_servers"
        assert "no haproxy_server named 'web03'" in str(err.value)

    def test_duplicate_names_are_ambiguous(self):
        with pytest.raises(AmbiguousError, match="2 haproxy_server objects are named 'dup'"):
            self.index.uuid_for("dup", "linked_servers")

    def test_unknown_uuid_is_shown_as_itself(self):
        assert self.index.name_for("gone-uuid") == "gone-uuid"


# What OPNsense stores for an object added with only its identity and required fields: the model
# XML's <Default> for each field, "0" for a BooleanField without one, "" for the rest (Alias.xml,
# Filter.xml; BooleanField.php, ArrayField::add()). Empty fields are left out.
STORED_MINIMAL = {
    "firewall_alias": {"enabled": "1", "name": "a", "type": "host", "counters": "0"},
    "firewall_filter_rule": {
        "enabled": "1",
        "statetype": "keep",
        "sequence": "1",
        "action": "pass",
        "quick": "1",
        "interfacenot": "0",
        "direction": "in",
        "ipprotocol": "inet",
        "protocol": "any",
        "source_net": "any",
        "source_not": "0",
        "destination_net": "any",
        "destination_not": "0",
        "disablereplyto": "0",
        "log": "0",
        "allowopts": "0",
        "nosync": "0",
        "nopfsync": "0",
        "tcpflags_any": "0",
        "description": "r",
    },
}


@pytest.mark.parametrize("type_name", sorted(STORED_MINIMAL))
def test_a_field_left_out_compares_equal_to_what_opnsense_stores(type_name):
    """Issue 12: adopting an object made with only the required fields is write-free, so every field
    a resource leaves out (its spec default) normalises to what OPNsense stored for it."""
    spec = REGISTRY[type_name]
    row = dict((f.api, "") for f in spec.fields)
    row.update(STORED_MINIMAL[type_name])
    stored = decode_row(spec, row)
    differ = [
        f.name
        for f in spec.fields
        if not f.auto and not f.required and normalise(f, stored[f.name]) != normalise(f, f.default)
    ]
    assert differ == []


def test_name_index_of_a_type_with_several_identity_fields_names_objects_by_display_name_too():
    """Host overrides share host names across records (an A and an AAAA record of ``www``): the
    display name tells them apart, the host name alone still works when it is unique."""
    from ansible_collections.opnform.opnsense.plugins.module_utils._fields import name_index

    spec = REGISTRY["unbound_host_override"]
    index = name_index(
        spec,
        [
            ("u1", {"hostname": "www", "domain": "example.com", "rr": "A"}),
            ("u2", {"hostname": "www", "domain": "example.com", "rr": "AAAA"}),
            ("u3", {"hostname": "mail", "domain": "example.com", "rr": "A"}),
        ],
    )
    assert index.uuid_for("www.example.com AAAA", "host") == "u2"
    assert index.uuid_for("mail", "host") == "u3"
    assert index.name_for("u1") == "www.example.com A"
    with pytest.raises(AmbiguousError):
        index.uuid_for("www", "host")
    single = name_index(REGISTRY["firewall_alias"], [("a1", {"name": "web"})])
    assert single.by_name == {"web": ["a1"]} and single.name_for("a1") == "web"


def test_referenced_finds_reference_fields_and_the_objects_text_fields_name():
    rule = REGISTRY["firewall_filter_rule"]
    values = {"categories": ["c-1", "c-2"], "overload": "a-9", "destination_net": ["web", "10.0.0.1"]}
    named = {("firewall_alias", "web"): ["a-1"]}
    found = referenced(rule, values, lambda kind, name: named.get((kind, name), []))
    assert found == {
        ("firewall_category", "c-1"),
        ("firewall_category", "c-2"),
        ("firewall_alias", "a-9"),
        ("firewall_alias", "a-1"),
    }
    assert referenced(rule, {}, lambda kind, name: ["never"]) == set()
