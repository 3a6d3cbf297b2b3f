"""Recovery of an unfinished run (``_recovery``): the next apply refuses while one is left, and
``recover: rollback`` undoes it while ``recover: resume`` runs the rest of its plan through the
executor with the same journal."""

from __future__ import annotations

import json

import pytest
from engine_helpers import (
    THREE,
    all_names,
    cut_off_during_reload,
    journal_records,
    killed_after_first_write,
    owned,
    refuse_rules,
)
from test__planner import ALIAS, CAT, RULE

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError, TransportError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import UnfinishedRunError, unfinished_runs
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import RunFailed

# -- recovery ------------------------------------------------------------------------------------


def test_a_lost_connection_leaves_the_run_unfinished_and_the_next_apply_refuses(run, fw, state):
    failure = cut_off_during_reload(run, fw, [RULE, ALIAS, CAT])
    assert failure.kind == "unreachable" and "Nothing was rolled back" in str(failure)
    assert "rolled_back" not in failure.result and len(fw.objects["firewall_filter_rule"]) == 1
    assert [r.run_id for r in unfinished_runs(state)] == [failure.result["run_id"]]
    writes = len(fw.writes)
    with pytest.raises(UnfinishedRunError) as err:
        run("apply", [CAT])
    assert failure.result["run_id"] in str(err.value) and len(fw.writes) == writes


def test_recover_rollback_undoes_the_unfinished_run(run, fw, state):
    cut_off_during_reload(run, fw, [RULE, ALIAS, CAT])
    result = run("apply", None, recover="rollback")
    report = result["recovered"][0]
    assert result["changed"] and report["status"] == "rolled_back" and report["rollback_failures"] == []
    assert [r["undo"] for r in report["rolled_back"]] == ["delete"] * 3
    assert report["rolled_back"][0]["id"] == "firewall_filter_rule/allow web"  # written last, undone first
    assert all_names(fw) == {"firewall_alias": [], "firewall_category": [], "firewall_filter_rule": []}
    assert unfinished_runs(state) == [] and owned(state) == []


def test_recover_resume_completes_the_unfinished_run(run, fw, state):
    cut_off_during_reload(run, fw, [RULE, ALIAS, CAT])
    for action in killed_after_first_write(state):
        fw.objects[action["type"]].pop(action["uuid"])
    result = run("apply", None, recover="resume")
    report = result["recovered"][0]
    assert report["status"] == "resumed" and len(report["completed"]) == 2
    assert all_names(fw) == {
        "firewall_alias": ["web_hosts"],
        "firewall_category": ["web"],
        "firewall_filter_rule": ["allow web"],
    }
    assert unfinished_runs(state) == [] and owned(state) == THREE


def test_recover_then_apply_in_one_task(run, fw, state):
    cut_off_during_reload(run, fw, [RULE, ALIAS, CAT])
    result = run("apply", [CAT], recover="rollback")
    assert result["recovered"][0]["status"] == "rolled_back"
    assert all_names(fw)["firewall_category"] == ["web"] and owned(state) == ["firewall_category/web"]


def test_nothing_to_recover(run, fw):
    result = run("apply", None, recover="rollback")
    assert result["recovered"] == [] and result["changed"] is False and fw.writes == []


def resume_setup(run, fw, state):
    """A run cut off during its reload and then killed after its first write: its journal is
    unfinished and the objects it did not finish are gone from the firewall."""
    cut_off_during_reload(run, fw, [RULE, ALIAS, CAT])
    left = killed_after_first_write(state)
    for action in left:
        fw.objects[action["type"]].pop(action["uuid"])
    return left, unfinished_runs(state)[0].path


def test_resume_walks_the_rest_through_the_executor_with_the_same_journal(run, fw, state):
    left, path = resume_setup(run, fw, state)
    result = run("apply", None, recover="resume")
    records = journal_records(path)
    intents = [r for r in records if r["rec"] == "intent"]
    start = next(i for i, r in enumerate(records) if r["rec"] == "recovery_start")
    resumed = [i for r in records[start:] if r["rec"] == "intent" for i in r["actions"]]
    assert sorted(resumed) == sorted(a["id"] for a in left)
    assert [r["seq"] for r in intents] == sorted(set(r["seq"] for r in intents))  # one sequence, continued
    assert (records[-1]["rec"], records[-1]["status"], records[-1]["by_run"]) == ("end", "resumed", result["run_id"])
    events = journal_records(state.events_path(result["run_id"]))
    done = sorted("%s/%s" % (e["action"]["type"], e["action"]["name"]) for e in events if e["event"] == "action_done")
    assert done == sorted(a["id"] for a in left)


def test_a_resume_whose_write_fails_leaves_the_run_unfinished(run, fw, state):
    _left, path = resume_setup(run, fw, state)
    refuse_rules(fw)
    with pytest.raises(OpnError, match="resuming run .* failed .*firewall_filter_rule/allow web"):
        run("apply", None, recover="resume")
    assert [r.path for r in unfinished_runs(state)] == [path]
    assert journal_records(path)[-1]["rec"] == "done"


# -- creates a bulk request made under uuids the firewall picked ---------------------------------

TWO_ALIASES = [
    {"type": "firewall_alias", "name": "web_%d" % n, "properties": {"type": "host", "content": ["10.0.0.%d" % n]}}
    for n in (1, 2)
]


def killed_during_the_alias_import(run, fw, state):
    """A run whose two alias creates went out as one import (under uuids the firewall picked),
    killed after the journal's ``located`` and before the import's ``done``: the aliases are on the
    firewall, the journal does not say where."""
    fw.answers["firewall/alias/reconfigure"] = TransportError("connection reset")
    with pytest.raises(RunFailed):
        run("apply", TWO_ALIASES + [CAT], reconnect_timeout=0)
    del fw.answers["firewall/alias/reconfigure"]
    path = unfinished_runs(state)[0].path
    records = journal_records(path)
    located = next(i for i, r in enumerate(records) if r["rec"] == "located")
    seq = records[located]["seq"]
    assert [r["rec"] for r in records if r.get("seq") == seq] == ["intent", "located", "done"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records[: located + 1])
    assert [c[1] for c in fw.calls].count("firewall/alias/import") == 1
    return dict((o["name"], u) for u, o in fw.objects["firewall_alias"].items())


def test_resume_finds_the_imported_creates_by_name_and_keeps_their_uuids(run, fw, state):
    landed = killed_during_the_alias_import(run, fw, state)
    result = run("apply", None, recover="resume")
    assert result["recovered"][0]["status"] == "resumed"
    assert dict((o["name"], u) for u, o in fw.objects["firewall_alias"].items()) == landed  # nothing twice
    resources = state.load_deployment("web").resources
    assert dict((k, r.uuid) for k, r in resources.items() if k.startswith("firewall_alias/")) == dict(
        ("firewall_alias/" + name, uuid) for name, uuid in landed.items()
    )


def test_rollback_finds_the_imported_creates_by_name_and_deletes_them(run, fw, state):
    killed_during_the_alias_import(run, fw, state)
    result = run("apply", None, recover="rollback")
    report = result["recovered"][0]
    assert report["status"] == "rolled_back" and report["rollback_failures"] == []
    assert all_names(fw)["firewall_alias"] == [] and owned(state) == []
