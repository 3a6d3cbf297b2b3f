"""Shared state in PostgreSQL, the way AWX runs jobs (issue 14): two ``ansible-playbook`` runs with
home folders of their own and no shared file, one simulated firewall, one database.

- run at the same time, their writes never interleave (the advisory lock keeps them apart);
- a checkpoint taken by one is listed and restored by the other;
- one killed mid-apply (SIGKILL, its lock dropped with its session) makes the other refuse until
  ``recover: rollback``, which restores the firewall exactly;
- an existing local state folder moves into the database (``_state_move``);
- the database password shows in no output, result or row.

The first "controller" gets the backend from the environment (as an AWX credential injects it), the
second from ``module_defaults`` (as a playbook sets it once).
"""

from __future__ import annotations

import json
import random
import time

import pytest
from apply_helpers import FAULT_PATH, apply_task, engine_apply, mixed_after, mixed_before, snapshot, writes
from checkpoint_helpers import rule, run_play, task, write_play
from conftest import StateProject
from e2e_helpers import needs_apply
from test_apply_faults import enable_haproxy, kill_group, start_playbook, state_diff, wait_for

pytestmark = needs_apply


@pytest.fixture
def dsn(pg_server):
    return pg_server.schema()


class Controller(StateProject):
    """One job's container: its own home, temp and state folder; the database is all it shares."""

    def __init__(self, tmp, dsn: str, via: str) -> None:
        tmp.mkdir()
        (tmp / "home").mkdir()
        super().__init__(tmp, "postgresql", dsn)
        self.via = via

    def backend_env(self) -> dict:
        env = {"HOME": str(self.tmp / "home")}
        if self.via == "env":
            env.update(OPNFORM_STATE_BACKEND="postgresql", OPNFORM_STATE_DSN=self.dsn)
        return env

    def write(self, tasks) -> None:
        """The play of ``tasks``, with the backend in ``module_defaults`` when it is not in the environment."""
        path = write_play(self, tasks)
        if self.via == "module_defaults":
            play = json.loads(path.read_text())
            settings = {"state_backend": "postgresql", "state_dsn": self.dsn}
            for module in ("apply", "plan", "checkpoint", "checkpoint_info"):
                play[0]["module_defaults"]["opnform.opnsense." + module] = settings
            path.write_text(json.dumps(play))

    def play(self, sim, tasks, *flags):
        self.inventory({"fw1": sim})
        self.write(tasks)
        outcome = self.playbook_run(*flags)
        path = self.tmp / "results-fw1.json"
        return outcome, (json.loads(path.read_text()) if path.exists() else {})


@pytest.fixture
def controllers(tmp_path, dsn, monkeypatch):
    # set-up steps run in-process against the same database
    monkeypatch.setenv("OPNFORM_STATE_BACKEND", "postgresql")
    monkeypatch.setenv("OPNFORM_STATE_DSN", dsn)
    return Controller(tmp_path / "job-a", dsn, "env"), Controller(tmp_path / "job-b", dsn, "module_defaults")


def password(project) -> str:
    return project.dsn.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]


def no_password_anywhere(projects, outputs):
    secret = password(projects[0])
    for project in projects:
        assert secret not in project.stored_text()
        assert secret not in project.files_text(project.tmp / "home")
    for text in outputs:
        assert secret not in text


def test_concurrent_jobs_never_interleave_their_writes(controllers, sim):
    a, b = controllers
    sim.inject(effect="delay", method="POST", path=r"/api/firewall/alias/setItem", delay_ms=300, times=0)
    sim.inject(effect="delay", method="POST", path=r"/api/firewall/category/setItem", delay_ms=300, times=0)
    first = [{"type": "firewall_alias", "name": "a%d" % i, "properties": {"type": "host"}} for i in range(4)]
    second = [{"type": "firewall_category", "name": "c%d" % i, "properties": {}} for i in range(4)]
    a.inventory({"fw1": sim})
    # one slow request per object (bulk: off): each job holds the lock for a while
    a.write([task("apply", {"deployment": "one", "resources": first, "bulk": "off"})])
    b.inventory({"fw1": sim})
    b.write([task("apply", {"deployment": "two", "resources": second, "lock_timeout": 120, "bulk": "off"})])
    proc_a = start_playbook(a, a.env())
    proc_b = start_playbook(b, b.env())
    assert proc_a.wait(timeout=240) == 0 and proc_b.wait(timeout=240) == 0
    log = writes(sim.log())
    one = [e for e in log if "/alias/" in e["path"]]
    two = [e for e in log if "/category/" in e["path"]]
    assert len(one) == 4 and len(two) == 4
    assert max(e["end"] for e in one) < min(e["start"] for e in two) or max(e["end"] for e in two) < min(
        e["start"] for e in one
    ), "the two jobs' writes interleaved"
    # each knows the other's deployment: prune of one never touches the other's objects
    outcome, r = b.play(sim, [task("apply", {"deployment": "two", "resources": second[:1], "prune": True})])
    assert outcome.rc == 0, outcome.stdout[-3000:]
    assert sorted(x["name"] for x in r["r0"]["results"] if x["op"] == "delete") == ["c1", "c2", "c3"]
    assert sorted(i["name"] for i in sim.state()["config"]["firewall.alias"].values()) == ["a0", "a1", "a2", "a3"]
    no_password_anywhere([a, b], [outcome.stdout])


def test_a_checkpoint_taken_by_one_job_is_listed_and_restored_by_another(controllers, sim):
    a, b = controllers
    before = [rule("allow-ssh", 22), rule("allow-http", 80)]
    after = [rule("allow-ssh", 2222), rule("allow-https", 443)]
    outcome, r = a.play(
        sim,
        [
            task("apply", {"deployment": "web", "resources": before}),
            task("checkpoint", {"id": "before-window", "deployment": "web", "description": "change window"}),
            task("apply", {"deployment": "web", "resources": after, "prune": True}),
        ],
    )
    assert outcome.rc == 0, outcome.stdout[-3000:]
    original = dict((x["name"], x["uuid"]) for x in r["r0"]["results"])
    outcome, r = b.play(
        sim,
        [
            task("checkpoint_info", {"deployment": "web"}),
            task("checkpoint", {"state": "restored", "id": "before-window"}),
        ],
    )
    assert outcome.rc == 0, outcome.stdout[-3000:]
    assert "before-window" in [c["id"] for c in r["r0"]["checkpoints"]]
    restore = r["r1"]["restore"]
    assert (restore["create"], restore["update"], restore["delete"]) == (1, 1, 1)
    rules = sim.state()["config"]["firewall.filter_rule"]
    ours = dict((x["description"], u) for u, x in rules.items() if not x["description"].startswith("Default"))
    assert ours == original
    # the restored deployment state is shared too: job a sees no change to make
    assert not engine_apply(sim, a.state, before, deployment="web")["changed"]
    no_password_anywhere([a, b], [outcome.stdout])


def test_a_killed_job_blocks_the_other_until_recover_rollback_restores_exactly(controllers, sim):
    a, b = controllers
    sim.reset()
    enable_haproxy(sim)
    engine_apply(sim, a.state, mixed_before(), deployment="mix")
    sim.clear_log()
    before = snapshot(sim)
    sim.set_profile(write_ms=150, reload_ms=dict((k, 400) for k in ("alias", "filter", "vlan", "haproxy")))
    a.inventory({"fw1": sim})
    a.write([task("apply", apply_task(mixed_after(), prune=True))])
    proc = start_playbook(a, a.env())
    point = random.Random(14).randint(2, 10)
    try:
        assert wait_for(lambda: len(writes(sim.log())) >= point), "write %d never came" % point
        time.sleep(0.05)
    finally:
        kill_group(proc, lambda: a.view.holder(sim))
    sim.set_profile("instant")
    assert wait_for(lambda: a.view.holder(sim) is None, 30), "the killed job still holds the lock"
    killed = a.view.journals(sim)[-1][0]
    # the other job, on another "node", is refused and told which run to recover
    outcome, r = b.play(sim, [task("apply", apply_task(mixed_after(), prune=True))])
    assert outcome.rc != 0 and "did not finish" in r["r0"]["msg"] and killed in r["r0"]["msg"], r
    outcome, r = b.play(sim, [task("apply", {"deployment": "mix", "recover": "rollback"})])
    assert outcome.rc == 0, outcome.stdout[-3000:]
    assert r["r0"]["recovered"][0]["status"] == "rolled_back" and r["r0"]["recovered"][0]["run_id"] == killed
    assert state_diff(before, snapshot(sim)) == []
    assert not engine_apply(sim, b.state, mixed_before(), deployment="mix")["changed"]
    no_password_anywhere([a, b], [outcome.stdout])


def test_a_failed_write_rolls_back_with_the_journal_in_the_database(controllers, sim):
    a, _b = controllers
    engine_apply(sim, a.state, [rule("keep", 22)], deployment="web")
    before = snapshot(sim)
    sim.inject(effect="http500", method="POST", path=FAULT_PATH, nth=2)
    outcome, r = a.play(sim, [task("apply", {"deployment": "web", "resources": [rule("keep", 23), rule("new", 80)]})])
    assert outcome.rc != 0 and r["r0"]["rollback_failures"] == []
    assert state_diff(before, snapshot(sim)) == []
    assert [rec for rec in a.view.journal_text(sim).splitlines() if '"rec": "end"' in rec]
    assert str(r["r0"]["journal_path"]).startswith("postgresql://postgres@127.0.0.1")


def test_local_state_moves_into_the_database(tmp_path, dsn, sim, monkeypatch):
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._state_move import move_local_state

    local = tmp_path / "local"
    local.mkdir()
    monkeypatch.delenv("OPNFORM_STATE_BACKEND", raising=False)
    engine_apply(sim, local, [rule("allow-ssh", 22)], deployment="web")  # a deployment, a journal, a checkpoint
    engine_apply(sim, local, [rule("allow-ssh", 2222)], deployment="web")
    folder = local / ("127.0.0.1_%d" % sim.port)
    checkpoints = sorted(p.stem for p in (folder / "checkpoints").glob("*.json"))
    report = move_local_state(str(local), dsn)
    assert report["firewalls"] == ["127.0.0.1_%d" % sim.port]
    assert report["deployments"] == 1 and report["journals"] == 2
    assert report["checkpoints"] == len(checkpoints) >= 1
    assert password(StateProject(tmp_path, "postgresql", dsn)) not in json.dumps(report)
    # the database now answers as the folder did: nothing to change, the checkpoint restorable
    monkeypatch.setenv("OPNFORM_STATE_BACKEND", "postgresql")
    monkeypatch.setenv("OPNFORM_STATE_DSN", dsn)
    assert not engine_apply(sim, tmp_path / "empty", [rule("allow-ssh", 2222)], deployment="web")["changed"]
    project = StateProject(tmp_path / "p", "postgresql", dsn)
    (tmp_path / "p").mkdir()
    outcome, r = run_play(project, {"fw1": sim}, [task("checkpoint_info", {"deployment": "web"})])
    assert outcome.rc == 0 and sorted(c["id"] for c in r["fw1"]["r0"]["checkpoints"]) == checkpoints
    assert move_local_state(str(local), dsn)["skipped"]  # a second move changes nothing it already has
