"""``resources_file`` through real ``ansible-playbook`` runs: the plan from a file equals the plan from
the same resources inline, and a bad file fails the task naming the file, before any request."""

from __future__ import annotations

import json

import pytest
from apply_helpers import writes
from e2e_helpers import needs_apply
from test_apply import WEB

pytestmark = needs_apply


def plan_run(project, sim, args):
    """A check-mode ``opnform.opnsense.plan`` task with ``args``; its outcome and saved result."""
    project.inventory({"fw1": sim})
    path = project.playbook({})
    play = json.loads(path.read_text())
    play[0]["tasks"][0]["block"][0] = {"name": "Plan", "opnform.opnsense.plan": args, "register": "applied"}
    play[0]["tasks"][0]["always"][0]["check_mode"] = False
    path.write_text(json.dumps(play))
    outcome = project.playbook_run("--check")
    return outcome, project.result("fw1")


def comparable(result):
    """The plan's actions, summary and lines, with the UUIDs new objects get in each plan named by the
    action that creates them."""
    plan = result["plan"]
    text = json.dumps({key: plan[key] for key in ("actions", "summary", "lines")})
    for action in plan["actions"]:
        if action.get("uuid"):
            text = text.replace(action["uuid"], "<uuid of %s>" % action["id"])
    return json.loads(text)


@pytest.mark.parametrize("name", ["resources.json", "resources.yml"])
def test_a_plan_from_resources_file_equals_the_plan_from_the_same_inline_resources(project, sim, name):
    outcome, inline = plan_run(project, sim, {"deployment": "mix", "resources": WEB})
    assert outcome.rc == 0, outcome.stdout
    (project.tmp / name).write_text(json.dumps({"resources": WEB} if name.endswith(".yml") else WEB))
    outcome, from_file = plan_run(project, sim, {"deployment": "mix", "resources_file": name})  # playbook-relative
    assert outcome.rc == 0, outcome.stdout
    assert comparable(from_file) == comparable(inline)
    assert from_file["plan"]["summary"]["create"] == len(WEB)
    assert writes(sim.log()) == []


def test_a_bad_resources_file_fails_naming_the_file_and_both_inputs_are_refused(project, sim):
    (project.tmp / "broken.json").write_text("[{")
    outcome, result = plan_run(project, sim, {"resources_file": "broken.json"})
    assert outcome.rc != 0
    assert result["failed"] and "resources_file %s is not valid JSON" % (project.tmp / "broken.json") in result["msg"]
    outcome, result = plan_run(project, sim, {"resources_file": "broken.json", "resources": WEB[:1]})
    assert outcome.rc != 0
    assert "mutually exclusive: resources|resources_file" in result["msg"]
    assert sim.log() == []  # refused before any request
