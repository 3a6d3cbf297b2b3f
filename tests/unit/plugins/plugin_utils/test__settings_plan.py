"""Settings in plans and restores: always matched to the one object, adopted implicitly, never
created, pruned or deleted; a restore puts them back by update only."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import encode_payload
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_restore import plan_restore
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Inventory
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import PlanError, Planner
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import parse_resources
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource

HAPROXY = REGISTRY["haproxy_settings"]
UNBOUND = REGISTRY["unbound_settings"]
HUUID = HAPROXY.settings_uuid


def payload(type_name, **values):
    spec = REGISTRY[type_name]
    full = dict((f.name, values.get(f.name, f.default)) for f in spec.fields if not f.auto)
    return encode_payload(spec, full)


def inventory(**types):
    inv = Inventory(REGISTRY, version="26.7.2")
    for type_name in REGISTRY:
        inv.add(type_name, [])
    for type_name, objects in types.items():
        inv.add(type_name, [dict(p, uuid=u) for u, p in objects.items()])
    return inv


def settings_on_firewall(**values):
    """What the service reads: the one row of each settings type."""
    return {
        "haproxy_settings": {HUUID: payload("haproxy_settings", **values)},
        "unbound_settings": {UNBOUND.settings_uuid: payload("unbound_settings", enabled=True)},
    }


def uuids():
    counter = itertools.count(1)
    return lambda: "00000000-0000-4000-8000-%012d" % next(counter)


def plan(resources, inv, own=None, others=None, prune=False, adopt=True):
    parsed = parse_resources(resources, REGISTRY, canonical_type)
    planner = Planner(
        REGISTRY, "web", "fw_443", own or DeploymentState("web"), others, prune=prune, uuid_factory=uuids(), adopt=adopt
    )
    return planner.plan(parsed, inv)


def enable(name="haproxy", **props):
    return {"type": "haproxy_settings", "name": name, "properties": dict({"enabled": True}, **props)}


def test_the_first_apply_adopts_the_one_object_and_updates_it():
    p = plan([enable()], inventory(**settings_on_firewall()))
    [action] = p.actions
    assert (action.op, action.adopted, action.uuid) == ("update", True, HUUID)
    assert action.payload["enabled"] == "1"
    assert action.before["enabled"] == "0" and action.undo_fields == sorted(action.payload)
    assert action.subsystem == "haproxy"


@pytest.mark.parametrize("name", ["haproxy", "anything", "main"])
def test_any_name_matches_the_one_object(name):
    p = plan([enable(name)], inventory(**settings_on_firewall(enabled=True)))
    assert [(a.op, a.uuid) for a in p.actions] == [("noop", HUUID)]


def test_adopt_false_still_takes_settings():
    p = plan([enable()], inventory(**settings_on_firewall()), adopt=False)
    assert [(a.op, a.adopted) for a in p.actions] == [("update", True)]


def test_settings_that_were_not_read_are_never_created():
    inv = inventory()
    inv.rows.pop("haproxy_settings", None)
    inv.add("haproxy_settings", [])
    with pytest.raises(PlanError, match="settings are never created"):
        plan([enable()], inv)


def test_two_resources_of_one_settings_type_are_refused():
    with pytest.raises(PlanError, match="describe the same firewall object"):
        plan([enable("a"), enable("b")], inventory(**settings_on_firewall()))


def test_settings_left_out_are_never_pruned_and_stay_managed():
    own = DeploymentState("web", {"haproxy_settings/haproxy": ManagedResource("haproxy_settings", "haproxy", HUUID)})
    p = plan([], inventory(**settings_on_firewall(enabled=True)), own=own, prune=True)
    assert p.actions == []
    assert [r["uuid"] for r in p.new_state] == [HUUID]


def test_another_deployment_managing_the_settings_is_a_conflict():
    others = {"db": DeploymentState("db", {"haproxy_settings/x": ManagedResource("haproxy_settings", "x", HUUID)})}
    with pytest.raises(PlanError, match="managed by deployment 'db'"):
        plan([enable()], inventory(**settings_on_firewall()), others=others)


def test_settings_and_a_backend_in_one_plan():
    backend = {"type": "haproxy_backend", "name": "pool", "properties": {}}
    p = plan([enable(), backend], inventory(**settings_on_firewall()))
    assert dict((a.id, a.op) for a in p.actions) == {"haproxy_settings/haproxy": "update", "haproxy_backend/pool": "create"}
    assert set(a.subsystem for a in p.actions) == {"haproxy"}


# -- restore -------------------------------------------------------------------------------------


def checkpoint(objects):
    return {"id": "cp-1", "scope": sorted(objects), "objects": objects, "withheld": {}, "deployment": "web"}


def test_a_restore_puts_settings_back_by_update():
    then = settings_on_firewall(enabled=False, tuning_max_connections=100)
    now = settings_on_firewall(enabled=True)
    restore = plan_restore(REGISTRY, checkpoint(then), inventory(**now), "fw_443", {})
    assert [(a.op, a.uuid) for a in restore.plan.actions] == [("update", HUUID)]
    action = restore.plan.actions[0]
    assert action.payload["enabled"] == "0" and action.payload["tuning.maxConnections"] == "100"
    assert action.id == "haproxy_settings/haproxy"
    assert restore.summary() == {"create": 0, "update": 1, "delete": 0, "unchanged": 1}


def test_a_restore_never_creates_or_deletes_settings():
    stale = "00000000-0000-4000-8000-000000000009"
    then = {"haproxy_settings": {stale: payload("haproxy_settings", enabled=True)}}
    restore = plan_restore(REGISTRY, checkpoint(then), inventory(**settings_on_firewall()), "fw_443", {})
    assert restore.plan.actions == []
