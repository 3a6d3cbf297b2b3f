"""Progress arithmetic, the live-line protocol and the listeners of ``_progress``."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat

import pytest

from ansible_collections.opnform.opnsense.plugins.plugin_utils import _progress as progress
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EVENTS, EventSink, action_ref
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor

SECRET = "s3cr3t-api-secret"


class Clock(object):
    """Event timestamps under test control."""

    def __init__(self, start=1000.0):
        self.t = start

    def tick(self, seconds):
        self.t += seconds
        return self.t


def sink_run(listeners, failing=None, rollback=False, redactor=None):
    """A two-stage run of 4 actions through a real EventSink, with controlled timestamps.

    Stage 1: create alias a (100 ms), create alias b (300 ms); stage 2: update rule r (200 ms),
    delete category c (100 ms). ``failing`` names an action that fails instead.
    """
    clock = Clock()
    sink = EventSink("r1", None, listeners, redactor or Redactor())
    real_emit = sink.emit

    def emit(event, **data):
        record = real_emit(event, **data)
        record["ts"] = clock.t  # deterministic: listeners already saw the record object itself
        return record

    # Replace timestamps before listeners see them: wrap listeners instead.
    sink.listeners = [_stamp(clock, listener) for listener in listeners]
    sink.emit = emit
    stages = [
        [("create", "firewall_alias", "a", 0.1), ("create", "firewall_alias", "b", 0.3)],
        [("update", "firewall_filter_rule", "r", 0.2), ("delete", "firewall_category", "c", 0.1)],
    ]
    total = 4
    completed = 0
    failed = False
    sink.emit("run_start", total=total, stages=2, summary={"create": 2, "update": 1, "delete": 1, "noop": 3})
    for number, stage in enumerate(stages, 1):
        clock.tick(0.02)
        sink.emit("stage_start", stage=number, stages=2)
        stage_began = clock.t
        for op, type_name, name, seconds in stage:
            ref = action_ref(op, type_name, name)
            if failed:
                completed += 1
                sink.emit(
                    "action_skipped",
                    stage=number,
                    action=ref,
                    status="not_run",
                    completed=completed,
                    total=total,
                    percent=progress.percent(completed, total),
                )
                continue
            sink.emit("action_start", stage=number, action=ref)
            clock.tick(seconds)
            completed += 1
            if name == failing:
                failed = True
                sink.emit(
                    "action_failed",
                    stage=number,
                    action=ref,
                    completed=completed,
                    total=total,
                    percent=progress.percent(completed, total),
                    duration_ms=int(seconds * 1000),
                    error="HTTP 500 from firewall (secret %s)" % SECRET,
                )
            else:
                sink.emit(
                    "action_done",
                    stage=number,
                    action=ref,
                    completed=completed,
                    total=total,
                    percent=progress.percent(completed, total),
                    duration_ms=int(seconds * 1000),
                )
        sink.emit(
            "stage_done",
            stage=number,
            stages=2,
            completed=completed,
            total=total,
            duration_ms=round((clock.t - stage_began) * 1000),
        )
        if failed:
            break
    clock.tick(0.05)
    sink.emit("reload_start", subsystem="aliases")
    clock.tick(0.15)
    sink.emit("reload_done", subsystem="aliases", status="ok", duration_ms=150)
    if failed and rollback:
        sink.emit("rollback_start", total=1)
        clock.tick(0.12)
        sink.emit("rollback_action", action=action_ref("create", "firewall_alias", "a"), status="ok", duration_ms=100)
        sink.emit("rollback_done", status="ok")
    clock.tick(0.03)
    sink.emit(
        "run_done",
        status="failed" if failed else "ok",
        completed=completed,
        total=total,
        duration_ms=round((clock.t - 1000.0) * 1000),
    )
    return clock


def _stamp(clock, listener):
    def call(record):
        record["ts"] = clock.t
        listener(record)

    return call


def collect():
    events = []
    return events, events.append


# -- arithmetic -----------------------------------------------------------------------------------


def test_time_left_is_the_completed_action_rate_applied_to_what_is_left():
    assert progress.time_left(10, 40, 5.0) == pytest.approx(15.0)
    assert progress.time_left(40, 40, 5.0) == 0.0
    assert progress.time_left(0, 40, 5.0) is None
    assert progress.time_left(3, None, 5.0) is None
    assert progress.percent(1, 3) == 33
    assert progress.percent(0, 0) == 100


@pytest.mark.parametrize(
    "seconds,text",
    [(None, "?"), (0.04, "0.0s"), (4.06, "4.1s"), (125, "2m05s"), (3725, "1h02m")],
)
def test_fmt_seconds(seconds, text):
    assert progress.fmt_seconds(seconds) == text


def test_tracker_folds_a_clean_run():
    events, listener = collect()
    sink_run([listener])
    tracker = progress.Tracker()
    seen = []
    for event in events:
        tracker.feed(event)
        if event["event"] == "action_done" and event["action"]["name"] == "b":
            # 2 of 4 done 0.4 s after the first stage started -> 0.4 s left; 0.42 s since run_start
            seen.append((tracker.completed, tracker.percent, tracker.elapsed(), tracker.eta(), tracker.stage))
    assert seen == [(2, 50, pytest.approx(0.42), pytest.approx(0.4), 1)]
    assert tracker.result() == "ok"
    assert tracker.done == {"create": 2, "update": 1, "delete": 1, "noop": 0}
    assert (tracker.failed, tracker.skipped, tracker.rolled_back) == (0, 0, 0)
    assert tracker.unchanged == 3  # from the run's plan counts: the engine emits no noop actions
    assert tracker.eta() == 0.0 and tracker.percent == 100
    assert [(k, v["actions"]) for k, v in sorted(tracker.stage_times.items())] == [(1, 2), (2, 2)]
    assert tracker.stage_times[1]["duration_ms"] == 400
    assert [a["name"] for a in tracker.slowest(2)] == ["b", "r"]
    assert tracker.reloads == [{"subsystem": "aliases", "status": "ok", "duration_ms": 150.0}]


def test_tracker_failure_with_rollback():
    events, listener = collect()
    sink_run([listener], failing="b", rollback=True)
    (tracker,) = progress.trackers_from(events)
    assert tracker.run_id == "r1"
    assert tracker.result() == "rolled back"
    assert (tracker.done["create"], tracker.failed, tracker.skipped, tracker.rolled_back) == (1, 1, 0, 1)
    assert tracker.completed == 2 and tracker.total == 4  # the rollback's own total does not replace the run's
    assert tracker.errors and "HTTP 500" in tracker.errors[0]


@pytest.mark.parametrize(
    "tail,result",
    [
        ([], "running"),
        ([{"event": "rollback_start"}], "rolling back"),
        ([{"event": "rollback_start"}, {"event": "rollback_done", "status": "ok"}], "running"),
        ([{"event": "rollback_done", "status": "ok"}, {"event": "run_done", "status": "rolled_back"}], "rolled back"),
        (
            [{"event": "rollback_done", "status": "failed"}, {"event": "run_done", "status": "failed"}],
            "rollback failed",
        ),
        (
            [{"event": "rollback_action", "status": "failed"}, {"event": "run_done", "status": "failed"}],
            "rollback failed",
        ),
        ([{"event": "rollback_done", "status": "ok"}, {"event": "run_done", "status": "unreachable"}], "unreachable"),
        ([{"event": "run_done", "status": "rollback_failed"}], "rollback failed"),
        ([{"event": "run_done", "status": "failed"}], "failed"),
    ],
)
def test_tracker_result(tail, result):
    tracker = progress.Tracker()
    for event in [{"event": "run_start", "total": 1}] + tail:
        tracker.feed(event)
    assert tracker.result() == result


def test_tracker_counts_itself_when_events_carry_no_counts():
    tracker = progress.Tracker("fw1")
    tracker.feed({"event": "run_start", "ts": 1.0, "total": 2})
    tracker.feed({"event": "action_done", "ts": 2.0, "action": action_ref("create", "t", "x")})
    assert (tracker.completed, tracker.percent, tracker.eta()) == (1, 50, pytest.approx(1.0))


# -- live lines -----------------------------------------------------------------------------------


def lines_at(verbosity, fmt="text", **run):
    out = []
    sink_run([progress.LiveLines("fw1", out.append, verbosity, fmt)], **run)
    return out


def test_default_verbosity_shows_one_line_per_stage_and_every_failure():
    clean = lines_at(0)
    assert [line.split(" ")[0:2] for line in clean] == [["OPNFORM", "fw1"]] * 3
    assert "stage 1/2 done" in clean[0] and "stage 2/2 done" in clean[1] and "run r1 ok" in clean[2]
    # stage lines carry the same arithmetic as the callback: 2/4 done in 0.4 s -> 0.4 s left
    assert clean[0] == "OPNFORM fw1 [2/4 50%] stage 1/2 done 400ms | elapsed 0.4s | about 0.4s left"
    failed = lines_at(0, failing="b", rollback=True)
    kinds = [line for line in failed if "FAILED" in line]
    assert len(kinds) == 1 and "create firewall_alias/b" in kinds[0]
    assert any("ROLLBACK started" in line for line in failed)
    assert any("rollback ok" in line for line in failed)


def test_verbose_shows_one_line_per_action():
    lines = lines_at(1)
    actions = [line for line in lines if "firewall_" in line]
    assert [line.split("] ")[1] for line in actions] == [
        "create firewall_alias/a ok 100ms",
        "create firewall_alias/b ok 300ms",
        "update firewall_filter_rule/r ok 200ms",
        "delete firewall_category/c ok 100ms",
    ]
    assert len(lines_at(2)) > len(lines) > len(lines_at(0))


def test_json_form_carries_every_event_and_the_host():
    lines = lines_at(0, "json")
    events = [progress.parse_line(line) for line in lines]
    assert all(line.startswith("OPNFORM-EVENT {") for line in lines)
    assert [e["event"] for e in events][:3] == ["run_start", "stage_start", "action_start"]
    assert len(events) == 16 and all(e["host"] == "fw1" and e["run_id"] == "r1" for e in events)
    assert lines_at(0, "none") == []


def test_parse_line_ignores_other_text():
    assert progress.parse_line("OPNFORM fw1 [1/2 50%] create a/b ok") is None
    assert progress.parse_line("OPNFORM-EVENT {not json") is None
    assert progress.parse_line("OPNFORM-EVENT [1]") is None
    assert progress.parse_line(None) is None
    assert progress.parse_line('OPNFORM-EVENT {"event": "run_done"}\n') == {"event": "run_done"}


@pytest.mark.parametrize(
    "env,parent,expected",
    [
        ({}, 10, "text"),
        ({progress.CALLBACK_ENV: "10"}, 10, "json"),
        ({progress.CALLBACK_ENV: "99"}, 10, "text"),  # inherited by a nested ansible-playbook
        ({progress.CALLBACK_ENV: "10", progress.FORMAT_ENV: "text"}, 10, "text"),
        ({progress.FORMAT_ENV: "JSON"}, 10, "json"),
        ({progress.FORMAT_ENV: "none"}, 10, "none"),
        ({progress.FORMAT_ENV: "bogus"}, 10, "text"),
    ],
)
def test_live_format(env, parent, expected):
    assert progress.live_format(env, parent_pid=parent) == expected


class FakeDisplay(object):
    verbosity = 1

    def __init__(self):
        self.lines = []

    def display(self, msg, **kwargs):
        self.lines.append(msg)


def test_listeners_follow_the_environment(tmp_path):
    display = FakeDisplay()
    path = str(tmp_path / "p.jsonl")
    found = progress.listeners("fw1", display, None, {progress.FILE_ENV: path, progress.FORMAT_ENV: "text"})
    assert [type(x).__name__ for x in found] == ["LiveLines", "ProgressFile"]
    assert found[0].verbosity == 1 and found[1].path == path
    # the task option wins over the environment variable
    other = str(tmp_path / "q.jsonl")
    assert progress.listeners("fw1", display, other, {progress.FILE_ENV: path})[1].path == other
    assert progress.listeners("fw1", display, None, {progress.FORMAT_ENV: "none"}) == []


# -- progress file ---------------------------------------------------------------------------------


def test_progress_file_appends_scrubbed_events_with_the_host(tmp_path):
    path = tmp_path / "watch" / "progress.jsonl"
    sink_run([progress.ProgressFile(str(path), "fw1")], failing="b", redactor=Redactor([SECRET]))
    sink_run([progress.ProgressFile(str(path), "fw2")])
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    text = path.read_text()
    assert SECRET not in text and "********" in text
    events = progress.read_events(str(path))
    assert [t.host for t in progress.trackers_from(events)] == ["fw1", "fw2"]
    assert [t.result() for t in progress.trackers_from(events)] == ["failed", "ok"]


def _append_many(path, host):
    writer = progress.ProgressFile(path, host)
    for number in range(300):
        writer({"event": "action_done", "run_id": host, "ts": number, "error": "x" * 200})


def test_progress_file_lines_never_interleave_between_processes(tmp_path):
    path = str(tmp_path / "progress.jsonl")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(path, "fw%d" % n)) for n in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
    lines = open(path).read().splitlines()
    assert len(lines) == 1200
    assert sorted(set(json.loads(line)["host"] for line in lines)) == ["fw0", "fw1", "fw2", "fw3"]


# -- summary ---------------------------------------------------------------------------------------


def test_summary_table():
    events, listener = collect()
    sink_run([listener])
    ok = progress.Tracker("fw1")
    for event in events:
        ok.feed(event)
    events2, listener2 = collect()
    sink_run([listener2], failing="b", rollback=True)
    bad = progress.Tracker("fw2")
    for event in events2:
        bad.feed(event)
    lines = progress.summary_lines([ok, bad], slowest=2)
    assert lines[0] == "OPNFORM SUMMARY"
    assert lines[1].split() == [
        "host",
        "run",
        "result",
        "created",
        "updated",
        "deleted",
        "unchanged",
        "failed",
        "skipped",
        "rolled",
        "back",
        "time",
    ]
    assert lines[2].split() == ["fw1", "r1", "ok", "2", "1", "1", "3", "0", "0", "0", "1.0s"]
    assert lines[3].split() == ["fw2", "r1", "rolled", "back", "1", "0", "0", "3", "1", "0", "1", "0.8s"]
    text = "\n".join(lines)
    assert "fw1 r1 stages: 1/2 400ms (2 actions), 2/2 300ms (2 actions)" in text
    assert "fw1 r1 slowest: create firewall_alias/b 300ms, update firewall_filter_rule/r 200ms" in text
    assert "fw1 r1 reloads: aliases ok 150ms" in text
    assert "fw2 r1 error: create firewall_alias/b: HTTP 500" in text
    assert progress.summary_lines([]) == []


def test_progress_line():
    events, listener = collect()
    sink_run([listener])
    tracker = progress.Tracker("fw1")
    for event in events[:5]:  # run_start, stage_start, a start+done, b start
        tracker.feed(event)
    assert progress.progress_line(tracker, now=1000.32) == (
        "OPNFORM fw1 stage 1/2 | 1/4 actions 25% | elapsed 0.3s | about 0.9s left"
    )
    for event in events[5:]:
        tracker.feed(event)
    assert progress.progress_line(tracker).endswith("| 4/4 actions 100% | elapsed 1.0s | ok")


def test_a_run_without_changes():
    tracker = progress.Tracker("fw1", "r9")
    tracker.feed({"event": "run_start", "ts": 1.0, "total": 0, "stages": 0, "summary": {"noop": 7, "create": 0}})
    assert progress.start_line(tracker) == "OPNFORM fw1 apply run r9: nothing to change (7 unchanged)"
    tracker.feed({"event": "run_done", "ts": 1.2, "status": "ok", "total": 0, "completed": 0, "duration_ms": 200})
    assert progress.progress_line(tracker) == "OPNFORM fw1 no changes (7 unchanged) | elapsed 0.2s | ok"
    assert tracker.percent == 100 and tracker.unchanged == 7


def test_start_line():
    tracker = progress.Tracker("fw1", "r1")
    tracker.feed({"event": "run_start", "total": 1, "stages": 1})
    assert progress.start_line(tracker) == "OPNFORM fw1 apply run r1 started: 1 action in 1 stage"


def test_reload_line_says_whether_it_is_part_of_the_rollback():
    tracker = progress.Tracker("fw1")
    tracker.feed({"event": "run_start", "ts": 10.0, "total": 4})
    tracker.feed(
        {"event": "action_done", "ts": 11.0, "completed": 4, "total": 4, "action": action_ref("create", "t", "x")}
    )
    assert progress.reload_line(tracker, "aliases", now=12.5) == (
        "OPNFORM fw1 reloading aliases | 4/4 actions 100% | elapsed 2.5s"
    )
    tracker.feed({"event": "rollback_start", "ts": 13.0, "total": 4})
    assert progress.reload_line(tracker, "filter", now=14.0).startswith("OPNFORM fw1 reloading filter to roll back |")


def test_errors_do_not_repeat_the_resource():
    event = {
        "event": "action_failed",
        "action": action_ref("create", "firewall_alias", "b"),
        "completed": 1,
        "total": 2,
        "error": "firewall_alias/b: content: bad",
    }
    assert progress.text_line(event, "fw1") == "OPNFORM fw1 [1/2 50%] create firewall_alias/b FAILED - content: bad"
    assert progress.short_error(dict(event, error="other/x: y")) == "other/x: y"


# -- the origin design's names ----------------------------------------------------------------------


def test_origin_names_map_onto_ours():
    mapped = [name for names in progress.ORIGIN_EVENTS.values() for name in names]
    assert len(mapped) == len(set(mapped)) and set(mapped) <= set(EVENTS)
    assert set(EVENTS) - set(mapped) == {
        "reload_start",
        "reload_done",
        "rollback_start",
        "rollback_action",
        "rollback_done",
    }
    assert list(progress.ORIGIN_EVENTS) == ["start", "stage:start", "action:update", "stage:complete", "complete"]


def test_to_origin_payloads():
    events, listener = collect()
    sink_run([listener], failing="b")
    tracker = progress.Tracker()
    converted = []
    for event in events:
        tracker.feed(event)
        converted.append(progress.to_origin(event, tracker))
    names = [c[0] for c in converted if c]
    assert names[0] == "start" and names[-1] == "complete"
    updates = [c[1] for c in converted if c and c[0] == "action:update"]
    assert [u["status"] for u in updates] == ["running", "complete", "running", "failed"]
    assert converted[0][1] == {"totalActions": 4}
    assert converted[-1][1]["stages"] == [{"stage": 1, "duration": 400}]
    assert progress.to_origin({"event": "reload_done"}) is None
