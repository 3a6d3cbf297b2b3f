"""The planner: create/update/delete/noop, adoption, prune scope, claims, references, cycles, order."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import encode_payload
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._graph import CycleError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Inventory, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import (
    PlanError,
    Planner,
    types_to_read,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import parse_resources
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource


def uuids():
    counter = itertools.count(1)
    return lambda: "00000000-0000-4000-8000-%012d" % next(counter)


def row(type_name, uuid, **values):
    spec = REGISTRY[type_name]
    full = dict((f.name, f.default) for f in spec.fields if not f.auto)
    full.update(values)
    out = encode_payload(spec, full)
    out["uuid"] = uuid
    return out


def inventory(*rows_by_type):
    inv = Inventory(REGISTRY, version="26.7.2")
    for type_name in REGISTRY:
        inv.add(type_name, [])
    grouped = {}
    for type_name, data in rows_by_type:
        grouped.setdefault(type_name, []).append(data)
    for type_name, rows in grouped.items():
        inv.add(type_name, rows)
    return inv


def plan(resources, inv=None, own=None, others=None, prune=False, deployment="web", adopt=True):
    parsed = parse_resources(resources, REGISTRY, canonical_type)
    planner = Planner(
        REGISTRY,
        deployment,
        "fw_443",
        own or DeploymentState(deployment),
        others,
        prune=prune,
        uuid_factory=uuids(),
        adopt=adopt,
    )
    return planner.plan(parsed, inv or inventory())


def ops(p):
    return dict((a.id, a.op) for a in p.actions)


CAT = {"type": "firewall_category", "name": "web", "properties": {"color": "00ff00"}}
ALIAS = {"type": "firewall_alias", "name": "web_hosts", "properties": {"type": "host", "content": ["10.0.0.1"]}}
RULE = {
    "type": "firewall_filter_rule",
    "name": "allow web",
    "properties": {
        "interface": ["lan"],
        "protocol": "TCP",
        "destination_net": ["web_hosts"],
        "destination_port": "443",
        "categories": ["web"],
    },
}


def test_create_all_with_dependencies_and_client_uuids():
    p = plan([RULE, ALIAS, CAT])
    assert ops(p) == {
        "firewall_filter_rule/allow web": "create",
        "firewall_alias/web_hosts": "create",
        "firewall_category/web": "create",
    }
    by_id = p.by_id()
    rule = by_id["firewall_filter_rule/allow web"]
    assert sorted(rule.after) == ["firewall_alias/web_hosts", "firewall_category/web"]
    assert rule.payload["categories"] == by_id["firewall_category/web"].uuid
    assert rule.payload["description"] == "allow web"  # single-field identity defaults to the name
    assert rule.payload["sequence"] == "100"
    assert p.stages == [["firewall_alias/web_hosts", "firewall_category/web"], ["firewall_filter_rule/allow web"]]
    assert all(a.uuid.startswith("00000000-0000-4000-8000-") for a in p.actions)
    state = dict((r["name"], r) for r in p.new_state)
    assert state["allow web"]["depends_on"] == ["firewall_alias/web_hosts", "firewall_category/web"]


def applied(p):
    """The inventory a successful apply of ``p`` leaves (from the planned payloads)."""
    rows = []
    for action in p.actions:
        if action.op in ("create", "update", "noop"):
            base = dict(action.before or {})
            base.update(action.payload)
            base["uuid"] = action.uuid
            rows.append((action.type, base))
    return inventory(*rows)


def test_second_plan_is_all_noop():
    first = plan([RULE, ALIAS, CAT])
    own = DeploymentState("web")
    for item in first.new_state:
        own.resources["%s/%s" % (item["type"], item["name"])] = ManagedResource.from_dict(item)
    second = plan([RULE, ALIAS, CAT], applied(first), own)
    assert set(ops(second).values()) == {"noop"}
    assert not second.has_changes and not any(a.adopted for a in second.actions)


def managed(first):
    own = DeploymentState("web")
    for item in first.new_state:
        own.resources["%s/%s" % (item["type"], item["name"])] = ManagedResource.from_dict(item)
    return own


def test_renaming_a_referenced_object_leaves_what_refers_to_it_alone():
    # The rule holds the category's uuid, which the rename keeps: only the category is written.
    first = plan([RULE, ALIAS, CAT])
    renamed = dict(CAT, properties={"color": "00ff00", "name": "web2"})
    rule = dict(RULE, properties=dict(RULE["properties"], categories=["web2"]))
    second = plan([rule, ALIAS, renamed], applied(first), managed(first))
    assert ops(second) == {
        "firewall_filter_rule/allow web": "noop",
        "firewall_alias/web_hosts": "noop",
        "firewall_category/web": "update",
    }
    update = second.by_id()["firewall_category/web"]
    assert update.changes == [{"field": "name", "before": "web", "after": "web2"}]


def test_an_update_shows_references_by_name_and_sends_uuids():
    first = plan([RULE, ALIAS, CAT])
    other = {"type": "firewall_category", "name": "db", "properties": {"color": "0000ff"}}
    rule = dict(RULE, properties=dict(RULE["properties"], categories=["web", "db"]))
    second = plan([rule, ALIAS, CAT, other], applied(first), managed(first))
    action = second.by_id()["firewall_filter_rule/allow web"]
    assert action.op == "update"
    assert action.changes == [{"field": "categories", "before": ["web"], "after": ["db", "web"]}]
    uuids = sorted(second.by_id()["firewall_category/%s" % n].uuid for n in ("web", "db"))
    assert sorted(action.payload["categories"].split(",")) == uuids
    assert action.expected["categories"] == uuids


def test_a_field_the_firewall_lacks_is_a_plan_warning():
    existing = row("firewall_category", "11111111-1111-4111-8111-111111111111", name="web", color="00ff00")
    del existing["color"]
    p = plan([CAT], inventory(("firewall_category", existing)))
    assert p.actions[0].op == "noop"
    assert p.warnings == ["firewall_category/web: color: this firewall's API has no such field, the value is ignored"]


def test_unmanaged_object_with_same_identity_is_adopted_not_duplicated():
    existing = row(
        "firewall_alias", "11111111-1111-4111-8111-111111111111", name="web_hosts", type="host", content=["10.9.9.9"]
    )
    p = plan([ALIAS], inventory(("firewall_alias", existing)))
    (action,) = p.actions
    assert (action.op, action.adopted, action.uuid) == ("update", True, "11111111-1111-4111-8111-111111111111")
    assert action.changes == [{"field": "content", "before": ["10.9.9.9"], "after": ["10.0.0.1"]}]
    assert action.payload == {"content": "10.0.0.1", "name": "web_hosts"}
    assert action.before["content"] == "10.9.9.9"
    same = row(
        "firewall_alias", "11111111-1111-4111-8111-111111111111", name="web_hosts", type="host", content=["10.0.0.1"]
    )
    p = plan([ALIAS], inventory(("firewall_alias", same)))
    assert (p.actions[0].op, p.actions[0].adopted) == ("noop", True)
    assert p.summary()["adopt"] == 1 and not p.has_changes


def test_adopt_false_refuses_an_unmanaged_object_naming_it():
    existing = row(
        "firewall_alias", "11111111-1111-4111-8111-111111111111", name="web_hosts", type="host", content=["10.0.0.1"]
    )
    with pytest.raises(PlanError) as err:
        plan([ALIAS, CAT], inventory(("firewall_alias", existing)), adopt=False)
    assert err.value.problems == [
        "firewall_alias/web_hosts: an object with this identity is already on the firewall "
        "(uuid 11111111-1111-4111-8111-111111111111) and no deployment manages it; adopt: false refuses to take "
        "it over. Rename the resource, remove the object, or allow adoption"
    ]
    assert ops(plan([CAT], adopt=False)) == {"firewall_category/web": "create"}  # creating is still fine


def test_the_state_records_the_applied_values_without_secrets():
    feed = {
        "type": "firewall_alias",
        "name": "feed",
        "properties": {"type": "url", "content": ["https://x"], "authtype": "Basic", "username": "u", "password": "pw"},
    }
    first = plan([feed, RULE, ALIAS, CAT])
    recorded = dict((e["name"], e["values"]) for e in first.new_state)
    assert recorded["feed"]["username"] == "u" and "password" not in recorded["feed"]
    category = first.by_id()["firewall_category/web"].uuid
    assert recorded["allow web"]["categories"] == [category]  # references as uuids


def test_a_change_behind_ansibles_back_is_drift_apart_from_the_asked_changes():
    first = plan([RULE, ALIAS, CAT])
    now = applied(first)
    alias = first.by_id()["firewall_alias/web_hosts"].uuid
    now.objects("firewall_alias")[alias]["content"] = ["10.6.6.6"]
    now.objects("firewall_category").clear()
    changed_rule = dict(RULE, properties=dict(RULE["properties"], destination_port="8443"))
    second = plan([changed_rule, ALIAS, CAT], now, managed(first))
    assert second.drift == [
        {
            "id": "firewall_alias/web_hosts",
            "uuid": alias,
            "deleted": False,
            "fields": [{"field": "content", "applied": ["10.0.0.1"], "now": ["10.6.6.6"]}],
        },
        {
            "id": "firewall_category/web",
            "uuid": first.by_id()["firewall_category/web"].uuid,
            "deleted": True,
            "fields": [],
        },
    ]
    assert second.summary()["drift"] == 2 and ops(second)["firewall_alias/web_hosts"] == "update"
    assert "drift firewall_alias/web_hosts: content: applied ['10.0.0.1'], now ['10.6.6.6']" in second.lines()
    assert not any(d["id"] == "firewall_filter_rule/allow web" for d in second.drift)  # the asked change


def test_references_in_drift_are_shown_by_name():
    first = plan([RULE, ALIAS, CAT])
    now = applied(first)
    other = row("firewall_category", "33333333-3333-4333-8333-333333333333", name="db", color="0000ff")
    now.add("firewall_category", list(now.rows["firewall_category"]) + [other])
    rule = first.by_id()["firewall_filter_rule/allow web"].uuid
    now.objects("firewall_filter_rule")[rule]["categories"] = ["33333333-3333-4333-8333-333333333333"]
    second = plan([RULE, ALIAS, CAT], now, managed(first))
    assert second.drift[0]["fields"] == [{"field": "categories", "applied": ["web"], "now": ["db"]}]


def test_prune_only_touches_this_deployments_objects():
    mine = row("firewall_alias", "22222222-2222-4222-8222-222222222222", name="old", type="host", content=["1.1.1.1"])
    theirs = row(
        "firewall_alias", "33333333-3333-4333-8333-333333333333", name="theirs", type="host", content=["1.1.1.2"]
    )
    unmanaged = row(
        "firewall_alias", "44444444-4444-4444-8444-444444444444", name="manual", type="host", content=["1.1.1.3"]
    )
    inv = inventory(("firewall_alias", mine), ("firewall_alias", theirs), ("firewall_alias", unmanaged))
    own = DeploymentState("web")
    own.resources["firewall_alias/old"] = ManagedResource("firewall_alias", "old", mine["uuid"])
    own.resources["firewall_alias/vanished"] = ManagedResource(
        "firewall_alias", "vanished", "55555555-5555-4555-8555-555555555555"
    )
    other = DeploymentState("db")
    other.resources["firewall_alias/theirs"] = ManagedResource("firewall_alias", "theirs", theirs["uuid"])
    p = plan([ALIAS], inv, own, {"db": other}, prune=True)
    assert ops(p) == {"firewall_alias/web_hosts": "create", "firewall_alias/old": "delete"}
    assert p.by_id()["firewall_alias/old"].before["name"] == "old"
    assert [f["name"] for f in p.forgotten] == ["vanished"]
    assert sorted(r["name"] for r in p.new_state) == ["web_hosts"]
    kept = plan([ALIAS], inv, own, {"db": other}, prune=False)
    assert "firewall_alias/old" not in ops(kept)
    assert sorted(r["name"] for r in kept.new_state) == ["old", "web_hosts"]


def test_two_deployments_claiming_one_object_fail_naming_both():
    existing = row(
        "firewall_alias", "33333333-3333-4333-8333-333333333333", name="web_hosts", type="host", content=["10.0.0.1"]
    )
    other = DeploymentState("db")
    other.resources["firewall_alias/hosts"] = ManagedResource("firewall_alias", "hosts", existing["uuid"])
    with pytest.raises(PlanError) as err:
        plan([ALIAS], inventory(("firewall_alias", existing)), others={"db": other})
    assert "deployment 'db'" in str(err.value) and "deployment 'web'" in str(err.value)
    assert err.value.kind == "conflict"


def test_cycle_fails_naming_the_resources():
    a = {"type": "firewall_alias", "name": "a", "properties": {"type": "host"}, "depends_on": ["b"]}
    b = {"type": "firewall_alias", "name": "b", "properties": {"type": "host"}, "depends_on": ["firewall_alias/a"]}
    with pytest.raises(CycleError) as err:
        plan([a, b])
    assert "firewall_alias/a -> firewall_alias/b -> firewall_alias/a" in str(err.value) or (
        "firewall_alias/b -> firewall_alias/a -> firewall_alias/b" in str(err.value)
    )


def test_haproxy_reference_cycle_is_detected():
    backend = {"type": "haproxy_backend", "name": "be", "properties": {"linked_actions": ["act"]}}
    action = {"type": "haproxy_action", "name": "act", "properties": {"type": "use_backend", "use_backend": "be"}}
    with pytest.raises(CycleError) as err:
        plan([backend, action])
    assert "haproxy_backend/be" in str(err.value) and "haproxy_action/act" in str(err.value)


def test_dangling_reference_fails_naming_resource_and_field():
    rule = dict(RULE, properties=dict(RULE["properties"], categories=["nope"]))
    with pytest.raises(PlanError) as err:
        plan([rule, ALIAS])
    assert "firewall_filter_rule/allow web.categories: references firewall_category 'nope'" in str(err.value)
    assert err.value.kind == "reference"


def test_reference_to_existing_object_and_unknown_depends_on():
    cat = row("firewall_category", "66666666-6666-4666-8666-666666666666", name="web", color="00ff00")
    p = plan([RULE, ALIAS], inventory(("firewall_category", cat)))
    assert p.by_id()["firewall_filter_rule/allow web"].payload["categories"] == cat["uuid"]
    bad = dict(ALIAS, depends_on=["ghost"])
    with pytest.raises(PlanError) as err:
        plan([bad])
    assert "firewall_alias/web_hosts.depends_on: 'ghost' names no resource" in str(err.value)


def test_validation_errors_name_type_name_field_and_are_collected():
    with pytest.raises(PlanError) as err:
        plan(
            [
                {"type": "firewall_alias", "name": "x", "properties": {"type": "bogus", "colour": 1}},
                {"type": "nope", "name": "y"},
                {"type": "firewall_alias", "name": "x", "properties": {"type": "host"}},
            ]
        )
    text = str(err.value)
    assert "firewall_alias/x.colour: unknown property" in text
    assert "firewall_alias/x.type:" in text
    assert "unknown resource type 'nope'" in text
    assert "listed twice" in text


def test_type_aliases_from_the_original_design_are_accepted():
    p = plan([{"type": "opnsense:firewall:alias", "name": "a", "properties": {"type": "host"}}])
    assert p.actions[0].type == "firewall_alias"


def _rules(names, interface="lan"):
    return [{"type": "firewall_filter_rule", "name": n, "properties": {"interface": [interface]}} for n in names]


def _rule_rows(seqs, interface="lan"):
    out = []
    for number, (name, seq) in enumerate(seqs, 1):
        data = row(
            "firewall_filter_rule",
            "77777777-7777-4777-8777-%012d" % number,
            description=name,
            interface=[interface],
            sequence=seq,
        )
        out.append(("firewall_filter_rule", data))
    return out


def test_rules_keep_listed_order_with_minimal_moves():
    inv = inventory(*_rule_rows([("r1", 100), ("r2", 200), ("r3", 300)]))
    assert not plan(_rules(["r1", "r2", "r3"]), inv).has_changes
    p = plan(_rules(["r3", "r1", "r2"]), inv)
    assert ops(p) == {
        "firewall_filter_rule/r3": "update",
        "firewall_filter_rule/r1": "noop",
        "firewall_filter_rule/r2": "noop",
    }
    r3 = p.by_id()["firewall_filter_rule/r3"]
    assert r3.move == {"field": "sequence", "from": 300, "to": 50}
    assert r3.payload["sequence"] == "50"
    assert "move 300 -> 50" in "\n".join(p.lines())


def test_new_rules_go_between_neighbours_and_groups_are_per_interface():
    inv = inventory(*_rule_rows([("r1", 100), ("r2", 101)]))
    p = plan(_rules(["r1", "new", "r2"]) + _rules(["w1"], "wan"), inv)
    by_id = p.by_id()
    # No integer between 100 and 101: the group is renumbered, keeping the listed order.
    seqs = [int(by_id["firewall_filter_rule/%s" % n].payload.get("sequence", 0) or 0) for n in ("r1", "new", "r2")]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert by_id["firewall_filter_rule/w1"].payload["sequence"] == "100"
    explicit = [{"type": "firewall_filter_rule", "name": "pinned", "properties": {"interface": ["lan"], "sequence": 5}}]
    p = plan(_rules(["r1", "r2"]) + explicit, inv)
    assert p.by_id()["firewall_filter_rule/pinned"].payload["sequence"] == "5"
    assert not p.by_id()["firewall_filter_rule/r1"].is_write


def test_deletes_run_in_reverse_dependency_order():
    first = plan([RULE, ALIAS, CAT])
    own = DeploymentState("web")
    for item in first.new_state:
        own.resources["%s/%s" % (item["type"], item["name"])] = ManagedResource.from_dict(item)
    p = plan([], applied(first), own, prune=True)
    assert set(ops(p).values()) == {"delete"}
    by_id = p.by_id()
    assert by_id["firewall_alias/web_hosts"].after == ["firewall_filter_rule/allow web"]
    assert by_id["firewall_category/web"].after == ["firewall_filter_rule/allow web"]
    assert p.stages[0] == ["firewall_filter_rule/allow web"]


def test_pruning_something_still_used_fails_before_any_write():
    first = plan([RULE, ALIAS, CAT])
    own = DeploymentState("web")
    for item in first.new_state:
        if item["type"] == "firewall_category":
            own.resources["firewall_category/web"] = ManagedResource.from_dict(item)
    with pytest.raises(PlanError) as err:
        plan([], applied(first), own, prune=True)
    assert "cannot delete firewall_category/web" in str(err.value) and "does not manage" in str(err.value)
    with pytest.raises(PlanError) as err:
        plan([RULE, ALIAS], applied(first), own, prune=True)
    assert "which this plan deletes" in str(err.value)


def test_types_to_read_includes_references_and_prune_referrers():
    parsed = parse_resources([RULE], REGISTRY, canonical_type)
    own = DeploymentState("web")
    own.resources["firewall_category/c"] = ManagedResource("firewall_category", "c", "u")
    assert types_to_read(parsed, own, REGISTRY, prune=False) == [
        "firewall_alias",
        "firewall_category",
        "firewall_filter_rule",
        "routes_gateway",
    ]
    assert "firewall_alias" in types_to_read([], own, REGISTRY, prune=True)


def test_plan_round_trips_without_secrets():
    secret = {
        "type": "firewall_alias",
        "name": "feed",
        "properties": {
            "type": "url",
            "content": ["https://x"],
            "authtype": "Basic",
            "username": "u",
            "password": "hunter2hunter2",
        },
    }
    p = plan([secret])
    red = Redactor()
    data = p.to_dict(REGISTRY, red)
    assert "hunter2hunter2" not in str(data)
    assert data["actions"][0]["withheld"] == ["password"]
    again = Plan.from_dict(data)
    assert again.actions[0].uuid == p.actions[0].uuid and again.stages == p.stages


def test_unique_keys_and_one_object_twice_are_refused_with_every_other_problem():
    twice = [
        {"type": "interfaces_vlan", "name": "a", "properties": {"parent": "igb1", "tag": 10}},
        {"type": "interfaces_vlan", "name": "b", "properties": {"parent": "igb1", "tag": 10}},
        dict(ALIAS, depends_on=["firewall_alias/web_hosts"]),
        dict(RULE, properties=dict(RULE["properties"], categories=["nope"])),
    ]
    with pytest.raises(PlanError) as err:
        plan(twice)
    problems = err.value.problems
    assert (
        "interfaces_vlan/b.tag: Tag for this device must be unique. (tag=10, parent=igb1: interfaces_vlan/a also has it)"
        in problems
    )
    assert any(p.startswith("interfaces_vlan/b: describes the same object as interfaces_vlan/a") for p in problems)
    assert any("web_hosts.depends_on: 'firewall_alias/web_hosts' is the resource itself" in p for p in problems)
    assert any(
        p.startswith("firewall_filter_rule/allow web.categories: references firewall_category 'nope'") for p in problems
    )
    assert err.value.kind == "validation"


def test_a_unique_key_held_by_an_object_the_plan_deletes_is_taken_after_the_delete():
    old = row("interfaces_vlan", "44444444-4444-4444-8444-444444444444", parent="igb1", tag=10, device="vlan0.10")
    own = DeploymentState("web")
    own.resources["interfaces_vlan/old"] = ManagedResource("interfaces_vlan", "old", old["uuid"])
    moved = {
        "type": "interfaces_vlan",
        "name": "new",
        "properties": {"parent": "igb2", "tag": 20, "device": "vlan0.10"},
    }
    p = plan([moved], inventory(("interfaces_vlan", old)), own, prune=True)
    assert ops(p) == {"interfaces_vlan/new": "create", "interfaces_vlan/old": "delete"}
    assert p.by_id()["interfaces_vlan/new"].after == ["interfaces_vlan/old"]
    with pytest.raises(PlanError) as err:
        plan([moved], inventory(("interfaces_vlan", old)), own, prune=False)
    assert "interfaces_vlan/new.device: The device name must be unique." in str(err.value)
