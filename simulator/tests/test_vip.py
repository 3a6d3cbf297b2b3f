"""Virtual IPs over HTTPS: /api/interfaces/vip_settings/ (core 26.7.2 Vip.xml, Vip.php,
VipSettingsController.php, FieldTypes/Vip*.php)."""

from __future__ import annotations

import pytest
from opnsense_sim.environment import Interface

BASE = "/api/interfaces/vip_settings"
CARP = {"interface": "lan", "mode": "carp", "network": "192.168.1.10/24", "vhid": "1", "password": "s3cret"}


def add(api, **vip):
    r = api.post(f"{BASE}/addItem", json={"vip": vip})
    assert r.status_code == 200
    return r.json()


def added(api, **vip) -> str:
    body = add(api, **vip)
    assert body["result"] == "saved", body
    return body["uuid"]


def item(api, uuid):
    return api.get(f"{BASE}/getItem/{uuid}").json()["vip"]


def stored(sim, uuid):
    return sim.state()["config"]["interfaces.vip"][uuid]


def test_network_is_split_on_write_and_joined_on_read(sim, api):
    uuid = added(api, interface="lan", network="192.168.1.5/24")
    assert (stored(sim, uuid)["subnet"], stored(sim, uuid)["subnet_bits"]) == ("192.168.1.5", "24")
    got = item(api, uuid)
    assert got["network"] == "192.168.1.5/24" and "subnet" not in got and "subnet_bits" not in got
    assert got["address"] == "192.168.1.5/24" and got["vhid_txt"] == ""
    assert got["mode"]["ipalias"] == {"value": "IP Alias", "selected": 1}
    row = api.get(f"{BASE}/searchItem").json()["rows"][0]
    assert (row["subnet"], row["subnet_bits"], row["address"]) == ("192.168.1.5", "24", "192.168.1.5/24")
    assert "network" not in row


def test_a_set_without_network_empties_the_address(sim, api):
    """getVipOverlay(): no network and not both subnet and subnet_bits posted: both are emptied."""
    uuid = added(api, interface="lan", network="192.168.1.5/24")
    body = api.post(f"{BASE}/setItem/{uuid}", json={"vip": {"descr": "x"}}).json()
    assert body == {"result": "failed", "validations": {"vip.network": ["A valid network address is required."]}}
    assert api.post(f"{BASE}/setItem/{uuid}", json={"vip": {"subnet": "192.168.1.6", "subnet_bits": "24"}}).json() == {
        "result": "saved"
    }
    assert item(api, uuid)["network"] == "192.168.1.6/24"


@pytest.mark.parametrize(
    "network,message",
    [
        ("", "A valid network address is required."),
        ("192.168.1.5", "A valid network subnet is required."),
        ("192.168.1.5/33", "A valid network subnet is required."),
        ("192.168.1.0/24", "You cannot use the network address."),
        ("192.168.1.255/24", "You cannot use the broadcast address."),
    ],
)
def test_network_messages_are_a_list_on_network(api, network, message):
    assert add(api, interface="lan", network=network)["validations"] == {"vip.network": [message]}


def test_carp_needs_password_and_vhid(api):
    body = add(api, interface="lan", mode="carp", network="192.168.1.10/24")
    assert body["validations"] == {
        "vip.password": "You must specify a CARP password that is shared between the two VHID members.",
        "vip.vhid": "A VHID must be selected for this CARP VIP.",
    }
    uuid = added(api, **CARP)
    assert item(api, uuid)["vhid_txt"] == "1 (freq. 1/0)"
    assert add(api, **dict(CARP, network="192.168.1.11/24"))["validations"] == {
        "vip.vhid": "VHID 1 is already in use on interface lan. Pick a unique number on this interface."
    }
    assert add(api, **dict(CARP, network="192.168.1.12/24", peer6="fd00::1"))["validations"]["vip.peer6"] == (
        "An (unicast) address can only be configured for the same protocol family."
    )


def test_carp_limits(api):
    body = add(api, **dict(CARP, vhid="256", advbase="0", advskew="255"))
    assert body["validations"] == {
        "vip.vhid": "Invalid VHID number provided, Acceptable values for vhid are 1 to 255.",
        "vip.advbase": "Invalid advertisement interval, acceptable values are 1 to 255.",
        "vip.advskew": "Invalid skew value, acceptable values are 0 to 255.",
    }


def test_ip_alias_in_a_carp_group(api):
    body = add(api, interface="lan", network="192.168.1.20/24", vhid="3")
    assert body["validations"] == {"vip.vhid": "VHID 3 must be defined on interface lan as a CARP VIP first."}
    added(api, **dict(CARP, vhid="3"))
    added(api, interface="lan", network="192.168.1.20/24", vhid="3")


def test_addresses_are_unique_and_proxy_arp_strict(api):
    added(api, interface="lan", network="192.168.1.5/24")
    assert add(api, interface="wan", network="192.168.1.5/32")["validations"] == {
        "vip.network": ["Address already assigned."]
    }
    assert add(api, interface="lan", mode="proxyarp", network="10.1.1.1/24")["validations"] == {
        "vip.network": ["Only strict subnets are allowed for Proxy ARP types (e.g. 192.168.0.0/24, 192.168.1.1/32)."]
    }
    assert add(api, interface="lan", mode="proxyarp", network="10.1.1.0/24")["result"] == "saved"


def test_virtual_interfaces_take_no_carp(sim, api):
    sim.app.env.interfaces.append(Interface("opt2", "LO", "lo1"))
    body = add(api, **dict(CARP, interface="opt2", network="10.9.9.9/32"))
    assert body["validations"] == {"vip.mode": "The current interface type does not support this mode."}


def test_carp_with_ip_aliases_in_its_group_cannot_be_deleted(api):
    carp = added(api, **CARP)
    alias = added(api, interface="lan", network="192.168.1.20/24", vhid="1")
    r = api.post(f"{BASE}/delItem/{carp}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == "Cannot delete CARP Virtual IP, IP Alias with VHID Group 1 still exists."
    assert api.post(f"{BASE}/delItem/{alias}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delItem/{carp}").json() == {"result": "deleted"}


def test_search_by_mode_unused_vhid_and_reconfigure(sim, api):
    added(api, **CARP)
    alias = added(api, interface="lan", network="192.168.1.30/24")
    rows = api.post(f"{BASE}/searchItem", json={"mode": ["ipalias"]}).json()["rows"]
    assert [r["uuid"] for r in rows] == [alias]
    assert api.get(f"{BASE}/getUnusedVhid").json() == {"vhid": 2, "status": "ok"}
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    assert alias in sim.state()["running"]["interfaces.vip"]


def test_vips_are_local_addresses_of_gif_and_gre(api):
    added(api, **CARP)
    added(api, interface="wan", network="203.0.113.9/24", descr="alias")
    opts = api.get("/api/interfaces/gif_settings/getIfOptions").json()
    assert opts["carp"] == {"items": {"lan_vip1": "192.168.1.10 ()"}, "title": "CARP"}
    assert opts["ipalias"] == {"items": {"203.0.113.9": "203.0.113.9 (alias)"}, "title": "IP Alias"}


def test_on_26_1_a_set_without_network_keeps_the_address(sim, api):
    """getVipOverlay() empties subnet and subnet_bits without a posted network only since 26.7."""
    sim.reset("26.1")
    uuid = added(api, interface="lan", network="192.168.1.5/24")
    assert api.post(f"{BASE}/setItem/{uuid}", json={"vip": {"descr": "x"}}).json() == {"result": "saved"}
    assert item(api, uuid)["network"] == "192.168.1.5/24"
