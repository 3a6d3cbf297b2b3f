# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``opnform.opnsense.progress`` callback: renders apply events live and a summary at the end.

It decides nothing (design.md 2): the engine emits events, the apply action plugin shows them as
``OPNFORM-EVENT {json}`` lines through ``Display`` (proxied live from the worker to this, the main
process), and this plugin takes those lines out of the output and prints its own instead. All
arithmetic is ``plugin_utils/_progress`` so the numbers match the action plugin's and any watcher's.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: progress
type: aggregate
short_description: Live progress and an end-of-play summary of opnform.opnsense apply runs
version_added: "0.1.0"
description:
  - While an M(opnform.opnsense.apply) task runs, prints a live progress line per firewall (inventory host)
    with the stage, the actions done and planned, the percentage, the elapsed time and the estimated time
    left (from the rate of the actions completed so far).
  - Prints every failed action, reload or undo at once, the start and end of a rollback, and at C(-v)
    one line per action.
  - At the end of the play, prints a summary table with one row per apply run (created, updated,
    deleted, unchanged, failed, skipped and rolled back actions, and the run time), the time of each
    stage, the reloads and the slowest actions.
  - The apply action plugin shows its events as machine-readable C(OPNFORM-EVENT {json}) lines when this
    callback is enabled; the callback removes those lines from the output and prints its own. Without
    the callback the action plugin prints readable C(OPNFORM <host> ...) lines instead (one per stage and
    every failure; one per action at C(-v)).
  - It is an aggregate callback, so it works beside any stdout callback, including the one of
    ansible-runner (AWX, Automation Platform), where each printed line becomes a job event.
requirements:
  - Enable it in C(ansible.cfg) with C(callbacks_enabled = opnform.opnsense.progress) in the
    C([defaults]) section, or with E(ANSIBLE_CALLBACKS_ENABLED=opnform.opnsense.progress).
options:
  interval:
    description:
      - Least number of seconds between two progress lines of the same firewall while a stage runs.
        Stage starts and ends, failures and the end of the run are always printed.
      - V(0) prints a progress line after every action.
    type: float
    default: 2.0
    env:
      - name: OPNFORM_PROGRESS_INTERVAL
    ini:
      - section: opnform_progress
        key: interval
  summary:
    description:
      - Print the summary table at the end of the play.
    type: bool
    default: true
    env:
      - name: OPNFORM_PROGRESS_SUMMARY
    ini:
      - section: opnform_progress
        key: summary
  slowest:
    description:
      - How many of the slowest actions of each run the summary names.
    type: int
    default: 3
    env:
      - name: OPNFORM_PROGRESS_SLOWEST
    ini:
      - section: opnform_progress
        key: slowest
notes:
  - The events also go to C(runs/<run_id>/events.jsonl) in the controller state folder of each firewall
    (the task result's C(events_path)), and to the file named by the apply task's C(progress_file) option
    or E(OPNFORM_PROGRESS_FILE), whether or not this callback is enabled.
  - E(OPNFORM_PROGRESS_FORMAT) (V(auto), V(text), V(json), V(none)) overrides the form of the live lines
    the apply action plugin prints; V(auto) (the default) picks V(json) when this callback is enabled.
seealso:
  - name: Progress reporting
    description: The event protocol, sample output, AWX notes and the event names of the original design.
    link: https://example.invalid/opnform/opnsense/docs/progress.md
"""

# Imports follow DOCUMENTATION, as ansible-test validate-modules requires of plugins.
import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from ansible import constants as C  # noqa: E402
from ansible.plugins.callback import CallbackBase  # noqa: E402

from ansible_collections.opnform.opnsense.plugins.plugin_utils._progress import (  # noqa: E402
    ACTION_EVENTS,
    CALLBACK_ENV,
    FAILED,
    Tracker,
    line_level,
    parse_line,
    progress_line,
    reload_line,
    start_line,
    summary_lines,
    text_line,
)

_ORIGINAL = "_opnform_progress_original"


class CallbackModule(CallbackBase):
    """Takes ``OPNFORM-EVENT`` lines out of the output and prints progress and a summary instead."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "opnform.opnsense.progress"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._pid = os.getpid()
        self._lock = threading.RLock()
        self._runs = {}
        self._last_progress = {}
        self._emit = self._hook_display()
        # Workers forked from here read this to print events as JSON for us (_progress.live_format).
        os.environ[CALLBACK_ENV] = str(self._pid)

    # -- plumbing ------------------------------------------------------------------------------

    def _hook_display(self):
        """Route this process's ``display.display`` through the event parser; returns the original.

        Lines from the action plugin arrive here through the results thread, which calls the
        Display singleton's ``display``; workers forked after this see the hook too and must pass
        their lines through to the proxy, hence the pid check.
        """
        display = self._display
        original = getattr(display, _ORIGINAL, None) or display.display
        setattr(display, _ORIGINAL, original)
        callback = self

        def display_hook(msg, *args, **kwargs):
            if os.getpid() == callback._pid:
                event = parse_line(msg)
                if event is not None:
                    callback._on_event(event)
                    return None
            return original(msg, *args, **kwargs)

        display.display = display_hook
        return original

    def _option(self, name, default):
        try:
            value = self.get_option(name)
        except KeyError:
            return default
        return default if value is None else value

    def _print(self, line, color=None):
        self._emit(line, color=color)

    # -- events ---------------------------------------------------------------------------------

    def _tracker(self, event):
        host = str(event.get("host") or "?")
        key = (host, str(event.get("run_id") or ""))
        if key not in self._runs:
            self._runs[key] = Tracker(*key)
        return key, self._runs[key]

    def _on_event(self, event):
        with self._lock:
            key, tracker = self._tracker(event)
            tracker.feed(event)
            for line, color in self._lines(key, tracker, event):
                self._print(line, color)

    def _lines(self, key, tracker, event):
        kind = event.get("event")
        host = tracker.host
        verbosity = getattr(self._display, "verbosity", 0) or 0
        status = str(event.get("status") or "").lower()
        if kind == "run_start":
            yield start_line(tracker), None
            return
        if kind in ("stage_start", "stage_done"):
            yield self._progress(key, tracker), None
            return
        if kind == "reload_start":
            yield reload_line(tracker, event.get("subsystem"), time.time()), None
            return
        if kind == "run_done":
            yield self._progress(key, tracker), C.COLOR_ERROR if tracker.result() != "ok" else C.COLOR_OK
            return
        if line_level(event) <= verbosity:
            failed = kind == "action_failed" or status in FAILED
            rollback = kind.startswith("rollback") if isinstance(kind, str) else False
            yield text_line(event, host), C.COLOR_ERROR if failed else (C.COLOR_WARN if rollback else None)
        if kind in ACTION_EVENTS and kind != "action_start":
            last = self._last_progress.get(key)
            if last is None or time.time() - last >= float(self._option("interval", 2.0)):
                yield self._progress(key, tracker), None

    def _progress(self, key, tracker):
        self._last_progress[key] = time.time()
        return progress_line(tracker, None if tracker.finished else time.time())

    # -- end of play ----------------------------------------------------------------------------

    def v2_playbook_on_stats(self, stats):
        with self._lock:
            runs = list(self._runs.values())
            if not runs or not self._option("summary", True):
                return
            # One display call, so that ansible-runner makes it one job event.
            self._print("\n" + "\n".join(summary_lines(runs, int(self._option("slowest", 3)))))
