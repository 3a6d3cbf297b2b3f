"""What a firewall offers (_facts): option lists from the blank item, names, interfaces."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts, needs_blank
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

RULE = REGISTRY["firewall_filter_rule"]
ALIAS = REGISTRY["firewall_alias"]


def test_blank_item_option_maps_become_option_lists():
    facts = Facts()
    facts.add_blank(
        RULE,
        {
            "protocol": {"any": {"value": "any", "selected": 1}, "TCP": {"value": "TCP", "selected": 0}},
            "gateway": {"": {"value": "None", "selected": 1}, "WAN_GW": {"value": "WAN_GW - 192.0.2.1"}},
            "interface": {"lan": {"value": "LAN"}},
            "description": "",
        },
    )
    assert facts.options("firewall_filter_rule", "protocol") == {"any": "any", "TCP": "TCP"}
    assert facts.options("firewall_filter_rule", "gateway") == {"WAN_GW": "WAN_GW - 192.0.2.1"}
    assert facts.options("firewall_filter_rule", "description") is None
    assert facts.options("firewall_alias", "type") is None
    assert facts.interfaces == {"lan": "LAN"}


def test_alias_content_of_a_blank_item_is_not_an_option_list():
    facts = Facts()
    facts.add_blank(ALIAS, {"content": {"bogons": {"value": "bogons"}}, "type": {"host": {"value": "Host(s)"}}})
    assert facts.options("firewall_alias", "content") is None
    assert facts.options("firewall_alias", "type") == {"host": "Host(s)"}


def test_names_come_from_every_row_and_the_task_wins():
    facts = Facts()
    assert facts.names("firewall_alias") is None
    facts.add_rows(
        ALIAS,
        [
            {"uuid": "bogons", "name": "bogons", "type": "external"},
            {"uuid": "00000000-0000-4000-8000-000000000001", "name": "web", "type": "host"},
        ],
    )
    assert sorted(facts.names("firewall_alias")) == ["bogons", "web"]
    facts.add_name("firewall_alias", "web", {"name": "web", "type": "port"})
    assert facts.names("firewall_alias")["web"]["type"] == "port"
    assert facts.without_names(["firewall_alias"]).names("firewall_alias") is None
    assert facts.names("firewall_alias") is not None, "without_names works on a copy"


def test_extra_options_only_extend_a_list_that_was_read():
    facts = Facts()
    facts.add_option("interfaces_vlan", "if", "vlan0.10")
    assert facts.options("interfaces_vlan", "if") is None
    facts.add_blank(REGISTRY["interfaces_vlan"], {"if": {"igb1": {"value": "igb1"}}})
    facts.add_option("interfaces_vlan", "if", "vlan0.10")
    assert sorted(facts.options("interfaces_vlan", "if")) == ["igb1", "vlan0.10"]


def test_the_blank_item_is_needed_only_when_a_box_option_is_set():
    vlan = REGISTRY["interfaces_vlan"]
    assert needs_blank(vlan) and needs_blank(vlan, [{"parent": "igb1"}])
    assert not needs_blank(vlan, [{"parent": None, "tag": 10}])
    assert not needs_blank(REGISTRY["firewall_category"])
