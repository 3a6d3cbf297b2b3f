"""plan and apply end to end (issue 4): real ``ansible-playbook`` runs against the simulator.

Checked here, each through the request log or state of the simulator: dependency order, parallel
reads, serialised writes, idempotence, check mode, adoption, prune scope, saved and stale plans,
cycle and dangling-reference errors, both ``continue_on_error`` behaviours, HAProxy configtest
rollback, rule order, and the API going away after a reload. Fault injection at every write position,
lost answers, SIGKILL recovery and lock contention are in ``test_apply_faults.py``. Prune scope,
adoption, saved plans and the secrets check run against both state backends (``both_backends``).
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from apply_helpers import (
    RELOAD,
    SEARCH,
    api,
    apply_task,
    enable_haproxy,
    engine_apply,
    mixed_after,
    mixed_before,
    names_of,
    overlapping,
    snapshot,
    writes,
)
from e2e_helpers import needs_apply

from ansible_collections.opnform.opnsense.plugins.plugin_utils._progress import read_events

pytestmark = needs_apply

WEB = [
    {"type": "firewall_category", "name": "web", "properties": {"color": "0088cc"}},
    {
        "type": "firewall_alias",
        "name": "web_servers",
        "properties": {"type": "host", "content": ["192.0.2.10"], "categories": ["web"]},
    },
    {"type": "firewall_alias", "name": "web_ports", "properties": {"type": "port", "content": ["80", "443"]}},
    {
        "type": "firewall_filter_rule",
        "name": "allow-web",
        "properties": {
            "interface": ["wan"],
            "protocol": "TCP",
            "destination_net": ["web_servers"],
            "destination_port": "web_ports",
            "categories": ["web"],
        },
    },
    {"type": "haproxy_server", "name": "app1", "properties": {"address": "192.0.2.10", "port": 8080}},
    {"type": "haproxy_healthcheck", "name": "http-check", "properties": {}},
    {
        "type": "haproxy_backend",
        "name": "app",
        "properties": {"linked_servers": ["app1"], "health_check": "http-check"},
    },
    {"type": "haproxy_frontend", "name": "www", "properties": {"bind": ["0.0.0.0:80"], "default_backend": "app"}},
    {"type": "interfaces_vlan", "name": "office", "properties": {"parent": "igb1", "tag": 10, "description": "office"}},
]


def run(project, sim, args, *flags, env=None):
    project.inventory({"fw1": sim})
    path = project.playbook(args)
    play = json.loads(path.read_text())
    play[0]["tasks"][0]["always"][0]["check_mode"] = False  # save the result in --check runs too
    path.write_text(json.dumps(play))
    outcome = project.playbook_run(*flags, env=env)
    return outcome, project.result("fw1")


def first_index(log, pattern):
    return next(i for i, e in enumerate(log) if re.search(pattern, e["path"]))


def last_index(log, pattern):
    return max(i for i, e in enumerate(log) if re.search(pattern, e["path"]))


def test_apply_in_dependency_order_then_noop(project, sim):
    # one request per object (bulk: off), so each write shows in the log under its own path
    outcome, result = run(project, sim, apply_task(WEB, bulk="off"))
    assert outcome.rc == 0, outcome.stdout
    assert result["changed"] and Counter(r["status"] for r in result["results"]) == {"ok": len(WEB)}
    log = sim.log()
    # what is referenced is written before what refers to it
    for before, after in [
        (r"category/setItem", r"alias/setItem"),
        (r"alias/setItem", r"filter/setRule"),
        (r"setServer", r"setBackend"),
        (r"setHealthcheck", r"setBackend"),
        (r"setBackend", r"setFrontend"),
    ]:
        assert last_index(log, before) < first_index(log, after), (before, after)
    # one reload per touched subsystem, after every write, in dependency order; configtest first
    reloads = [e["path"] for e in log if RELOAD.search(e["path"])]
    assert reloads == [
        "/api/firewall/alias/reconfigure",
        "/api/interfaces/vlan_settings/reconfigure",
        "/api/firewall/filter/apply",
        "/api/haproxy/service/configtest",
        "/api/haproxy/service/reconfigure",
    ]
    assert last_index(log, writes(log)[-1]["path"]) < first_index(log, r"/reconfigure$|/apply$")
    # one read per type, and the creates used client-chosen UUIDs (set, never add)
    assert not any("/add" in e["path"] for e in log)
    searches = Counter(e["path"] for e in log if SEARCH.search(e["path"]))
    assert all(count <= 2 for count in searches.values())  # refresh + read-back
    # events and journal exist; the result names them
    assert result["events_path"] and read_events(result["events_path"])[-1]["status"] == "ok"
    assert result["checkpoint_id"]

    sim.clear_log()
    outcome, again = run(project, sim, apply_task(WEB, bulk="off"))
    assert outcome.rc == 0 and not again["changed"]
    assert again["results"] == [] and again["plan"]["summary"]["noop"] == len(WEB)  # unchanged: only counted
    assert writes(sim.log()) == [] and not any(RELOAD.search(e["path"]) for e in sim.log())


def test_reads_run_in_parallel_and_writes_one_at_a_time(project, sim):
    sim.set_profile(request_ms=60)
    outcome, result = run(project, sim, apply_task(WEB, parallelism=5, write_concurrency=1))
    assert outcome.rc == 0, outcome.stdout
    log = sim.log()
    searches = [e for e in log if SEARCH.search(e["path"])]
    assert overlapping(searches[:6]), "the refresh reads did not overlap"
    assert overlapping(writes(log)) == []

    # the same with write_concurrency 3 does overlap (so the check above can see overlaps)
    sim.reset()
    sim.set_profile(request_ms=60)
    outcome, result = run(project, sim, apply_task(WEB, deployment="other", parallelism=5, write_concurrency=3))
    assert outcome.rc == 0, outcome.stdout
    assert overlapping(writes(sim.log()))


def test_check_mode_plans_shows_diff_and_writes_nothing(project, sim):
    outcome, result = run(project, sim, apply_task(WEB), "--check", "--diff")
    assert outcome.rc == 0, outcome.stdout
    assert result["changed"] and result["plan"]["summary"]["create"] == len(WEB)
    assert len(result["diff"]) == len(WEB)
    assert writes(sim.log()) == []
    assert not (project.state).exists() or not any(p.is_file() for p in project.state.rglob("*"))
    assert '+    "content"' in outcome.stdout or "web_servers" in outcome.stdout


@pytest.mark.both_backends
def test_existing_unmanaged_object_is_adopted_not_duplicated(project, sim):
    uuid = "5e1f0000-0000-4000-8000-000000000001"
    api(
        sim,
        "POST",
        "firewall/alias/setItem/" + uuid,
        {"alias": {"name": "web_servers", "type": "host", "content": "192.0.2.99"}},
    )
    outcome, result = run(project, sim, apply_task(WEB[:3]))
    assert outcome.rc == 0, outcome.stdout
    adopted = next(r for r in result["results"] if r["id"] == "firewall_alias/web_servers")
    assert (adopted["op"], adopted["adopted"], adopted["uuid"]) == ("update", True, uuid)
    assert names_of(sim, "firewall.alias").count("web_servers") == 1
    state = project.view.deployment(sim, "mix")
    assert uuid in [r["uuid"] for r in state["resources"]]


def sim_folder(sim):
    return "127.0.0.1_%d" % sim.port


@pytest.mark.both_backends
def test_prune_only_deletes_this_deployments_objects(project, sim):
    engine_apply(sim, project.state, WEB[:3], deployment="mix")
    engine_apply(
        sim,
        project.state,
        [{"type": "firewall_alias", "name": "theirs", "properties": {"type": "host"}}],
        deployment="other",
    )
    api(
        sim,
        "POST",
        "firewall/alias/setItem/5e1f0000-0000-4000-8000-000000000002",
        {"alias": {"name": "manual", "type": "host"}},
    )
    outcome, result = run(project, sim, apply_task(WEB[:1], prune=True))
    assert outcome.rc == 0, outcome.stdout
    assert sorted(r["id"] for r in result["results"] if r["op"] == "delete") == [
        "firewall_alias/web_ports",
        "firewall_alias/web_servers",
    ]
    assert names_of(sim, "firewall.alias") == ["manual", "theirs"]


@pytest.mark.both_backends
def test_two_deployments_cannot_claim_one_object(project, sim):
    engine_apply(sim, project.state, WEB[:2], deployment="other")
    outcome, result = run(project, sim, apply_task(WEB[:2]))
    assert outcome.rc != 0
    assert "managed by deployment 'other'; deployment 'mix' cannot manage it too" in result["msg"]
    assert writes(sim.log())[-1]["path"].startswith("/api/firewall/alias/")  # only the setup wrote


@pytest.mark.both_backends
def test_saved_plan_applies_as_planned_and_a_stale_one_is_refused(project, sim):
    project.inventory({"fw1": sim})
    project.playbook({"deployment": "mix", "resources": WEB[:3]}.copy())
    # plan (a different module in the same task file)
    plan_play = json.loads((project.tmp / "play.yml").read_text())
    plan_play[0]["tasks"][0]["block"][0] = {
        "name": "Plan",
        "opnform.opnsense.plan": {"deployment": "mix", "resources": WEB[:3]},
        "register": "applied",
    }
    (project.tmp / "play.yml").write_text(json.dumps(plan_play))
    outcome = project.playbook_run()
    assert outcome.rc == 0, outcome.stdout
    planned = project.result("fw1")
    assert planned["has_changes"] and writes(sim.log()) == []
    planned_uuids = dict((a["id"], a["uuid"]) for a in planned["plan"]["actions"])

    outcome, result = run(project, sim, {"deployment": "mix", "plan_id": planned["plan_id"]})
    assert outcome.rc == 0, outcome.stdout
    applied_uuids = dict((r["id"], r["uuid"]) for r in result["results"])
    assert set(applied_uuids) == set(planned_uuids)
    # the two new aliases went out as one alias import, which picks the uuids of what it creates:
    # the results name the objects where they landed; everything else is under its planned uuid
    aliases = dict((a["name"], u) for u, a in sim.state()["config"]["firewall.alias"].items())
    for action_id, uuid in applied_uuids.items():
        kind, name = action_id.split("/", 1)
        if kind == "firewall_alias":
            assert aliases[name] == uuid
        else:
            assert uuid == planned_uuids[action_id]

    # a second plan, then someone changes the alias on the firewall: the plan is refused
    changed = [dict(WEB[1], properties=dict(WEB[1]["properties"], content=["192.0.2.11"]))]
    plan_play[0]["tasks"][0]["block"][0]["opnform.opnsense.plan"]["resources"] = WEB[:1] + changed + WEB[2:3]
    (project.tmp / "play.yml").write_text(json.dumps(plan_play))
    assert project.playbook_run().rc == 0
    second = project.result("fw1")
    uuid = applied_uuids["firewall_alias/web_servers"]
    api(sim, "POST", "firewall/alias/setItem/" + uuid, {"alias": {"description": "edited by hand"}})
    sim.clear_log()
    outcome, result = run(project, sim, {"deployment": "mix", "plan_id": second["plan_id"]})
    assert outcome.rc != 0
    assert (
        "is stale" in result["msg"]
        and "firewall_alias/web_servers: changed on the firewall since the plan (description)" in result["msg"]
    )
    assert writes(sim.log()) == []


def test_cycle_and_dangling_reference_fail_before_any_write(project, sim):
    cycle = [
        {"type": "haproxy_backend", "name": "be", "properties": {"linked_actions": ["to-be"]}},
        {"type": "haproxy_action", "name": "to-be", "properties": {"type": "use_backend", "use_backend": "be"}},
    ]
    outcome, result = run(project, sim, apply_task(WEB[:2] + cycle))
    assert outcome.rc != 0
    assert (
        "dependency cycle" in result["msg"]
        and "haproxy_backend/be" in result["msg"]
        and "haproxy_action/to-be" in result["msg"]
    )
    dangling = [dict(WEB[3], properties=dict(WEB[3]["properties"], categories=["nope"]))]
    outcome, result = run(project, sim, apply_task(WEB[1:3] + dangling))
    assert outcome.rc != 0
    assert (
        "firewall_filter_rule/allow-web.categories: references firewall_category 'nope', which is neither in resources nor on the firewall"
        in result["msg"]
    )
    assert writes(sim.log()) == []


def test_stop_at_first_failure_when_continue_on_error_is_false(project, sim):
    sim.inject(effect="validation", method="POST", path=r"/api/firewall/category/setItem")
    outcome, result = run(project, sim, apply_task(WEB[:4], rollback_on_failure=False, parallelism=1))
    assert outcome.rc != 0
    statuses = dict((r["id"], r["status"]) for r in result["results"])
    assert statuses["firewall_category/web"] == "failed"
    assert statuses["firewall_filter_rule/allow-web"] == "skipped"
    # nothing new was scheduled after the failure: only the first stage's writes went out
    assert not any("filter/setRule" in e["path"] for e in writes(sim.log()))
    events = read_events(result["events_path"])
    assert [e["action"]["name"] for e in events if e["event"] == "action_skipped"][-1] == "allow-web"


def test_continue_on_error_runs_what_does_not_depend_on_the_failure(project, sim):
    sim.inject(effect="validation", method="POST", path=r"/api/firewall/category/setItem")
    outcome, result = run(project, sim, apply_task(WEB, rollback_on_failure=False, continue_on_error=True))
    assert outcome.rc != 0
    statuses = dict((r["id"], r["status"]) for r in result["results"])
    assert statuses["firewall_category/web"] == "failed"
    assert statuses["firewall_alias/web_servers"] == "skipped"  # refers to the category
    assert statuses["firewall_filter_rule/allow-web"] == "skipped"  # refers to that alias
    for ok in ("firewall_alias/web_ports", "haproxy_frontend/www", "interfaces_vlan/office"):
        assert statuses[ok] == "ok"
    assert sorted(names_of(sim, "haproxy.frontend")) == ["www"]
    # what succeeded is managed now; the failed part is not
    state = json.loads((project.state / sim_folder(sim) / "deployments" / "mix.json").read_text())
    managed = set("%s/%s" % (r["type"], r["name"]) for r in state["resources"])
    assert "haproxy_frontend/www" in managed and "firewall_category/web" not in managed


def test_haproxy_configtest_alert_rolls_back_before_going_live(project, sim):
    enable_haproxy(sim)
    engine_apply(sim, project.state, WEB[4:8])
    before = snapshot(sim)
    assert before["running"]["haproxy.backend"]
    broken = [dict(r) for r in WEB[4:8]]
    broken[2] = dict(broken[2], properties=dict(broken[2]["properties"], mode="tcp"))  # http frontend -> tcp backend
    sim.clear_log()
    outcome, result = run(project, sim, apply_task(broken))
    assert outcome.rc != 0
    assert "configtest" in result["msg"] and "ALERT" in result["msg"]
    assert [r["id"] for r in result["rolled_back"]] == ["haproxy_backend/app"]
    paths = [e["path"] for e in sim.log()]
    # reconfigure ran only after the rollback, with the good config (configtest passed that time)
    assert paths.count("/api/haproxy/service/configtest") == 2 and paths.count("/api/haproxy/service/reconfigure") == 1
    assert snapshot(sim) == before


def test_rule_order_follows_the_list_and_moves_apply_with_one_reload(project, sim):
    rules = [
        {
            "type": "firewall_filter_rule",
            "name": n,
            "properties": {"interface": ["lan"], "protocol": "TCP", "destination_port": p},
        }
        for n, p in (("first", "22"), ("second", "80"), ("third", "443"))
    ]
    outcome, result = run(project, sim, apply_task(rules))
    assert outcome.rc == 0, outcome.stdout

    def order(part):
        items = sim.state()[part]["firewall.filter_rule"].values()
        ours = [r for r in items if r["description"] in ("first", "second", "third")]  # not the factory rules
        return [r["description"] for r in sorted(ours, key=lambda r: int(r["sequence"]))]

    assert order("running") == ["first", "second", "third"]
    sim.clear_log()
    outcome, result = run(project, sim, apply_task([rules[2], rules[0], rules[1]]), "--diff")
    assert outcome.rc == 0, outcome.stdout
    moves = [r for r in result["results"] if r.get("move")]
    assert [m["id"] for m in moves] == ["firewall_filter_rule/third"] and result["plan"]["summary"]["move"] == 1
    assert any("(move 300 -> 50)" in line for line in result["plan"]["lines"])
    log = [e["path"] for e in sim.log()]
    assert log.count("/api/firewall/filter/apply") == 1
    assert max(i for i, p in enumerate(log) if "setRule" in p) < log.index("/api/firewall/filter/apply")
    assert order("running") == order("config") == ["third", "first", "second"]


def test_api_gone_after_reload_fails_and_keeps_the_journal(project, sim):
    # the refresh reads firmware status once; every later status check (after each reload) gets no answer
    sim.inject(effect="reset", method="GET", path=r"/api/core/firmware/status", nth=2, times=0)
    outcome, result = run(project, sim, apply_task(WEB[:4], lock_timeout=5))
    assert outcome.rc != 0
    assert "stopped answering" in result["msg"] and "recover: rollback" in result["msg"]
    assert "rolled_back" not in result
    sim.clear_faults()
    outcome, refused = run(project, sim, apply_task(WEB[:4]))
    assert outcome.rc != 0 and "did not finish" in refused["msg"] and result["run_id"] in refused["msg"]
    outcome, resumed = run(project, sim, {"deployment": "mix", "recover": "resume"})
    assert outcome.rc == 0, outcome.stdout
    assert resumed["recovered"][0]["status"] == "resumed"
    outcome, again = run(project, sim, apply_task(WEB[:4]))
    assert outcome.rc == 0 and not again["changed"]


@pytest.mark.both_backends
def test_mixed_deployment_apply_and_secrets_stay_out_of_files(project, sim):
    enable_haproxy(sim)
    secret = "Alias-Feed-Secret-77"
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
    engine_apply(sim, project.state, mixed_before() + [feed])
    outcome, result = run(project, sim, apply_task(mixed_after() + [feed], prune=True), "--diff")
    assert outcome.rc == 0, outcome.stdout
    assert Counter(r["op"] for r in result["results"]) == {"create": 4, "update": 7, "delete": 4}
    assert result["plan"]["summary"]["noop"] == 10
    assert snapshot(sim)["running"] == snapshot(sim)["config"]
    assert secret not in project.stored_text() and secret not in outcome.stdout
    assert sim.api_secret not in project.stored_text()
    assert secret not in json.dumps(result)
    if project.dsn:
        password = project.dsn.split(":")[2].split("@")[0]
        assert password not in outcome.stdout and password not in json.dumps(result)
