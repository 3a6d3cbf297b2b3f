"""The journal: durable JSON lines, torn-line tolerance, outcome of each action, unfinished runs."""

from __future__ import annotations

import os
import stat

from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import (
    Journal,
    load_run,
    read_records,
    unfinished_runs,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import StateDir


def _begin(journal, run_id="r1"):
    actions = [{"id": "firewall_alias/%s" % n, "op": "create"} for n in "abc"]
    journal.append("begin", run_id=run_id, deployment="web", pid=1, host="h", started="t", actions=actions)


def test_records_and_action_status(tmp_path):
    sd = StateDir(str(tmp_path), "https://fw").ensure()
    path = sd.journal_path("r1")
    journal = Journal(path, Redactor(["topsecret"]))
    _begin(journal)
    s1 = journal.next_seq()
    journal.append("intent", seq=s1, actions=["firewall_alias/a"], note="topsecret")
    journal.append("done", seq=s1, status="ok")
    s2 = journal.next_seq()
    journal.append("intent", seq=s2, actions=["firewall_alias/b"])
    journal.close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "topsecret" not in open(path).read()
    run = load_run(path)
    assert not run.finished
    assert run.action_status() == {
        "firewall_alias/a": "done",
        "firewall_alias/b": "uncertain",
        "firewall_alias/c": "pending",
    }
    assert run.intent_order() == ["firewall_alias/a", "firewall_alias/b"]
    assert [r.run_id for r in unfinished_runs(sd)] == ["r1"]
    assert "r1" in run.describe() and "2 of 3 writes started" in run.describe()


def test_not_applied_failures_and_end(tmp_path):
    sd = StateDir(str(tmp_path), "https://fw").ensure()
    journal = Journal(sd.journal_path("r2"))
    _begin(journal, "r2")
    seq = journal.next_seq()
    journal.append("intent", seq=seq, actions=["firewall_alias/a"])
    journal.append("done", seq=seq, status="failed", applied=False)
    journal.append("end", status="rolled_back")
    journal.close()
    run = load_run(sd.journal_path("r2"))
    assert run.finished and run.action_status()["firewall_alias/a"] == "not_applied"
    assert unfinished_runs(sd) == []


def test_torn_last_line_is_ignored_and_sequence_continues(tmp_path):
    path = str(tmp_path / "j.jsonl")
    journal = Journal(path)
    _begin(journal)
    seq = journal.next_seq()
    journal.append("intent", seq=seq, actions=["firewall_alias/a"])
    journal.close()
    with open(path, "a") as handle:
        handle.write('{"rec": "done", "se')
    assert [r["rec"] for r in read_records(path)] == ["begin", "intent"]
    again = Journal(path)
    assert again.next_seq() == seq + 1
    again.close()


def test_journal_without_begin_is_not_a_run(tmp_path):
    sd = StateDir(str(tmp_path), "https://fw").ensure()
    open(sd.journal_path("r3"), "w").close()
    assert unfinished_runs(sd) == []
