"""The progress callback: swallows OPNFORM-EVENT lines, prints progress lines and the summary table."""

from __future__ import annotations

import os

import pytest
from ansible import constants as C

from ansible_collections.opnform.opnsense.plugins.callback.progress import CallbackModule
from ansible_collections.opnform.opnsense.plugins.plugin_utils import _progress as progress
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink, action_ref


class FakeDisplay(object):
    """Stands in for the Display singleton: records what reaches the screen."""

    def __init__(self, verbosity=0):
        self.verbosity = verbosity
        self.shown = []

    def display(self, msg, color=None, **kwargs):
        self.shown.append((msg, color))

    @property
    def text(self):
        return [entry[0] for entry in self.shown]


def json_lines(host, run_id="r1", fail=None, rollback=False):
    """The OPNFORM-EVENT lines an apply action plugin shows in json mode for a 2-stage, 3-action run."""
    lines = []
    sink = EventSink(run_id, None, [progress.LiveLines(host, lines.append, 0, "json")])
    plan = [
        [("create", "firewall_alias", "a"), ("create", "firewall_alias", "b")],
        [("update", "firewall_filter_rule", "r")],
    ]
    sink.emit("run_start", total=3, stages=2)
    done = 0
    for number, stage in enumerate(plan, 1):
        sink.emit("stage_start", stage=number, stages=2)
        for op, type_name, name in stage:
            ref = action_ref(op, type_name, name)
            sink.emit("action_start", stage=number, action=ref)
            done += 1
            if name == fail:
                sink.emit(
                    "action_failed",
                    stage=number,
                    action=ref,
                    completed=done,
                    total=3,
                    duration_ms=40,
                    error="firewall_alias/b: validation: bad value",
                )
            else:
                sink.emit("action_done", stage=number, action=ref, completed=done, total=3, duration_ms=10 * done)
        sink.emit("stage_done", stage=number, stages=2, completed=done, total=3, duration_ms=50)
        if fail:
            break
    sink.emit("reload_start", subsystem="aliases")
    sink.emit("reload_done", subsystem="aliases", status="ok", duration_ms=120)
    if fail and rollback:
        sink.emit("rollback_start", total=1)
        sink.emit("rollback_action", action=action_ref("create", "firewall_alias", "a"), status="ok", duration_ms=5)
        sink.emit("rollback_done", status="ok")
    sink.emit("run_done", status="failed" if fail else "ok", completed=done, total=3, duration_ms=300)
    return lines


@pytest.fixture
def make_callback(monkeypatch):
    monkeypatch.setenv(progress.CALLBACK_ENV, "0")  # restored after the test: the callback overwrites it

    def make(verbosity=0, **options):
        display = FakeDisplay(verbosity)
        callback = CallbackModule(display=display)
        callback._plugin_options = dict({"interval": 3600.0, "summary": True, "slowest": 3}, **options)
        return callback, display

    return make


def feed(display, lines):
    for line in lines:
        display.display(line)  # what the results thread does with a line proxied from a worker


def test_event_lines_are_replaced_by_progress_lines(make_callback):
    callback, display = make_callback()
    display.display("TASK [something else]")
    feed(display, json_lines("fw1"))
    text = display.text
    assert text[0] == "TASK [something else]"  # other output passes through untouched
    assert not any("OPNFORM-EVENT" in line for line in text)
    assert text[1] == "OPNFORM fw1 apply run r1 started: 3 actions in 2 stages"
    assert text[2].startswith("OPNFORM fw1 stage 1/2 | 0/3 actions 0% | elapsed ")
    assert text[3].startswith("OPNFORM fw1 stage 1/2 | 2/3 actions 66% | elapsed ") and text[3].endswith(" left")
    assert text[4].startswith("OPNFORM fw1 stage 2/2 | 2/3 actions 66% |")
    assert text[5].startswith("OPNFORM fw1 stage 2/2 | 3/3 actions 100% |")
    assert text[6].startswith("OPNFORM fw1 reloading aliases | 3/3 actions 100% | elapsed ")
    assert text[7] == "OPNFORM fw1 stage 2/2 | 3/3 actions 100% | elapsed 0.3s | ok"
    assert len(text) == 8 and display.shown[7][1] == C.COLOR_OK  # one line per action only at -v


def test_verbose_adds_one_line_per_action(make_callback):
    callback, display = make_callback(verbosity=1)
    feed(display, json_lines("fw1"))
    actions = [line for line in display.text if "firewall_" in line]
    assert actions == [
        "OPNFORM fw1 [1/3 33%] create firewall_alias/a ok 10ms",
        "OPNFORM fw1 [2/3 66%] create firewall_alias/b ok 20ms",
        "OPNFORM fw1 [3/3 100%] update firewall_filter_rule/r ok 30ms",
    ]


def test_interval_zero_prints_progress_after_every_action(make_callback):
    callback, display = make_callback(interval=0)
    feed(display, json_lines("fw1"))
    assert sum(1 for line in display.text if "| 1/3 actions 33% |" in line) == 1
    assert len(display.text) == 10  # start, 2 per stage, 3 after actions, the reload, end


def test_failures_and_rollback_are_always_shown(make_callback):
    callback, display = make_callback()
    feed(display, json_lines("fw1", fail="b", rollback=True))
    shown = dict(display.shown)
    failed = [line for line in shown if "FAILED" in line]
    assert failed == ["OPNFORM fw1 [2/3 66%] create firewall_alias/b FAILED 40ms - validation: bad value"]
    assert shown[failed[0]] == C.COLOR_ERROR
    assert any(line.endswith("ROLLBACK started") for line in shown)
    assert any(line.endswith("rollback ok") for line in shown)

    assert display.text[-1].endswith("| rolled back") and display.shown[-1][1] == C.COLOR_ERROR


def test_summary_table_per_firewall(make_callback):
    callback, display = make_callback()
    ok, bad = json_lines("fw1"), json_lines("fw2", run_id="r2", fail="b", rollback=True)
    feed(display, [line for pair in zip(ok, bad) for line in pair] + ok[len(bad) :])  # hosts interleave
    before = len(display.shown)
    callback.v2_playbook_on_stats(None)
    assert len(display.shown) == before + 1  # one display call: one ansible-runner job event
    summary = display.text[before].split("\n")
    assert summary[1] == "OPNFORM SUMMARY"
    assert summary[3].split() == ["fw1", "r1", "ok", "2", "1", "0", "0", "0", "0", "0", "0.3s"]
    assert summary[4].split() == ["fw2", "r2", "rolled", "back", "1", "0", "0", "0", "1", "0", "1", "0.3s"]
    assert "  fw1 r1 stages: 1/2 50ms (2 actions), 2/2 50ms (1 action)" in summary
    assert (
        "  fw1 r1 slowest: update firewall_filter_rule/r 30ms, create firewall_alias/b 20ms, "
        "create firewall_alias/a 10ms" in summary
    )
    assert "  fw2 r2 error: create firewall_alias/b: validation: bad value" in summary


def test_summary_can_be_turned_off_and_is_absent_without_runs(make_callback):
    callback, display = make_callback(summary=False)
    feed(display, json_lines("fw1"))
    before = len(display.shown)
    callback.v2_playbook_on_stats(None)
    assert len(display.shown) == before
    callback, display = make_callback()
    callback.v2_playbook_on_stats(None)
    assert display.shown == []


def test_it_tells_forked_workers_to_send_json(make_callback, monkeypatch):
    monkeypatch.delenv(progress.FORMAT_ENV, raising=False)
    assert progress.live_format(parent_pid=os.getpid()) == "text"  # the fixture's flag names no process
    make_callback()
    assert os.environ[progress.CALLBACK_ENV] == str(os.getpid())
    assert progress.live_format(parent_pid=os.getpid()) == "json"  # what a worker forked from here sees


def test_lines_in_a_worker_pass_through_to_the_proxy(make_callback):
    callback, display = make_callback()
    callback._pid = -1  # as seen from a forked worker: the line must reach the queue unparsed
    line = json_lines("fw1")[0]
    display.display(line)
    assert display.text == [line]


def test_a_second_instance_does_not_stack_hooks(make_callback):
    callback, display = make_callback()
    second = CallbackModule(display=display)
    second._plugin_options = dict(callback._plugin_options)
    feed(display, json_lines("fw1")[:1])
    assert display.text == ["OPNFORM fw1 apply run r1 started: 3 actions in 2 stages"]
    assert callback._runs == {} and len(second._runs) == 1


def test_a_torn_event_line_is_shown_as_is(make_callback):
    callback, display = make_callback()
    display.display("OPNFORM-EVENT {broken")
    assert display.text == ["OPNFORM-EVENT {broken"]
