"""The DHCP services' field types (_fieldtypes_dhcp): MAC addresses, Dnsmasq's host names, range addresses;
and the Dnsmasq types' performValidation hooks."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils import _fieldtypes_dhcp as DHCP
from ansible_collections.opnform.opnsense.plugins.module_utils._fieldtypes import Context
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._validate import CHECKS

HOST = REGISTRY["dnsmasq_host"]
RANGE = REGISTRY["dnsmasq_range"]


def check(spec, name, value):
    field = spec.field(name)
    return [m for m, _ in CHECKS[field.ftype](field, value, Context(spec.type, {}))]


@pytest.mark.parametrize(
    "value,ok",
    [
        ("00:11:22:33:44:55", True),
        ("00-11-22-33-44-55", True),
        ("0011.2233.4455", True),
        ("AA:bb:CC:dd:EE:ff", True),
        (" 00:11:22:33:44:55 ", True),
        ("00:11:22:33:44", False),
        ("00:11-22:33:44:55", False),
        ("0:11:22:33:44:55", False),
        ("00:11:22:33:44:55,66:77:88:99:aa:bb", True),
        ("00:11:22:33:44:55,zz", False),
    ],
)
def test_mac_address(value, ok):
    assert check(HOST, "hwaddr", value) == ([] if ok else ["Invalid MAC address."])


@pytest.mark.parametrize(
    "name,value,messages",
    [
        ("host", "nas", []),
        ("host", "my_nas", []),
        ("host", "*", []),
        ("host", "a.b", [DHCP.LABEL_MESSAGE]),
        ("host", "-a", [DHCP.LABEL_MESSAGE]),
        ("host", "_a", [DHCP.LABEL_MESSAGE]),
        ("host", "a" * 64, [DHCP.LABEL_MESSAGE]),
        ("domain", "lan.example.com", []),
        ("domain", "lan..example.com", [DHCP.LABEL_MESSAGE]),
        ("domain", "*", [DHCP.WILDCARD_MESSAGE]),
        ("domain", ".".join(["a" * 60] * 5), [DHCP.LENGTH_MESSAGE]),
        ("cnames", "a.lan,b.lan", []),
        ("cnames", "a.lan,b lan", [DHCP.LABEL_MESSAGE]),
        ("cnames", "*,b lan", [DHCP.WILDCARD_MESSAGE]),
    ],
)
def test_dnsmasq_hostname(name, value, messages):
    assert check(HOST, name, value) == messages


@pytest.mark.parametrize(
    "value,ok",
    [
        ("192.0.2.1", True),
        ("2001:db8::1", True),
        ("::10", True),
        ("::1:2", True),
        ("::zz", False),
        ("192.0.2.0/24", False),
        ("::1/64", False),
        ("x", False),
    ],
)
def test_range_address(value, ok):
    assert check(RANGE, "start_addr", value) == (
        [] if ok else ["Please specify a valid network segment or IP address."]
    )


def test_dnsmasq_checks_are_known_to_the_validator():
    assert set(DHCP.CHECKS) <= set(CHECKS)


@pytest.mark.parametrize(
    "values,fields",
    [
        ({"host": "nas", "ip": ["192.0.2.1"]}, []),
        ({"host": "nas"}, ["host", "ip"]),
        ({"ip": ["192.0.2.1"]}, ["host", "ip"]),
        ({"ip": ["192.0.2.1"], "hwaddr": ["00:11:22:33:44:55"]}, []),
        ({"hwaddr": ["00:11:22:33:44:55"]}, ["host", "ip"]),
        ({"host": "a", "ip": ["192.0.2.1", "192.0.2.2"], "client_id": "01:02"}, ["ip"]),
        ({"host": "a", "ip": ["192.0.2.1", "2001:db8::1"], "client_id": "01:02"}, []),
        ({"host": "*", "ip": ["192.0.2.1"], "client_id": "01:02"}, ["host"]),
        ({"host": "a", "domain": "lan", "ip": ["192.0.2.1"], "cnames": ["a.lan"]}, ["cnames"]),
    ],
)
def test_host_validation_hook(values, fields):
    assert [f for f, _ in HOST.hooks.validate(values, None)] == fields


@pytest.mark.parametrize(
    "values,fields",
    [
        ({"start_addr": "192.0.2.1", "end_addr": "192.0.2.9"}, []),
        ({"start_addr": "192.0.2.1"}, ["end_addr"]),
        ({"start_addr": "192.0.2.1", "mode": ["static"]}, []),
        ({"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "mode": "static"}, ["end_addr"]),
        ({"start_addr": "192.0.2.1", "mode": ["static"], "subnet_mask": "255.255.255.0"}, ["subnet_mask"]),
        ({"start_addr": "192.0.2.1", "end_addr": "2001:db8::1"}, ["end_addr"]),
        ({"start_addr": "::1", "end_addr": "::9", "constructor": "lan"}, []),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "constructor": "lan"},
            ["constructor", "start_addr", "end_addr"],
        ),
        ({"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "prefix_len": 64}, ["prefix_len"]),
        ({"start_addr": "::1", "end_addr": "::9", "ra_mode": ["slaac"]}, ["interface"]),
        (
            {"start_addr": "::1", "end_addr": "::9", "interface": "lan", "ra_mode": ["slaac"], "prefix_len": 48},
            ["prefix_len"],
        ),
        ({"start_addr": "::1", "end_addr": "::9", "interface": "lan", "ra_mode": ["slaac", "ra-only"]}, ["ra_mode"]),
        ({"start_addr": "::1", "end_addr": "::9", "interface": "lan", "ra_mode": ["ra-stateless", "slaac"]}, []),
        ({"start_addr": "192.0.2.1", "mode": ["static"], "domain": "lan"}, ["end_addr"]),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "domain": "lan", "domain_type": "interface"},
            ["interface"],
        ),
    ],
)
def test_range_validation_hook(values, fields):
    assert [f for f, _ in RANGE.hooks.validate(values, None)] == fields
