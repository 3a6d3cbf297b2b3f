# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress events (design.md 5): JSON lines in ``runs/<run_id>/events.jsonl`` plus live listeners.

Every event has ``ts``, ``run_id`` and ``event``, and whichever of ``stage``, ``stages``,
``action`` (``op``, ``type``, ``name``), ``status``, ``completed``, ``total``, ``percent``,
``duration_ms`` and ``error`` apply. The engine only *emits*; rendering belongs to listeners (the
Display line printer here, the ``progress`` callback plugin later), so nothing here decides anything.
Secrets are scrubbed before an event leaves this module.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any, Callable, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import FILE_MODE, ensure_dir

EVENTS = (
    "run_start",
    "stage_start",
    "action_start",
    "action_done",
    "action_failed",
    "action_skipped",
    "stage_done",
    "reload_start",
    "reload_done",
    "rollback_start",
    "rollback_action",
    "rollback_done",
    "run_done",
)
# The tag that starts every live line, so a callback plugin can pick the JSON out of the output.
LINE_TAG = "OPNFORM"

Listener = Callable[[Dict[str, Any]], None]


class EventSink(object):
    """Writes events to a JSON-lines file (optional) and hands them to listeners. Thread-safe."""

    def __init__(
        self,
        run_id: str,
        path: Optional[str] = None,
        listeners: Optional[List[Listener]] = None,
        redactor: Optional[Redactor] = None,
    ) -> None:
        self.run_id = run_id
        self.path = path
        self.listeners = list(listeners or [])
        self.redactor = redactor or Redactor()
        self.events: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._handle = None
        if path:
            ensure_dir(os.path.dirname(path))
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
            self._handle = os.fdopen(fd, "a", encoding="utf-8")

    def emit(self, event: str, **data: Any) -> Dict[str, Any]:
        if event not in EVENTS:
            raise ValueError("unknown event %r" % event)
        record: Dict[str, Any] = {"ts": round(time.time(), 6), "run_id": self.run_id, "event": event}
        record.update(dict((k, v) for k, v in data.items() if v is not None))
        record = self.redactor.scrub(record)
        with self._lock:
            self.events.append(record)
            if self._handle is not None:
                self._handle.write(json.dumps(record, sort_keys=True, default=str) + "\n")
                self._handle.flush()
            for listener in self.listeners:
                try:
                    listener(record)
                except Exception:  # noqa: BLE001 - a broken printer must never break an apply
                    pass
        return record

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None


def action_ref(op: str, type_name: str, name: str) -> Dict[str, str]:
    return {"op": op, "type": type_name, "name": name}


def render_line(event: Dict[str, Any], host: str = "") -> str:
    """One human line for an event, prefixed with the tag and the firewall: e.g.
    ``OPNFORM fw1 [12/40 30%] create firewall_alias/web ok 21ms``."""
    kind = event.get("event", "")
    parts = [LINE_TAG]
    if host:
        parts.append(host)
    if event.get("total") is not None and event.get("completed") is not None:
        parts.append("[%s/%s %s%%]" % (event["completed"], event["total"], event.get("percent", 0)))
    action = event.get("action")
    if isinstance(action, dict):
        parts.append("%s %s/%s" % (action.get("op"), action.get("type"), action.get("name")))
    if kind in ("stage_start", "stage_done"):
        parts.append("stage %s/%s" % (event.get("stage"), event.get("stages")))
    if kind.startswith("reload") and event.get("subsystem"):
        parts.append("reload %s" % event["subsystem"])
    label = {
        "action_start": "started",
        "action_done": "ok",
        "action_failed": "FAILED",
        "action_skipped": "skipped",
        "stage_start": "started",
        "stage_done": "done",
        "reload_start": "started",
        "reload_done": event.get("status", "done"),
        "rollback_start": "ROLLBACK started",
        "rollback_action": "undo %s" % event.get("status", ""),
        "rollback_done": "rollback %s" % event.get("status", "done"),
        "run_start": "run %s started" % event.get("run_id"),
        "run_done": "run %s %s" % (event.get("run_id"), event.get("status", "done")),
    }.get(kind, kind)
    parts.append(label)
    if event.get("duration_ms") is not None:
        parts.append("%sms" % event["duration_ms"])
    if event.get("error"):
        parts.append("- %s" % event["error"])
    return " ".join(str(p) for p in parts)


def json_line(event: Dict[str, Any]) -> str:
    """The machine-readable live form: ``OPNFORM-EVENT {json}``."""
    return "%s-EVENT %s" % (LINE_TAG, json.dumps(event, sort_keys=True, default=str))
