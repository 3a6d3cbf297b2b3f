"""Checkpoints end to end (issue 5): ``opnform.opnsense.checkpoint`` / ``checkpoint_info`` through real
``ansible-playbook`` runs against the simulator.

Covered: the original design's integration scenario (deploy, checkpoint, change, restore: the two
rules come back under their UUIDs and the running config matches), check mode, a fault at every
write of a restore (rolled back to the pre-restore state, exactly), a full-scope restore of a mixed
deployment across every type, the file (0600, format version, checksum, no secret, masked config
copy), truncated and edited files, a checkpoint of another firewall (refused unless forced),
retention and deletion, scope, checkpoints saved by ``apply``, and ``checkpoint_info``. The
scenario, faults during a restore, retention and apply checkpoints run against both state backends
(``both_backends``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat

import pytest
from apply_helpers import FAULT_PATH, api, enable_haproxy, mixed_after, mixed_before, snapshot, writes
from checkpoint_helpers import (
    apply,
    checkpoint_file,
    factory_rules,
    folder,
    ours,
    rule,
    run_play,
    take_checkpoint,
    task,
    tree_digest,
)
from e2e_helpers import needs_apply
from test_apply_faults import state_diff

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints import compute_checksum

# A full-scope checkpoint holds the one object of every settings type (haproxy_settings,
# unbound_settings), which a restore of these scenarios leaves unchanged.
SETTINGS = sum(1 for spec in REGISTRY.values() if spec.settings)

pytestmark = needs_apply

BEFORE = [rule("allow-ssh", 22), rule("allow-http", 80)]
AFTER = [rule("allow-ssh", 2222), rule("allow-https", 443)]  # ssh changed, https new, http removed


def uuids(result):
    return dict((r["name"], r["uuid"]) for r in result["results"])


def ports(sim, part="config"):
    return dict((r["description"], r["destination_port"]) for r in ours(sim, part).values())


def prepare_changed(project, sim):
    """BEFORE deployed, a checkpoint taken, then AFTER applied with prune; returns (checkpoint, uuids)."""
    first = apply(project, sim, BEFORE, deployment="web")
    taken = take_checkpoint(project, sim, deployment="web", description="Before changes")
    apply(project, sim, AFTER, deployment="web", prune=True)
    return taken["checkpoint_id"], uuids(first)


@pytest.mark.both_backends
def test_origin_scenario_restore_brings_back_the_two_rules_with_their_uuids(project, sim):
    factory = factory_rules(sim)
    assert len(factory) == 2
    outcome, results = run_play(
        project,
        {"fw1": sim},
        [
            task("apply", {"deployment": "web", "resources": BEFORE}),
            task("checkpoint", {"deployment": "web", "description": "Before changes"}),
            task("apply", {"deployment": "web", "resources": AFTER, "prune": True}),
            task("checkpoint", {"state": "restored", "id": "{{ r1.checkpoint_id }}"}),
            task("checkpoint", {"state": "restored", "id": "{{ r1.checkpoint_id }}"}),
        ],
    )
    assert outcome.rc == 0, outcome.stdout[-4000:]
    r = results["fw1"]
    original = uuids(r["r0"])
    assert sorted(original) == ["allow-http", "allow-ssh"]
    # the change really happened: ssh kept its uuid with port 2222, https is new, http is gone
    changed = dict((x["name"], (x["op"], x["uuid"])) for x in r["r2"]["results"])
    assert changed["allow-ssh"] == ("update", original["allow-ssh"])
    assert changed["allow-http"] == ("delete", original["allow-http"])
    assert changed["allow-https"][0] == "create"
    # the restore: exactly the two original rules, original uuids and ports, live
    restored = r["r3"]
    assert restored["changed"] and restored["checkpoint_id"] == r["r1"]["checkpoint_id"]
    assert restored["restore"] == {"create": 1, "update": 1, "delete": 1, "unchanged": 2 + SETTINGS}
    now = ours(sim)
    assert dict((x["description"], u) for u, x in now.items()) == original
    assert ports(sim) == {"allow-ssh": "22", "allow-http": "80"}
    assert ours(sim, "running") == now and sim.state()["pending"] == []
    # the factory rules were never touched
    assert factory_rules(sim) == factory and factory_rules(sim, "running") == factory
    assert not any(u in e["path"] for e in writes(sim.log()) for u in factory)
    # a second restore changes nothing
    assert not r["r4"]["changed"] and r["r4"]["restore"] == {"create": 0, "update": 0, "delete": 0, "unchanged": 4 + SETTINGS}
    # the restore saved a checkpoint of what it changed first, and the deployment state is back too
    assert restored["safety_checkpoint_id"] in project.view.checkpoint_ids(sim)
    state = project.view.deployment(sim, "web")
    assert dict((x["name"], x["uuid"]) for x in state["resources"]) == original
    assert not apply(project, sim, BEFORE, deployment="web")["changed"]


def test_check_mode_shows_the_restore_plan_and_writes_nothing(project, sim):
    checkpoint_id, original = prepare_changed(project, sim)
    before, files = snapshot(sim), tree_digest(project.state)
    sim.clear_log()
    outcome, results = run_play(
        project, {"fw1": sim}, [task("checkpoint", {"state": "restored", "id": checkpoint_id})], "--check", "--diff"
    )
    assert outcome.rc == 0, outcome.stdout[-4000:]
    result = results["fw1"]["r0"]
    assert result["changed"] and result["restore"] == {"create": 1, "update": 1, "delete": 1, "unchanged": 2 + SETTINGS}
    ops = dict((a["name"], (a["op"], a["uuid"])) for a in result["plan"]["actions"])
    assert ops["allow-http"] == ("create", original["allow-http"])
    assert ops["allow-ssh"] == ("update", original["allow-ssh"])
    assert ops["allow-https"][0] == "delete"
    update = next(a for a in result["plan"]["actions"] if a["name"] == "allow-ssh")
    assert update["changes"] == [{"field": "destination_port", "before": "2222", "after": "22"}]
    assert '-    "destination_port": "2222"' in outcome.stdout and '+    "destination_port": "22"' in outcome.stdout
    assert writes(sim.log()) == [] and snapshot(sim) == before
    assert tree_digest(project.state) == files


@pytest.mark.both_backends
def test_a_fault_at_any_write_of_a_restore_leaves_the_firewall_as_before_the_restore(project, sim):
    checkpoint_id, _original = prepare_changed(project, sim)
    for position in (1, 2, 3):
        before = snapshot(sim)
        sim.clear_log()
        sim.inject(effect="http500", method="POST", path=FAULT_PATH, nth=position)
        outcome, results = run_play(
            project, {"fw1": sim}, [task("checkpoint", {"state": "restored", "id": checkpoint_id})]
        )
        sim.clear_faults()
        result = results["fw1"]["r0"]
        assert outcome.rc != 0, "write %d: the fault did not fail the restore" % position
        assert "rolled back" in result["msg"] and result["rollback_failures"] == [], (position, result["msg"])
        assert result["rolled_back"], position  # the failed write itself may have landed: undone too
        assert state_diff(before, snapshot(sim)) == [], position
        assert ports(sim) == {"allow-ssh": "2222", "allow-https": "443"}
    # the failed restores finished their journals: the next restore runs and succeeds
    outcome, results = run_play(project, {"fw1": sim}, [task("checkpoint", {"state": "restored", "id": checkpoint_id})])
    assert outcome.rc == 0, outcome.stdout[-4000:]
    assert ports(sim) == ports(sim, "running") == {"allow-ssh": "22", "allow-http": "80"}


def test_full_scope_restore_of_a_mixed_deployment_and_a_fault_half_way(project, sim):
    enable_haproxy(sim)
    apply(project, sim, mixed_before(), deployment="mix")
    taken = take_checkpoint(project, sim, deployment="mix")
    at_checkpoint = snapshot(sim)
    apply(project, sim, mixed_after(), deployment="mix", prune=True)
    changed = snapshot(sim)
    assert state_diff(at_checkpoint, changed)
    restore = [task("checkpoint", {"state": "restored", "id": taken["checkpoint_id"]})]

    # a fault half-way through the restore's writes: everything it did is undone
    sim.inject(effect="http500", method="POST", path=FAULT_PATH, nth=8)
    outcome, results = run_play(project, {"fw1": sim}, restore)
    sim.clear_faults()
    failed = results["fw1"]["r0"]
    assert outcome.rc != 0 and len(failed["rolled_back"]) >= 7 and failed["rollback_failures"] == []
    assert state_diff(changed, snapshot(sim)) == []

    sim.clear_log()
    outcome, results = run_play(project, {"fw1": sim}, restore)
    assert outcome.rc == 0, outcome.stdout[-4000:]
    assert results["fw1"]["r0"]["restore"] == {"create": 4, "update": 7, "delete": 4, "unchanged": 11 + SETTINGS}
    assert state_diff(at_checkpoint, snapshot(sim)) == []  # config and running, every type, every uuid
    assert not any("/add" in e["path"] for e in sim.log())  # re-created under their uuids (set, never add)
    assert not apply(project, sim, mixed_before(), deployment="mix")["changed"]


def test_checkpoint_file_is_0600_self_describing_checksummed_and_holds_no_secret(project, sim):
    secret = "Feed-Password-4711"
    feed = {
        "type": "firewall_alias",
        "name": "feed",
        "properties": {
            "type": "urltable",
            "content": ["https://x.invalid/l"],
            "authtype": "Basic",
            "username": "u",
            "password": secret,
        },
    }
    first = apply(project, sim, BEFORE + [feed], deployment="web")
    outcome, results = run_play(
        project,
        {"fw1": sim},
        [task("checkpoint", {"id": "with-backup", "deployment": "web", "include_config_backup": True})],
    )
    assert outcome.rc == 0, outcome.stdout[-4000:]
    result = results["fw1"]["r0"]
    path = checkpoint_file(project, sim, "with-backup")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(os.listdir(path.parent)) == sorted(p.name for p in path.parent.glob("*.json"))  # no temp files
    text = path.read_text()
    data = json.loads(text)
    assert data["format"] == "opnform-checkpoint" and data["format_version"] == 1
    assert data["checksum"] == compute_checksum(data) == result["checkpoint"]["checksum"]
    assert data["firewall"]["hostname"] == "OPNsense.localdomain"
    assert data["firewall"]["endpoint"] == "127.0.0.1_%d" % sim.port and data["firewall"]["version"] == "26.7.2"
    assert data["deployment"] == "web" and "firewall_filter_rule" in data["scope"]
    feed_uuid = uuids(first)["feed"]
    rules = [uuids(first)[n] for n in ("allow-ssh", "allow-http")]
    assert set(data["objects"]["firewall_filter_rule"]) >= set(rules) and feed_uuid in data["objects"]["firewall_alias"]
    assert data["withheld"] == {"firewall_alias/%s" % feed_uuid: ["password"]}
    # the config copy is the firewall's config.xml with the secret masked
    backup = data["config_backup"]
    assert backup["filename"].startswith("config-OPNsense.localdomain-") and backup["masked_elements"] >= 1
    assert "<password>********</password>" in backup["xml"] and feed_uuid in backup["xml"]
    assert len(backup["sha256"]) == 64
    for hidden in (secret, sim.api_secret):
        assert hidden not in text and hidden not in outcome.stdout and hidden not in json.dumps(result)

    # the alias is deleted on the firewall. Re-created without its password (the checkpoint has none),
    # OPNsense refuses it: the restore fails before anything lands, says why, and names the way out
    api(sim, "POST", "firewall/alias/delItem/" + feed_uuid)
    deleted = snapshot(sim)
    restore = {"state": "restored", "id": "with-backup"}
    outcome, results = run_play(project, {"fw1": sim}, [task("checkpoint", restore)])
    refused = results["fw1"]["r0"]
    assert outcome.rc != 0 and "Please provide a username and password" in refused["msg"]
    assert "firewall_alias/feed.password" in refused["msg"] and "secrets option" in refused["msg"]
    assert refused["not_restored"][0]["fields"] == ["password"] and snapshot(sim) == deleted
    # with the secret given, it comes back under its uuid, password included; the secret stays out of files
    restore["secrets"] = {"firewall_alias/feed": {"password": secret}}
    outcome, results = run_play(project, {"fw1": sim}, [task("checkpoint", restore)])
    assert outcome.rc == 0, outcome.stdout[-4000:]
    restored = results["fw1"]["r0"]
    alias = sim.state()["config"]["firewall.alias"][feed_uuid]
    assert (alias["name"], alias["username"], alias["password"]) == ("feed", "u", secret)
    assert restored["restore"]["create"] == 1 and restored["not_restored"] == []
    assert secret not in project.files_text(project.state) and secret not in outcome.stdout
    assert secret not in json.dumps(restored)


def test_truncated_or_edited_checkpoints_are_refused_with_a_clear_message(project, sim):
    checkpoint_id, _original = prepare_changed(project, sim)
    good = checkpoint_file(project, sim, checkpoint_id)
    truncated = good.with_name("truncated.json")
    raw = good.read_bytes()
    data = json.loads(raw)
    data["id"] = "truncated"
    data["checksum"] = compute_checksum(data)
    truncated.write_bytes(json.dumps(data).encode()[: len(raw) // 2])
    edited = good.with_name("edited.json")
    data = json.loads(raw)
    data["id"] = "edited"
    data["checksum"] = compute_checksum(data)
    for payload in data["objects"]["firewall_filter_rule"].values():
        if payload["destination_port"] == "22":
            payload["destination_port"] = "23"  # a hand edit after the checksum was computed
    edited.write_text(json.dumps(data, indent=2))
    before = snapshot(sim)
    sim.clear_log()
    outcome, results = run_play(
        project,
        {"fw1": sim},
        [
            task("checkpoint", {"state": "restored", "id": "truncated"}, ignore_errors=True),
            task("checkpoint", {"state": "restored", "id": "edited"}, ignore_errors=True),
            task("checkpoint_info", {}),
            task("checkpoint_info", {"id": "edited"}, ignore_errors=True),
        ],
    )
    r = results["fw1"]
    assert r["r0"]["failed"] and "is damaged: it is not complete JSON" in r["r0"]["msg"]
    assert "truncated" in r["r0"]["msg"] and r["r0"]["error_kind"] == "checkpoint_damaged"
    assert r["r1"]["failed"] and "was modified after it was written" in r["r1"]["msg"] and "checksum" in r["r1"]["msg"]
    assert writes(sim.log()) == [] and snapshot(sim) == before
    listing = r["r2"]
    assert sorted(d["id"] for d in listing["damaged"]) == ["edited", "truncated"]
    assert checkpoint_id in [c["id"] for c in listing["checkpoints"]]
    assert r["r3"]["failed"] and "checksum" in r["r3"]["msg"]


def test_a_checkpoint_of_another_firewall_is_refused_unless_forced(project, sim, sim2):
    original = uuids(apply(project, sim, BEFORE, deployment="web"))
    taken = take_checkpoint(project, sim, id="fw1-before", deployment="web")
    source = checkpoint_file(project, sim, "fw1-before")
    copied = folder(project, sim2) / "checkpoints" / "fw1-before.json"
    copied.parent.mkdir(parents=True)
    shutil.copy(source, copied)
    factory = factory_rules(sim2)
    outcome, results = run_play(
        project,
        {"fw2": sim2},
        [
            task("checkpoint", {"state": "restored", "id": "fw1-before"}, ignore_errors=True),
            task("checkpoint", {"state": "restored", "path": str(source)}, ignore_errors=True),
            task("checkpoint_info", {"id": "fw1-before"}),
        ],
    )
    r = results["fw2"]
    for refused in (r["r0"], r["r1"]):
        assert refused["failed"] and refused["error_kind"] == "checkpoint_wrong_firewall"
        assert "was taken on another firewall" in refused["msg"] and "force: true" in refused["msg"]
        assert "127.0.0.1_%d" % sim.port in refused["msg"] and "127.0.0.1_%d" % sim2.port in refused["msg"]
    assert writes(sim2.log()) == [] and ours(sim2) == {}
    assert r["r2"]["restorable"] is False and r["r2"]["identity_differences"]
    assert r["r2"]["restore"]["summary"] == {"create": 2, "update": 0, "delete": 0, "unchanged": 2 + SETTINGS}

    outcome, results = run_play(
        project, {"fw2": sim2}, [task("checkpoint", {"state": "restored", "id": "fw1-before", "force": True})]
    )
    assert outcome.rc == 0, outcome.stdout[-4000:]
    forced = results["fw2"]["r0"]
    assert forced["identity_differences"] and any("another firewall" in w for w in forced["warnings"])
    assert dict((x["description"], u) for u, x in ours(sim2).items()) == original
    assert ports(sim2, "running") == {"allow-ssh": "22", "allow-http": "80"}
    assert factory_rules(sim2) == factory
    assert taken["checkpoint"]["firewall"]["endpoint"] == "127.0.0.1_%d" % sim.port


@pytest.mark.both_backends
def test_retain_keeps_the_newest_and_absent_deletes(project, sim):
    apply(project, sim, BEFORE, deployment="other")  # an apply checkpoint of another deployment
    other = project.view.checkpoint_ids(sim)
    assert len(other) == 1
    steps = [task("checkpoint", {"id": "cp-%d" % i, "deployment": "web", "retain": 2}) for i in range(1, 5)]
    steps += [
        task("checkpoint", {"id": "cp-4", "deployment": "web"}),
        task("checkpoint", {"state": "absent", "id": "cp-3"}),
        task("checkpoint", {"state": "absent", "id": "cp-3"}),
        task("checkpoint_info", {}),
        task("checkpoint_info", {"deployment": "web"}),
    ]
    outcome, results = run_play(project, {"fw1": sim}, steps)
    assert outcome.rc == 0, outcome.stdout[-4000:]
    r = results["fw1"]
    assert [r["r%d" % i]["deleted"] for i in range(4)] == [[], [], ["cp-1"], ["cp-2"]]
    assert r["r4"]["changed"] is False and "exists already" in r["r4"]["msg"]
    assert r["r5"]["changed"] and r["r5"]["deleted"] == ["cp-3"]
    assert r["r6"]["changed"] is False and r["r6"]["deleted"] == []
    assert [c["id"] for c in r["r7"]["checkpoints"]] == ["cp-4"] + other
    assert [c["id"] for c in r["r8"]["checkpoints"]] == ["cp-4"]
    assert project.view.checkpoint_ids(sim) == sorted(["cp-4"] + other)


def test_scope_limits_what_is_snapshot_and_restored(project, sim):
    web = {"type": "firewall_alias", "name": "web_hosts", "properties": {"type": "host", "content": ["192.0.2.1"]}}
    first = uuids(apply(project, sim, BEFORE + [web], deployment="web"))
    outcome, results = run_play(
        project,
        {"fw1": sim},
        [task("checkpoint", {"id": "aliases", "deployment": "web", "scope": ["opnsense:firewall:alias"]})],
    )
    assert outcome.rc == 0, outcome.stdout[-4000:]
    assert results["fw1"]["r0"]["checkpoint"]["scope"] == ["firewall_alias"]
    changed_alias = dict(web, properties=dict(web["properties"], content=["192.0.2.99"]))
    apply(project, sim, AFTER + [changed_alias], deployment="web", prune=True)
    outcome, results = run_play(project, {"fw1": sim}, [task("checkpoint", {"state": "restored", "id": "aliases"})])
    assert outcome.rc == 0, outcome.stdout[-4000:]
    assert results["fw1"]["r0"]["restore"] == {"create": 0, "update": 1, "delete": 0, "unchanged": 0}
    assert sim.state()["config"]["firewall.alias"][first["web_hosts"]]["content"] == "192.0.2.1"
    assert ports(sim) == {"allow-ssh": "2222", "allow-https": "443"}  # rules are outside the scope
    # the deployment keeps the rules it manages now; only the alias part came from the checkpoint
    state = json.loads((folder(project, sim) / "deployments" / "web.json").read_text())
    assert sorted(x["name"] for x in state["resources"]) == ["allow-https", "allow-ssh", "web_hosts"]


@pytest.mark.both_backends
def test_apply_checkpoints_are_in_the_store_and_restorable(project, sim):
    outcome, results = run_play(
        project,
        {"fw1": sim},
        [
            task("apply", {"deployment": "web", "resources": BEFORE}),
            task("apply", {"deployment": "web", "resources": AFTER, "prune": True}),
            task("apply", {"deployment": "web", "resources": AFTER + [rule("x", 8080)], "checkpoint": False}),
            task("checkpoint_info", {"deployment": "web"}),
            task("checkpoint", {"state": "restored", "id": "{{ r1.checkpoint_id }}"}),
        ],
    )
    assert outcome.rc == 0, outcome.stdout[-4000:]
    r = results["fw1"]
    assert r["r2"]["checkpoint_id"] is None
    listed = r["r3"]["checkpoints"]
    assert [c["id"] for c in listed] == [r["r1"]["checkpoint_id"], r["r0"]["checkpoint_id"]]
    second = listed[0]
    assert second["origin"] == "apply" and second["run_id"] == r["r1"]["run_id"]
    assert second["scope"] == ["firewall_filter_rule"] and second["firewall"]["hostname"] == "OPNsense.localdomain"
    # restoring the snapshot the second apply took brings back the state after the first apply
    assert r["r4"]["restore"] == {"create": 1, "update": 1, "delete": 2, "unchanged": 2}
    assert dict((x["description"], u) for u, x in ours(sim).items()) == uuids(r["r0"])
    assert ports(sim, "running") == {"allow-ssh": "22", "allow-http": "80"}


def test_checkpoint_info_shows_what_a_restore_would_change_and_writes_nothing(project, sim):
    checkpoint_id, original = prepare_changed(project, sim)
    files = tree_digest(project.state)
    sim.clear_log()
    outcome, results = run_play(
        project,
        {"fw1": sim},
        [
            task("checkpoint_info", {}),
            task("checkpoint_info", {"id": checkpoint_id, "show_objects": True}),
            task("checkpoint_info", {"id": checkpoint_id, "restore_preview": False}),
        ],
        "--diff",
    )
    assert outcome.rc == 0, outcome.stdout[-4000:]
    r = results["fw1"]
    assert r["r0"]["count"] == 3 and [c["origin"] for c in r["r0"]["checkpoints"]] == ["apply", "checkpoint", "apply"]
    shown = r["r1"]
    assert shown["checkpoint"]["description"] == "Before changes" and shown["restorable"] is True
    assert shown["restore"]["summary"] == {"create": 1, "update": 1, "delete": 1, "unchanged": 2 + SETTINGS}
    assert any(
        "update firewall_filter_rule/allow-ssh: destination_port" in x for x in shown["restore"]["plan"]["lines"]
    )
    names = dict((o["name"], o["uuid"]) for o in shown["objects"]["firewall_filter_rule"])
    assert names["allow-http"] == original["allow-http"] and names["allow-ssh"] == original["allow-ssh"]
    assert len(shown["diff"]) == 3
    assert "restore" not in r["r2"] and "objects" not in r["r2"]
    assert writes(sim.log()) == [] and tree_digest(project.state) == files
    digest = hashlib.sha256(checkpoint_file(project, sim, checkpoint_id).read_bytes()).hexdigest()
    assert files["127.0.0.1_%d/checkpoints/%s.json" % (sim.port, checkpoint_id)] == digest
