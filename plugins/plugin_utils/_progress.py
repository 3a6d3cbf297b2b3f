# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress arithmetic and the live-line protocol, shared by everything that shows an apply's events.

The engine emits events (``_events``, design.md 5); this module only *reads* them, so the apply
action plugin, the ``opnform.opnsense.progress`` callback and any external watcher of a
``progress_file`` show the same numbers. It owns:

- :class:`Tracker`: folds the events of one run (one firewall) into progress (stage i/n, actions
  done/total, percent, elapsed, estimated time left) and a summary (created, updated, deleted,
  unchanged, failed, skipped, rolled back, time per stage, slowest actions).
  The time left is the completed-action rate since execution started applied to the actions left.
- The live-line protocol between the action plugin (in a worker process) and the callback (in the
  main process): :func:`live_format` picks the form, :func:`line_level` the verbosity of a readable
  line, :func:`json_line` / :func:`parse_line` the machine form ``OPNFORM-EVENT {json}``.
  ``docs/progress.md`` describes it.
- :class:`LiveLines` and :class:`ProgressFile`: the two listeners the action plugin hands to
  ``EventSink``; :func:`listeners` builds them.
- :data:`ORIGIN_EVENTS` / :func:`to_origin`: the event names of the original design (``origin/``).

No Ansible imports: an external watcher can use it with nothing but the collection importable.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import LINE_TAG, json_line, render_line

# Environment: the live form (auto|text|json|none), the progress file, and the flag the callback sets
# (to the main process's pid) so that the workers it forks know a renderer is listening.
FORMAT_ENV = "OPNFORM_PROGRESS_FORMAT"
FILE_ENV = "OPNFORM_PROGRESS_FILE"
CALLBACK_ENV = "OPNFORM_PROGRESS_CALLBACK"
FORMATS = ("auto", "text", "json", "none")
JSON_TAG = LINE_TAG + "-EVENT "

ACTION_EVENTS = ("action_start", "action_done", "action_failed", "action_skipped")
FAILED = ("failed", "error", "unreachable")
OPS = ("create", "update", "delete", "noop")

# The original design's event names (origin/phase-3-execution-engine.md, ExecutionProgress) and the
# events they correspond to. ``action:update`` carried a status; here each status is its own event.
ORIGIN_EVENTS: Dict[str, Tuple[str, ...]] = {
    "start": ("run_start",),
    "stage:start": ("stage_start",),
    "action:update": ("action_start", "action_done", "action_failed", "action_skipped"),
    "stage:complete": ("stage_done",),
    "complete": ("run_done",),
}
ORIGIN_STATUS = {
    "action_start": "running",
    "action_done": "complete",
    "action_failed": "failed",
    "action_skipped": "skipped",
}

Emit = Callable[[str], Any]


# -- the live-line protocol ----------------------------------------------------------------------


def live_format(environ: Optional[Mapping[str, str]] = None, parent_pid: Optional[int] = None) -> str:
    """The form of the live lines an action plugin shows: ``text``, ``json`` or ``none``.

    ``OPNFORM_PROGRESS_FORMAT`` decides when it is ``text``, ``json`` or ``none``. Otherwise
    (``auto``, the default) it is ``json`` when the progress callback runs in the process that
    forked this worker (it sets ``OPNFORM_PROGRESS_CALLBACK`` to its pid, which a nested
    ``ansible-playbook`` without the callback inherits but does not match), else ``text``.
    """
    env = os.environ if environ is None else environ
    value = (env.get(FORMAT_ENV) or "auto").strip().lower()
    if value in FORMATS and value != "auto":
        return value
    flag = (env.get(CALLBACK_ENV) or "").strip()
    parent = os.getppid() if parent_pid is None else parent_pid
    if flag and flag in (str(parent), str(os.getpid())):
        return "json"
    return "text"


def line_level(event: Mapping[str, Any]) -> int:
    """The verbosity from which the readable line of ``event`` shows.

    0 (always): a line per stage, every failure, the rollback and the end of the run; 1 (``-v``):
    a line per action, reload and undo; 2 (``-vv``): starts of runs, stages, actions and reloads.
    """
    kind = event.get("event")
    status = str(event.get("status") or "").lower()
    if kind in ("stage_done", "action_failed", "rollback_start", "rollback_done", "run_done"):
        return 0
    if kind in ("reload_done", "rollback_action", "action_skipped") and status in FAILED:
        return 0
    if kind in ("action_done", "action_skipped", "reload_done", "rollback_action"):
        return 1
    return 2


def event_line(event: Mapping[str, Any], host: str = "") -> str:
    """The machine form of an event for live output: ``OPNFORM-EVENT {json}``, naming the host."""
    record = dict(event)
    if host:
        record["host"] = host
    return json_line(record)


def parse_line(text: Any) -> Optional[Dict[str, Any]]:
    """The event in a ``OPNFORM-EVENT {json}`` line, or None for any other text."""
    if not isinstance(text, str) or not text.startswith(JSON_TAG):
        return None
    try:
        event = json.loads(text[len(JSON_TAG) :].strip())
    except ValueError:
        return None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        return None
    return event


# -- arithmetic ----------------------------------------------------------------------------------


def percent(completed: int, total: Optional[int]) -> int:
    if not total:
        return 100 if total == 0 else 0
    return int(100 * min(completed, total) / total)


def time_left(completed: int, total: Optional[int], spent: float) -> Optional[float]:
    """Seconds left at the rate so far (``spent`` seconds for ``completed`` actions); None if unknown."""
    if total is None:
        return None
    if completed >= total:
        return 0.0
    if completed <= 0 or spent <= 0:
        return None
    return spent / completed * (total - completed)


def fmt_seconds(seconds: Optional[float]) -> str:
    """``0.4s``, ``12.3s``, ``2m05s``, ``1h02m``; ``?`` when unknown."""
    if seconds is None:
        return "?"
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return "%.1fs" % seconds
    if seconds < 3600:
        return "%dm%02ds" % (seconds // 60, seconds % 60)
    return "%dh%02dm" % (seconds // 3600, (seconds % 3600) // 60)


def fmt_ms(ms: Any) -> str:
    try:
        value = float(ms)
    except (TypeError, ValueError):
        return "?"
    return "%dms" % value if value < 1000 else fmt_seconds(value / 1000.0)


def action_label(action: Any) -> str:
    if not isinstance(action, dict):
        return "?"
    return "%s %s/%s" % (action.get("op"), action.get("type"), action.get("name"))


def short_error(event: Mapping[str, Any]) -> str:
    """The event's error without a leading ``type/name:`` that the line already shows."""
    error = str(event.get("error") or "")
    action = event.get("action")
    if isinstance(action, dict):
        prefix = "%s/%s: " % (action.get("type"), action.get("name"))
        if error.startswith(prefix):
            return error[len(prefix) :]
    return error


# -- one run ------------------------------------------------------------------------------------


class Tracker(object):
    """The progress and summary of one run on one firewall, folded from its events in order.

    Counts come from the engine's own fields when an event has them (``completed``, ``total``,
    ``stage``, ``stages``, ``duration_ms``), so this never disagrees with the engine; it only counts
    itself what no event states.
    """

    def __init__(self, host: str = "", run_id: str = "") -> None:
        self.host = host
        self.run_id = run_id
        self.started: Optional[float] = None  # run_start
        self.exec_started: Optional[float] = None  # first stage or action: the rate counts from here
        self.last_ts: Optional[float] = None
        self.stage: Optional[int] = None
        self.stages: Optional[int] = None
        self.total: Optional[int] = None
        self._completed: Optional[int] = None  # as the engine last said
        self.finished_actions = 0  # done + failed + skipped events seen
        self.done: Dict[str, int] = dict((op, 0) for op in OPS)
        self.failed = 0
        self.skipped = 0
        self.planned: Dict[str, int] = {}
        self.rollback = False
        self.rolled_back = 0
        self.undo_failed = 0
        self.rollback_status: Optional[str] = None
        self.status: Optional[str] = None
        self.duration_ms: Optional[float] = None
        self.stage_times: Dict[Any, Dict[str, Any]] = {}
        self.reloads: List[Dict[str, Any]] = []
        self.actions: List[Dict[str, Any]] = []  # finished actions with their time
        self.errors: List[str] = []
        self.events = 0

    # folding

    def feed(self, event: Mapping[str, Any]) -> None:
        kind = event.get("event")
        ts = _number(event.get("ts"))
        if ts is not None:
            self.last_ts = ts if self.last_ts is None else max(self.last_ts, ts)
        self.events += 1
        if event.get("run_id") and not self.run_id:
            self.run_id = str(event["run_id"])
        if event.get("host") and not self.host:
            self.host = str(event["host"])
        for key in ("stages", "total"):
            value = _int(event.get(key))
            if value is not None and kind not in ("rollback_start", "rollback_action", "rollback_done"):
                setattr(self, key, value)
        if kind not in ("rollback_start", "rollback_action", "rollback_done"):
            completed = _int(event.get("completed"))
            if completed is not None:
                self._completed = completed
        getattr(self, "_on_" + str(kind), self._on_other)(event, ts)

    def _on_other(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        pass

    def _on_run_start(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self.started = ts
        self.status = "running"
        for key in ("summary", "counts", "plan"):
            value = event.get(key)
            if isinstance(value, dict):
                self.planned = dict((k, v) for k, v in value.items() if isinstance(v, int))
                break

    def _exec(self, ts: Optional[float]) -> None:
        if self.exec_started is None:
            self.exec_started = ts

    def _on_stage_start(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self._exec(ts)
        self.stage = _int(event.get("stage"), self.stage)
        self.stage_times.setdefault(self.stage, {"start": ts, "duration_ms": None, "actions": 0})

    def _on_stage_done(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        stage = _int(event.get("stage"), self.stage)
        entry = self.stage_times.setdefault(stage, {"start": None, "duration_ms": None, "actions": 0})
        duration = _number(event.get("duration_ms"))
        if duration is None and entry.get("start") is not None and ts is not None:
            duration = round((ts - entry["start"]) * 1000.0, 1)
        entry["duration_ms"] = duration
        if event.get("status"):
            entry["status"] = event["status"]

    def _on_action_start(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self._exec(ts)

    def _finish_action(self, event: Mapping[str, Any], outcome: str) -> None:
        self.finished_actions += 1
        stage = _int(event.get("stage"), self.stage)
        if stage in self.stage_times:
            self.stage_times[stage]["actions"] += 1
        action = event.get("action") if isinstance(event.get("action"), dict) else {}
        self.actions.append(
            {
                "op": action.get("op"),
                "type": action.get("type"),
                "name": action.get("name"),
                "outcome": outcome,
                "duration_ms": _number(event.get("duration_ms")),
            }
        )

    def _on_action_done(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        action = event.get("action") if isinstance(event.get("action"), dict) else {}
        op = str(action.get("op") or "")
        self.done[op] = self.done.get(op, 0) + 1
        self._finish_action(event, "ok")

    def _on_action_failed(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self.failed += 1
        if event.get("error"):
            self.errors.append("%s: %s" % (action_label(event.get("action")), short_error(event)))
        self._finish_action(event, "failed")

    def _on_action_skipped(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self.skipped += 1
        self._finish_action(event, "skipped")

    def _on_reload_done(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self.reloads.append(
            {
                "subsystem": event.get("subsystem"),
                "status": event.get("status", "ok"),
                "duration_ms": _number(event.get("duration_ms")),
            }
        )
        if str(event.get("status") or "").lower() in FAILED and event.get("error"):
            self.errors.append("reload %s: %s" % (event.get("subsystem"), event["error"]))

    def _on_rollback_start(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self.rollback = True

    def _on_rollback_action(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self.rollback = True
        if str(event.get("status") or "ok").lower() in FAILED:
            self.undo_failed += 1
            if event.get("error"):
                self.errors.append("undo %s: %s" % (action_label(event.get("action")), short_error(event)))
        else:
            self.rolled_back += 1

    def _on_rollback_done(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self.rollback = True
        self.rollback_status = str(event.get("status") or "ok")

    def _on_run_done(self, event: Mapping[str, Any], ts: Optional[float]) -> None:
        self.status = str(event.get("status") or "ok")
        duration = _number(event.get("duration_ms"))
        if duration is None and self.started is not None and ts is not None:
            duration = round((ts - self.started) * 1000.0, 1)
        self.duration_ms = duration

    # reading

    @property
    def completed(self) -> int:
        return self._completed if self._completed is not None else self.finished_actions

    @property
    def percent(self) -> int:
        return percent(self.completed, self.total)

    @property
    def finished(self) -> bool:
        return self.status not in (None, "running")

    @property
    def unchanged(self) -> int:
        """Noop actions: reported by events when the engine emits them, else from the run's plan counts."""
        return self.done.get("noop", 0) or int(self.planned.get("noop", 0) or 0)

    def elapsed(self, now: Optional[float] = None) -> Optional[float]:
        if self.finished and self.duration_ms is not None:
            return self.duration_ms / 1000.0
        now = self.last_ts if now is None else now
        start = self.started if self.started is not None else self.exec_started
        if start is None or now is None:
            return None
        return max(0.0, now - start)

    def eta(self, now: Optional[float] = None) -> Optional[float]:
        """Seconds left, from the completed-action rate since execution started."""
        if self.finished:
            return 0.0
        now = self.last_ts if now is None else now
        start = self.exec_started if self.exec_started is not None else self.started
        if start is None or now is None:
            return None
        return time_left(self.completed, self.total, now - start)

    def result(self) -> str:
        """``ok``, ``failed``, ``rolled back``, ``rollback failed``, ``unreachable``, ``running`` or
        ``rolling back``: the run's final status (``run_done``), in words."""
        status = (self.status or "running").lower()
        if status == "running":
            return "rolling back" if self.rollback and self.rollback_status is None else "running"
        if status == "failed" and self.rollback:
            # the engine names the rollback in run_done; this covers a stream that only has rollback_done
            undo = (self.rollback_status or "").lower()
            return "rollback failed" if undo in FAILED or self.undo_failed else "rolled back"
        return status.replace("_", " ")

    def slowest(self, count: int = 3) -> List[Dict[str, Any]]:
        timed = [a for a in self.actions if a["duration_ms"] is not None and a["outcome"] != "skipped"]
        return sorted(timed, key=lambda a: -a["duration_ms"])[: max(0, count)]


# -- rendering ----------------------------------------------------------------------------------


def _head(tracker: Tracker) -> str:
    return " ".join([LINE_TAG] + ([tracker.host] if tracker.host else []))


def _plural(count: Any, word: str) -> str:
    return "%s %s%s" % (count, word, "" if count == 1 else "s")


def start_line(tracker: Tracker) -> str:
    """``OPNFORM fw1 apply run <id> started: 40 actions in 3 stages`` (or: nothing to change)."""
    if tracker.total == 0:
        return "%s apply run %s: nothing to change (%d unchanged)" % (_head(tracker), tracker.run_id, tracker.unchanged)
    total = "?" if tracker.total is None else tracker.total
    return "%s apply run %s started: %s in %s" % (
        _head(tracker),
        tracker.run_id,
        _plural(total, "action"),
        _plural(tracker.stages or 0, "stage"),
    )


def progress_line(tracker: Tracker, now: Optional[float] = None) -> str:
    """``OPNFORM fw1 stage 2/3 | 12/40 actions 30% | elapsed 4.1s | about 9.5s left``."""
    elapsed = "elapsed %s" % fmt_seconds(tracker.elapsed(now))
    if tracker.finished:
        left = tracker.result()
    else:
        eta = tracker.eta(now)
        left = "time left unknown" if eta is None else "about %s left" % fmt_seconds(eta)
    if tracker.total == 0:
        return "%s no changes (%d unchanged) | %s | %s" % (_head(tracker), tracker.unchanged, elapsed, left)
    stage = "stage %s/%s" % (tracker.stage if tracker.stage is not None else "-", tracker.stages or "-")
    total = "?" if tracker.total is None else tracker.total
    counts = "%s/%s actions %d%%" % (tracker.completed, total, tracker.percent)
    return "%s %s | %s | %s | %s" % (_head(tracker), stage, counts, elapsed, left)


def reload_line(tracker: Tracker, subsystem: Any, now: Optional[float] = None) -> str:
    """``OPNFORM fw1 reloading aliases | 5/5 actions 100% | elapsed 0.3s``: reloads can be the longest step."""
    total = "?" if tracker.total is None else tracker.total
    return "%s reloading %s%s | %s/%s actions %d%% | elapsed %s" % (
        _head(tracker),
        subsystem,
        " to roll back" if tracker.rollback else "",
        tracker.completed,
        total,
        tracker.percent,
        fmt_seconds(tracker.elapsed(now)),
    )


def text_line(event: Mapping[str, Any], host: str = "", tracker: Optional[Tracker] = None) -> str:
    """The readable line of an event: ``render_line``, plus elapsed / time left after a stage."""
    record = dict(event)
    if record.get("percent") is None and record.get("completed") is not None and record.get("total") is not None:
        record["percent"] = percent(_int(record["completed"]) or 0, _int(record["total"]))
    if record.get("error"):
        record["error"] = short_error(record)
    line = render_line(record, host)
    if tracker is not None and event.get("event") == "stage_done":
        eta = tracker.eta()
        line += " | elapsed %s | %s" % (
            fmt_seconds(tracker.elapsed()),
            "time left unknown" if eta is None else "about %s left" % fmt_seconds(eta),
        )
    return line


def summary_lines(trackers: Iterable[Tracker], slowest: int = 3) -> List[str]:
    """The end-of-play table: one row per run, then per run its stage times and slowest actions."""
    trackers = list(trackers)
    if not trackers:
        return []
    header = [
        "host",
        "run",
        "result",
        "created",
        "updated",
        "deleted",
        "unchanged",
        "failed",
        "skipped",
        "rolled back",
        "time",
    ]
    rows = []
    for t in trackers:
        rows.append(
            [
                t.host or "?",
                t.run_id or "?",
                t.result(),
                str(t.done.get("create", 0)),
                str(t.done.get("update", 0)),
                str(t.done.get("delete", 0)),
                str(t.unchanged),
                str(t.failed),
                str(t.skipped),
                str(t.rolled_back),
                fmt_seconds(t.elapsed()),
            ]
        )
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    numeric = set(range(3, len(header)))

    def fmt(row: List[str]) -> str:
        cells = [c.rjust(widths[i]) if i in numeric else c.ljust(widths[i]) for i, c in enumerate(row)]
        return "  ".join(cells).rstrip()

    out = ["%s SUMMARY" % LINE_TAG, fmt(header)] + [fmt(r) for r in rows]
    for t in trackers:
        who = "%s %s" % (t.host or "?", t.run_id or "?")
        if t.stage_times:
            stages = []
            for number, entry in sorted(t.stage_times.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
                stages.append(
                    "%s/%s %s (%d action%s)"
                    % (
                        number,
                        t.stages or "?",
                        fmt_ms(entry.get("duration_ms")),
                        entry["actions"],
                        "" if entry["actions"] == 1 else "s",
                    )
                )
            out.append("  %s stages: %s" % (who, ", ".join(stages)))
        if t.reloads:
            out.append(
                "  %s reloads: %s"
                % (
                    who,
                    ", ".join("%s %s %s" % (r["subsystem"], r["status"], fmt_ms(r["duration_ms"])) for r in t.reloads),
                )
            )
        top = t.slowest(slowest)
        if top:
            out.append(
                "  %s slowest: %s"
                % (who, ", ".join("%s %s" % (action_label(a), fmt_ms(a["duration_ms"])) for a in top))
            )
        for error in t.errors:
            out.append("  %s error: %s" % (who, error))
    return out


# -- the origin design's names ----------------------------------------------------------------


def origin_name(event: Mapping[str, Any]) -> Optional[str]:
    """The original design's name for an event (None for reload and rollback events it never had)."""
    kind = event.get("event")
    for name, ours in ORIGIN_EVENTS.items():
        if kind in ours:
            return name
    return None


def to_origin(event: Mapping[str, Any], tracker: Optional[Tracker] = None) -> Optional[Tuple[str, Dict[str, Any]]]:
    """The event as the origin design's ``ExecutionProgress`` emitted it: ``(name, payload)``."""
    name = origin_name(event)
    if name is None:
        return None
    kind = event.get("event")
    if name == "start":
        return name, {"totalActions": event.get("total")}
    if name == "stage:start":
        return name, {"stage": event.get("stage"), "actions": event.get("actions", event.get("total"))}
    if name == "action:update":
        return name, {
            "stage": event.get("stage"),
            "action": event.get("action"),
            "status": ORIGIN_STATUS[str(kind)],
            "progress": event.get("percent"),
        }
    if name == "stage:complete":
        return name, {"stage": event.get("stage"), "duration": event.get("duration_ms")}
    stages = []
    if tracker is not None:
        stages = [
            dict(stage=k, duration=v.get("duration_ms"))
            for k, v in sorted(tracker.stage_times.items(), key=lambda kv: kv[0] or 0)
        ]
    return name, {"duration": event.get("duration_ms"), "stages": stages}


# -- listeners for the action plugin -------------------------------------------------------------


class LiveLines(object):
    """Shows events live through ``emit`` (the action plugin passes ``Display().display``).

    ``json``: every event as ``OPNFORM-EVENT {json}`` (the progress callback or another consumer
    renders them); ``text``: the readable line of the events whose :func:`line_level` is within
    ``verbosity``; ``none``: nothing.
    """

    def __init__(self, host: str, emit: Emit, verbosity: int = 0, fmt: str = "text") -> None:
        self.host = host
        self.emit = emit
        self.verbosity = int(verbosity or 0)
        self.fmt = fmt
        self.tracker = Tracker(host)

    def __call__(self, event: Dict[str, Any]) -> None:
        self.tracker.feed(event)
        if self.fmt == "json":
            self.emit(event_line(event, self.host))
        elif self.fmt == "text" and line_level(event) <= self.verbosity:
            self.emit(text_line(event, self.host, self.tracker))


class ProgressFile(object):
    """Appends every event, with the inventory host, as one JSON line to a file an outside watcher tails.

    Several firewalls (worker processes) may append to the same file: each line is one ``write``
    on an ``O_APPEND`` descriptor, so lines never interleave. Mode 0600; the file is never truncated.
    """

    def __init__(self, path: str, host: str = "") -> None:
        self.path = os.path.abspath(os.path.expanduser(path))
        self.host = host
        folder = os.path.dirname(self.path)
        if not os.path.isdir(folder):
            os.makedirs(folder, mode=0o700, exist_ok=True)

    def __call__(self, event: Dict[str, Any]) -> None:
        record = dict(event)
        if self.host:
            record["host"] = self.host
        data = (json.dumps(record, sort_keys=True, default=str) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def progress_file_path(option: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The task's ``progress_file`` option, else ``$OPNFORM_PROGRESS_FILE`` (controller), else None."""
    env = os.environ if environ is None else environ
    return option or env.get(FILE_ENV) or None


def listeners(
    host: str,
    display: Any,
    progress_file: Optional[str] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> List[Callable[[Dict[str, Any]], None]]:
    """The event listeners of one apply task: live lines through ``display`` (an Ansible
    ``Display``) in the form :func:`live_format` picks, and the progress file if one is set."""
    found: List[Callable[[Dict[str, Any]], None]] = []
    fmt = live_format(environ)
    if fmt != "none":
        found.append(LiveLines(host, display.display, getattr(display, "verbosity", 0), fmt))
    path = progress_file_path(progress_file, environ)
    if path:
        found.append(ProgressFile(path, host))
    return found


def read_events(path: str) -> List[Dict[str, Any]]:
    """Events of a JSON-lines file (``events.jsonl`` or a progress file); a torn last line is ignored."""
    out = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and "event" in record:
                out.append(record)
    return out


def trackers_from(events: Iterable[Mapping[str, Any]]) -> List[Tracker]:
    """One :class:`Tracker` per (host, run) of a stream of events, in order of first appearance."""
    found: Dict[Tuple[str, str], Tracker] = {}
    for event in events:
        key = (str(event.get("host") or ""), str(event.get("run_id") or ""))
        if key not in found:
            found[key] = Tracker(*key)
        found[key].feed(event)
    return list(found.values())


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any, default: Optional[int] = None) -> Optional[int]:
    number = _number(value)
    return default if number is None else int(number)
