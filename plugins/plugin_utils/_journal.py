# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The write-ahead journal of a run: what an apply intends and what it did, durable before and after
every write, so that a run killed at any point can be rolled back or resumed (design.md 3 step 9).

One JSON object per line in ``journal/<run_id>.jsonl``, each line fsync'd before :meth:`append`
returns. Records (``rec`` names the kind):

- ``begin``: the run, the planned actions (UUIDs, payloads and pre-apply images without secrets,
  dependencies, reload subsystems) and the deployment state to write when the run succeeds;
- ``intent`` before a write (``seq``, the action ids and the kind of write), ``done`` after it with
  its outcome (``ok``, ``failed`` with ``applied`` false or unknown); a write of several objects in
  one request (a bulk write) that OPNsense refused in part adds ``outcomes``, the outcome of each,
  and one that created objects under uuids the firewall picked adds ``rekeyed`` (action id -> uuid);
- ``located`` between the two, right before a request that creates under uuids the firewall picks:
  those actions' objects are found by their identity, not by the planned uuid;
- ``reload`` per subsystem reload, ``checkpoint``, ``unreachable`` when the API stopped answering;
- ``rollback_start``, ``undo_intent``/``undo_done``, ``rollback_done``;
- ``end`` with the final status. A journal without ``end`` is an unfinished run.

An intent without its ``done`` means "this write may or may not have happened": recovery treats it
as uncertain and uses idempotent operations (delete-if-present, upsert under the same UUID).
A torn last line (the process died mid-write) is ignored: its write had not started yet.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    FileJournalSink,
    JournalSink,
    StateBackend,
    iter_json_lines,
)


class UnfinishedRunError(OpnError):
    """An earlier run against this firewall did not finish; it must be recovered first."""

    kind = "unfinished_run"


class Journal(object):
    """Append-only, durable JSON lines for one run. Thread-safe.

    ``path`` is where the journal lives: a file path, or the :class:`StateRef` a state backend gave
    (``journal_path``, ``RunRecord.path``), in which case that backend stores the lines (a file, or
    one committed row per record in PostgreSQL).
    """

    def __init__(self, path: str, redactor: Optional[Redactor] = None) -> None:
        self.path = path
        self.redactor = redactor or Redactor()
        self._lock = threading.Lock()
        self._seq = 0
        store = getattr(path, "store", None)
        self._sink: Optional[JournalSink] = store.open_journal(path) if store is not None else FileJournalSink(path)
        self._seq = max([int(r.get("seq", 0) or 0) for r in self._sink.records()] + [0])

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def append(self, rec: str, **data: Any) -> Dict[str, Any]:
        """Write one record and make it durable before returning."""
        record = {"rec": rec, "ts": round(time.time(), 6)}
        record.update(data)
        # scrub_new: a record is built for this line and only read here (a run's ``begin`` holds every
        # action; a walk over it was most of the run's start)
        line = json.dumps(self.redactor.scrub_new(record), sort_keys=True, default=str) + "\n"
        with self._lock:
            if self._sink is None:
                raise OpnError("journal %s is closed" % self.path)
            self._sink.append(line)
        return record

    def close(self) -> None:
        with self._lock:
            if self._sink is not None:
                self._sink.close()
                self._sink = None


def read_records(path: str) -> List[Dict[str, Any]]:
    """Every complete record of a journal (a file path or a backend's :class:`StateRef`); a torn or
    corrupt trailing line is skipped."""
    store = getattr(path, "store", None)
    if store is not None:
        return store.read_journal(path)
    return list(iter_json_lines(path))


@dataclass
class RunRecord:
    """A journal read back: what the run planned, which writes it started and finished."""

    run_id: str
    path: str
    begin: Dict[str, Any]
    records: List[Dict[str, Any]]
    intents: Dict[int, Dict[str, Any]] = field(default_factory=dict)
    dones: Dict[int, Dict[str, Any]] = field(default_factory=dict)
    end: Optional[Dict[str, Any]] = None

    @property
    def finished(self) -> bool:
        return self.end is not None

    @property
    def actions(self) -> List[Dict[str, Any]]:
        return list(self.begin.get("actions", []))

    def action_status(self) -> Dict[str, str]:
        """Per action id: ``done`` (written), ``uncertain`` (intent without a clear outcome),
        ``not_applied`` (failed before OPNsense saved) or ``pending`` (never started)."""
        status = dict((a["id"], "pending") for a in self.actions)
        for seq, intent in self.intents.items():
            done = self.dones.get(seq)
            for action_id in intent.get("actions", []):
                own = done
                if done is not None and action_id in (done.get("outcomes") or {}):
                    own = dict(done, **done["outcomes"][action_id])
                if own is None:
                    status[action_id] = "uncertain"
                elif own.get("status") == "ok":
                    status[action_id] = "done"
                elif own.get("applied") is False:
                    status[action_id] = "not_applied" if status.get(action_id) != "done" else "done"
                else:
                    status[action_id] = "uncertain"
        return status

    def undone(self) -> List[str]:
        """Action ids a rollback inside the run already undid (``undo_done`` ok)."""
        out = []
        for rec in self.records:
            if rec.get("rec") == "undo_done" and rec.get("status") == "ok":
                out.append(rec.get("action"))
        return out

    def rekeyed(self) -> Dict[str, str]:
        """Action id -> the uuid the firewall gave an object a bulk request created (``done``)."""
        out: Dict[str, str] = {}
        for seq in sorted(self.dones):
            out.update(self.dones[seq].get("rekeyed") or {})
        return out

    def located(self) -> List[str]:
        """Action ids whose write may have landed under a uuid the firewall picked (``located``)."""
        return [i for rec in self.records if rec.get("rec") == "located" for i in rec.get("actions") or []]

    def intent_order(self) -> List[str]:
        """Action ids in the order their writes started (first intent wins)."""
        seen: List[str] = []
        for seq in sorted(self.intents):
            for action_id in self.intents[seq].get("actions", []):
                if action_id not in seen:
                    seen.append(action_id)
        return seen

    def describe(self) -> str:
        begin = self.begin
        status = self.action_status()
        started = sum(1 for s in status.values() if s in ("done", "uncertain"))
        return "run %s of deployment %r (pid %s on %s, started %s; %d of %d writes started; journal %s)" % (
            self.run_id,
            begin.get("deployment", "?"),
            begin.get("pid", "?"),
            begin.get("host", "?"),
            begin.get("started", "?"),
            started,
            len(status),
            self.path,
        )


def load_run(path: str) -> Optional[RunRecord]:
    records = read_records(path)
    begin = next((r for r in records if r.get("rec") == "begin"), None)
    if begin is None:
        return None
    run = RunRecord(run_id=str(begin.get("run_id")), path=path, begin=begin, records=records)
    for rec in records:
        kind = rec.get("rec")
        if kind == "intent":
            run.intents[int(rec["seq"])] = rec
        elif kind == "done":
            run.dones[int(rec["seq"])] = rec
        elif kind == "end":
            run.end = rec
    return run


def unfinished_runs(state: StateBackend) -> List[RunRecord]:
    """Runs against this firewall whose journal has no ``end`` record, oldest first.

    A journal with no ``begin`` (the process died while creating it) never wrote anything to the
    firewall and is ignored.
    """
    runs = []
    for ref in state.journal_refs(unfinished=True):
        run = load_run(ref)
        if run is not None and not run.finished:
            runs.append(run)
    runs.sort(key=lambda r: float(r.begin.get("ts", 0)))
    return runs
