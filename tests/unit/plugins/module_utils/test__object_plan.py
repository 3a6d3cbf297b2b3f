"""The plan for one object: the decision, the fields, the payload, the display and the read-back."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._diff import Change
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import RefIndex, encode_payload
from ansible_collections.opnform.opnsense.plugins.module_utils._object_plan import (
    CREATE,
    DELETE,
    NOOP,
    UPDATE,
    as_list,
    index_names,
    is_empty,
    name_refs,
    plan_object,
    read_back_differences,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

ALIAS = REGISTRY["firewall_alias"]
BACKEND = REGISTRY["haproxy_backend"]
HEALTHCHECK = REGISTRY["haproxy_healthcheck"]
VLAN = REGISTRY["interfaces_vlan"]

SERVERS = RefIndex("haproxy_server", [("u1", "web01"), ("u2", "web02")])
CHECKS = RefIndex("haproxy_healthcheck", [("h1", "http_health")])
NAMES = index_names({"haproxy_server": SERVERS, "haproxy_healthcheck": CHECKS})


def alias(**values):
    record = {"name": "web", "type": "host", "content": ["10.0.0.1"], "description": "Web", "enabled": True}
    record.update(values)
    return record


class TestDecision:
    def test_no_current_object_is_a_create_of_every_given_field(self):
        plan = plan_object(ALIAS, alias(), None)
        assert plan.op == CREATE and plan.changed
        assert set(plan.values) == {"name", "type", "content", "description", "enabled"}
        assert plan.expected["content"] == ["10.0.0.1"] and plan.before == {}
        assert [c["before"] for c in plan.change_dicts()] == [None] * len(plan.changes)

    def test_equal_normalised_values_are_a_noop(self):
        current = alias(content=["10.0.0.1"], description="Web")
        plan = plan_object(ALIAS, alias(content="10.0.0.1"), current)
        assert plan.op == NOOP and not plan.changed and plan.changes == [] and plan.values == {}

    def test_a_changed_field_is_an_update_sending_it_and_the_identity(self):
        plan = plan_object(ALIAS, alias(description="Web tier"), alias())
        assert plan.op == UPDATE and plan.changed_fields == ["description"]
        assert plan.changes == [Change("description", "Web", "Web tier")]
        assert plan.values == {"name": "web", "description": "Web tier"}
        assert plan.after["description"] == "Web tier" and plan.before["description"] == "Web"

    def test_no_desired_record_deletes_and_lists_what_is_set(self):
        plan = plan_object(ALIAS, None, alias(description=""))
        assert plan.op == DELETE and "description" not in plan.changed_fields
        assert {"field": "name", "before": "web", "after": None} in plan.change_dicts()
        assert plan.before["name"] == "web" and plan.after == {} and plan.values == {}

    def test_nothing_to_delete_is_a_noop(self):
        assert plan_object(ALIAS, None, None).op == NOOP


class TestComputedFields:
    def test_an_auto_field_keeps_its_current_value_on_update(self):
        current = {"parent": "igb1", "tag": 100, "description": "", "device": "vlan01"}
        desired = {"parent": "igb1", "tag": 100, "description": "Servers", "device": None}
        plan = plan_object(VLAN, desired, current)
        assert plan.op == UPDATE and plan.changed_fields == ["description"]
        assert "device" not in plan.compared
        assert plan.values == {"parent": "igb1", "tag": 100, "description": "Servers", "device": "vlan01"}
        assert encode_payload(VLAN, plan.values)["vlanif"] == "vlan01"

    def test_an_auto_field_left_empty_is_not_sent_on_create(self):
        plan = plan_object(VLAN, {"parent": "igb1", "tag": 100, "device": ""}, None)
        assert "device" not in plan.values and plan.compared == ["parent", "tag"]

    def test_a_given_auto_field_is_compared(self):
        current = {"parent": "igb1", "tag": 100, "device": "vlan01"}
        plan = plan_object(VLAN, {"parent": "igb1", "tag": 100, "device": "vlan0.100"}, current)
        assert plan.changed_fields == ["device"] and plan.values["device"] == "vlan0.100"


class TestMissingFields:
    def test_a_value_the_api_has_no_field_for_is_ignored_with_a_warning(self):
        current = {"name": "hc", "description": None}
        plan = plan_object(HEALTHCHECK, {"name": "hc", "mysql_post41": True}, current, label="haproxy_healthcheck/hc")
        assert plan.op == NOOP and "mysql_post41" not in plan.compared
        assert plan.warnings == [
            "haproxy_healthcheck/hc: mysql_post41: this firewall's API has no such field, the value is ignored"
        ]

    def test_the_default_value_is_ignored_quietly(self):
        plan = plan_object(HEALTHCHECK, {"name": "hc", "mysql_post41": False}, {"name": "hc"}, label="x")
        assert plan.warnings == [] and plan.op == NOOP


class TestReferences:
    def test_references_are_compared_as_uuids_and_shown_as_names(self):
        current = {"name": "pool", "linked_servers": ["u1"], "health_check": "h1"}
        desired = {"name": "pool", "linked_servers": ["u2", "u1"], "health_check": "h1"}
        plan = plan_object(BACKEND, desired, current, NAMES)
        assert plan.op == UPDATE and plan.changes == [Change("linked_servers", ["web01"], ["web01", "web02"])]
        assert plan.before["linked_servers"] == ["web01"] and plan.before["health_check"] == "http_health"
        assert plan.after["linked_servers"] == ["web01", "web02"]
        assert plan.values["linked_servers"] == ["u2", "u1"], "what is sent stays uuids"
        assert plan.expected["linked_servers"] == ["u1", "u2"]

    def test_a_create_shows_the_names_the_user_gave(self):
        desired = {"name": "pool", "linked_servers": ["u1"]}
        plan = plan_object(BACKEND, desired, None, NAMES, shown={"name": "pool", "linked_servers": ["web01"]})
        assert plan.after["linked_servers"] == ["web01"] and plan.values["linked_servers"] == ["u1"]
        assert plan.changes == [Change("name", None, "pool"), Change("linked_servers", [], ["web01"])]

    def test_other_uuids_behind_the_same_name_show_the_uuids(self):
        names = index_names({"haproxy_server": RefIndex("haproxy_server", [("u1", "web"), ("u9", "web")])})
        plan = plan_object(
            BACKEND, {"name": "pool", "linked_servers": ["u9"]}, {"name": "pool", "linked_servers": ["u1"]}, names
        )
        assert plan.changes == [Change("linked_servers", ["u1"], ["u9"])]

    def test_a_delete_shows_names(self):
        plan = plan_object(BACKEND, None, {"name": "pool", "health_check": "h1"}, NAMES)
        assert {"field": "health_check", "before": "http_health", "after": None} in plan.change_dicts()

    def test_name_refs_takes_indexes_or_a_lookup_and_keeps_unknown_uuids(self):
        values = {"linked_servers": ["u1", "u7"], "health_check": "h1"}
        by_index = name_refs(BACKEND, values, {"haproxy_server": SERVERS})
        assert by_index == {"linked_servers": ["web01", "u7"], "health_check": "h1"}
        assert name_refs(BACKEND, values, NAMES)["health_check"] == "http_health"


class TestReadBack:
    def test_a_field_stored_differently_is_reported(self):
        expected = plan_object(ALIAS, alias(description="Web"), None).expected
        stored = alias(description="web", content=["10.0.0.1"])
        assert read_back_differences(ALIAS, stored, expected) == [Change("description", "web", "Web")]

    def test_equal_after_normalising_is_no_difference(self):
        expected = plan_object(ALIAS, alias(content=["10.0.0.2", "10.0.0.1"]), None).expected
        assert read_back_differences(ALIAS, alias(content="10.0.0.1\n10.0.0.2"), expected) == []

    def test_only_the_listed_fields_count_and_references_can_be_shown_as_names(self):
        expected = {"name": "pool", "linked_servers": ["u1"], "description": "x"}
        stored = {"name": "pool", "linked_servers": ["u2"]}
        found = read_back_differences(BACKEND, stored, expected, ["linked_servers"], NAMES)
        assert found == [Change("linked_servers", ["web02"], ["web01"])]
        assert [c.field for c in read_back_differences(BACKEND, stored, expected)] == ["linked_servers", "description"]


def test_emptiness():
    assert is_empty(None) and is_empty("") and is_empty([])
    assert not is_empty(0) and not is_empty(False) and not is_empty(" ")
    assert as_list(None) == [] and as_list("a") == ["a"] and as_list(["a", "", None, 3]) == ["a", "3"]
