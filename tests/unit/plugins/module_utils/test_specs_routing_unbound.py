"""The hooks and checks of routes_gateway, unbound_forward, unbound_acl and unbound_host_alias, and
routes_route naming a gateway the same task creates."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import decode_row
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._validate import facts_only, validate


def defaults(type_name, **values):
    record = dict((f.name, f.default) for f in REGISTRY[type_name].fields)
    record.update(values)
    return record


def messages(type_name, **values):
    return dict(validate(REGISTRY[type_name], defaults(type_name, **values)))


@pytest.mark.parametrize(
    "values,field,text",
    [
        ({"name": "GW", "gateway": "2001:db8::1"}, "gateway", "Invalid IPv4 address"),
        ({"name": "GW", "ipprotocol": "inet6", "gateway": "192.0.2.1"}, "gateway", "Invalid IPv6 address"),
        ({"name": "GW", "gateway": "192.0.2.1", "monitor": "gw.example"}, "monitor", "Invalid IPv4 address"),
        ({"name": "GW", "gateway": "dynamic"}, "gateway", "Leave the gateway address empty"),
        ({"name": "GW", "gateway": "192.0.2.1", "monitor": "192.0.2.1"}, "monitor", "Leave the monitor address"),
        ({"name": "GW", "latencylow": 600}, "latencyhigh", "The high latency threshold needs to be higher"),
        ({"name": "GW", "losslow": 30, "losshigh": 25}, "losshigh", "The high Packet Loss threshold"),
        ({"name": "GW", "interval": 30}, "time_period", "at least 2 times the sum"),
        ({"name": "GW-with-a-name-longer-than-32-chars"}, "name", "A valid gateway name must be specified."),
        ({"name": "GW", "priority": 256}, "priority", "Priority must be a value between 1 and 255."),
        ({"name": "GW", "weight": 11}, "weight", "Invalid integer value."),
    ],
)
def test_gateway_bad_input(values, field, text):
    found = messages("routes_gateway", **values)
    assert text in found.get(field, ""), found


def test_gateway_good_input_and_equal_thresholds():
    assert messages("routes_gateway", name="GW", gateway="192.0.2.1", latencylow=500) == {}
    assert messages("routes_gateway", name="GW6", ipprotocol="inet6", gateway="fe80::1", monitor="2001:db8::9") == {}
    assert messages("routes_gateway", name="DYN") == {}  # dynamic: the firewall decides by its interface
    assert messages("routes_gateway", name="GW", time_period=10, interval=1, loss_interval=4) == {}


def test_gateway_rows_read_the_stored_upstream_flag_and_no_learned_address():
    spec = REGISTRY["routes_gateway"]
    row = {"uuid": "u", "name": "GW", "defaultgw": True, "upstream": False, "gateway": "192.0.2.1", "disabled": False}
    assert decode_row(spec, row)["defaultgw"] is False and decode_row(spec, row)["disabled"] is False
    row.update(defaultgw=False, upstream=True)
    assert decode_row(spec, row)["defaultgw"] is True
    dynamic = {"uuid": "u", "name": "DYN", "gateway": "203.0.113.1", "dynamic": True, "upstream": False}
    assert decode_row(spec, dynamic)["gateway"] is None
    monitored = {"uuid": "u", "name": "GW", "gateway": "192.0.2.1", "monitor": "192.0.2.1", "monitor_disable": "0"}
    assert decode_row(spec, monitored)["monitor"] is None
    monitored["monitor"] = "192.0.2.9"
    assert decode_row(spec, monitored)["monitor"] == "192.0.2.9"


def test_a_route_over_a_gateway_the_task_creates_takes_its_family():
    route = REGISTRY["routes_route"]
    facts = Facts()
    facts.add_blank(route, {"gateway": {"WAN_GW": {"value": "WAN_GW - 203.0.113.1", "selected": 0}}})
    facts.add_option("routes_route", "gateway", "GW6")
    facts.add_name("routes_gateway", "GW6", defaults("routes_gateway", name="GW6", ipprotocol="inet6"))
    assert facts_only(route, defaults("routes_route", network="2001:db8:1::/64", gateway="GW6"), facts) == []
    problems = facts_only(route, defaults("routes_route", network="10.1.0.0/16", gateway="GW6"), facts)
    assert [f for f, _m in problems] == []  # an IPv4 network over an IPv6 gateway is allowed (RFC 5549)
    facts.add_option("routes_route", "gateway", "GW4")
    facts.add_name("routes_gateway", "GW4", defaults("routes_gateway", name="GW4", gateway="192.0.2.1"))
    problems = facts_only(route, defaults("routes_route", network="2001:db8:1::/64", gateway="GW4"), facts)
    assert [f for f, _m in problems] == ["gateway"]


def test_routes_and_rules_name_gateways():
    assert REGISTRY["routes_route"].dependencies == ("routes_gateway",)
    assert "routes_gateway" in REGISTRY["firewall_filter_rule"].dependencies


@pytest.mark.parametrize(
    "values,field,text",
    [
        ({"server": "dns.example"}, "server", "Please specify a valid network segment or IP address."),
        ({"server": "192.0.2.1", "port": 0}, "port", "Please specify a valid port number (1-65535)."),
        ({"server": "192.0.2.1", "port": 65536}, "port", "Please specify a valid port number (1-65535)."),
        ({"server": "192.0.2.1", "domain": "a b"}, "domain", "A valid domain must be specified."),
    ],
)
def test_forward_bad_input(values, field, text):
    found = messages("unbound_forward", **values)
    assert text in found.get(field, ""), found


def test_forward_good_input():
    assert messages("unbound_forward", server="192.0.2.1", port=853, domain="corp.example") == {}


@pytest.mark.parametrize(
    "values,field,text",
    [
        ({"name": "a b", "networks": ["10.0.0.0/8"]}, "name", "Text may not contain spaces or tabs."),
        ({"name": "x", "networks": ["10.0.0.1"]}, "networks", "Please specify a one or more valid network segment"),
        ({"name": "x", "networks": ["any"]}, "networks", "Please specify a one or more valid network segment"),
    ],
)
def test_acl_bad_input(values, field, text):
    found = messages("unbound_acl", **values)
    assert text in found.get(field, ""), found


def test_acl_good_input():
    assert messages("unbound_acl", name="lan", networks=["192.168.1.0/24", "2001:db8::/64"]) == {}


def test_host_alias_needs_a_host_name_or_a_domain():
    found = messages("unbound_host_alias", host="www")
    assert found == {
        "hostname": "The host field is required if a domain has not been specified.",
        "domain": "The domain field is required if a host has not been specified.",
    }
    assert messages("unbound_host_alias", host="www", domain="example.net") == {}
    assert messages("unbound_host_alias", host="www", hostname="*") == {}
