"""The task's resources (_resources): their shape and spec before the firewall is read, then what the
firewall's facts add; every problem collected."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import (
    PlanError,
    check_against,
    parse_resources,
    read_resources,
)


def read(raw):
    return read_resources(raw, REGISTRY, canonical_type)


ALIAS = {"type": "firewall_alias", "name": "web", "properties": {"type": "host", "content": ["10.0.0.1"]}}


@pytest.mark.parametrize(
    "raw,problem",
    [
        ("nope", "resources must be a list"),
        (["nope"], "resources[0]: must be a dict with type, name and properties, got 'nope'"),
        ([{"type": "firewall_alias", "name": 7}], "resources[0]: name must be a non-empty string, got 7"),
        ([{"type": 7, "name": "a"}], "resources[0] (a): type must be a string, got 7"),
        ([dict(ALIAS, properties=["x"])], "firewall_alias/web: properties must be a dict, got ['x']"),
        ([dict(ALIAS, depends_on=7)], "firewall_alias/web.depends_on: must be a list of type/name strings, got int 7"),
        ([dict(ALIAS, depends_on=[7])], "firewall_alias/web.depends_on: 7 is neither a type/name string"),
        ([dict(ALIAS, extra=1)], "resources[0]: unknown keys extra"),
        ([dict(ALIAS, properties={"type": "host", "content": 7})], "firewall_alias/web.content: must be a list of strings, got int 7"),
    ],
)  # fmt: skip
def test_shape_problems_are_named(raw, problem):
    problems = read(raw)[1]
    assert any(problem in p for p in problems), problems


def test_a_value_of_the_wrong_type_is_dropped_after_it_is_reported():
    resources, problems = read([dict(ALIAS, properties={"type": "host", "content": 7, "enabled": "maybe"})])
    assert len(problems) == 2
    assert resources[0].properties["content"] is None and resources[0].properties["enabled"] is None


def test_depends_on_forms_and_templated_values():
    resources, problems = read([dict(ALIAS, depends_on={"type": "firewall_category", "name": "c"})])
    assert problems == [] and resources[0].depends_on == ["firewall_category/c"]
    resources = read([dict(ALIAS, properties={"type": "host", "content": "10.0.0.1\n10.0.0.2", "expire": "60"})])[0]
    assert resources[0].properties["content"] == ["10.0.0.1", "10.0.0.2"] and resources[0].properties["expire"] == 60


def test_parse_raises_every_problem_at_once():
    with pytest.raises(PlanError) as err:
        parse_resources([dict(ALIAS, name="9bad"), {"type": "nope", "name": "x"}], REGISTRY, canonical_type)
    assert err.value.kind == "validation" and len(err.value.problems) == 2


def box():
    facts = Facts("26.7.2")
    facts.add_blank(REGISTRY["interfaces_vlan"], {"if": {"igb1": {"value": "igb1"}}})
    facts.add_blank(
        REGISTRY["firewall_filter_rule"],
        {"interface": {"lan": {"value": "LAN"}}, "protocol": {"any": {"value": "any"}, "TCP": {"value": "TCP"}}},
    )
    facts.add_rows(REGISTRY["firewall_alias"], [{"uuid": "bogons", "name": "bogons", "type": "external"}])
    return facts


def test_facts_add_option_lists_and_names_of_the_task_and_the_firewall():
    rule = {
        "type": "firewall_filter_rule",
        "name": "r",
        "properties": {
            "interface": ["lan"],
            "protocol": "tcp",
            "source_net": ["web", "bogons"],
            "destination_net": ["typo"],
        },
    }
    resources, problems = read(
        [ALIAS, rule, {"type": "interfaces_vlan", "name": "v", "properties": {"parent": "eth9", "tag": 1}}]
    )
    assert problems == [], "without the firewall none of these can be judged"
    found = check_against(resources, REGISTRY, box())
    assert found == [
        "firewall_filter_rule/r.destination_net: typo is not a valid source IP address or alias.",
        "interfaces_vlan/v.parent: Option [] not in list. (got 'eth9')",
    ]
    assert check_against(resources, REGISTRY, None) == []


def test_a_qinq_may_sit_on_a_vlan_device_the_task_creates():
    vlans = [
        {"type": "interfaces_vlan", "name": "outer", "properties": {"parent": "igb1", "tag": 10, "device": "vlan0.10"}},
        {
            "type": "interfaces_vlan",
            "name": "inner",
            "properties": {"parent": "vlan0.10", "tag": 20, "device": "qinq0.20"},
        },
    ]
    resources = read(vlans)[0]
    assert check_against(resources, REGISTRY, box()) == []
