"""Local validation: bad input is caught, named by field, before any request."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._validate import validate


def defaults(type_name, **values):
    spec = REGISTRY[type_name]
    record = dict((f.name, f.default) for f in spec.fields)
    record.update(values)
    return record


def fields(errors):
    return [field for field, message in errors]


@pytest.mark.parametrize(
    "type_name,values,field,text",
    [
        ("firewall_alias", {"name": "9bad", "type": "host"}, "name", "must start with a letter"),
        ("firewall_alias", {"name": "port", "type": "host"}, "name", "reserved pf keyword"),
        ("firewall_alias", {"name": "web", "type": "port", "content": ["8000-8080"]}, "content", "ranges use a colon"),
        ("firewall_alias", {"name": "web", "type": "port", "content": ["70000"]}, "content", "not a valid port"),
        ("firewall_alias", {"name": "web", "type": "dynipv6host"}, "interface", "is required when type is dynipv6host"),
        ("firewall_alias", {"name": "web"}, "type", "is required"),
        ("firewall_category", {"name": "a,b"}, "name", "must not contain a comma"),
        ("firewall_category", {"name": "a", "color": "#ff0000"}, "color", "6 hex digits"),
        (
            "firewall_filter_rule",
            {"description": "r", "destination_port": "443"},
            "destination_port",
            "only valid for TCP",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "source_net": ["any", "lan"]},
            "source_net",
            "'any' cannot be combined",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "source_net": ["10.0.0.1", "10.0.0.2"]},
            "source_net",
            "sole value",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "interface": ["lan", "wan"], "interfacenot": True},
            "interfacenot",
            "exactly one",
        ),
        ("firewall_filter_rule", {"description": "r", "sequence": 0}, "sequence", "between 1 and 999999"),
        ("firewall_filter_rule", {"description": "line\nbreak"}, "description", "newlines"),
        ("interfaces_vlan", {"parent": "igb1", "tag": 4095}, "tag", "between 1 and 4094"),
        ("interfaces_vlan", {"parent": "igb1", "tag": 10, "device": "eth0.10"}, "device", 'start with "vlan0"'),
        ("routes_route", {"network": "10.0.0.0", "gateway": "GW"}, "network", "prefix length"),
        ("routes_route", {"network": "10.0.0.300/8", "gateway": "GW"}, "network", "not a valid network"),
        ("unbound_host_override", {"hostname": "www", "domain": "example.com"}, "server", "required when rr is A"),
        ("unbound_host_override", {"domain": "example.com", "rr": "MX"}, "mx", "required when rr is MX"),
        (
            "unbound_host_override",
            {"hostname": "a.b", "domain": "example.com", "server": "1.2.3.4"},
            "hostname",
            "single DNS label",
        ),
        (
            "unbound_host_override",
            {"hostname": "www", "domain": "example.com", "server": "10.0.0.0/8"},
            "server",
            "not an IP",
        ),
        ("haproxy_server", {"name": "web 01"}, "name", "no spaces"),
        ("haproxy_server", {"name": "web", "port": 70000}, "port", "between 1 and 65535"),
        ("haproxy_backend", {"name": "pool", "stickiness_size": "50"}, "stickiness_size", "must match"),
        ("haproxy_frontend", {"name": "fe", "bind": ["0.0.0.0"]}, "bind", "host:port"),
        ("haproxy_frontend", {"name": "fe"}, "bind", "is required"),
        ("haproxy_healthcheck", {"name": "hc", "interval": "2 s"}, "interval", "1-8 digits"),
        ("haproxy_acl", {"name": "a.b", "expression": "path_beg"}, "name", "without tab"),
        ("haproxy_action", {"name": "act"}, "type", "is required"),
    ],
)
def test_bad_input_is_named_by_field(type_name, values, field, text):
    errors = validate(REGISTRY[type_name], defaults(type_name, **values))
    assert field in fields(errors), errors
    assert any(text in message for f, message in errors if f == field), errors


@pytest.mark.parametrize(
    "type_name,values",
    [
        ("firewall_alias", {"name": "web_servers", "type": "host", "content": ["10.0.0.1", "host.example.com"]}),
        ("firewall_alias", {"name": "web_ports", "type": "port", "content": ["80", "8000:8080", "https"]}),
        (
            "firewall_filter_rule",
            {"description": "r", "protocol": "tcp", "destination_port": "80-90", "source_net": ["lan"]},
        ),
        ("interfaces_vlan", {"parent": "igb1", "tag": 100, "device": "vlan0.100"}),
        ("routes_route", {"network": "fd00::/64", "gateway": "GW6"}),
        ("unbound_host_override", {"hostname": "*", "domain": "example.com", "server": "192.0.2.1"}),
        ("haproxy_frontend", {"name": "fe", "bind": ["0.0.0.0:443", "[::]:443", "unix@sock"]}),
    ],
)
def test_good_input_passes(type_name, values):
    assert validate(REGISTRY[type_name], defaults(type_name, **values)) == []


def test_identity_only_for_absent():
    spec = REGISTRY["firewall_alias"]
    assert validate(spec, {"name": "web"}, identity_only=True) == []
    assert fields(validate(spec, {"name": "9"}, identity_only=True)) == ["name"]
