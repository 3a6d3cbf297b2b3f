"""apply under faults (issue 4), through ``ansible-playbook`` against the simulator.

- a failed write at every write position of a 20-resource deployment that mixes creates, updates and
  deletes across aliases, rules, VLANs and HAProxy leaves ``config`` and ``running`` exactly as before;
- a write whose answer is lost after it was committed (``commit_then_reset``) makes no duplicate;
- a run killed with SIGKILL at random points blocks the next apply, which names it; ``recover:
  rollback`` restores the pre-apply state exactly and ``recover: resume`` completes the run;
- two applies to one firewall never interleave: the second waits up to ``lock_timeout``, then fails
  naming the holder.

The fault matrix, the SIGKILL recoveries and the lock run against both state backends (the local
folder and PostgreSQL: ``both_backends`` in conftest.py). The fault matrix, the lost answers and the
SIGKILL recoveries also run with ``bulk: auto`` and ``bulk: off`` (the ``bulk`` fixture), over a
change whose new rules go out as one bulk import when bulk is on.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter

import pytest
from apply_helpers import (
    FAULT_PATH,
    RELOAD,
    apply_task,
    dump,
    enable_haproxy,
    engine_apply,
    mixed_after,
    mixed_before,
    snapshot,
    writes,
)
from e2e_helpers import BIN, needs_apply

pytestmark = needs_apply

SEED = int(os.environ.get("OPNFORM_TEST_SEED", "0")) or random.randrange(1, 10**6)


@pytest.fixture(params=["auto", "off"])
def bulk(request):
    """The ``bulk`` option of the applies under test."""
    return request.param


def desired():
    """The mixed change plus more creates and an update of ``a2``. With bulk on: the three new rules
    are ready together (after ``a_new``) and go out as one rule import; the updates of ``a1`` and
    ``a2`` as one alias import; the creates of ``a_new``, ``a_new2`` and ``a_new3`` as another,
    under uuids the firewall picks; the new categories as one upload keyed on name; and the new
    servers ``s3`` to ``s5`` as one whole-model set, under uuids the firewall picks, which ``be1``
    (updated to name ``s3``) must then name."""
    more = [
        {
            "type": "firewall_filter_rule",
            "name": "r_new%d" % n,
            "properties": {
                "interface": ["lan"],
                "protocol": "TCP",
                "destination_net": ["a_new"],
                "destination_port": str(80 + n),
            },
        }
        for n in (2, 3)
    ]
    more += [
        {"type": "firewall_alias", "name": "a_new%d" % n, "properties": {"type": "host", "content": ["10.0.5.%d" % n]}}
        for n in (2, 3)
    ]
    more += [
        {"type": "firewall_category", "name": "c_new%d" % n, "properties": {"color": "00000%d" % n}} for n in (1, 2)
    ]
    more += [
        {"type": "haproxy_server", "name": "s%d" % n, "properties": {"address": "10.0.0.1%d" % n, "port": 80}}
        for n in (4, 5)
    ]
    out = mixed_after() + more
    for item in out:
        if (item["type"], item["name"]) == ("firewall_alias", "a2"):
            item["properties"]["content"] = ["10.1.0.0/16", "10.2.0.0/16"]
    return out


def prepare(project, sim):
    """Factory firewall + HAProxy enabled + the 'before' deployment applied; a fresh state folder."""
    sim.reset()
    project.reset_state()
    enable_haproxy(sim)
    engine_apply(sim, project.state, mixed_before())
    sim.clear_log()
    return snapshot(sim)


def playbook(project, sim, args):
    project.inventory({"fw1": sim})
    project.playbook(args)


def result(project):
    try:
        return project.result("fw1")
    except (OSError, ValueError):
        return None


def state_diff(before, after):
    """Readable differences between two snapshots (empty when equal)."""
    out = []
    for part in ("config", "running"):
        for key in sorted(set(before[part]) | set(after[part])):
            old, new = before[part].get(key, {}), after[part].get(key, {})
            for uuid in sorted(set(old) | set(new)):
                if old.get(uuid) != new.get(uuid):
                    out.append("%s %s %s: %s -> %s" % (part, key, uuid, old.get(uuid), new.get(uuid)))
    return out


def identities(sim):
    """Per item type, the identity-ish label of every object; duplicates would show twice."""
    out = {}
    for key, items in sim.state()["config"].items():
        labels = [
            i.get("name") or i.get("description") or "%s.%s" % (i.get("if"), i.get("tag")) for i in items.values()
        ]
        out[key] = Counter(labels)
    return out


def count_writes(project, sim, bulk="off"):
    prepare(project, sim)
    engine_apply(sim, project.state, desired(), prune=True, bulk=bulk)
    if bulk != "off":
        paths = [e["path"] for e in writes(sim.log())]
        assert any(p.endswith("upload_rules") for p in paths), "no rule import to test"
        assert any(p.endswith("alias/import") for p in paths), "no alias import to test"
        assert any(p.endswith("category/upload") for p in paths), "no category upload to test"
        assert any(p.endswith("haproxy/settings/set") for p in paths), "no whole-model set to test"
    return len(writes(sim.log()))


@pytest.mark.both_backends
def test_a_failed_write_at_every_position_is_rolled_back_exactly(project, sim, bulk):
    total = count_writes(project, sim, bulk)
    assert total >= 14
    failures = []
    for position in range(1, total + 1):
        before = prepare(project, sim)
        sim.inject(effect="http500", method="POST", path=FAULT_PATH, nth=position)
        playbook(project, sim, apply_task(desired(), prune=True, bulk=bulk))
        outcome = project.playbook_run()
        applied = result(project)
        assert outcome.rc != 0, "write %d: the fault did not fail the apply" % position
        assert applied["rollback_failures"] == [], (position, applied["rollback_failures"])
        problems = state_diff(before, snapshot(sim))
        if problems:
            failures.append((position, problems[:5]))
    assert failures == [], dump(failures)


def test_lost_answers_after_commit_make_no_duplicates(project, sim, bulk):
    total = count_writes(project, sim, bulk)
    for position in range(1, total + 1):
        prepare(project, sim)
        sim.inject(effect="commit_then_reset", method="POST", path=FAULT_PATH, nth=position)
        playbook(project, sim, apply_task(desired(), prune=True, bulk=bulk))
        outcome = project.playbook_run()
        assert outcome.rc == 0, "write %d:\n%s" % (position, outcome.stdout[-3000:])
        for key, labels in identities(sim).items():
            assert max(labels.values() or [1]) == 1, (position, key, labels)
        # the firewall is exactly as desired: a second run changes nothing
        sim.clear_faults()
        again = engine_apply(sim, project.state, desired(), prune=True, bulk=bulk)
        assert not again["changed"], (position, [r for r in again["results"] if r["op"] != "noop"])


def start_playbook(project, env):
    cmd = [str(BIN / "ansible-playbook"), "-i", str(project.tmp / "inventory.yml"), str(project.tmp / "play.yml")]
    return subprocess.Popen(
        cmd, cwd=str(project.tmp), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def kill_group(proc, holder=None):
    """SIGKILL the apply: the worker process that runs it (Ansible starts workers in their own
    session, so it is found by the pid the lock holder names: ``holder()``) and the ansible-playbook
    process group."""
    if holder is not None:
        try:
            pid = int((holder() or {})["pid"])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, KeyError, TypeError):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def wait_for(predicate, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


@pytest.mark.both_backends
@pytest.mark.parametrize("mode", ["rollback", "resume", "rollback-after-writes", "resume-after-writes"])
def test_sigkill_then_recover(project, sim, mode, bulk):
    rng = random.Random("%s-%s-%s" % (SEED, mode, bulk))
    total = count_writes(project, sim, bulk)
    before = prepare(project, sim)
    # slow enough that the kill lands inside the run: writes 150 ms, reloads 400 ms each
    sim.set_profile(
        write_ms=150, reload_ms=dict((k, 400) for k in ("alias", "filter", "vlan", "haproxy", "haproxy_configtest"))
    )
    playbook(project, sim, apply_task(desired(), prune=True, bulk=bulk))
    proc = start_playbook(project, project.env())
    try:
        if mode.endswith("after-writes"):
            # killed during the reloads (every write done, some subsystems live)
            point = "reload"
            assert wait_for(lambda: any(RELOAD.search(e["path"]) for e in sim.log())), "no reload seen"
        else:
            point = rng.randint(1, total - 2)
            assert wait_for(lambda: len(writes(sim.log())) >= point), "write %d never came" % point
        time.sleep(rng.uniform(0, 0.1))
    finally:
        kill_group(proc, lambda: project.view.holder(sim))
    sim.set_profile("instant")
    seen = len(writes(sim.log()))
    journals = project.view.journals(sim)
    assert len(journals) == 2, "seed %s point %s" % (SEED, point)  # the set-up run and the killed one
    killed = journals[-1][0]

    # the next apply refuses and names the unfinished run
    playbook(project, sim, apply_task(desired(), prune=True, bulk=bulk))
    outcome = project.playbook_run()
    refused = result(project)
    assert outcome.rc != 0 and "did not finish" in refused.get("msg", "") and killed in refused["msg"], (
        point,
        seen,
        refused,
    )

    if mode.startswith("rollback"):
        playbook(project, sim, {"deployment": "mix", "recover": "rollback", "bulk": bulk})
        outcome = project.playbook_run()
        assert outcome.rc == 0, outcome.stdout[-3000:]
        assert result(project)["recovered"][0]["status"] == "rolled_back"
        problems = state_diff(before, snapshot(sim))
        assert problems == [], "seed %s point %s (%d writes seen): %s" % (SEED, point, seen, dump(problems[:5]))
        # the deployment is as before too: re-applying the 'before' resources changes nothing
        assert not engine_apply(sim, project.state, mixed_before())["changed"]
    else:
        playbook(project, sim, {"deployment": "mix", "recover": "resume", "bulk": bulk})
        outcome = project.playbook_run()
        assert outcome.rc == 0, outcome.stdout[-3000:]
        assert result(project)["recovered"][0]["status"] == "resumed"
        again = engine_apply(sim, project.state, desired(), prune=True, bulk=bulk)
        assert not again["changed"], "seed %s point %s: %s" % (
            SEED,
            point,
            [r for r in again["results"] if r["op"] != "noop"],
        )
        assert snapshot(sim)["running"] == snapshot(sim)["config"]


@pytest.mark.both_backends
def test_second_apply_waits_for_the_lock_then_fails_naming_the_holder(project, sim):
    sim.inject(effect="delay", method="POST", path=r"/api/firewall/alias/setItem", delay_ms=400, times=0)
    first = [{"type": "firewall_alias", "name": "slow%d" % i, "properties": {"type": "host"}} for i in range(6)]
    second = [{"type": "firewall_category", "name": "c%d" % i, "properties": {}} for i in range(3)]
    # one slow write per alias (bulk: off) keeps the first apply holding the lock for a while; one
    # write per category in the second makes the count exact
    playbook(project, sim, apply_task(first, deployment="one", bulk="off"))
    holder = start_playbook(project, project.env())
    try:
        assert wait_for(lambda: "run_id" in (project.view.holder(sim) or {})), "the first apply never took the lock"
        holder_info = project.view.holder(sim)
        # a short timeout: fails, naming the holder
        playbook(project, sim, apply_task(second, deployment="two", lock_timeout=0.5, bulk="off"))
        outcome = project.playbook_run()
        refused = result(project)
        assert outcome.rc != 0
        assert "another apply is running" in refused["msg"], refused
        assert holder_info["run_id"] in refused["msg"] and "pid %s" % holder_info["pid"] in refused["msg"]
        # a long timeout: waits for the holder, then runs; the two never interleave
        playbook(project, sim, apply_task(second, deployment="two", lock_timeout=120, bulk="off"))
        outcome = project.playbook_run()
        assert outcome.rc == 0, outcome.stdout[-3000:]
    finally:
        holder.wait(timeout=120)
    assert holder.returncode == 0
    log = sim.log()
    first_writes = [e for e in writes(log) if "/alias/" in e["path"]]
    second_writes = [e for e in writes(log) if "/category/" in e["path"]]
    assert len(first_writes) == 6 and len(second_writes) == 3
    assert max(e["end"] for e in first_writes) < min(e["start"] for e in second_writes)


# -- a reload or configtest that drops the connection (issue 10) ---------------------------------


def journal_text(project, sim):
    """The newest journal as text ("" before there is one): what the last run wrote down so far."""
    return project.view.journal_text(sim)


def journal_records(project, sim):
    """The kinds of the newest journal's records."""
    return [json.loads(line)["rec"] for line in journal_text(project, sim).splitlines() if line.strip()]


def probes_before_first_reload(project, sim):
    """How many liveness GETs a clean run of the mixed change sends before its first reload."""
    prepare(project, sim)
    engine_apply(sim, project.state, mixed_after(), prune=True)
    log = sim.log()
    first = next(i for i, e in enumerate(log) if RELOAD.search(e["path"]))
    return sum(1 for e in log[:first] if e["method"] == "GET" and e["path"].endswith("core/firmware/status"))


@pytest.mark.parametrize(
    "effect,path",
    [
        ("reset", r"/firewall/filter/apply$"),  # lost before it ran: sent again
        ("commit_then_reset", r"/firewall/alias/reconfigure$"),  # ran, answer lost: sending again is harmless
        ("reset", r"/haproxy/service/configtest$"),  # the configtest, before HAProxy's reconfigure
    ],
)
def test_a_dropped_reload_is_waited_for_and_the_run_finishes(project, sim, effect, path):
    prepare(project, sim)
    sim.inject(effect=effect, method="POST", path=path)
    playbook(project, sim, apply_task(mixed_after(), prune=True))
    outcome = project.playbook_run()
    assert outcome.rc == 0, outcome.stdout[-3000:]
    applied = result(project)
    assert "reconnected" in [r["status"] for r in applied["reloads"]], applied["reloads"]
    state = snapshot(sim)
    assert state["running"] == state["config"] and not sim.state()["pending"]
    assert not engine_apply(sim, project.state, mixed_after(), prune=True)["changed"]
    assert {"reconnect_wait", "reconnect_done", "end"} <= set(journal_records(project, sim))


def test_a_reload_failing_after_the_reconnect_rolls_back(project, sim):
    before = prepare(project, sim)
    sim.inject(effect="reset", method="POST", path=r"/firewall/filter/apply$")
    sim.inject(effect="http500", method="POST", path=r"/firewall/filter/apply$", nth=2)
    playbook(project, sim, apply_task(mixed_after(), prune=True))
    outcome = project.playbook_run()
    applied = result(project)
    assert outcome.rc != 0 and applied["rollback_failures"] == [], applied
    assert state_diff(before, snapshot(sim)) == []


def test_a_firewall_silent_past_reconnect_timeout_stops_the_run_for_recover(project, sim):
    probes = probes_before_first_reload(project, sim)
    before = prepare(project, sim)
    sim.inject(effect="reset", method="POST", path=r"/firewall/alias/reconfigure$")
    sim.inject(effect="reset", method="GET", path=r"/core/firmware/status$", nth=probes + 1, times=0)
    playbook(project, sim, apply_task(mixed_after(), prune=True, reconnect_timeout=1))
    started = time.time()
    outcome = project.playbook_run()
    assert time.time() - started < 60
    stopped = result(project)
    assert outcome.rc != 0
    assert "reconnect_timeout" in stopped["msg"] and "recover: rollback" in stopped["msg"], stopped["msg"]
    assert [r["status"] for r in stopped["reloads"]] == ["unreachable"]
    records = journal_records(project, sim)
    assert "reconnect_wait" in records and "end" not in records
    # once the API answers again, recover: rollback restores the state from before the run
    sim.clear_faults()
    playbook(project, sim, {"deployment": "mix", "recover": "rollback"})
    outcome = project.playbook_run()
    assert outcome.rc == 0, outcome.stdout[-3000:]
    assert state_diff(before, snapshot(sim)) == []


def test_sigkill_while_waiting_for_the_api_stays_recoverable(project, sim):
    probes = probes_before_first_reload(project, sim)
    before = prepare(project, sim)
    sim.inject(effect="reset", method="POST", path=r"/firewall/alias/reconfigure$")
    sim.inject(effect="reset", method="GET", path=r"/core/firmware/status$", nth=probes + 1, times=0)
    playbook(project, sim, apply_task(mixed_after(), prune=True, reconnect_timeout=300))
    proc = start_playbook(project, project.env())
    try:
        assert wait_for(lambda: '"reconnect_wait"' in journal_text(project, sim)), "no wait seen"
    finally:
        kill_group(proc, lambda: project.view.holder(sim))
    sim.clear_faults()
    playbook(project, sim, apply_task(mixed_after(), prune=True))
    outcome = project.playbook_run()
    assert outcome.rc != 0 and "did not finish" in result(project)["msg"]
    playbook(project, sim, {"deployment": "mix", "recover": "rollback"})
    outcome = project.playbook_run()
    assert outcome.rc == 0, outcome.stdout[-3000:]
    assert state_diff(before, snapshot(sim)) == []
