"""The steps of running a plan (``_steps``), each against the fake firewall: a run is built from a
real plan and run through ``run_steps`` with all steps or a few, so each step's own decision shows:
verify and reload are skipped once a failure will be rolled back, kept when it will not; rollback
undoes newest first; end raises with the failure's kind; every step is timed by its name."""

from __future__ import annotations

import pytest
from engine_helpers import THREE, all_names, refuse_rules
from test__planner import ALIAS, CAT, RULE

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import Planner
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import parse_resources
from ansible_collections.opnform.opnsense.plugins.plugin_utils._run_hooks import Hooks, RunHooks
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import (
    STEPS,
    ApplyRun,
    RunFailed,
    Step,
    execute,
    run_steps,
)


class Recorder(RunHooks):
    """Notes the hook calls; ``tamper`` changes a written object behind the run's back."""

    def __init__(self, fw=None, tamper=None):
        self.seen, self.fw, self.tamper = [], fw, tamper

    def run_started(self, run):
        self.seen.append("started")

    def after_write(self, seq, actions, outcome):
        self.seen.append("wrote " + actions[0].id)
        if self.tamper and actions[0].id == self.tamper:
            spec = REGISTRY[actions[0].type]
            self.fw.objects[actions[0].type][actions[0].uuid][spec.field("color").api] = "000000"

    def rollback_started(self, run, steps):
        self.seen.append("rollback " + ",".join(s.action_id for s in steps))

    def run_ended(self, run):
        self.seen.append("ended " + run.status)


def make_run(engine, resources, hook, **options):
    session = engine(**options)
    own = DeploymentState("web")
    inventory = session.refresh(["firewall_alias", "firewall_category", "firewall_filter_rule"])
    plan = Planner(REGISTRY, "web", session.state.firewall, own, {}).plan(
        parse_resources(resources, REGISTRY, canonical_type), inventory
    )
    return ApplyRun(
        session, plan, inventory, own, Hooks([hook]), {}, rollback_on_failure=session.options.rollback_on_failure
    )


def reloads(fw):
    return [path for _method, path, _body in fw.calls if path.endswith("/apply") or "reconfigure" in path]


def test_all_steps_write_verify_reload_and_time_each_step(engine, fw):
    hook = Recorder()
    run = make_run(engine, [RULE, ALIAS, CAT], hook)
    result = run_steps(run)
    assert sorted(r["id"] for r in result["results"]) == THREE and run.status == "ok"
    assert sorted(r["subsystem"] for r in result["reloads"]) == ["aliases", "filter"]
    assert hook.seen[0] == "started" and hook.seen[-1] == "ended ok" and len(hook.seen) == 5
    assert set(s.name + "_ms" for s in STEPS) <= set(run.session.timer.as_dict())


def test_a_chosen_list_of_steps_runs_only_those(engine, fw):
    run = make_run(engine, [ALIAS, CAT], Recorder())
    run_steps(run, [Step("execute", execute)])
    assert sorted(run.completed) == THREE[:2] and reloads(fw) == [] and run.status is None


def test_a_verify_difference_is_rolled_back_without_reloading_first(engine, fw):
    hook = Recorder(fw, tamper="firewall_category/web")
    run = make_run(engine, [ALIAS, CAT], hook)
    with pytest.raises(RunFailed) as err:
        run_steps(run)
    assert err.value.kind == "verify" and "color" in str(err.value)
    assert "rolled back 2 write(s)" in str(err.value) and run.status == "rolled_back"
    rollback = [s for s in hook.seen if s.startswith("rollback ")]
    assert len(rollback) == 1 and rollback[0].split(" ", 1)[1].split(",") == list(reversed(run.completed))
    assert all_names(fw)["firewall_category"] == [] and all_names(fw)["firewall_alias"] == []
    assert len(reloads(fw)) == 1  # the undo's reload of aliases only: the run's own reload was skipped


def test_without_rollback_a_failure_still_verifies_and_reloads_what_completed(engine, fw):
    refuse_rules(fw)
    run = make_run(engine, [RULE, ALIAS, CAT], Recorder(), rollback_on_failure=False)
    with pytest.raises(RunFailed) as err:
        run_steps(run)
    assert run.status == "failed" and "1 of 3 writes failed" in str(err.value)
    assert [r["subsystem"] for r in run.result["reloads"]] == ["aliases"]
    assert "rolled_back" not in run.result and all_names(fw)["firewall_category"] == ["web"]


def test_a_plan_without_writes_runs_no_write_step(engine, fw):
    run_steps(make_run(engine, [CAT], Recorder()))
    calls = len(fw.calls)
    hook = Recorder()
    run = make_run(engine, [CAT], hook)
    result = run_steps(run)
    assert run.status == "ok" and "reloads" not in result and hook.seen == ["started", "ended ok"]
    assert [r["status"] for r in result["results"]] == ["noop"] and len(fw.calls) == calls + 4  # the refresh only
