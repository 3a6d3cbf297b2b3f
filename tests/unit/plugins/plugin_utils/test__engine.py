"""The engine end to end against the fake firewall (``client_factory``) with a temporary state
folder: check mode writes nothing, a plan is saved and applied, the result's shape, the journal,
rollback on a failed write, the firewall's lock, a plan prepared elsewhere (execute), pruning only
what the deployment owns."""

from __future__ import annotations

import json
import os

import pytest
from engine_helpers import API_SECRET, THREE, all_names, names, owned, refuse_rules
from test__planner import ALIAS, CAT, RULE

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import unfinished_runs
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import PlanError, Planner
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import parse_resources
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, LockTimeout, holder_info
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import RunFailed

# -- check mode and plans ------------------------------------------------------------------------


def test_check_mode_plans_and_writes_nothing(run, fw, tmp_path):
    result = run("apply", [RULE, ALIAS, CAT], check_mode=True)
    assert result["changed"] is True and result["plan"]["summary"]["create"] == 3
    assert fw.writes == [] and os.listdir(str(tmp_path)) == []
    assert sorted(line.split(": ")[1] for line in result["plan"]["lines"]) == ["create " + i for i in THREE]


def test_plan_in_check_mode_saves_nothing(run, fw, tmp_path):
    result = run("plan", [CAT], check_mode=True)
    assert result["has_changes"] and "plan_path" not in result
    assert fw.writes == [] and os.listdir(str(tmp_path)) == []


def test_a_saved_plan_is_applied_as_planned(run, fw, state):
    planned = run("plan", [RULE, ALIAS, CAT])
    assert os.path.exists(planned["plan_path"]) and fw.writes == []
    saved = json.load(open(planned["plan_path"], encoding="utf-8"))
    result = run("apply", [RULE, ALIAS, CAT], plan_id=planned["plan_id"])
    assert result["plan_id"] == planned["plan_id"] and result["changed"]
    uuids = dict((a["id"], a["uuid"]) for a in saved["actions"])
    assert uuids["firewall_category/web"] in fw.objects["firewall_category"]
    assert owned(state) == THREE


def test_a_saved_plan_of_updates_to_unchanged_objects_is_not_stale(run, fw):
    run("apply", [RULE, ALIAS, CAT])
    changed = [
        dict(RULE, properties=dict(RULE["properties"], destination_port="8443")),
        dict(ALIAS, properties=dict(ALIAS["properties"], content=["10.0.0.2"])),
        dict(CAT, properties={"color": "ff0000"}),
    ]
    planned = run("plan", changed)
    result = run("apply", changed, plan_id=planned["plan_id"])
    assert result["plan"]["summary"]["update"] == 3 and result["changed"]
    assert [row["color"] for row in fw.objects["firewall_category"].values()] == ["ff0000"]


# -- apply ---------------------------------------------------------------------------------------


def test_apply_result_shape(run, fw, state):
    result = run("apply", [RULE, ALIAS, CAT])
    assert result["changed"] is True and result["deployment"] == "web" and result["firewall"] == state.firewall
    assert sorted(r["id"] for r in result["results"]) == THREE
    assert set(r["status"] for r in result["results"]) == {"ok"}
    assert sorted(r["subsystem"] for r in result["reloads"]) == ["aliases", "filter"]
    assert result["checkpoint_id"] and os.path.exists(state.checkpoint_path(result["checkpoint_id"]))
    assert os.path.exists(result["journal_path"]) and os.path.exists(result["events_path"])
    assert result["journal_path"].__class__ is str  # a str subclass would not unpickle in Ansible's queue
    assert {"total_ms", "refresh_ms", "plan_ms", "execute_ms", "verify_ms", "lock_wait_ms"} <= set(result["timings"])
    assert "rolled_back" not in result and unfinished_runs(state) == []
    assert all_names(fw) == {
        "firewall_alias": ["web_hosts"],
        "firewall_category": ["web"],
        "firewall_filter_rule": ["allow web"],
    }


def test_the_journal_brackets_every_write_and_ends(run, state):
    result = run("apply", [ALIAS, CAT], checkpoint=False)
    with open(result["journal_path"], encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    kinds = [r["rec"] for r in records]
    assert kinds[0] == "begin" and records[-1]["rec"] == "end" and records[-1]["status"] == "ok"
    assert sorted(kinds[1:-1]) == ["done", "done", "intent", "intent"]
    for number, record in enumerate(records):
        if record["rec"] == "done":
            assert ("intent", record["seq"]) in [(r["rec"], r.get("seq")) for r in records[:number]]
    assert result["checkpoint_id"] is None


def test_diff_mode_adds_ansibles_diff(run):
    result = run("apply", [CAT], check_mode=True, diff=True)
    assert [d["after_header"] for d in result["diff"]] == ["opnsense:firewall_category/web"]
    assert "diff" not in run("apply", [CAT], check_mode=True)


def test_a_second_apply_changes_nothing(run, fw):
    run("apply", [RULE, ALIAS, CAT])
    before = len(fw.writes)
    result = run("apply", [RULE, ALIAS, CAT])
    assert result["changed"] is False and result["plan"]["summary"]["noop"] == 3 and len(fw.writes) == before


def test_the_api_secret_never_reaches_the_result(run):
    secret_cat = dict(CAT, properties={"color": "00ff00"}, name=API_SECRET)
    result = run("apply", [secret_cat], check_mode=True)
    assert API_SECRET not in json.dumps(result)


def test_a_refused_write_rolls_back_what_was_written(run, fw, state):
    refuse_rules(fw)
    with pytest.raises(RunFailed) as err:
        run("apply", [RULE, ALIAS, CAT])
    result = err.value.result
    assert sorted(r["id"] for r in result["rolled_back"]) == THREE[:2]
    assert result["rollback_failures"] == [] and result["changed"] is False
    assert "refused by the test" in str(err.value) and "rolled back 2 write(s)" in str(err.value)
    assert all_names(fw) == {"firewall_alias": [], "firewall_category": [], "firewall_filter_rule": []}
    assert owned(state) == [] and unfinished_runs(state) == []


def test_without_rollback_a_failed_run_records_what_it_completed(run, fw, state):
    refuse_rules(fw)
    with pytest.raises(RunFailed) as err:
        run("apply", [RULE, ALIAS, CAT], rollback_on_failure=False)
    assert "rolled_back" not in err.value.result and err.value.result["changed"] is True
    assert names(fw, "firewall_category") == ["web"] and owned(state) == THREE[:2]


def test_invalid_resources_fail_before_any_request(run, fw, tmp_path):
    with pytest.raises(PlanError):
        run("apply", [{"type": "firewall_category", "name": "x", "properties": {"nope": 1}}], plan_id="p")
    assert fw.calls == [] and os.listdir(str(tmp_path)) == []


def test_a_second_apply_times_out_naming_the_lock_holder(run, fw, state):
    lock = state.ensure().lock()
    lock.acquire(0, holder_info("run-holding-it", "web"))
    try:
        with pytest.raises(LockTimeout) as err:
            run("apply", [CAT], lock_timeout=0)
    finally:
        lock.release()
    assert "run-holding-it" in str(err.value) and err.value.details["lock_holder"]["run_id"] == "run-holding-it"
    assert fw.calls == []


def test_check_mode_does_not_wait_for_the_lock(run, state):
    lock = state.ensure().lock()
    lock.acquire(0, holder_info("run-holding-it", "web"))
    try:
        assert run("apply", [CAT], check_mode=True, lock_timeout=0)["changed"]
    finally:
        lock.release()


# -- execute: a plan made elsewhere (checkpoint restore) -------------------------------------------


def prepare_category(made, state, seen):
    """A ``prepare`` for Engine.execute that plans CAT and notes whether the lock was held meanwhile."""

    def prepare():
        probe = state.lock()
        try:
            probe.acquire(0, holder_info("probe", "web"))
            probe.release()
            seen.append("lock was free")
        except LockTimeout:
            seen.append("locked")
        inventory = made.refresh(["firewall_category"])
        own = DeploymentState("web")
        planner = Planner(REGISTRY, "web", state.firewall, own, {})
        return planner.plan(parse_resources([CAT], REGISTRY, canonical_type), inventory), inventory, own

    return prepare


def test_execute_runs_a_prepared_plan_under_the_lock(engine, fw, state):
    seen, successes = [], []
    result = engine().execute(prepare_category(engine(), state, seen), successes.append)
    assert seen == ["locked"] and successes == [result] and result["changed"]
    assert names(fw, "firewall_category") == ["web"] and owned(state) == ["firewall_category/web"]
    assert result["checkpoint_id"] and unfinished_runs(state) == []


def test_execute_in_check_mode_neither_locks_nor_writes(engine, fw, state, tmp_path):
    seen = []
    result = engine(check_mode=True).execute(prepare_category(engine(), state, seen))
    assert result["changed"] and seen == ["lock was free"] and fw.writes == []
    assert not os.path.exists(state.journal_path(result["run_id"]))


# -- prune ---------------------------------------------------------------------------------------


def test_prune_deletes_only_what_the_deployment_owns(run, fw, state):
    run("apply", [ALIAS, CAT])
    run("apply", [dict(ALIAS, name="theirs")], deployment="other")
    fw.add("firewall_alias", name="by_hand", type="host")
    result = run("apply", [CAT], prune=True)
    assert [(r["op"], r["id"]) for r in result["results"]] == [("delete", "firewall_alias/web_hosts")]
    assert names(fw, "firewall_alias") == ["by_hand", "theirs"] and names(fw, "firewall_category") == ["web"]
    assert owned(state) == ["firewall_category/web"] and owned(state, "other") == ["firewall_alias/theirs"]


def test_without_prune_nothing_is_deleted(run, fw, state):
    run("apply", [ALIAS, CAT])
    result = run("apply", [CAT])
    assert result["changed"] is False and names(fw, "firewall_alias") == ["web_hosts"]
    assert owned(state) == THREE[:2]  # still owned: a later prune deletes it


# -- drift and adoption ------------------------------------------------------------------------------


def test_drift_is_reported_by_plan_and_corrected_by_apply(run, fw, state):
    run("apply", [RULE, ALIAS, CAT])
    (uuid,) = fw.objects["firewall_category"]
    fw.objects["firewall_category"][uuid]["color"] = "ff0000"  # changed in the GUI
    planned = run("plan", [RULE, ALIAS, CAT], check_mode=True)
    assert planned["drift"] == [
        {
            "id": "firewall_category/web",
            "uuid": uuid,
            "deleted": False,
            "fields": [{"field": "color", "applied": "00ff00", "now": "ff0000"}],
        }
    ]
    assert planned["plan"]["summary"]["drift"] == 1
    applied = run("apply", [RULE, ALIAS, CAT])
    assert applied["drift"] == planned["drift"] and applied["changed"]
    assert fw.objects["firewall_category"][uuid]["color"] == "00ff00"
    assert run("plan", [RULE, ALIAS, CAT], check_mode=True)["drift"] == []


def test_adopt_false_fails_before_any_write(run, fw):
    fw.add("firewall_category", name="web", color="00ff00")
    with pytest.raises(PlanError, match="firewall_category/web: an object with this identity is already"):
        run("apply", [ALIAS, CAT], adopt=False)
    assert fw.writes == []
