"""Restore planning: checkpoint vs firewall -> creates, updates, deletes, in an order OPNsense accepts."""

from __future__ import annotations

import os

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import encode_payload
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import ALIASES, REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_restore import (
    context_types,
    parse_secrets,
    plan_restore,
    restored_deployments,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Inventory
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import PlanError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
U = dict(("u%d" % i, "00000000-0000-4000-8000-%012d" % i) for i in range(1, 20))


def payload(type_name, **values):
    """A complete API payload (every field, defaults filled in) as a search row carries it."""
    spec = REGISTRY[type_name]
    full = dict((f.name, values.get(f.name, f.default)) for f in spec.fields)
    return encode_payload(spec, full)


def alias(name, content=("10.0.0.1",), **more):
    return payload("firewall_alias", name=name, type="host", content=list(content), **more)


def rule(description, port, **more):
    more.setdefault("interface", ["lan"])
    return payload("firewall_filter_rule", description=description, protocol="TCP", destination_port=port, **more)


def inventory(**types):
    inv = Inventory(REGISTRY)
    for type_name, objects in types.items():
        inv.add(type_name, [dict(p, uuid=u) for u, p in objects.items()])
    return inv


def checkpoint(scope, objects, **more):
    data = {"id": "cp-1", "scope": scope, "objects": objects, "withheld": {}, "deployment": "web"}
    data.update(more)
    return data


def plan(cp, inv, deployments=None, secrets=None):
    return plan_restore(REGISTRY, cp, inv, "fw_443", deployments or {}, secrets)


def ops(restore):
    return dict((a.name, (a.op, a.uuid)) for a in restore.plan.actions)


def stage_of(restore):
    return dict((a.name, a.stage) for a in restore.plan.actions)


def test_created_since_is_deleted_changed_is_set_back_deleted_is_recreated_under_its_uuid():
    then = {"firewall_filter_rule": {U["u1"]: rule("allow-ssh", "22"), U["u2"]: rule("allow-http", "80")}}
    now = {U["u1"]: rule("allow-ssh", "2222"), U["u3"]: rule("allow-https", "443")}
    restore = plan(checkpoint(["firewall_filter_rule"], then), inventory(firewall_filter_rule=now))
    assert ops(restore) == {
        "allow-ssh": ("update", U["u1"]),
        "allow-http": ("create", U["u2"]),
        "allow-https": ("delete", U["u3"]),
    }
    assert restore.summary() == {"create": 1, "update": 1, "delete": 1, "unchanged": 0}
    update = next(a for a in restore.plan.actions if a.op == "update")
    assert update.changes == [{"field": "destination_port", "before": "2222", "after": "22"}]
    # the update sends what differs plus identity and server-computed fields; undo uses the old values
    assert update.payload == {"destination_port": "22", "description": "allow-ssh", "sequence": ""}
    assert update.before["destination_port"] == "2222" and update.undo_fields == sorted(update.payload)
    assert update.expected["destination_port"] == "22" and update.fingerprint != "absent"
    create = next(a for a in restore.plan.actions if a.op == "create")
    assert create.payload["destination_port"] == "80" and create.payload["description"] == "allow-http"
    assert restore.plan.deployment == "web" and restore.plan.id.startswith("restore-")
    # objects come back under the uuids other objects name: no bulk create that picks uuids
    assert restore.plan.keep_uuids


def test_equal_objects_and_types_outside_the_scope_are_left_alone():
    then = {"firewall_alias": {U["u1"]: alias("a")}}
    inv = inventory(
        firewall_alias={U["u1"]: alias("a")},
        firewall_filter_rule={U["u9"]: rule("not-in-scope", "1")},
    )
    restore = plan(checkpoint(["firewall_alias"], then), inv)
    assert restore.plan.actions == [] and restore.unchanged == 1 and not restore.plan.has_changes


def test_references_order_the_writes():
    # at the checkpoint: alias a used by rule r (by name). Since: both deleted, another rule r2 uses a new alias b.
    then = {
        "firewall_alias": {U["u1"]: alias("a")},
        "firewall_filter_rule": {U["u2"]: rule("r", "22", destination_net=["a"])},
    }
    now_aliases = {U["u3"]: alias("b")}
    now_rules = {U["u4"]: rule("r2", "22", destination_net=["b"])}
    restore = plan(
        checkpoint(["firewall_alias", "firewall_filter_rule"], then),
        inventory(firewall_alias=now_aliases, firewall_filter_rule=now_rules),
    )
    stage = stage_of(restore)
    assert stage["a"] < stage["r"]  # an alias exists before the rule naming it is written
    assert stage["r2"] < stage["b"]  # the rule using b goes before b is deleted (safe delete)


def test_references_are_compared_by_uuid_and_shown_by_name():
    # since the checkpoint: category "db" was renamed, the rule moved from category "web" to "dbs".
    def cat(name):
        return payload("firewall_category", name=name)

    then = {
        "firewall_category": {U["u1"]: cat("web"), U["u5"]: cat("db")},
        "firewall_filter_rule": {U["u2"]: rule("r", "22", categories=[U["u1"]]), U["u6"]: rule("s", "23")},
    }
    now = {
        "firewall_category": {U["u1"]: cat("web"), U["u5"]: cat("db-new"), U["u3"]: cat("dbs")},
        "firewall_filter_rule": {U["u2"]: rule("r", "22", categories=[U["u3"]]), U["u6"]: rule("s", "23")},
    }
    restore = plan(checkpoint(["firewall_category", "firewall_filter_rule"], then), inventory(**now))
    by_uuid = dict((a.uuid, a) for a in restore.plan.actions)
    assert by_uuid[U["u2"]].changes == [{"field": "categories", "before": ["dbs"], "after": ["web"]}]
    assert by_uuid[U["u2"]].payload["categories"] == U["u1"] and by_uuid[U["u2"]].expected["categories"] == [U["u1"]]
    assert by_uuid[U["u5"]].changes == [{"field": "name", "before": "db-new", "after": "db"}]
    assert by_uuid[U["u3"]].op == "delete" and by_uuid[U["u3"]].changes[0] == {
        "field": "name",
        "before": "dbs",
        "after": None,
    }
    assert U["u6"] not in by_uuid and U["u1"] not in by_uuid and restore.unchanged == 2


def test_an_object_taking_over_a_name_waits_for_the_object_giving_it_up():
    # alias "a" was deleted and re-created under a new uuid since the checkpoint: the new one is
    # deleted first, then the original is re-created (OPNsense refuses two aliases of one name)
    restore = plan(
        checkpoint(["firewall_alias"], {"firewall_alias": {U["u1"]: alias("a")}}),
        inventory(firewall_alias={U["u2"]: alias("a", ["10.9.9.9"])}),
    )
    by_uuid = dict((a.uuid, a) for a in restore.plan.actions)
    assert (by_uuid[U["u1"]].op, by_uuid[U["u2"]].op) == ("create", "delete")
    assert by_uuid[U["u2"]].stage < by_uuid[U["u1"]].stage
    # two objects named alike get ids that tell them apart
    assert by_uuid[U["u1"]].id != by_uuid[U["u2"]].id and U["u1"] in by_uuid[U["u1"]].id


def test_deleting_what_an_object_outside_the_restore_still_uses_fails_before_any_write():
    inv = inventory(
        firewall_alias={U["u1"]: alias("a")},
        firewall_filter_rule={U["u2"]: rule("keeps-using-a", "22", destination_net=["a"])},
    )
    with pytest.raises(PlanError) as caught:
        plan(checkpoint(["firewall_alias"], {"firewall_alias": {}}), inv)
    message = str(caught.value)
    assert "cannot delete firewall_alias/a" in message and "keeps-using-a" in message
    assert "outside the checkpoint's scope" in message


def test_a_reference_to_an_object_that_will_not_exist_fails_before_any_write():
    category = "00000000-0000-4000-8000-0000000000ca"
    then = {"firewall_filter_rule": {U["u1"]: rule("r", "22", categories=[category])}}
    inv = inventory(firewall_filter_rule={}, firewall_category={})
    with pytest.raises(
        PlanError, match="categories refers to firewall_category %s, which is not on the firewall" % category
    ):
        plan(checkpoint(["firewall_filter_rule"], then), inv)


def test_a_restored_rule_naming_an_alias_that_is_gone_fails_before_any_write():
    from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts

    then = {"firewall_filter_rule": {U["u1"]: rule("allow-web", "443", destination_net=["web_hosts"])}}
    inv = inventory(firewall_filter_rule={}, firewall_alias={})
    inv.facts = Facts()
    inv.facts.add_rows(REGISTRY["firewall_alias"], [])
    inv.facts.add_blank(REGISTRY["firewall_filter_rule"], {"interface": {"lan": {"value": "LAN"}}})
    with pytest.raises(PlanError) as err:
        plan(checkpoint(["firewall_filter_rule"], then), inv)
    assert err.value.problems == [
        "firewall_filter_rule/allow-web.destination_net: web_hosts is not a valid source IP address or alias. (the "
        "checkpoint names firewall_alias 'web_hosts', which is neither in the checkpoint nor on the firewall now; "
        "restore it too, or take a checkpoint with a wider scope)"
    ]
    inv.add("firewall_alias", [dict(alias("web_hosts"), uuid=U["u2"])])
    inv.facts.add_rows(REGISTRY["firewall_alias"], inv.rows["firewall_alias"])
    assert ops(plan(checkpoint(["firewall_filter_rule"], then), inv)) == {"allow-web": ("create", U["u1"])}


def test_secrets_are_not_restored_unless_given():
    cp = checkpoint(
        ["firewall_alias"],
        {"firewall_alias": {U["u1"]: dict(alias("feed"), authtype="Basic", username="u", password="")}},
        withheld={"firewall_alias/%s" % U["u1"]: ["password"]},
    )
    del cp["objects"]["firewall_alias"][U["u1"]]["password"]
    inv = inventory(firewall_alias={})
    restore = plan(cp, inv)
    create = restore.plan.actions[0]
    assert "password" not in create.payload
    assert restore.not_restored[0]["fields"] == ["password"] and "secrets option" in restore.not_restored[0]["reason"]
    secrets = parse_secrets({"opnsense:firewall:alias/feed": {"password": "pw"}}, REGISTRY, canonical_type)
    restore = plan(cp, inv, secrets=secrets)
    assert restore.plan.actions[0].payload["password"] == "pw" and restore.not_restored == []
    unused = plan(cp, inv, secrets={("firewall_alias", "other"): {"password": "x"}})
    assert any("secrets for firewall_alias/other were not used" in w for w in unused.warnings)


def test_updates_never_send_or_compare_secrets_and_masked_values_are_not_written():
    then = {"firewall_alias": {U["u1"]: dict(alias("feed", ["********"]), description="x")}}
    del then["firewall_alias"][U["u1"]]["password"]
    now = {U["u1"]: dict(alias("feed", ["1.2.3.4"]), password="current-secret", description="y")}
    restore = plan(checkpoint(["firewall_alias"], then), inventory(firewall_alias=now))
    update = restore.plan.actions[0]
    assert "password" not in update.payload and "content" not in update.payload
    assert update.payload["description"] == "x"


def test_parse_secrets_accepts_only_sensitive_fields():
    with pytest.raises(PlanError, match="not a sensitive field of firewall_alias"):
        parse_secrets({"firewall_alias/a": {"content": "x"}}, REGISTRY, canonical_type)
    with pytest.raises(PlanError, match="unknown resource type"):
        parse_secrets({"nope/a": {"password": "x"}}, REGISTRY, canonical_type)
    assert parse_secrets(None, REGISTRY, canonical_type) == {}


def test_unknown_types_and_unread_types_are_refused():
    with pytest.raises(PlanError, match="does not know"):
        plan(checkpoint(["firewall_widget"], {}), inventory())
    with pytest.raises(PlanError, match="were not read"):
        plan(checkpoint(["firewall_alias"], {}), inventory())


def test_deployment_states_come_back_within_the_scope_only():
    recorded = {
        "web": {
            "resources": [
                {"type": "firewall_alias", "name": "a", "uuid": U["u1"], "depends_on": []},
                {"type": "firewall_alias", "name": "gone", "uuid": U["u7"], "depends_on": []},
                {"type": "firewall_filter_rule", "name": "r-then", "uuid": U["u2"], "depends_on": []},
            ]
        }
    }
    now = DeploymentState("web")
    now.resources["firewall_alias/b"] = ManagedResource("firewall_alias", "b", U["u3"])
    now.resources["firewall_filter_rule/r-now"] = ManagedResource("firewall_filter_rule", "r-now", U["u4"])
    then = {"firewall_alias": {U["u1"]: alias("a")}}
    cp = checkpoint(["firewall_alias"], then, deployments=recorded)
    restore = plan(cp, inventory(firewall_alias={U["u3"]: alias("b")}, firewall_filter_rule={}), {"web": now})
    assert sorted(restore.deployments["web"].resources) == ["firewall_alias/a", "firewall_filter_rule/r-now"]
    assert [e["name"] for e in restore.plan.new_state] == ["a", "r-now"]
    assert restored_deployments(checkpoint(["firewall_alias"], then), ["firewall_alias"], {"web": now}, None) == {}


def test_context_types_cover_references_both_ways(fixture_registry):
    assert context_types(fixture_registry, ["zoo_animal"]) == ["zoo_enclosure", "zoo_keeper"]
    assert context_types(fixture_registry, ["zoo_keeper"]) == ["zoo_animal", "zoo_enclosure"]
    assert context_types(fixture_registry, ["aquarium_tank"]) == []
    assert "firewall_alias" in context_types(REGISTRY, ["firewall_filter_rule"])


@pytest.mark.parametrize("name", ["_checkpoints", "_checkpoints_restore", "_checkpoints_ops"])
def test_checkpoint_code_never_names_a_type(name):
    """design.md 7.1: what a type needs comes from its spec, never from its name."""
    with open(os.path.join(ROOT, "plugins", "plugin_utils", name + ".py")) as handle:
        source = handle.read()
    for type_name in list(REGISTRY) + list(ALIASES):
        assert '"%s"' % type_name not in source and "'%s'" % type_name not in source, type_name
