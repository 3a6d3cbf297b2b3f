"""Unique constraints across objects (_constraints.clashes): in the task and against the firewall."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._constraints import clashes
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

VLAN = REGISTRY["interfaces_vlan"]
U1, U2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"


def vlan(parent, tag, device=None):
    return {"parent": parent, "tag": tag, "device": device}


def test_a_key_twice_in_the_task_names_the_first():
    found = clashes(VLAN, [("a", vlan("igb1", 10), None), ("b", vlan("igb1", 10), None)], {})
    assert found == [("b", "tag", "Tag for this device must be unique. (tag=10, parent=igb1: a also has it)")]


def test_a_key_another_object_on_the_firewall_has():
    found = clashes(VLAN, [("b", vlan("igb2", 20, "vlan0.10"), None)], {U1: vlan("igb1", 10, "vlan0.10")})
    assert found == [
        ("b", "device", "The device name must be unique. (device=vlan0.10: on the firewall (uuid %s) also has it)" % U1)
    ]


def test_the_object_being_replaced_and_empty_values_do_not_count():
    assert clashes(VLAN, [("a", vlan("igb1", 10, "vlan0.10"), U1)], {U1: vlan("igb1", 10, "vlan0.10")}) == []
    assert clashes(VLAN, [("a", vlan("igb1", 10), None), ("b", vlan("igb2", 10), None)], {U2: vlan("igb3", 1)}) == []


def test_names_compare_as_opnsense_stores_them():
    alias = REGISTRY["firewall_alias"]
    assert clashes(alias, [("x", {"name": "web"}, None)], {U1: {"name": "web"}})
    assert not clashes(alias, [("x", {"name": "Web"}, None)], {U1: {"name": "web"}}), "case-sensitive"
