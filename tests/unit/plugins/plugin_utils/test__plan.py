"""The plan as data: Action and Plan serialisation round trips, what leaves for disk or the task
result (secrets stripped or masked, known secrets scrubbed), the text lines, the summary, object
fingerprints, the Inventory's lookups and Ansible's diff."""

from __future__ import annotations

import dataclasses
import re

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import (
    REDACTED,
    Action,
    Inventory,
    Plan,
    ansible_diff,
    fingerprint,
    new_id,
    swap_uuids,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor

ALIAS = REGISTRY["firewall_alias"]
SECRET = "hunter2hunter2"
U1 = "11111111-1111-4111-8111-111111111111"
U2 = "22222222-2222-4222-8222-222222222222"


def alias_action(op="update", name="feed", **more):
    values = dict(
        id="firewall_alias/" + name,
        op=op,
        type="firewall_alias",
        name=name,
        uuid=U1,
        subsystem="aliases",
        identity={"name": name},
        changes=[{"field": "content", "before": ["a"], "after": ["b"]}],
        payload={"name": name, "content": "b"},
        before={"name": name, "content": "a"},
        undo_fields=["content"],
        expected={"content": ["b"]},
        fingerprint="abc",
        after=["firewall_category/c"],
        stage=2,
        depends_on=["firewall_category/c"],
        requires=["firewall_category/c"],
        current_refs=[U2],
        order=3,
    )
    values.update(more)
    return Action(**values)


def with_secret(op="update"):
    return alias_action(
        op,
        changes=[
            {"field": "password", "before": "old-secret-1", "after": SECRET},
            {"field": "username", "before": "", "after": "u"},
        ],
        payload={"name": "feed", "username": "u", "password": SECRET},
        before={"name": "feed", "username": "", "password": "old-secret-1"},
        expected={"username": "u", "password": SECRET},
    )


def make_plan(actions, stages=None):
    return Plan(
        id="plan-1",
        deployment="web",
        firewall="fw_443",
        actions=actions,
        stages=stages if stages is not None else [[a.id for a in actions if a.is_write]],
    )


def test_action_round_trips_through_its_dict():
    action = alias_action()
    again = Action.from_dict(action.to_dict(ALIAS, Redactor()))
    assert dataclasses.asdict(again) == dataclasses.asdict(action)


def test_action_from_a_minimal_dict_takes_defaults():
    action = Action.from_dict({"id": "t/n", "op": "noop", "type": "t", "name": "n", "uuid": U1})
    assert action.fingerprint == "absent" and action.payload == {} and action.before is None and action.order == 0


def test_action_for_disk_keeps_no_secret_and_says_what_was_withheld():
    data = with_secret().to_dict(ALIAS, Redactor())
    assert SECRET not in str(data) and "old-secret-1" not in str(data)
    assert "password" not in data["payload"] and "password" not in data["before"]
    assert data["withheld"] == ["password"] and data["before_withheld"] == ["password"]
    assert data["changes"][0] == {"field": "password", "before": REDACTED, "after": REDACTED}
    assert data["changes"][1] == {"field": "username", "before": "", "after": "u"}
    assert data["expected"] == {"username": "u", "password": REDACTED}


def test_action_for_the_result_has_no_payloads():
    data = with_secret().to_dict(ALIAS, Redactor(), for_disk=False)
    for key in ("payload", "before", "expected", "withheld", "requires", "current_refs", "undo_fields"):
        assert key not in data
    assert data["changes"][0]["after"] == REDACTED


def test_an_empty_secret_is_shown_as_empty_not_masked():
    action = alias_action(changes=[{"field": "password", "before": "", "after": None}])
    assert action.to_dict(ALIAS, Redactor())["changes"][0] == {"field": "password", "before": "", "after": None}


def test_known_secrets_are_scrubbed_from_any_field():
    action = alias_action(payload={"description": "key is s3cr3t-api-key"})
    data = action.to_dict(ALIAS, Redactor(["s3cr3t-api-key"]))
    assert "s3cr3t-api-key" not in str(data) and REDACTED in data["payload"]["description"]


def test_withheld_lists_merge_with_what_was_already_withheld():
    action = alias_action(withheld=["password"], before_withheld=["password"], payload={}, before={})
    data = action.to_dict(ALIAS, Redactor())
    assert data["withheld"] == ["password"] and data["before_withheld"] == ["password"]


def test_plan_round_trips_through_its_dict():
    plan = make_plan([alias_action(), alias_action("noop", name="same")])
    plan.prune, plan.firewall_version, plan.state_fingerprint = True, "26.7.2", "f00"
    plan.new_state = [{"type": "firewall_alias", "name": "feed", "uuid": U1}]
    plan.forgotten, plan.warnings = [{"type": "x", "name": "y"}], ["careful"]
    data = plan.to_dict(REGISTRY, Redactor())
    assert data["format"] == 1 and data["summary"]["update"] == 1
    again = Plan.from_dict(data)
    assert dataclasses.asdict(again) == dataclasses.asdict(plan)


def test_plan_for_the_result_leaves_out_unchanged_actions_and_the_new_state():
    plan = make_plan(
        [alias_action(), alias_action("noop", name="same"), alias_action("noop", name="mine", adopted=True)]
    )
    plan.new_state = [{"type": "firewall_alias", "name": "feed", "uuid": U1}]
    data = plan.to_dict(REGISTRY, Redactor(), for_disk=False)
    assert [a["id"] for a in data["actions"]] == ["firewall_alias/feed", "firewall_alias/mine"]
    assert "new_state" not in data and data["summary"]["noop"] == 2


def test_plan_for_disk_keeps_no_secret():
    data = make_plan([with_secret()]).to_dict(REGISTRY, Redactor())
    assert SECRET not in str(data) and "old-secret-1" not in str(data)


def test_summary_writes_and_subsystems():
    plan = make_plan(
        [
            alias_action("create", name="a"),
            alias_action("delete", name="b", subsystem="filter"),
            alias_action("noop", name="c", adopted=True, subsystem="haproxy"),
            alias_action("update", name="d", move={"from": 1, "to": 2}),
        ]
    )
    assert plan.summary() == {"create": 1, "update": 1, "delete": 1, "noop": 1, "adopt": 1, "move": 1, "drift": 0}
    assert [a.name for a in plan.writes] == ["a", "b", "d"] and plan.has_changes
    assert plan.subsystems() == ["aliases", "filter"]
    assert not make_plan([alias_action("noop")]).has_changes


def test_lines_follow_the_stages_and_show_fields_adoption_and_moves():
    first = alias_action("create", name="a", changes=[{"field": "name"}, {"field": "content"}])
    second = alias_action("update", name="b", adopted=True, move={"from": 3, "to": 1}, changes=[])
    kept = alias_action("noop", name="c", adopted=True)
    plan = make_plan([second, first, kept], stages=[["firewall_alias/a"], ["firewall_alias/b"]])
    assert plan.lines() == [
        "stage 1: create firewall_alias/a: name, content",
        "stage 2: update firewall_alias/b (adopt) (move 3 -> 1)",
        "adopt (no change) firewall_alias/c",
    ]


def test_fingerprint_ignores_key_order_and_secrets_but_not_values():
    base = {"name": "a", "content": "x", "password": "one"}
    same = {"password": "two", "content": "x", "name": "a"}
    assert fingerprint(ALIAS, base) == fingerprint(ALIAS, same)
    assert fingerprint(ALIAS, base) != fingerprint(ALIAS, dict(base, content="y"))
    assert fingerprint(ALIAS, None) == "absent"
    assert "one" not in fingerprint(ALIAS, base)


def test_new_id_is_prefixed_sortable_and_unique():
    first, second = new_id("p-"), new_id("p-")
    assert re.match(r"^p-\d{8}T\d{6}Z-[0-9a-f]{6}$", first) and first != second


def inventory():
    inv = Inventory(REGISTRY, version="26.7.2")
    inv.add("firewall_alias", [{"uuid": U1, "name": "web", "type": "host", "content": "10.0.0.1\n10.0.0.2"}])
    inv.add("firewall_category", [{"uuid": U2, "name": "dmz", "color": "00ff00"}])
    inv.add_builtin("firewall_alias", [{"uuid": "bogons", "name": "bogons", "type": "external"}])
    return inv


def test_inventory_decodes_rows_and_finds_objects():
    inv = inventory()
    assert inv.has("firewall_alias") and not inv.has("firewall_filter_rule")
    assert inv.get("firewall_alias", U1)["content"] == ["10.0.0.1", "10.0.0.2"]
    assert inv.get("firewall_alias", U2) is None
    assert inv.row("firewall_alias", U1)["content"] == "10.0.0.1\n10.0.0.2"
    assert inv.find_uuid(U2) == "firewall_category" and inv.find_uuid("nope") is None
    assert list(inv.builtin("firewall_alias")) == ["bogons"] and inv.builtin("firewall_category") == {}
    assert list(inv.objects("firewall_alias")) == [U1]


def test_inventory_payload_is_the_api_form_of_the_current_values():
    inv = inventory()
    payload = inv.payload("firewall_alias", U1)
    assert payload["name"] == "web" and payload["content"] == "10.0.0.1\n10.0.0.2"
    assert inv.payload("firewall_alias", U2) is None


def test_inventory_index_names_objects_by_first_identity_field_and_follows_new_rows():
    inv = inventory()
    assert inv.index("firewall_category").by_name == {"dmz": [U2]}
    inv.add("firewall_category", [{"uuid": U1, "name": "lan", "color": ""}])
    assert inv.index("firewall_category").by_name == {"lan": [U1]}


def test_ansible_diff_pairs_each_write_with_secrets_masked():
    created = alias_action("create", name="new", changes=[{"field": "name", "before": None, "after": "new"}])
    dropped = alias_action("delete", name="old", changes=[{"field": "name", "before": "old", "after": None}])
    updated = with_secret()
    updated.adopted = True
    plan = make_plan([created, dropped, updated, alias_action("noop", name="same")])
    diff = ansible_diff(plan, REGISTRY, Redactor())
    assert [d["before_header"] for d in diff] == [
        "opnsense:firewall_alias/new",
        "opnsense:firewall_alias/old",
        "opnsense:firewall_alias/feed (adopted)",
    ]
    assert diff[0]["before"] == {} and diff[1]["after"] == {} and diff[1]["before"] == {"name": "old"}
    assert diff[2]["after"] == {"password": REDACTED, "username": "u"} and SECRET not in str(diff)


U3 = "33333333-3333-4333-8333-333333333333"


def test_rekey_puts_the_firewalls_uuid_wherever_the_planned_one_was():
    created = alias_action("create", name="new", uuid=U1, payload={"name": "new"}, expected={})
    naming = alias_action(
        "update", name="other", uuid=U2, payload={"name": "other", "overload": U1, "members": "x,%s" % U1}
    )
    naming.expected = {"overload": U1, "members": ["x", U1]}
    untouched = alias_action("update", name="third", uuid=U3, payload={"name": "third"})
    plan = make_plan([created, naming, untouched])
    plan.new_state = [{"type": "firewall_alias", "name": "new", "uuid": U1, "values": {"x": [U1]}}]
    kept_payload = untouched.payload
    plan.rekey({"firewall_alias/new": "firewall-picked"})
    assert created.uuid == "firewall-picked" and plan.rekeyed == {U1: "firewall-picked"}
    assert naming.payload == {"name": "other", "overload": "firewall-picked", "members": "x,firewall-picked"}
    assert naming.expected == {"overload": "firewall-picked", "members": ["x", "firewall-picked"]}
    assert plan.new_state == [
        {"type": "firewall_alias", "name": "new", "uuid": "firewall-picked", "values": {"x": ["firewall-picked"]}}
    ]
    assert untouched.payload is kept_payload  # an action in flight keeps the dict it is sent with
    plan.rekey({"firewall_alias/third": U3, "firewall_alias/gone": "x"})  # same uuid, unknown id: nothing
    assert plan.rekeyed == {U1: "firewall-picked"}


def test_rekey_among_dependents_leaves_the_others_alone():
    created = alias_action("create", name="new", uuid=U1, payload={"name": "new"}, expected={})
    dependent = alias_action("update", name="dep", uuid=U2, payload={"overload": U1})
    unrelated = alias_action("update", name="far", uuid=U3, payload={"overload": U1})
    plan = make_plan([created, dependent, unrelated])
    plan.new_state = [
        {"type": "firewall_alias", "name": "new", "uuid": U1},
        {"type": "firewall_alias", "name": "far", "uuid": U3, "values": {"overload": U1}},
    ]
    plan.rekey({"firewall_alias/new": "picked"}, among=["firewall_alias/dep"])
    assert dependent.payload == {"overload": "picked"} and unrelated.payload == {"overload": U1}
    assert [e["uuid"] for e in plan.new_state] == ["picked", U3] and plan.new_state[1]["values"]["overload"] == U1


def test_swap_uuids_touches_whole_values_and_list_items_only():
    swaps = {U1: U2}
    assert swap_uuids("prefix-" + U1, swaps) == "prefix-" + U1
    assert swap_uuids([U1, {"k": U1}, 3], swaps) == [U2, {"k": U2}, 3]
    assert swap_uuids("%s,%s" % (U3, U1), swaps) == "%s,%s" % (U3, U2)
