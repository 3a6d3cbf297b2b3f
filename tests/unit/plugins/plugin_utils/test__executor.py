"""The executor with a fake writer: the walk by edges (no stage gates), dependency order, the write
throttle and the parallelism bound, stop/continue on error, bulk deletes, stage events, undo steps.

Concurrency is shown with events the fake writer waits on, never with timings: a wait that runs
out (``HOLD`` seconds, only reached when the executor is wrong) is recorded and fails the test."""

from __future__ import annotations

import random
import threading
import time

import pytest
from test__planner import ALIAS, CAT, RULE, applied, plan

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ValidationError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink
from ansible_collections.opnform.opnsense.plugins.plugin_utils._executor import STOPPED, Executor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._graph import order_plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import Throttle
from ansible_collections.opnform.opnsense.plugins.plugin_utils._rollback import undo_step
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource


class FakeWriter(object):
    def __init__(self, fail=(), delay=0.01):
        self.specs = REGISTRY
        self.fail = set(fail)
        self.delay = delay
        self.calls = []
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()

    def write(self, actions, located=None):
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(self.delay)
            self.calls.append([a.id for a in actions])
            if any(a.id in self.fail for a in actions):
                raise ValidationError([("x", "rejected")])
        finally:
            with self.lock:
                self.active -= 1


def execute(p, writer, **kw):
    sink = EventSink("r")
    result = Executor(p, writer, Throttle(kw.pop("write_concurrency", 1)), sink, parallelism=5, **kw).run()
    return result, sink.events


EXTRA = [{"type": "firewall_alias", "name": "x%d" % i, "properties": {"type": "host"}} for i in range(6)]


def test_dependency_order_and_write_concurrency():
    p = plan([RULE, ALIAS, CAT] + EXTRA)
    writer = FakeWriter()
    result, events = execute(p, writer, write_concurrency=1)
    check_stage_events(events)
    order = [c[0] for c in writer.calls]
    rule = order.index("firewall_filter_rule/allow web")
    assert rule > order.index("firewall_alias/web_hosts") and rule > order.index("firewall_category/web")
    assert writer.peak == 1 and len(result.completion) == 9
    writer = FakeWriter()
    execute(p, writer, write_concurrency=3)
    assert writer.peak == 3
    kinds = [e["event"] for e in events]
    assert kinds[0] == "stage_start" and kinds[-1] == "stage_done"
    assert [e["completed"] for e in events if e["event"] == "action_done"] == list(range(1, 10))


def test_stop_after_first_failure_or_continue_around_it():
    p = plan([RULE, ALIAS, CAT] + EXTRA)
    result, events = execute(p, FakeWriter(fail=["firewall_category/web"], delay=0.05), continue_on_error=False)
    assert result.failed == ["firewall_category/web"] and result.stopped
    assert result.outcomes["firewall_filter_rule/allow web"].status == "skipped"
    assert result.outcomes["firewall_category/web"].applied is False
    assert result.maybe_applied() == result.completion  # a refused write needs no undo
    result, events = execute(p, FakeWriter(fail=["firewall_category/web"]), continue_on_error=True)
    assert sorted(result.completion) == sorted(
        ["firewall_alias/web_hosts"] + ["firewall_alias/x%d" % i for i in range(6)]
    )
    assert "upstream failed: firewall_category/web" in result.outcomes["firewall_filter_rule/allow web"].reason


def test_bulk_deletes_of_one_type_go_out_together():
    first = plan(EXTRA)
    own = DeploymentState("web")
    for item in first.new_state:
        own.resources["%s/%s" % (item["type"], item["name"])] = ManagedResource.from_dict(item)
    p = plan([], applied(first), own, prune=True)
    writer = FakeWriter()
    execute(p, writer, bulk_delete=True)
    assert len(writer.calls) == 1 and len(writer.calls[0]) == 6
    writer = FakeWriter()
    execute(p, writer, bulk_delete=False)
    assert len(writer.calls) == 6


def test_undo_steps():
    existing = applied(plan([ALIAS]))
    changed = dict(ALIAS, properties=dict(ALIAS["properties"], content=["10.9.9.9"]))
    update = plan([changed], existing).actions[0]
    step = undo_step(update)
    assert (step.kind, step.payload) == ("revert", {"content": "10.0.0.1", "name": "web_hosts"})
    assert undo_step(plan([CAT]).actions[0]).kind == "delete"


# -- the walk by edges ----------------------------------------------------------------------------

HOLD = 10.0  # seconds a fake write waits for something that must happen; reached only on a bug


def dag(edges, op="create"):
    """A plan of aliases named by ``edges``' keys; ``edges[x]`` lists what x goes after."""
    actions = []
    for number, name in enumerate(edges):
        actions.append(
            Action(
                id="firewall_alias/%s" % name,
                op=op,
                type="firewall_alias",
                name=name,
                uuid="00000000-0000-4000-8000-%012d" % number,
                after=["firewall_alias/%s" % dep for dep in edges[name]],
                order=number,
            )
        )
    return Plan(id="p", deployment="d", firewall="fw", actions=actions, stages=order_plan(actions))


def short(action_id):
    return action_id.split("/", 1)[1]


class GateWriter(object):
    """Records when each write starts and ends; a write named in ``waits`` holds until that event is
    set (or ``HOLD`` runs out, which is recorded as ``timeouts``); ``full`` is set once ``limit``
    writes are in flight together, and writes in ``hold_until_full`` wait for it."""

    def __init__(self, waits=None, fail=(), limit=None, hold_until_full=False):
        self.specs = REGISTRY
        self.waits = dict(waits or {})
        self.fail = set(fail)
        self.limit = limit
        self.hold_until_full = hold_until_full
        self.full = threading.Event()
        self.started = dict()  # name -> Event set when its write starts
        self.log = []  # ("start" | "end", name)
        self.timeouts = []
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()

    def started_event(self, name):
        with self.lock:
            return self.started.setdefault(name, threading.Event())

    def write(self, actions, located=None):
        names = [short(a.id) for a in actions]
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
            if self.limit is not None and self.active >= self.limit:
                self.full.set()
            self.log.extend(("start", n) for n in names)
        try:
            for name in names:
                self.started_event(name).set()
            if self.hold_until_full and not self.full.wait(HOLD):
                self.timeouts.append(("full", names))
            for name in names:
                event = self.waits.get(name)
                if event is not None and not event.wait(HOLD):
                    self.timeouts.append((name, names))
            if any(n in self.fail for n in names):
                raise ValidationError([("x", "rejected")])
        finally:
            with self.lock:
                self.active -= 1
                self.log.extend(("end", n) for n in names)


def walk(p, writer, write_concurrency=1, parallelism=5, **kw):
    sink = EventSink("r")
    result = Executor(p, writer, Throttle(write_concurrency), sink, parallelism=parallelism, **kw).run()
    return result, sink.events


def check_stage_events(events):
    """Stages start in order and end in order; each action's events lie between its stage's start
    and its stage's done; every stage that starts ends."""
    kinds = [(e["event"], e.get("stage")) for e in events]
    starts = [n for k, n in kinds if k == "stage_start"]
    dones = [n for k, n in kinds if k == "stage_done"]
    assert starts == sorted(starts) == dones == list(range(1, len(starts) + 1))
    position = dict((kind_stage, i) for i, kind_stage in enumerate(kinds) if kind_stage[0].startswith("stage_"))
    for i, (kind, stage) in enumerate(kinds):
        if kind.startswith("action_"):
            assert position[("stage_start", stage)] < i < position[("stage_done", stage)], events[i]


def test_a_write_starts_when_its_own_dependencies_are_done_not_its_stage():
    # A (stage 1) holds until C (stage 2, after B) has started: with stage gates C could not start
    # before A ends, and A's wait would run out.
    p = dag({"A": [], "B": [], "C": ["B"]})
    assert [[short(i) for i in stage] for stage in p.stages] == [["A", "B"], ["C"]]
    writer = GateWriter()
    writer.waits["A"] = writer.started_event("C")
    result, events = walk(p, writer, write_concurrency=2)
    assert writer.timeouts == []
    assert sorted(short(i) for i in result.completion) == ["A", "B", "C"]
    assert writer.log.index(("start", "C")) < writer.log.index(("end", "A"))
    kinds = [(e["event"], e.get("stage")) for e in events]
    assert kinds.index(("stage_start", 2)) < kinds.index(("stage_done", 1))
    check_stage_events(events)


def test_a_stage_is_done_only_after_earlier_stages_and_its_own_last_action():
    # C (stage 2) ends while A (stage 1) still runs: stage 2 is reported done after stage 1.
    p = dag({"A": [], "B": [], "C": ["B"]})
    writer = GateWriter()
    c_done = threading.Event()
    writer.waits["A"] = c_done

    class Hooks(object):
        def before_write(self, actions):
            return 0

        def after_write(self, seq, actions, outcome):
            if any(short(a.id) == "C" for a in actions):
                c_done.set()

    result, events = walk(p, writer, write_concurrency=2, hooks=Hooks())
    assert writer.timeouts == [] and result.failed == []
    assert writer.log.index(("end", "C")) < writer.log.index(("end", "A"))
    done = [e for e in events if e["event"] == "stage_done"]
    assert [e["stage"] for e in done] == [1, 2] and done[-1]["completed"] == 3
    check_stage_events(events)


def random_dag(seed, size=30):
    rng = random.Random(seed)
    names = ["n%02d" % i for i in range(size)]
    return dict((name, rng.sample(names[:i], min(i, rng.randint(0, 3)))) for i, name in enumerate(names))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_dependent_never_starts_before_its_dependencies_ended(seed):
    edges = random_dag(seed)
    writer = GateWriter()
    result, events = walk(dag(edges), writer, write_concurrency=4, parallelism=6)
    assert len(result.completion) == len(edges)
    for name, deps in edges.items():
        for dep in deps:
            assert writer.log.index(("end", dep)) < writer.log.index(("start", name)), (dep, name)
    check_stage_events(events)
    assert [e["completed"] for e in events if e["event"] == "action_done"] == list(range(1, len(edges) + 1))


def test_write_concurrency_is_honoured():
    edges = dict(("n%d" % i, []) for i in range(8))
    writer = GateWriter(limit=3, hold_until_full=True)
    result, _events = walk(dag(edges), writer, write_concurrency=3, parallelism=8)
    assert writer.timeouts == [] and len(result.completion) == 8
    assert writer.peak == 3


def test_the_parallelism_bound_is_honoured():
    edges = dict(("n%d" % i, []) for i in range(6))
    writer = GateWriter(limit=2, hold_until_full=True)
    result, _events = walk(dag(edges), writer, write_concurrency=6, parallelism=2)
    assert writer.timeouts == [] and len(result.completion) == 6
    assert writer.peak == 2


def test_a_failure_skips_exactly_its_descendants():
    edges = {"A": [], "B": ["A"], "C": ["B"], "G": [], "D": ["A", "G"], "E": [], "F": ["E"]}
    writer = GateWriter(fail=["A"])
    result, events = walk(dag(edges), writer, write_concurrency=2, continue_on_error=True)
    status = dict((short(i), o.status) for i, o in result.outcomes.items())
    assert status == dict(A="failed", B="skipped", C="skipped", D="skipped", E="ok", F="ok", G="ok")
    for name in "BCD":
        assert result.outcomes["firewall_alias/" + name].reason == "upstream failed: firewall_alias/A"
    assert set(n for kind, n in writer.log if kind == "start") == set("AGEF")
    assert not result.stopped and result.failed == ["firewall_alias/A"]
    check_stage_events(events)
    assert [e["completed"] for e in events if e["event"].startswith("action_") and "completed" in e] == list(
        range(1, 8)
    )


def test_after_a_failure_without_continue_on_error_nothing_new_starts():
    # A fails while B, unrelated, is in flight: B ends, nothing else starts, the rest is skipped.
    edges = {"A": [], "B": [], "C": ["B"], "D": ["A"], "E": []}
    writer = GateWriter(fail=["A"])
    writer.waits["B"] = threading.Event()
    writer.waits["A"] = writer.started_event("B")

    class Hooks(object):
        def before_write(self, actions):
            return 0

        def after_write(self, seq, actions, outcome):
            if any(short(a.id) == "A" for a in actions):
                writer.waits["B"].set()

    result, events = walk(dag(edges), writer, write_concurrency=2, parallelism=2, hooks=Hooks())
    assert writer.timeouts == [] and result.stopped
    assert set(n for kind, n in writer.log if kind == "start") == {"A", "B"}
    reasons = dict((short(i), o.reason) for i, o in result.outcomes.items() if o.status == "skipped")
    assert reasons == {"C": STOPPED, "D": "upstream failed: firewall_alias/A", "E": STOPPED}
    check_stage_events(events)


def test_the_graph_the_planner_built_is_walked_not_built_again(monkeypatch):
    from ansible_collections.opnform.opnsense.plugins.plugin_utils import _graph

    p = dag({"A": [], "B": ["A"]})
    built = []
    real = _graph.build
    monkeypatch.setattr(_graph, "build", lambda actions: built.append(1) or real(actions))
    walk(p, GateWriter())
    assert built == []
    p.stages = [list(stage) for stage in p.stages]  # as read from a plan file
    result, _events = walk(p, GateWriter())
    assert built == [1] and [short(i) for i in result.completion] == ["A", "B"]


def test_a_create_that_waits_for_its_type_does_not_hold_a_slot_other_types_could_use():
    # VLAN creates leave the device name to OPNsense, so they go one at a time (``Throttle``). V1
    # holds until the alias A has started: were V2 handed to a worker to wait for V1, it would take
    # the second of two slots and A could not start before V1 ends.
    vlans = [
        Action(
            id="interfaces_vlan/v%d" % n,
            op="create",
            type="interfaces_vlan",
            name="V%d" % n,
            uuid="00000000-0000-4000-8000-%012d" % n,
            payload={"if": "igb1", "tag": str(100 + n)},
            order=n,
        )
        for n in (1, 2, 3)
    ]
    alias = Action(
        id="firewall_alias/A",
        op="create",
        type="firewall_alias",
        name="A",
        uuid="00000000-0000-4000-8000-000000000009",
        order=9,
    )
    actions = vlans + [alias]
    p = Plan(id="p", deployment="d", firewall="fw", actions=actions, stages=order_plan(actions))
    writer = GateWriter()
    writer.waits["v1"] = writer.started_event("A")
    result, _events = walk(p, writer, write_concurrency=2, parallelism=2)
    assert writer.timeouts == [] and len(result.completion) == 4
    vlan_writes = [(kind, name) for kind, name in writer.log if name.startswith("v")]
    assert vlan_writes == [
        ("start", "v1"),
        ("end", "v1"),
        ("start", "v2"),
        ("end", "v2"),
        ("start", "v3"),
        ("end", "v3"),
    ]
    # a release that computes the device name under the config lock takes them together
    writer = GateWriter(limit=2, hold_until_full=True)
    result, _events = walk(p, writer, write_concurrency=2, parallelism=2, firewall_version=(26, 7, 2))
    assert writer.timeouts == [] and writer.peak == 2 and len(result.completion) == 4
