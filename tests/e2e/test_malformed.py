"""Malformed input is refused before any write, every problem named (issue 11).

Every case of ``malformed_inputs.yml`` runs in-process against a simulated firewall (the engine's
apply, plan and check mode, the per-resource flow, checkpoint restore): the firewall's request log
must show no write and no reload from the moment the case ran, and the message must hold each
expected line (type/name, field, OPNsense's message, the offending value). The cases marked
``playbook: true`` run once more, together, as tasks of one real ``ansible-playbook`` run.
"""

from __future__ import annotations

import pytest
from checkpoint_helpers import run_play
from e2e_helpers import needs_apply
from malformed_helpers import load_cases, play_tasks, prepare, restore_preview, run_case

CASES = load_cases()
PLAYED = [c for c in CASES if c.get("playbook")]


def test_the_corpus_is_large_and_covers_every_entry_point():
    assert len(CASES) >= 50
    assert len(set(c["id"] for c in CASES)) == len(CASES), "ids are unique"
    kinds = set(c.get("kind", "apply") for c in CASES)
    assert kinds == {"apply", "plan", "check", "module", "restore"}
    assert set(c.get("kind", "apply") for c in PLAYED) == kinds - {"check"} | {"apply"}


@pytest.fixture(scope="module")
def corpus_sim():
    opnsense_sim = pytest.importorskip("opnsense_sim")
    with opnsense_sim.Simulator(port=0, profile="instant") as simulator:
        yield simulator


@needs_apply
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_malformed_input_is_refused_before_any_write(corpus_sim, tmp_path, case):
    message, written = run_case(corpus_sim, case, tmp_path)
    assert message is not None, "accepted: %s" % case["id"]
    assert written == [], "wrote before refusing: %s" % [e["path"] for e in written]
    for line in case["expect"]:
        assert line in message, "%r not in %r" % (line, message)
    if "problems" in case:
        assert message.startswith("%d problems: " % case["problems"]), message
    if case.get("kind") == "restore":
        preview = restore_preview(corpus_sim, tmp_path)
        assert preview["restorable"] is False and preview["restore"]["plan"] is None
        problems = "\n".join(preview["restore"]["problems"])
        assert all(line in problems for line in case["expect"]), problems
        assert not any(w["path"] for w in written)


@needs_apply
def test_through_ansible_playbook(project, sim):
    """apply, plan, a per-resource module and checkpoint restore, as a user runs them: every task
    fails with its message and the firewall sees no write."""
    assert len(PLAYED) >= 8
    results = {}
    for case in PLAYED:
        prepare(sim, case, project.state)
        outcome, found = run_play(project, {"fw1": sim}, play_tasks(case))
        results[case["id"]] = (outcome, found["fw1"], run_log(sim))
    for case in PLAYED:
        outcome, found, written = results[case["id"]]
        first = found.get("r0") or {}
        assert first.get("failed"), (case["id"], outcome.stdout[-2000:])
        assert written == [], (case["id"], [e["path"] for e in written])
        for line in case["expect"]:
            assert line in first["msg"], (case["id"], line, first["msg"])
        if case.get("kind") == "restore":
            assert found["r1"]["restorable"] is False and found["r1"]["restore"]["problems"]


def run_log(sim):
    from apply_helpers import RELOAD, writes

    log = sim.log()
    return writes(log) + [e for e in log if RELOAD.search(e["path"])]
