"""The interface device types' own checks: VIP networks and CARP rules, tunnel local addresses and
address families, VXLAN's remote-or-group rule (core Interfaces/Vip.php, VipNetworkField.php,
LinkAddressField.php, Gif.php, Gre.php, VxLan.php)."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils import _fieldtypes as F
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

VIP = REGISTRY["interfaces_vip"]


def vip(**values):
    return sorted(VIP.hooks.validate(dict({"interface": "lan", "mode": "ipalias"}, **values)))


@pytest.mark.parametrize(
    "network,mode,message",
    [
        ("", "ipalias", "A valid network address is required."),
        ("10.0.0.1", "ipalias", "A valid network subnet is required."),
        ("10.0.0.1/33", "ipalias", "A valid network subnet is required."),
        ("10.0.0.0/24", "ipalias", "You cannot use the network address."),
        ("10.0.0.255/24", "carp", "You cannot use the broadcast address."),
        ("10.0.0.1/24", "proxyarp", "Only strict subnets are allowed for Proxy ARP types (e.g. 192.168.0.0/24, 192.168.1.1/32)."),
    ],
)  # fmt: skip
def test_vip_network(network, mode, message):
    assert ("network", message) in vip(network=network, mode=mode, password="x", vhid=1)


@pytest.mark.parametrize("network", ["10.0.0.1/24", "10.0.0.0/31", "10.0.0.1/32", "2001:db8::/64", "2001:db8::1/64"])
def test_vip_network_fine(network):
    assert vip(network=network) == []


def test_carp_needs_password_and_vhid_and_one_family_of_peer():
    assert vip(network="10.0.0.1/24", mode="carp") == [
        ("password", "You must specify a CARP password that is shared between the two VHID members."),
        ("vhid", "A VHID must be selected for this CARP VIP."),
    ]
    same = "An (unicast) address can only be configured for the same protocol family."
    assert vip(network="10.0.0.1/24", mode="carp", password="p", vhid=1, peer6="fd00::1") == [("peer6", same)]
    assert vip(network="fd00::9/64", mode="carp", password="p", vhid=1, peer="10.0.0.2") == [("peer", same)]
    assert vip(network="10.0.0.1/24", mode="carp", password="p", vhid=1, peer="10.0.0.2") == []


def test_vip_search_rows_get_the_network():
    assert VIP.hooks.adapt_row({"subnet": "10.0.0.1", "subnet_bits": "24"})["network"] == "10.0.0.1/24"
    assert VIP.hooks.adapt_row({"subnet": "", "subnet_bits": ""})["network"] == ""
    assert VIP.hooks.adapt_row({"network": "10.0.0.1/24"}) == {"network": "10.0.0.1/24"}
    assert VIP.field("password").sensitive


@pytest.mark.parametrize("value,ok", [("wan", True), ("lan_vip1", True), ("192.0.2.1", True), ("2001:db8::1", True),
                                      ("192.0.2.0/24", False), ("bad name", False)])  # fmt: skip
def test_link_address(value, ok):
    field = REGISTRY["interfaces_gif"].field("local_address")
    problems = F.CHECKS[field.ftype](field, value, F.Context("interfaces_gif", {}, None))
    assert problems == ([] if ok else [("A valid network address is required.", value)])


@pytest.mark.parametrize("kind", ["interfaces_gif", "interfaces_gre"])
def test_tunnel_families(kind):
    hook = REGISTRY[kind].hooks.validate
    family = "The remote address family has to match the one used in local."
    assert hook({"local_address": "wan", "remote_address": "2001:db8::1"}) == []
    assert hook({"local_address": "192.0.2.1", "remote_address": "2001:db8::1"}) == [("remote_address", family)]
    assert hook({"local_address": "wan", "tunnel_local_address": "fd00::1"}) == [("tunnel_remote_address", family)]


def test_the_tunnel_types_differ_in_their_names_and_gifs_flags_only():
    gif, gre = REGISTRY["interfaces_gif"], REGISTRY["interfaces_gre"]
    assert (gif.controller, gif.key, gif.reload, gif.field("device").api) == ("gif_settings", "gif", "gifs", "gifif")
    assert (gre.controller, gre.key, gre.reload, gre.field("device").api) == ("gre_settings", "gre", "gres", "greif")
    names = [f.name for f in gif.fields]
    assert names[: len(gre.fields)] == [f.name for f in gre.fields]  # the flags come after the description
    assert names[len(gre.fields) :] == ["ecn_friendly", "no_ingress_filter", "no_mtu_clamp"]
    assert gre.unique[0].message == "GRE device already exists." and gre.field("device").pattern == r"^gre(\d)*$"


def test_vxlan_remote_or_group():
    hook = REGISTRY["interfaces_vxlan"].hooks.validate
    assert hook({"remote_address": "192.0.2.2"}) == []
    assert hook({"group": "239.0.0.1", "device": "lan"}) == []
    assert [f for f, _message in hook({})] == ["remote_address", "group"]
    assert hook({"remote_address": "192.0.2.2", "device": "lan"}) == [
        ("device", "Remote address is specified, Device must be None")
    ]


def test_lagg_primary_member_is_a_member():
    hook = REGISTRY["interfaces_lagg"].hooks.validate
    assert hook({"members": ["igb0", "igb1"], "primary_member": "igb1"}) == []
    assert hook({"members": ["igb0"], "primary_member": "igb2"}) == [
        ("primary_member", "Primary member igb2 not in member list.")
    ]
    assert hook({"members": ["igb0"]}) == []
