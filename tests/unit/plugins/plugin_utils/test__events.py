"""Events: JSON lines with the design.md 5 fields, listeners, scrubbing, live rendering."""

from __future__ import annotations

import json

import pytest

from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import (
    EventSink,
    action_ref,
    json_line,
    render_line,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor


def test_events_are_written_as_json_lines(tmp_path):
    path = str(tmp_path / "runs" / "r1" / "events.jsonl")
    seen = []

    def broken(_event):
        raise RuntimeError("printer broke")

    sink = EventSink("r1", path, [seen.append, broken], Redactor(["p4ssw0rd"]))
    sink.emit("run_start", total=3, stages=2)
    sink.emit(
        "action_failed",
        action=action_ref("create", "firewall_alias", "a"),
        completed=1,
        total=3,
        percent=33,
        duration_ms=12,
        error="rejected p4ssw0rd",
    )
    sink.close()
    lines = [json.loads(line) for line in open(path)]
    assert [e["event"] for e in lines] == ["run_start", "action_failed"]
    assert all(e["run_id"] == "r1" and "ts" in e for e in lines)
    assert lines[1]["action"] == {"op": "create", "type": "firewall_alias", "name": "a"}
    assert "p4ssw0rd" not in open(path).read()
    assert len(seen) == 2


def test_unknown_events_are_refused():
    with pytest.raises(ValueError):
        EventSink("r").emit("something_else")


def test_render_line():
    event = {
        "event": "action_done",
        "run_id": "r",
        "action": action_ref("update", "firewall_alias", "a"),
        "completed": 2,
        "total": 4,
        "percent": 50,
        "duration_ms": 7,
    }
    assert render_line(event, "fw1") == "OPNFORM fw1 [2/4 50%] update firewall_alias/a ok 7ms"
    assert json_line(event).startswith("OPNFORM-EVENT {")
