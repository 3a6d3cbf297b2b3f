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
    return [m for m, _field in CHECKS[field.ftype](field, value, Context(spec.type, {}))]


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
    assert [f for f, _message in HOST.hooks.validate(values, None)] == fields


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
    assert [f for f, _message in RANGE.hooks.validate(values, None)] == fields


SUBNET = REGISTRY["kea_dhcpv4_subnet"]
RESERVATION = REGISTRY["kea_dhcpv4_reservation"]


@pytest.mark.parametrize(
    "value,messages",
    [
        ("192.168.1.10 - 192.168.1.20", []),
        ("192.168.1.10-192.168.1.20\n192.168.1.128/25", []),
        ("10.0.0.1 - 10.0.0.9", []),  # outside the subnet: KeaDhcpv4.php does not check
        ("192.168.1.10", ['Entry "192.168.1.10" is not a valid range or subnet.']),
        ("a - b\nx", ['Entry "a - b" is not a valid range or subnet.', 'Entry "x" is not a valid range or subnet.']),
    ],
)
def test_kea_pools(value, messages):
    assert check(SUBNET, "pools", value) == messages


@pytest.mark.parametrize(
    "name,value,messages",
    [
        ("static_routes", "10.0.0.1,192.168.1.1", []),
        ("static_routes", "10.0.0.1", ['Entry "10.0.0.1," is not a valid dest-ip,router-ip pair.']),
        ("classless_static_route", "10.0.0.0/8 - 192.168.1.1, 172.16.0.0/12 - 192.168.1.1", []),
        (
            "classless_static_route",
            "10.0.0.1/8 - 192.168.1.1",
            ['Entry "10.0.0.1/8,192.168.1.1" is not a valid dest_net - router_ip pair.'],
        ),
        (
            "classless_static_route",
            "2001:db8::/32 - 192.168.1.1",
            ['Entry "2001:db8::/32,192.168.1.1" is not a valid dest_net - router_ip pair.'],
        ),
        ("ddns_domain_key_secret", "c2VjcmV0", []),
        ("ddns_domain_key_secret", "not base64!", ["Invalid Base64-encoded string."]),
    ],
)
def test_kea_option_fields(name, value, messages):
    assert check(SUBNET, name, value) == messages


def test_option_data_is_nested_for_writes_and_flat_for_reads():
    hooks = SUBNET.hooks
    assert hooks.adapt_payload({"subnet": "192.168.1.0/24", "option_data.routers": "192.168.1.1"}, None) == {
        "subnet": "192.168.1.0/24",
        "option_data": {"routers": "192.168.1.1"},
    }
    row = hooks.adapt_row({"subnet": "192.168.1.0/24", "option_data": {"domain_name": "lan"}})
    assert row == {"subnet": "192.168.1.0/24", "option_data.domain_name": "lan"}
    assert hooks.adapt_row({"option_data.domain_name": "lan"}) == {"option_data.domain_name": "lan"}
    assert SUBNET.field("routers").api == "option_data.routers"


@pytest.mark.parametrize(
    "values,fields",
    [
        ({"subnet": "192.168.1.0/24"}, []),
        ({"ddns_forward_zone": "example.com"}, ["ddns_dns_server"]),
        ({"ddns_dns_server": "192.0.2.53"}, ["ddns_forward_zone"]),
        ({"ddns_domain_key_secret": "c2VjcmV0"}, ["ddns_domain_key_name", "ddns_domain_key_algorithm"]),
        ({"ddns_domain_key_name": "k"}, ["ddns_domain_key_secret"]),
    ],
)
def test_subnet_depend_constraints(values, fields):
    assert [f for f, _message in SUBNET.hooks.validate(values, None)] == fields


@pytest.mark.parametrize(
    "values,messages",
    [
        ({"subnet": "192.168.1.0/24", "ip_address": "192.168.1.10", "hw_address": "00:11:22:33:44:55"}, []),
        (
            {"subnet": "192.168.1.0/24", "ip_address": "10.0.0.1", "client_id": "01:02"},
            [("ip_address", "Address not in specified subnet")],
        ),
        (
            {"subnet": "192.168.1.0/24", "hw_address": "00:11:22:33:44:55"},
            [("ip_address", "Address not in specified subnet")],
        ),
        (
            {"subnet": "192.168.1.0/24", "ip_address": "192.168.1.10"},
            [("hw_address", "Either a client ID or a MAC address should be specified.")],
        ),
        (
            {
                "subnet": "192.168.1.0/24",
                "ip_address": "192.168.1.10",
                "hw_address": "00:11:22:33:44:55",
                "client_id": "01:02",
            },
            [("hw_address", "Either a client ID or a MAC address should be specified, but not both")],
        ),
    ],
)
def test_reservation_validation_hook(values, messages):
    assert RESERVATION.hooks.validate(values, None) == messages
