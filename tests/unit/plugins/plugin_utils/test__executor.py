"""The executor with a fake writer: order, throttle, stop/continue on error, bulk deletes, undo steps."""

from __future__ import annotations

import threading
import time

from test__planner import ALIAS, CAT, RULE, applied, plan

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ValidationError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink
from ansible_collections.opnform.opnsense.plugins.plugin_utils._executor import Executor
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

    def write(self, actions):
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
    order = [c[0] for c in writer.calls]
    assert order.index("firewall_filter_rule/allow web") == len(order) - 1
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
