"""Progress reporting end to end (issue 6): real ``ansible-playbook`` and ``ansible-runner`` runs of
``opnform.opnsense.apply`` against the simulator.

Checked here: the order and counts of the events of a clean run, a failure with rollback and a
``continue_on_error`` run (``events.jsonl`` and the ``progress_file``); the live lines without the
callback at default verbosity and ``-v``; the progress callback's output; ansible-runner's job
events; and that no secret reaches any line or file.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from e2e_helpers import job_events, needs_apply

from ansible_collections.opnform.opnsense.plugins.plugin_utils._progress import (
    parse_line,
    read_events,
    trackers_from,
)

pytestmark = needs_apply

PASSWORD = "Feed-Pa55word-9f3c1d"
TASK = "Apply the web deployment"
RULE_WRITE = r"/api/firewall/filter/(set|add)Rule"


def resources() -> list:
    """5 actions in 3 stages: category + blocklist; the two aliases in the category; the rule using them."""
    return [
        {"type": "firewall_category", "name": "web", "properties": {"color": "0088cc"}},
        {
            "type": "firewall_alias",
            "name": "blocklist",
            "properties": {
                "type": "urltable",
                "content": ["https://lists.example.invalid/block.txt"],
                "authtype": "Basic",
                "username": "feed",
                "password": PASSWORD,
            },
        },
        {
            "type": "firewall_alias",
            "name": "web_servers",
            "properties": {"type": "host", "content": ["192.0.2.10", "192.0.2.11"], "categories": ["web"]},
        },
        {
            "type": "firewall_alias",
            "name": "web_ports",
            "properties": {"type": "port", "content": ["80", "443"], "categories": ["web"]},
        },
        {
            "type": "firewall_filter_rule",
            "name": "allow-web",
            "properties": {
                "interface": ["wan"],
                "protocol": "TCP",
                "destination_net": "web_servers",
                "destination_port": "web_ports",
                "categories": ["web"],
            },
        },
    ]


STAGES = {"web": 1, "blocklist": 1, "web_servers": 2, "web_ports": 2, "allow-web": 3}


def apply_args(**extra) -> dict:
    args = {"deployment": "web", "resources": resources()}
    args.update(extra)
    return args


def names(events, kind):
    return [e["action"]["name"] for e in events if e["event"] == kind]


def check_stage_structure(events, stages=3):
    """run_start first, run_done last; stages start in order and end in order, and each holds its own
    actions. Stages may overlap: a write waits for its own dependencies, not for its stage."""
    assert events[0]["event"] == "run_start" and events[-1]["event"] == "run_done"
    assert events[0]["total"] == 5 and events[0]["stages"] == stages
    assert [e["stage"] for e in events if e["event"] == "stage_start"] == list(range(1, stages + 1))
    assert [e["stage"] for e in events if e["event"] == "stage_done"] == list(range(1, stages + 1))
    marks = [(e["event"], e.get("stage")) for e in events]
    for position, event in enumerate(events):
        if event["event"] in ("action_start", "action_done", "action_failed", "action_skipped"):
            stage = STAGES[event["action"]["name"]]
            assert event["stage"] == stage, event
            assert marks.index(("stage_start", stage)) < position < marks.index(("stage_done", stage)), event
    # every started action finishes after it started, exactly once
    for name in names(events, "action_start"):
        start = next(i for i, e in enumerate(events) if e["event"] == "action_start" and e["action"]["name"] == name)
        ends = [
            i
            for i, e in enumerate(events)
            if e["event"] in ("action_done", "action_failed") and e["action"]["name"] == name
        ]
        assert len(ends) == 1 and ends[0] > start
    finished = [e for e in events if e["event"] in ("action_done", "action_failed", "action_skipped")]
    assert [e["completed"] for e in finished] == list(range(1, len(finished) + 1))
    assert all(e["total"] == 5 for e in finished)
    assert len(set(e["run_id"] for e in events)) == 1


def assert_no_secret(project, *texts):
    for text in texts:
        for secret in project.secrets + [PASSWORD]:
            assert secret not in text


# -- a clean run ------------------------------------------------------------------------------------


def test_clean_run_events_and_default_lines(project, sim):
    progress_file = project.tmp / "watch" / "progress.jsonl"
    project.inventory({"fw1": sim})
    project.playbook(apply_args(progress_file=str(progress_file)))
    run = project.playbook_run()
    assert run.rc == 0, run.stdout

    result = project.result("fw1")
    events = read_events(result["events_path"])
    check_stage_structure(events)
    counts = Counter(e["event"] for e in events)
    assert counts["action_start"] == counts["action_done"] == 5
    assert not any(counts[k] for k in ("action_failed", "action_skipped", "rollback_start", "rollback_action"))
    assert sorted(e["subsystem"] for e in events if e["event"] == "reload_done") == ["aliases", "filter"]
    assert counts["reload_start"] == 2
    assert events[-1]["status"] == "ok" and events[-1]["completed"] == 5
    assert Counter(e["action"]["op"] for e in events if e["event"] == "action_done") == {"create": 5}

    # default verbosity: one line per stage and the end of the run, all naming the host, before the result
    lines = run.opnform()
    assert len(lines) == 4, lines
    assert [re.search(r"stage (\d)/3 done", line).group(1) for line in lines[:3]] == ["1", "2", "3"]
    assert lines[3].startswith("OPNFORM fw1 [5/5 100%%] run %s ok" % events[0]["run_id"])
    assert all(line.startswith("OPNFORM fw1 ") for line in lines)
    assert "OPNFORM-EVENT" not in run.stdout
    assert run.lines.index(lines[-1]) < run.lines.index("changed: [fw1]")

    # the progress file holds the same events, each naming the host
    watched = read_events(str(progress_file))
    assert [e["event"] for e in watched] == [e["event"] for e in events]
    assert all(e["host"] == "fw1" for e in watched)
    assert [dict(e, host=None) for e in watched] == [dict(e, host=None) for e in events]

    assert_no_secret(project, run.stdout, project.files_text(project.state, progress_file.parent, project.tmp))


def test_verbose_run_shows_one_line_per_action(project, sim):
    project.inventory({"fw1": sim})
    project.playbook(apply_args())
    run = project.playbook_run("-v")
    assert run.rc == 0, run.stdout
    actions = [line for line in run.opnform() if re.search(r"\] create \S+ ok \d+ms$", line)]
    assert sorted(line.split("] ")[1].split(" ok")[0] for line in actions) == [
        "create firewall_alias/blocklist",
        "create firewall_alias/web_ports",
        "create firewall_alias/web_servers",
        "create firewall_category/web",
        "create firewall_filter_rule/allow-web",
    ]
    assert sum(1 for line in run.opnform() if " stage " in line and " done " in line) == 3


# -- failures -----------------------------------------------------------------------------------------


def test_failure_with_rollback(project, sim):
    sim.inject(effect="validation", method="POST", path=RULE_WRITE, times=0)
    project.inventory({"fw1": sim})
    project.playbook(apply_args(rollback_on_failure=True))
    run = project.playbook_run()
    assert run.rc != 0

    events = read_events(project.result("fw1")["events_path"])
    check_stage_structure(events)
    counts = Counter(e["event"] for e in events)
    assert names(events, "action_failed") == ["allow-web"]
    assert counts["action_done"] == 4 and counts["action_skipped"] == 0
    assert counts["rollback_start"] == counts["rollback_done"] == 1
    # undone in reverse completion order, each with its outcome
    undone = [e for e in events if e["event"] == "rollback_action"]
    assert [e["action"]["name"] for e in undone] == list(reversed(names(events, "action_done")))
    assert all(e["status"] == "ok" for e in undone)
    kinds = [e["event"] for e in events]
    assert kinds.index("action_failed") < kinds.index("rollback_start") < kinds.index("rollback_done")
    assert events[-1]["status"] != "ok"
    assert next(e for e in events if e["event"] == "rollback_done")["status"] == "ok"

    # default verbosity shows the failure and the rollback
    lines = run.opnform()
    failed = [line for line in lines if "FAILED" in line]
    assert len(failed) == 1 and "create firewall_filter_rule/allow-web FAILED" in failed[0]
    assert any("ROLLBACK started" in line for line in lines)
    assert any("rollback ok" in line for line in lines)
    assert_no_secret(project, run.stdout, project.files_text(project.state))


def test_continue_on_error_run(project, sim):
    sim.inject(effect="validation", method="POST", path=r"/api/firewall/alias/(set|add)Item", nth=3, times=1)
    project.inventory({"fw1": sim})
    # one request per alias (bulk: off): the fault refuses the second alias alone
    project.playbook(apply_args(continue_on_error=True, rollback_on_failure=False, bulk="off"))
    run = project.playbook_run("-v")
    assert run.rc != 0

    events = read_events(project.result("fw1")["events_path"])
    check_stage_structure(events)
    counts = Counter(e["event"] for e in events)
    failed = names(events, "action_failed")
    assert len(failed) == 1 and failed[0] in ("web_servers", "web_ports")
    # the rule depends on the failed alias: skipped; everything else ran although a stage failed
    assert names(events, "action_skipped") == ["allow-web"]
    assert sorted(names(events, "action_done")) == sorted(
        {"web", "blocklist", "web_servers", "web_ports"} - set(failed)
    )
    assert not any(counts[k] for k in ("rollback_start", "rollback_action", "rollback_done"))
    assert events[-1]["status"] != "ok" and events[-1]["completed"] == 5
    skipped = [line for line in run.opnform() if "allow-web skipped" in line]
    assert len(skipped) == 1 and skipped[0].startswith("OPNFORM fw1 [5/5 100%]")


# -- the callback -------------------------------------------------------------------------------------


def test_callback_prints_live_progress_and_a_summary(project, sim):
    # The rule's write takes 2 s more: the first stage's progress must be on screen before it ends.
    sim.inject(effect="delay", method="POST", path=RULE_WRITE, delay_ms=2000)
    progress_file = project.tmp / "progress.jsonl"
    project.inventory({"fw1": sim})
    project.playbook(apply_args())

    def rule_written():
        return any(re.search(RULE_WRITE, entry["path"]) for entry in sim.log())

    def on_line(line):
        if line.startswith("OPNFORM fw1 stage 1/3 |"):
            return rule_written()
        return None

    env = project.env(ANSIBLE_CALLBACKS_ENABLED="opnform.opnsense.progress", OPNFORM_PROGRESS_FILE=str(progress_file))
    run = project.playbook_run(env=env, on_line=on_line)
    assert run.rc == 0, run.stdout
    assert run.checks and not any(check[1] for check in run.checks), "progress lines were not live"

    events = read_events(project.result("fw1")["events_path"])
    run_id = events[0]["run_id"]
    lines = run.opnform()
    assert "OPNFORM-EVENT" not in run.stdout
    assert lines[0] == "OPNFORM fw1 apply run %s started: 5 actions in 3 stages" % run_id
    progress = [line for line in lines if re.match(r"OPNFORM fw1 stage \d/3 \| \d/5 actions \d+% \| elapsed ", line)]
    for stage in ("1", "2", "3"):
        assert any(line.startswith("OPNFORM fw1 stage %s/3 |" % stage) for line in progress)
    assert any(re.search(r"\| about [\d.]+s left$", line) for line in progress)
    assert progress[-1].startswith("OPNFORM fw1 stage 3/3 | 5/5 actions 100% | elapsed ")
    assert progress[-1].endswith("| ok")
    assert run.lines.index(progress[-1]) < run.lines.index("changed: [fw1]")

    table = run.lines[run.lines.index("OPNFORM SUMMARY") :]
    assert (
        table[1].split() == "host run result created updated deleted unchanged failed skipped rolled back time".split()
    )
    assert table[2].split()[:10] == ["fw1", run_id, "ok", "5", "0", "0", "0", "0", "0", "0"]
    stages = next(line for line in table if " stages: " in line)
    assert re.search(r"1/3 \S+ \(2 actions\), 2/3 \S+ \(2 actions\), 3/3 \S+ \(1 action\)", stages)
    slowest = next(line for line in table if " slowest: " in line)
    assert slowest.split(" slowest: ")[1].startswith("create firewall_filter_rule/allow-web ")

    # the environment variable names the progress file when the task does not
    assert [e["event"] for e in read_events(str(progress_file))] == [e["event"] for e in events]
    assert_no_secret(project, run.stdout, project.files_text(project.state, project.tmp))


def test_callback_summary_per_firewall(project, sim, sim2):
    sim2.inject(effect="validation", method="POST", path=RULE_WRITE, times=0)
    project.inventory({"fw1": sim, "fw2": sim2})
    project.playbook(apply_args(rollback_on_failure=True))
    env = project.env(ANSIBLE_CALLBACKS_ENABLED="opnform.opnsense.progress")
    run = project.playbook_run("-v", env=env)
    assert run.rc != 0
    table = run.lines[run.lines.index("OPNFORM SUMMARY") :]
    rows = dict((line.split()[0], line.split()) for line in table[2:4])
    assert rows["fw1"][2:10] == ["ok", "5", "0", "0", "0", "0", "0", "0"]
    assert rows["fw2"][2:12] == ["rolled", "back", "4", "0", "0", "0", "1", "0", "4", rows["fw2"][11]]
    assert any(
        line.startswith("  fw2 ") and " error: create firewall_filter_rule/allow-web: " in line for line in table
    )
    # -v: one line per action for both firewalls, the failure once
    assert sum(1 for line in run.opnform() if line.startswith("OPNFORM fw1 [") and " ok " in line) >= 5
    assert sum(1 for line in run.opnform() if "FAILED" in line) == 1


def test_callback_counts_unchanged_objects_of_a_second_run(project, sim):
    project.inventory({"fw1": sim})
    again = {"name": "Apply it again", "opnform.opnsense.apply": apply_args()}
    project.playbook(apply_args(), extra_tasks=[again])
    run = project.playbook_run(env=project.env(ANSIBLE_CALLBACKS_ENABLED="opnform.opnsense.progress"))
    assert run.rc == 0, run.stdout
    table = run.lines[run.lines.index("OPNFORM SUMMARY") :]
    first, second = table[2].split(), table[3].split()
    assert first[0] == second[0] == "fw1" and first[1] != second[1]
    assert first[2:10] == ["ok", "5", "0", "0", "0", "0", "0", "0"]
    assert second[2:10] == ["ok", "0", "0", "0", "5", "0", "0", "0"]  # nothing written, 5 unchanged
    assert "OPNFORM fw1 apply run %s: nothing to change (5 unchanged)" % second[1] in run.lines


# -- ansible-runner (AWX, Automation Platform) ---------------------------------------------------------


def opnform_events(artifacts):
    return [e for e in job_events(artifacts) if e.get("stdout", "").lstrip("\x1b[0123456789;m").startswith("OPNFORM")]


def test_runner_job_events_carry_the_progress_lines(project, sim):
    project.inventory({"fw1": sim})
    project.playbook(apply_args())
    artifacts = project.runner_run()
    assert (artifacts / "rc").read_text().strip() == "0"
    found = opnform_events(artifacts)
    stages = [e for e in found if re.search(r"stage \d/3 done", e["stdout"])]
    assert len(stages) == 3
    for event in found:
        assert event["event"] == "verbose"
        assert event["event_data"]["task"] == TASK and event["parent_uuid"]
        assert event["stdout"].startswith("OPNFORM fw1 ")
    assert_no_secret(project, project.files_text(artifacts, project.state))


def test_runner_with_the_callback(project, sim):
    project.inventory({"fw1": sim})
    project.playbook(apply_args())
    artifacts = project.runner_run(project.env(ANSIBLE_CALLBACKS_ENABLED="opnform.opnsense.progress"))
    assert (artifacts / "rc").read_text().strip() == "0"
    everything = job_events(artifacts)
    assert not any("OPNFORM-EVENT" in e.get("stdout", "") for e in everything)
    found = opnform_events(artifacts)
    live = [e for e in found if e["event_data"].get("task") == TASK]
    assert any("stage 3/3 | 5/5 actions 100%" in e["stdout"] for e in live)
    summary = [e for e in everything if "OPNFORM SUMMARY" in e.get("stdout", "")]
    assert len(summary) == 1 and re.search(r"\nfw1 +\S+ +ok +5 ", summary[0]["stdout"])


def test_runner_json_lines_are_the_events(project, sim):
    project.inventory({"fw1": sim})
    project.playbook(apply_args())
    artifacts = project.runner_run(project.env(OPNFORM_PROGRESS_FORMAT="json"))
    assert (artifacts / "rc").read_text().strip() == "0"
    parsed = [
        parse_line(e["stdout"]) for e in job_events(artifacts) if e.get("stdout", "").startswith("OPNFORM-EVENT ")
    ]
    events = read_events(project.result("fw1")["events_path"])
    assert [e["event"] for e in parsed] == [e["event"] for e in events]
    assert all(e["host"] == "fw1" for e in parsed)
    (tracker,) = trackers_from(parsed)
    assert (tracker.result(), tracker.done["create"], tracker.percent) == ("ok", 5, 100)


@pytest.mark.parametrize("fmt", ["none"])
def test_no_live_lines_when_turned_off(project, sim, fmt):
    project.inventory({"fw1": sim})
    project.playbook(apply_args())
    run = project.playbook_run("-vv", env=project.env(OPNFORM_PROGRESS_FORMAT=fmt))
    assert run.rc == 0, run.stdout
    assert run.opnform() == [] and "OPNFORM-EVENT" not in run.stdout
    assert len(read_events(project.result("fw1")["events_path"])) > 10  # the events file is still written
