"""Dnsmasq hosts, DHCP tags and ranges over HTTPS: /api/dnsmasq/ (core 26.7.2 Dnsmasq.xml, Dnsmasq.php,
Dnsmasq/Api/SettingsController.php and ServiceController.php)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BASE = "/api/dnsmasq/settings"
LABEL_MSG = (
    "Labels must be 1\u201363 characters, start with a letter or digit, "
    "and may contain only letters, digits, '-' or '_'. "
)


def add(api, kind, **fields):
    return api.post(f"{BASE}/add_{kind}", json={kind: fields}).json()


def test_host_defaults_and_search(api):
    body = add(api, "host", host="nas", domain="lan", ip="192.168.1.10", hwaddr="00:11:22:33:44:55")
    assert body["result"] == "saved", body
    host = api.get(f"{BASE}/get_host/{body['uuid']}").json()["host"]
    assert (host["local"], host["ignore"], host["lease_time"]) == ("0", "0", "")
    assert host["hwaddr"] == {"00:11:22:33:44:55": {"value": "00:11:22:33:44:55", "selected": 1}}
    (row,) = api.get(f"{BASE}/search_host").json()["rows"]
    assert (row["host"], row["ip"], row["hwaddr"]) == ("nas", "192.168.1.10", "00:11:22:33:44:55")


@pytest.mark.parametrize(
    "fields,errors",
    [
        (
            {"host": "nas"},
            {
                "host.host": "Both hostname and IP address are required for host overrides.",
                "host.ip": "Both hostname and IP address are required for host overrides.",
            },
        ),
        ({"host": "a.b", "ip": "192.0.2.1"}, {"host.host": LABEL_MSG}),
        ({"host": "-a", "ip": "192.0.2.1"}, {"host.host": LABEL_MSG}),
        ({"host": "a", "domain": "lan_", "ip": "192.0.2.1"}, {}),
        ({"host": "a", "domain": "x..lan", "ip": "192.0.2.1"}, {"host.domain": LABEL_MSG}),
        ({"host": "a", "domain": "*", "ip": "192.0.2.1"}, {"host.domain": "Wildcards are not allowed."}),
        ({"host": "a", "ip": "192.0.2.1/24"}, {"host.ip": "Please specify a valid network segment or IP address."}),
        ({"host": "a", "ip": "192.0.2.1", "hwaddr": "00:11:22:33:44"}, {"host.hwaddr": "Invalid MAC address."}),
        ({"host": "a", "ip": "192.0.2.1", "hwaddr": "00:11-22:33:44:55"}, {"host.hwaddr": "Invalid MAC address."}),
        ({"host": "a", "ip": "192.0.2.1", "hwaddr": "0011.2233.4455"}, {}),
        (
            {"host": "*", "ip": "192.0.2.1", "hwaddr": "00:11:22:33:44:55"},
            {"host.host": "Wildcard entries are not allowed for DHCP reservations."},
        ),
        (
            {"ip": "192.0.2.1,192.0.2.2", "hwaddr": "00:11:22:33:44:55"},
            {"host.ip": "For IPv4 dhcp reservations, only a single address is allowed."},
        ),
        (
            {"hwaddr": "00:11:22:33:44:55"},
            {
                "host.host": "At least a hostname or IP address must be provided for DHCP reservations.",
                "host.ip": "At least a hostname or IP address must be provided for DHCP reservations.",
            },
        ),
        ({"host": "a", "ip": "192.0.2.1", "client_id": "01:02"}, {}),
        (
            {"host": "a", "ip": "192.0.2.1", "client_id": "1:2"},
            {"host.client_id": 'Value must be a colon-separated hexadecimal sequence (e.g., 01:02:f3) or "*".'},
        ),
        (
            {"host": "a", "domain": "lan", "ip": "192.0.2.1", "cnames": "a.lan"},
            {"host.cnames": "CNAME 'a.lan' overlaps with a host and domain combination in a host override."},
        ),
    ],
)
def test_host_validation(api, fields, errors):
    body = add(api, "host", **fields)
    if errors:
        assert body == {"result": "failed", "validations": errors}
    else:
        assert body["result"] == "saved", body


def test_dhcp_addresses_are_unique_overrides_may_repeat(api):
    assert add(api, "host", host="a", ip="192.0.2.1", hwaddr="00:11:22:33:44:55")["result"] == "saved"
    assert add(api, "host", host="b", ip="192.0.2.1")["result"] == "saved"
    body = add(api, "host", host="c", ip="192.0.2.1", hwaddr="00:11:22:33:44:56")
    assert body["validations"] == {"host.ip": "'192.0.2.1' is already used in another DHCP host entry."}


def test_cnames_are_unique(api):
    assert add(api, "host", host="a", ip="192.0.2.1", cnames="www.lan")["result"] == "saved"
    body = add(api, "host", host="b", ip="192.0.2.2", cnames="www.lan")
    assert body["validations"] == {"host.cnames": "CNAME 'www.lan' is already in use by a host override."}


@pytest.mark.parametrize(
    "fields,errors",
    [
        ({"start_addr": "192.0.2.100", "end_addr": "192.0.2.200"}, {}),
        (
            {"start_addr": "192.0.2.100"},
            {"range.end_addr": "End address may only be left empty for static ipv4 ranges."},
        ),
        ({"start_addr": "192.0.2.100", "mode": "static"}, {}),
        (
            {"start_addr": "192.0.2.100", "end_addr": "192.0.2.200", "mode": "static"},
            {"range.end_addr": "Static only accepts a starting address."},
        ),
        (
            {"start_addr": "192.0.2.100", "end_addr": "2001:db8::1"},
            {"range.end_addr": "Protocol family doesn't match."},
        ),
        ({"start_addr": "::10", "end_addr": "::ff", "constructor": "lan"}, {}),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "constructor": "lan"},
            {
                "range.constructor": "A constructor can only be configured for ipv6.",
                "range.start_addr": "A constructor expects a partial address (e.g. ::1).",
                "range.end_addr": "A constructor expects a partial address (e.g. ::1).",
            },
        ),
        (
            {"start_addr": "::zz", "end_addr": "::ff"},
            {"range.start_addr": "Please specify a valid network segment or IP address."},
        ),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "prefix_len": "64"},
            {"range.prefix_len": "Prefix length can only be used for IPv6."},
        ),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "prefix_len": "65"},
            {"range.prefix_len": ["Invalid integer value.", "Prefix length can only be used for IPv6."]},
        ),
        (
            {"start_addr": "::1", "end_addr": "::9", "ra_mode": "slaac"},
            {"range.interface": "Selecting an RA Mode requires an interface."},
        ),
        (
            {"start_addr": "::1", "end_addr": "::9", "interface": "lan", "ra_mode": "slaac,ra-only"},
            {"range.ra_mode": "Invalid RA mode combination."},
        ),
        ({"start_addr": "::1", "end_addr": "::9", "interface": "lan", "ra_mode": "slaac,ra-names"}, {}),
        (
            {"start_addr": "192.0.2.1", "mode": "static", "domain": "lan"},
            {
                "range.end_addr": "Can only configure a domain of type 'Range' when a full range (including end) is specified."
            },
        ),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "domain": "lan", "domain_type": "interface"},
            {"range.interface": "A domain of type 'Interface' requires an interface to be selected."},
        ),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "interface": "lo0"},
            {"range.interface": "Option [] not in list."},
        ),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "subnet_mask": "255.255.255.0", "mode": "static"},
            {
                "range.end_addr": "Static only accepts a starting address.",
                "range.subnet_mask": "Static only accepts a starting address.",
            },
        ),
        (
            {"start_addr": "192.0.2.1", "end_addr": "192.0.2.9", "subnet_mask": "24"},
            {"range.subnet_mask": "Please enter a valid IPv4 subnet mask like 255.255.255.0."},
        ),
    ],
)
def test_range_validation(api, fields, errors):
    body = add(api, "range", **fields)
    if errors:
        assert body == {"result": "failed", "validations": errors}
    else:
        assert body["result"] == "saved", body


def test_range_defaults(api):
    uuid = add(api, "range", start_addr="192.0.2.100", end_addr="192.0.2.200")["uuid"]
    rng = api.get(f"{BASE}/get_range/{uuid}").json()["range"]
    assert rng["domain_type"]["range"]["selected"] == 1 and rng["interface"][""] == {"value": "Any", "selected": 1}
    assert rng["nosync"] == "0" and rng["ra_priority"][""]["selected"] == 1


def test_domain_cannot_have_both_types(api):
    assert add(api, "range", start_addr="192.0.2.1", end_addr="192.0.2.9", domain="lan")["result"] == "saved"
    body = add(
        api,
        "range",
        start_addr="192.0.3.1",
        end_addr="192.0.3.9",
        domain="lan",
        domain_type="interface",
        interface="lan",
    )
    assert body["validations"] == {
        "range.domain": "The domain 'lan' cannot be used with both types 'Interface' and 'Range'."
    }


def test_a_tag_in_use_cannot_be_deleted_and_search_filters_by_tag(api):
    tag = add(api, "tag", tag="printers")["uuid"]
    assert add(api, "tag", tag="printers")["validations"] == {"tag.tag": "Tag names should be unique."}
    host = add(api, "host", host="p1", ip="192.0.2.5", set_tag=tag)["uuid"]
    add(api, "host", host="p2", ip="192.0.2.6")
    rows = api.post(f"{BASE}/search_host", json={"tags": [tag]}).json()["rows"]
    assert [r["uuid"] for r in rows] == [host] and rows[0]["%set_tag"] == "printers"
    answer = api.post(f"{BASE}/del_tag/{tag}")
    # A tag has no description/descr/name field, so the title names it by uuid; the host's empty descr shows as "".
    assert answer.status_code == 500 and answer.json()["errorTitle"] == f"Item dhcp_tags {{{tag}}} in use by:"
    assert answer.json()["errorMessage"] == f"dnsmasq -  {{dnsmasq.hosts.{host}}}\n"
    assert api.post(f"{BASE}/del_host/{host}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/del_tag/{tag}").json() == {"result": "deleted"}


def test_reconfigure_makes_hosts_and_ranges_running(api, sim):
    add(api, "host", host="nas", ip="192.0.2.10")
    add(api, "range", start_addr="192.0.2.100", end_addr="192.0.2.200")
    assert not sim.state()["running"].get("dnsmasq.hosts")
    assert api.post("/api/dnsmasq/service/reconfigure").json() == {"status": "ok"}
    running = sim.state()["running"]
    assert len(running["dnsmasq.hosts"]) == 1 and len(running["dnsmasq.dhcp_ranges"]) == 1
    assert api.get("/api/dnsmasq/service/status").json()["status"] == "disabled"


def test_reconfigure_reloads_the_filter_first(api, sim):
    """invokeFirewallReload() is true: a pending filter rule goes live with a Dnsmasq reconfigure."""
    rule = api.post("/api/firewall/filter/add_rule", json={"rule": {"description": "pending"}}).json()["uuid"]
    assert rule not in sim.state()["running"].get("firewall.filter_rule", {})
    assert api.post("/api/dnsmasq/service/reconfigure").json() == {"status": "ok"}
    assert rule in sim.state()["running"]["firewall.filter_rule"]
    assert api.get("/api/dnsmasq/service/reconfigure").json() == {"status": "failed"}


def test_model_data_is_the_tool_output():
    """Dnsmasq.json is model_from_xml.py's output; Dnsmasq's own HostnameField is written under its own name."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
    import model_from_xml

    xml = """<model><mount>/dnsmasq</mount><version>1</version><items>
      <hosts type="ArrayField"><host type=".\\HostnameField"/><mx type="HostnameField"/></hosts></items></model>"""
    data = model_from_xml.convert(
        xml, "OPNsense.Dnsmasq.Dnsmasq", "dnsmasq", local_types={"HostnameField": "DnsmasqHostnameField"}
    )
    fields = data["items"][0]["fields"]
    assert (fields["host"]["type"], fields["mx"]["type"]) == ("DnsmasqHostnameField", "HostnameField")
