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
        ("firewall_alias", {"name": "port", "type": "host"}, "name", "reserved keyword \"%s\". (got 'port')"),
        (
            "firewall_alias",
            {"name": "web", "type": "port", "content": ["8000-8080"]},
            "content",
            'Entry "8000-8080" is not a valid port number. (Port ranges',
        ),
        (
            "firewall_alias",
            {"name": "web", "type": "port", "content": ["70000"]},
            "content",
            'Entry "70000" is not a valid port number.',
        ),
        (
            "firewall_alias",
            {"name": "web", "type": "dynipv6host"},
            "interface",
            "IPv6 Dynamic Host require an interface to track.",
        ),
        ("firewall_alias", {"name": "web"}, "type", "A value is required."),
        ("firewall_category", {"name": "a,b"}, "name", "Text does not validate. (got 'a,b')"),
        (
            "firewall_category",
            {"name": "a", "color": "#ff0000"},
            "color",
            "A valid color code consists of 6 hex digits. (got '#ff0000')",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "destination_port": "443"},
            "destination_port",
            "Destination ports are only valid for tcp or udp type rules.",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "source_net": ["any", "lan"]},
            "source_net",
            "Any can not be combined with other aliases",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "source_net": ["10.0.0.1", "10.0.0.2"]},
            "source_net",
            "10.0.0.1,10.0.0.2 is not a valid source IP address or alias.",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "interface": ["lan", "wan"], "interfacenot": True},
            "interfacenot",
            "Inverting interfaces is only allowed for single targets",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "sequence": 0},
            "sequence",
            "Sequence shall be between 1 and 999999. (got 0)",
        ),
        ("firewall_filter_rule", {"description": "line\nbreak"}, "description", "Text may not contain newlines."),
        ("interfaces_vlan", {"parent": "igb1", "tag": 4095}, "tag", "Invalid integer value. (got 4095)"),
        (
            "interfaces_vlan",
            {"parent": "igb1", "tag": 10, "device": "eth0.10"},
            "device",
            'The device name prefix "vlan" is required.',
        ),
        (
            "routes_route",
            {"network": "10.0.0.0", "gateway": "GW"},
            "network",
            "Specify a valid network matching the gateways ip protocol. (got '10.0.0.0')",
        ),
        (
            "routes_route",
            {"network": "10.0.0.300/8", "gateway": "GW"},
            "network",
            "Specify a valid network matching the gateways ip protocol.",
        ),
        (
            "unbound_host_override",
            {"hostname": "www", "domain": "example.com"},
            "server",
            "The field IP address is required.",
        ),
        ("unbound_host_override", {"domain": "example.com", "rr": "MX"}, "mx", "The field MX Host is required."),
        (
            "unbound_host_override",
            {"hostname": "a b", "domain": "example.com", "server": "1.2.3.4"},
            "hostname",
            "A valid hostname must be specified. (got 'a b')",
        ),
        (
            "unbound_host_override",
            {"hostname": "www", "domain": "example.com", "server": "10.0.0.0/8"},
            "server",
            "Please specify a valid network segment or IP address. (got '10.0.0.0/8')",
        ),
        (
            "haproxy_server",
            {"name": "web 01"},
            "name",
            "Should be a string between 1 and 255 characters. (got 'web 01')",
        ),
        (
            "haproxy_server",
            {"name": "web", "port": 70000},
            "port",
            "Please specify a value between 1 and 65535. (got 70000)",
        ),
        (
            "haproxy_backend",
            {"name": "pool", "stickiness_size": "50"},
            "stickiness_size",
            'followed by either "k", "m" or "g". (got \'50\')',
        ),
        ("haproxy_frontend", {"name": "fe", "bind": ["0.0.0.0"]}, "bind", "Please provide a valid listen address"),
        ("haproxy_frontend", {"name": "fe"}, "bind", "A value is required."),
        (
            "haproxy_healthcheck",
            {"name": "hc", "interval": "2 s"},
            "interval",
            "Should be a number between 1 and 8 characters",
        ),
        (
            "haproxy_acl",
            {"name": "a.b", "expression": "path_beg"},
            "name",
            "Should be a string between 1 and 255 characters. (got 'a.b')",
        ),
        ("haproxy_action", {"name": "act"}, "type", "A value is required."),
        (
            "firewall_alias",
            {"name": "web", "type": "host", "content": 7},
            "content",
            "must be a list of strings, got int 7",
        ),
        ("firewall_alias", {"name": "web", "type": "host", "enabled": "maybe"}, "enabled", "must be a boolean"),
        ("firewall_alias", {"name": "web", "type": "host", "description": ["a"]}, "description", "must be a string"),
        (
            "firewall_alias",
            {"name": "web", "type": "host", "content": ["a b"]},
            "content",
            'Entry "a b" is not a valid',
        ),
        ("firewall_alias", {"name": "http", "type": "host"}, "name", "Reserved protocol or service names"),
        ("firewall_alias", {"name": "web", "type": "network", "content": ["10.0.0.0/33"]}, "content", "not a network"),
        ("firewall_alias", {"name": "web", "type": "geoip", "content": ["XX"]}, "content", "not a valid country"),
        ("firewall_filter_rule", {"description": "r", "source_net": ["10.0.0.0/40"]}, "source_net", "10.0.0.0/40 is"),
        (
            "firewall_filter_rule",
            {"description": "r", "protocol": "TCP", "source_port": "99999"},
            "source_port",
            "99999",
        ),
        (
            "firewall_filter_rule",
            {"description": "r", "protocol": "TCP", "source_port": "90-80"},
            "source_port",
            "range",
        ),
        ("firewall_filter_rule", {"description": "r", "tag": "a b"}, "tag", "Text may not contain spaces"),
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


def test_facts_only_validates_a_valid_record_once_and_subtracts_what_is_known_without_facts(monkeypatch):
    from ansible_collections.opnform.opnsense.plugins.module_utils import _validate
    from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts

    spec = REGISTRY["firewall_filter_rule"]
    calls = []
    real = _validate.validate
    monkeypatch.setattr(_validate, "validate", lambda *a, **kw: calls.append(kw) or real(*a, **kw))
    good = defaults("firewall_filter_rule", description="r", destination_net=["any"])
    assert _validate.facts_only(spec, good, Facts()) == [] and len(calls) == 1

    # a problem found with facts is reported only when it is not found without them
    bad = defaults("firewall_alias", name="9bad", type="host")
    del calls[:]
    assert _validate.facts_only(REGISTRY["firewall_alias"], bad, Facts()) == [] and len(calls) == 2
    assert fields(real(REGISTRY["firewall_alias"], bad)) == ["name"]


def test_the_first_pass_notes_which_checks_look_at_the_facts_and_the_second_runs_only_those():
    from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts
    from ansible_collections.opnform.opnsense.plugins.module_utils._validate import facts_only

    spec = REGISTRY["firewall_filter_rule"]
    values = defaults(
        "firewall_filter_rule", description="r", interface=["opt9"], destination_net=["web_hosts"], log=True
    )
    consulted = set()
    assert validate(spec, values, consulted=consulted) == []  # without facts nothing is known to be wrong
    assert {"interface", "destination_net"} <= consulted  # their checks asked for the firewall's lists
    assert not {"log", "description"} & consulted  # a boolean or a text never does

    facts = Facts()
    facts.add_blank(spec, {spec.field("interface").api: {"lan": {"value": "LAN", "selected": 0}}})
    facts.add_rows(REGISTRY["firewall_alias"], [])  # the firewall has no alias web_hosts
    assert fields(facts_only(spec, values, facts, only=consulted)) == ["interface", "destination_net"]
    assert facts_only(spec, values, facts, only={"log"}) == []  # the checks left out are not run
