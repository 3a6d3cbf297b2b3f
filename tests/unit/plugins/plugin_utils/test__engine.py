"""The engine end to end against the fake firewall (``client_factory``) with a temporary state
folder: check mode writes nothing, saved plans are reused or refused when stale, the firewall's lock,
the result's shape, a plan prepared elsewhere (execute), the refresh, rollback on a failed write, recovery of an unfinished run (rollback or resume),
pruning only what the deployment owns, and the helpers (stale_problems, fill_withheld,
partial_state, options_from)."""

from __future__ import annotations

import json
import os

import pytest
from test__planner import ALIAS, CAT, RULE

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    OpnError,
    PluginMissingError,
    TransportError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import (
    Connection,
    Engine,
    Options,
    RunFailed,
    StalePlanError,
    options_from,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import UnfinishedRunError, unfinished_runs
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import PlanError, Planner
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import parse_resources
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    DeploymentState,
    LockTimeout,
    StateDir,
    holder_info,
)

API_URL = "https://fw.test/api/"
API_SECRET = "api-secret-value-123"
THREE = ["firewall_alias/web_hosts", "firewall_category/web", "firewall_filter_rule/allow web"]


@pytest.fixture
def fw(fake_fw):
    """The fake firewall answering the firmware status and system information the engine reads."""
    fake_fw.answers["core/firmware/status"] = {"product": {"product_version": "26.7.2", "product_name": "OPNsense"}}
    fake_fw.answers["diagnostics/system/system_information"] = {"name": "fw.test"}
    return fake_fw


@pytest.fixture
def engine(fw, tmp_path):
    """``engine(**options)``: a new Engine on the fake firewall, deployment ``web`` unless told."""

    def make(**options):
        options.setdefault("deployment", "web")
        return Engine(
            Connection(API_URL, "key", API_SECRET),
            Options(state_dir=str(tmp_path), **options),
            client_factory=lambda: fw,
        )

    return make


@pytest.fixture
def run(engine):
    """``run(method, raw, **options)``: one fresh Engine per call, as the action plugins make them."""

    def call(method, raw, **options):
        return getattr(engine(**options), method)(raw)

    return call


@pytest.fixture
def state(tmp_path):
    return StateDir(str(tmp_path), API_URL)


def names(fw, type_name):
    """The names (first identity field) of the objects of one type on the fake firewall."""
    spec = REGISTRY[type_name]
    return sorted(row[spec.field(spec.identity[0]).api] for row in fw.objects[type_name].values())


def all_names(fw):
    return dict((t, names(fw, t)) for t in ("firewall_alias", "firewall_category", "firewall_filter_rule"))


def owned(state, deployment="web"):
    return sorted(state.load_deployment(deployment).resources)


def refuse_rules(fw):
    fw.prefix_answers[REGISTRY["firewall_filter_rule"].path("set")] = {
        "result": "failed",
        "validations": {"rule.description": "refused by the test"},
    }


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


def test_a_stale_plan_is_refused_before_any_write(run, fw):
    planned = run("plan", [ALIAS, CAT])
    fw.add("firewall_category", name="web", color="ff0000")
    with pytest.raises(StalePlanError) as err:
        run("apply", [ALIAS, CAT], plan_id=planned["plan_id"])
    assert "firewall_category/web: an object with the same identity was created" in str(err.value)
    assert fw.writes == []


def test_an_object_changed_since_the_plan_makes_it_stale(run, fw):
    uuid = fw.add("firewall_category", name="web", color="111111")
    planned = run("plan", [CAT])
    fw.objects["firewall_category"][uuid]["color"] = "222222"
    with pytest.raises(StalePlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"], check_mode=True)
    assert "firewall_category/web: changed on the firewall since the plan (color)" in str(err.value)


def test_a_plan_of_another_deployment_is_refused(run, fw):
    planned = run("plan", [CAT], deployment="other")
    with pytest.raises(StalePlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"])
    assert "belongs to deployment 'other'" in str(err.value) and fw.writes == []


def test_a_plan_is_stale_once_another_run_changed_the_deployment(run, fw):
    planned = run("plan", [CAT])
    run("apply", [ALIAS])
    with pytest.raises(StalePlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"])
    assert "deployment 'web' was changed by another run" in str(err.value)


def test_an_object_deleted_since_the_plan_makes_it_stale(run, fw):
    uuid = fw.add("firewall_category", name="web", color="111111")
    planned = run("plan", [CAT])
    del fw.objects["firewall_category"][uuid]
    with pytest.raises(StalePlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"])
    assert "firewall_category/web: deleted from the firewall since the plan" in str(err.value)


FEED = {
    "type": "firewall_alias",
    "name": "feed",
    "properties": {
        "type": "url",
        "content": ["https://x"],
        "authtype": "Basic",
        "username": "u",
        "password": "pw-1234",
    },
}


def test_a_saved_plan_holds_no_secret_and_gets_it_back_from_the_task(run, fw):
    planned = run("plan", [FEED])
    assert "pw-1234" not in open(planned["plan_path"], encoding="utf-8").read()
    run("apply", [FEED], plan_id=planned["plan_id"])
    assert [row["password"] for row in fw.objects["firewall_alias"].values()] == ["pw-1234"]


def test_a_saved_plan_is_refused_when_the_task_lacks_its_secret(run, fw):
    planned = run("plan", [FEED, CAT])
    with pytest.raises(PlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"])
    assert "left out secret value(s) firewall_alias/feed.password" in str(err.value) and fw.writes == []


# -- apply ---------------------------------------------------------------------------------------


def test_apply_result_shape(run, fw, state):
    result = run("apply", [RULE, ALIAS, CAT])
    assert result["changed"] is True and result["deployment"] == "web" and result["firewall"] == state.firewall
    assert sorted(r["id"] for r in result["results"]) == THREE
    assert set(r["status"] for r in result["results"]) == {"ok"}
    assert sorted(r["subsystem"] for r in result["reloads"]) == ["aliases", "filter"]
    assert result["checkpoint_id"] and os.path.exists(state.checkpoint_path(result["checkpoint_id"]))
    assert os.path.exists(result["journal_path"]) and os.path.exists(result["events_path"])
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


# -- refresh -------------------------------------------------------------------------------------


def test_refresh_reads_types_version_and_skips_missing_optional_plugins(engine, fw):
    fw.add("firewall_alias", name="mine", type="host")
    fw.extra_rows["firewall_alias"] = [{"uuid": "bogons", "name": "bogons", "type": "external"}]
    fw.prefix_answers[REGISTRY["haproxy_backend"].path("search")] = PluginMissingError("no haproxy")
    inventory = engine().refresh(["firewall_alias"], optional=["haproxy_backend"])
    assert inventory.version == "26.7.2" and not inventory.has("haproxy_backend")
    assert [v["name"] for v in inventory.objects("firewall_alias").values()] == ["mine"]
    assert list(inventory.builtin("firewall_alias")) == ["bogons"]
    with pytest.raises(PluginMissingError):
        engine().refresh(["haproxy_backend"])


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


# -- recovery ------------------------------------------------------------------------------------


def cut_off_during_reload(run, fw):
    """An apply whose filter reload loses the connection, with no wait for the API to come back
    (``reconnect_timeout: 0``): its journal is left unfinished."""
    fw.answers["firewall/filter/apply"] = TransportError("connection reset")
    with pytest.raises(RunFailed) as err:
        run("apply", [RULE, ALIAS, CAT], reconnect_timeout=0)
    del fw.answers["firewall/filter/apply"]
    return err.value


def killed_after_first_write(state):
    """Cut the unfinished journal after its first ``done`` record, as if the run were SIGKILLed there;
    return the ids of the actions it did not finish."""
    path = unfinished_runs(state)[0].path
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    first = next(i for i, r in enumerate(records) if r["rec"] == "done")
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records[: first + 1])
    return [a for a in records[0]["actions"] if a["id"] not in records[first]["actions"]]


def test_a_lost_connection_leaves_the_run_unfinished_and_the_next_apply_refuses(run, fw, state):
    failure = cut_off_during_reload(run, fw)
    assert failure.kind == "unreachable" and "Nothing was rolled back" in str(failure)
    assert "rolled_back" not in failure.result and len(fw.objects["firewall_filter_rule"]) == 1
    assert [r.run_id for r in unfinished_runs(state)] == [failure.result["run_id"]]
    writes = len(fw.writes)
    with pytest.raises(UnfinishedRunError) as err:
        run("apply", [CAT])
    assert failure.result["run_id"] in str(err.value) and len(fw.writes) == writes


def test_recover_rollback_undoes_the_unfinished_run(run, fw, state):
    cut_off_during_reload(run, fw)
    result = run("apply", None, recover="rollback")
    report = result["recovered"][0]
    assert result["changed"] and report["status"] == "rolled_back" and report["rollback_failures"] == []
    assert [r["undo"] for r in report["rolled_back"]] == ["delete"] * 3
    assert report["rolled_back"][0]["id"] == "firewall_filter_rule/allow web"  # written last, undone first
    assert all_names(fw) == {"firewall_alias": [], "firewall_category": [], "firewall_filter_rule": []}
    assert unfinished_runs(state) == [] and owned(state) == []


def test_recover_resume_completes_the_unfinished_run(run, fw, state):
    cut_off_during_reload(run, fw)
    for action in killed_after_first_write(state):
        fw.objects[action["type"]].pop(action["uuid"])
    result = run("apply", None, recover="resume")
    report = result["recovered"][0]
    assert report["status"] == "resumed" and len(report["completed"]) == 2
    assert all_names(fw) == {
        "firewall_alias": ["web_hosts"],
        "firewall_category": ["web"],
        "firewall_filter_rule": ["allow web"],
    }
    assert unfinished_runs(state) == [] and owned(state) == THREE


def test_recover_then_apply_in_one_task(run, fw, state):
    cut_off_during_reload(run, fw)
    result = run("apply", [CAT], recover="rollback")
    assert result["recovered"][0]["status"] == "rolled_back"
    assert all_names(fw)["firewall_category"] == ["web"] and owned(state) == ["firewall_category/web"]


def test_nothing_to_recover(run, fw):
    result = run("apply", None, recover="rollback")
    assert result["recovered"] == [] and result["changed"] is False and fw.writes == []


# -- construction and options --------------------------------------------------------------------


def test_unknown_recover_mode_and_bad_deployment_names_are_refused(tmp_path):
    conn = Connection(API_URL, "key", API_SECRET)
    with pytest.raises(OpnError, match="recover must be one of rollback, resume"):
        Engine(conn, Options(state_dir=str(tmp_path), recover="undo"))
    with pytest.raises(OpnError):
        Engine(conn, Options(state_dir=str(tmp_path), deployment="../etc"))


def test_options_from_task_arguments():
    args = {"api_url": API_URL, "api_key": "k", "api_secret": "s", "timeout": 7, "lock_timeout": 0, "prune": True}
    conn, opts = options_from(args, check_mode=True, diff=False)
    assert (conn.timeout, conn.validate_certs) == (7.0, True)
    assert (opts.lock_timeout, opts.prune, opts.check_mode, opts.deployment) == (0.0, True, True, "default")
    with pytest.raises(OpnError, match="at least 1"):
        options_from(dict(args, write_concurrency=-1), check_mode=False, diff=False)


@pytest.mark.parametrize("name", ["parallelism", "write_concurrency"])
def test_zero_workers_are_refused(name):
    args = {"api_url": API_URL, "api_key": "k", "api_secret": "s", name: 0}
    with pytest.raises(OpnError, match="%s must be at least 1, got 0" % name):
        options_from(args, check_mode=False, diff=False)
