"""The run's side effects as hooks (``_run_hooks``): several hooks open in order and close in
reverse; the journal ends each way a run can end (and leaves an unreachable one without ``end``);
the deployment state records a failed run's completed writes and nothing after a rollback; the
``run_done`` event carries each ending's fields."""

from __future__ import annotations

from types import SimpleNamespace

from engine_helpers import journal_records
from test__planner import ALIAS, CAT

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._executor import Outcome
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import Journal
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import Planner
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import parse_resources
from ansible_collections.opnform.opnsense.plugins.plugin_utils._run_hooks import (
    EventsHook,
    Hooks,
    JournalHook,
    RunHooks,
    StateHook,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import ApplyRun


class Named(RunHooks):
    def __init__(self, name, log, seq=0):
        self.name, self.log, self.seq = name, log, seq

    def run_started(self, run):
        self.log.append("start " + self.name)

    def before_write(self, actions):
        return self.seq

    def after_write(self, seq, actions, outcome):
        self.log.append("wrote %s %d" % (self.name, seq))

    def run_ended(self, run):
        self.log.append("end " + self.name)


def test_hooks_open_in_order_and_close_in_reverse():
    log = []
    hooks = Hooks([Named("journal", log, seq=7), Named("events", log)])
    hooks.run_started(None)
    seq = hooks.before_write([])
    hooks.after_write(seq, [], Outcome("ok"))
    hooks.run_ended(None)
    assert log == [
        "start journal",
        "start events",
        "wrote events 7",
        "wrote journal 7",
        "end events",
        "end journal",
    ]


def planned_run(engine, status, completed=()):
    """An ApplyRun of ALIAS and CAT that ended with ``status`` after completing ``completed``."""
    session = engine()
    own = DeploymentState("web")
    inventory = session.refresh(["firewall_alias", "firewall_category"])
    plan = Planner(REGISTRY, "web", session.state.firewall, own, {}).plan(
        parse_resources([ALIAS, CAT], REGISTRY, canonical_type), inventory
    )
    session.state.ensure()
    run = ApplyRun(session, plan, inventory, own, Hooks([]), {"rollback_failures": []})
    run.status, run.failure = status, OpnError("the cause")
    run.executed = SimpleNamespace(completion=list(completed))
    run.progress = {"completed": len(completed), "total": 2, "percent": 100}
    return run


def test_the_journal_ends_each_way_a_run_ends(engine):
    for status, last in (("ok", "end"), ("rolled_back", "end"), ("unreachable", "unreachable")):
        run = planned_run(engine, status)
        journal = Journal(run.session.state.journal_path(run.session.run_id))
        hook = JournalHook(journal)
        hook.run_started(run)
        hook.run_ended(run)
        records = journal_records(journal.path)
        assert [r["rec"] for r in records] == ["begin", last]
        assert records[-1].get("status", "unreachable") == status
        assert [a["id"] for a in records[0]["actions"]] == ["firewall_alias/web_hosts", "firewall_category/web"]


def test_the_state_records_what_a_failed_run_completed_and_nothing_after_a_rollback(engine):
    run = planned_run(engine, "failed", completed=["firewall_category/web"])
    StateHook().run_ended(run)
    assert sorted(run.session.state.load_deployment("web").resources) == ["firewall_category/web"]
    rolled_back = planned_run(engine, "rolled_back", completed=["firewall_category/web"])
    rolled_back.session.state.save_deployment(DeploymentState("web"))
    StateHook().run_ended(rolled_back)
    assert sorted(rolled_back.session.state.load_deployment("web").resources) == []


def test_run_done_carries_each_endings_fields(engine):
    seen = {}
    for status in ("ok", "rolled_back", "unreachable"):
        run = planned_run(engine, status)
        run.message = "cut off"
        run.session.listeners.append(lambda event, status=status: seen.setdefault(status, event))
        EventsHook().run_ended(run)
    assert seen["ok"]["status"] == "ok" and seen["ok"]["completed"] == 0
    assert (seen["rolled_back"]["completed"], seen["rolled_back"]["total"]) == (2, 2)
    assert seen["unreachable"]["error"] == "cut off" and "completed" not in seen["unreachable"]
