"""Local validation of NPTv6 and 1:1 NAT rules and interface groups: Filter.php's NAT checks and the
NPT SetIfConstraint, before any request (simulator services/firewall/FACTS.md)."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._validate import validate

TRACK = "A value is required when not using a track interface."
SIZE = "External subnet should match internal subnet."


def errors(type_name, **values):
    spec = REGISTRY[type_name]
    record = dict((f.name, f.default) for f in spec.fields)
    record.update(values)
    return list(validate(spec, record))


@pytest.mark.parametrize(
    "values,expected",
    [
        ({"source_net": "fd00:1::/64", "destination_net": "2001:db8::/64"}, []),
        ({"source_net": "fd00::1", "destination_net": "2001:db8::1"}, []),
        ({"source_net": "fd00:1::/64"}, [("destination_net", TRACK), ("trackif", TRACK)]),
        ({"source_net": "fd00:1::/64", "destination_net": "2001:db8::/48"}, [("destination_net", SIZE)]),
        ({"source_net": "fd00:1::/64", "destination_net": "2001:db8::/64", "trackif": "wan"},
         [("trackif", "A track interface is only allowed without an external prefix.")]),
        ({"source_net": "fd00:1::/64", "trackif": "wan"}, []),  # the DHCPv6 checks are OPNsense's
    ],
)  # fmt: skip
def test_npt(values, expected):
    got = errors("firewall_nat_npt", description="r", **values)
    assert [e for e in got if e[1] in (TRACK, SIZE) or "track interface" in e[1]] == expected
    if not expected:
        assert got == []


def test_npt_source_must_be_ipv6():
    assert "source_net" in [f for f, _m in errors("firewall_nat_npt", description="r", source_net="10.0.0.0/24",
                                                  destination_net="2001:db8::/24")]  # fmt: skip


@pytest.mark.parametrize(
    "values,expected",
    [
        ({"source_net": "10.0.0.5", "external": "203.0.113.5"}, []),
        ({"source_net": "10.0.0.0/24", "external": "203.0.113.0/24"}, []),
        ({"source_net": "10.0.0.0/24", "external": "203.0.113.0/25"}, [("external", SIZE)]),
        ({"source_net": "lan", "external": "203.0.113.5"},
         [("source_net", "For BINAT rules only addresses or subnets are allowed.")]),
        ({"source_net": "lan", "external": "203.0.113.5", "type": "nat"}, []),
        ({"source_net": "lan", "external": "203.0.113.5", "enabled": False}, []),
        ({"source_net": "10.0.0.1", "external": "2001:db8::1", "type": "nat"},
         [("source_net", "IP protocol families should match."), ("external", "IP protocol families should match.")]),
    ],
)  # fmt: skip
def test_one_to_one(values, expected):
    assert errors("firewall_nat_one_to_one", description="r", **values) == expected


def test_group_members_are_required_and_the_sequence_bounded():
    got = errors("firewall_group", name="grp", members=[], sequence=10000)
    assert ("sequence", "Provide a valid sequence number for sorting.") in [(f, m.split(" (got")[0]) for f, m in got]
    assert "members" in [f for f, _m in got]


def test_port_forward_nested_fields_round_trip():
    """getRule nests source/destination; search rows and validation keys use dotted names."""
    spec = REGISTRY["firewall_nat_destination"]
    row = spec.hooks.adapt_row(
        {
            "descr": "web",
            "source": {"network": "any", "port": "", "not": "0", "address": ""},
            "interface": {"wan": {"value": "WAN", "selected": 1}},
            "category": {},
        }
    )
    assert row["source.network"] == "any" and row["interface"] == {"wan": {"value": "WAN", "selected": 1}}
    assert row["category"] == {}
    payload = spec.hooks.adapt_payload({"descr": "web", "source.network": "lan", "destination.port": "443"}, None)
    assert payload == {"descr": "web", "source": {"network": "lan"}, "destination": {"port": "443"}}


@pytest.mark.parametrize(
    "values,expected",
    [
        ({"protocol": "tcp", "destination_port": "443", "target": "10.0.0.5", "local_port": "443"}, []),
        ({"protocol": "icmp", "source_port": "80"}, [("source_port", "Ports are only valid for TCP or UDP type rules.")]),
        ({"nordr": True, "target": "10.0.0.5"}, [("target", "Target must be empty when No RDR is set.")]),
        ({"ipprotocol": "inet", "target": "2001:db8::1"},
         [("target", "Address type should match selected TCP/IP protocol version.")]),
        ({"ipprotocol": "inet46", "target": "2001:db8::1"}, []),
    ],
)  # fmt: skip
def test_port_forward(values, expected):
    assert errors("firewall_nat_destination", description="r", **values) == expected
