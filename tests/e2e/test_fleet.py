"""A fleet of three firewalls in one ``ansible-playbook -f 3`` run, as users run it.

The collection's own ``playbooks/plan.yml``, ``apply.yml`` (the deploy role) and ``restore.yml``
run against an inventory of three simulated firewalls (README-style connection variables, the
resources per firewall), with the ``opnform.opnsense.progress`` callback enabled:

- plan.yml shows each firewall its own plan and writes nothing, neither to a firewall nor to the
  controller state;
- apply.yml applies the three in parallel, each with its own state folder, lock, checkpoint,
  journal and run; a fault injected into fw2 fails fw2 and rolls it back (its configuration and
  deployment state equal the pre-apply ones) while fw1 and fw3 are applied and verified; the
  summary has a row per firewall;
- restore.yml takes every firewall back to the checkpoint the apply took before its change.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from apply_helpers import FAULT_PATH, enable_haproxy, engine_apply, snapshot, writes
from checkpoint_helpers import folder, tree_digest
from e2e_helpers import needs_apply
from fleet_helpers import (
    DEPLOYMENT,
    HOSTS,
    after,
    before,
    host_chunks,
    journal_records,
    recap,
    run_playbook,
    run_window,
    summary_rows,
    write_inventory,
)

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

pytestmark = needs_apply

CHECKPOINT = "change-1"
PLAN_HEADLINE = "deployment fleet: 3 create, 5 update, 2 delete, 2 noop"


@pytest.fixture
def fleet(project):
    """fw1..fw3: simulated firewalls with HAProxy enabled, each running its own 'before'
    deployment (applied in-process: set-up, not under test), with a cost per write so that the
    three applies take long enough to overlap."""
    opnsense_sim = pytest.importorskip("opnsense_sim")
    with contextlib.ExitStack() as stack:
        sims = dict((h, stack.enter_context(opnsense_sim.Simulator(port=0, profile="instant"))) for h in HOSTS)
        for host, sim in sims.items():
            enable_haproxy(sim)
            engine_apply(sim, project.state, before(host), deployment=DEPLOYMENT)
            assert sim.state()["pending"] == []  # everything live, HAProxy running
            sim.set_profile(write_ms=150)
            sim.clear_log()
        write_inventory(project, sims)
        yield sims


def progress_env(project):
    return project.env(ANSIBLE_CALLBACKS_ENABLED="opnform.opnsense.progress")


def assert_no_secret(project, *texts):
    assert len(project.secrets) == len(HOSTS)
    for text in texts:
        for secret in project.secrets:
            assert secret not in text


def test_plan_playbook_shows_each_firewall_its_plan_and_writes_nothing(project, fleet):
    state_before = tree_digest(project.state)

    run = run_playbook(project, "plan.yml", "--diff", env=progress_env(project))

    assert run.rc == 0, run.stdout[-4000:]
    counts = recap(run.lines)
    assert sorted(counts) == list(HOSTS)
    assert all(c["changed"] == 1 and c["failed"] == 0 for c in counts.values()), counts  # every firewall drifts
    diffs = host_chunks(run.lines, "deploy : Plan the deployment]")
    for host in HOSTS:
        others = [h for h in HOSTS if h != host]
        assert '"%s-office-2"' % host in diffs[host]  # its own VLAN description, planned from its own vars
        assert not any('"%s-office-2"' % other in diffs[host] for other in others)
    assert sum(1 for line in run.lines if PLAN_HEADLINE in line) == len(HOSTS), run.stdout[-4000:]
    for sim in fleet.values():
        assert writes(sim.log()) == []
    assert tree_digest(project.state) == state_before  # no plan, checkpoint or journal saved
    assert "OPNFORM SUMMARY" not in run.lines  # no apply ran
    assert_no_secret(project, run.stdout)


def test_apply_isolates_a_failing_firewall_and_restore_takes_the_fleet_back(project, fleet):
    pre = dict((h, snapshot(sim)) for h, sim in fleet.items())
    deployment_files = dict((h, folder(project, sim) / "deployments" / "fleet.json") for h, sim in fleet.items())
    pre_deployments = dict((h, path.read_bytes()) for h, path in deployment_files.items())
    fleet["fw2"].inject(effect="http500", method="POST", path=FAULT_PATH, nth=4)

    run = run_playbook(project, "apply.yml", "-e", "opnform_checkpoint_id=" + CHECKPOINT, env=progress_env(project))

    # fw2 failed, the other two were applied and verified
    assert run.rc != 0
    counts = recap(run.lines)
    assert counts["fw2"]["failed"] == 1 and counts["fw2"]["rescued"] == 1, counts
    for host in ("fw1", "fw3"):
        assert counts[host]["failed"] == 0 and counts[host]["changed"] >= 2, counts
    verified = host_chunks(run.lines, "Nothing is left to change]")
    assert sorted(verified) == ["fw1", "fw3"] and all(c.startswith("ok: ") for c in verified.values())
    failure = host_chunks(run.lines, "Fail with what the apply did")["fw2"]
    assert "deployment fleet failed: 1 of 10 writes failed; first: " in failure, failure
    assert "checkpoint_id=%s" % CHECKPOINT in failure

    # one summary row per firewall, each its own run
    rows = dict((r["host"], r) for r in summary_rows(run.lines))
    assert sorted(rows) == list(HOSTS) and len(summary_rows(run.lines)) == 3
    assert len(set(r["run"] for r in rows.values())) == 3
    columns = ("result", "created", "updated", "deleted", "unchanged", "failed", "rolled back")
    for host in ("fw1", "fw3"):
        assert [rows[host][c] for c in columns] == ["ok", 3, 5, 2, 2, 0, 0], rows[host]
    assert (rows["fw2"]["result"], rows["fw2"]["failed"]) == ("rolled back", 1), rows["fw2"]
    undone = rows["fw2"]["rolled back"]  # the 3 writes before the fault, and any that were in flight
    assert undone >= 3 and "rolled back %d write(s)" % undone in failure

    # fw2 is exactly as before, configuration, running state and deployment state
    assert snapshot(fleet["fw2"]) == pre["fw2"]
    assert deployment_files["fw2"].read_bytes() == pre_deployments["fw2"]
    # fw1 and fw3 run the change, live, with their own values
    for host in ("fw1", "fw3"):
        check_applied(fleet[host], host)
        managed = json.loads(deployment_files[host].read_text())
        assert sorted(r["name"] for r in managed["resources"]) == sorted(r["name"] for r in after(host))

    check_state_folders(project, fleet, rows)
    assert_no_secret(project, run.stdout, project.files_text(project.state))

    # restore.yml takes every firewall back to the checkpoint; fw2 has nothing to restore
    for sim in fleet.values():
        sim.clear_faults()
        sim.clear_log()
    restore = run_playbook(project, "restore.yml", "-e", "checkpoint_id=" + CHECKPOINT)

    assert restore.rc == 0, restore.stdout[-4000:]
    restored = recap(restore.lines)
    assert [restored[h]["changed"] for h in HOSTS] == [1, 0, 1], restored
    previews = host_chunks(restore.lines, "Show what the restore changes]")
    # 'before' has 9 objects, plus the 2 factory LAN rules the checkpoint holds too
    # a full-scope checkpoint also holds the one object of each settings type, unchanged
    settings = sum(1 for spec in REGISTRY.values() if spec.settings)
    assert '"restoring checkpoint change-1: %d unchanged"' % (11 + settings) in previews["fw2"]
    for host in ("fw1", "fw3"):
        assert (
            '"restoring checkpoint change-1: 2 create, 5 update, 3 delete, %d unchanged"' % (4 + settings)
            in previews[host]
        )
        assert snapshot(fleet[host])["config"] == pre[host]["config"]
        assert snapshot(fleet[host])["running"] == pre[host]["running"]
    assert writes(fleet["fw2"].log()) == []
    assert snapshot(fleet["fw2"]) == pre["fw2"]
    assert_no_secret(project, restore.stdout)


def check_applied(sim, host):
    """The firewall holds the 'after' deployment with this firewall's values, and it is live."""
    state = sim.state()
    net = "10.%d" % (HOSTS.index(host) + 1)
    aliases = dict((a["name"], a) for a in state["config"]["firewall.alias"].values())
    assert sorted(aliases) == ["new_hosts", "site_hosts"]
    assert aliases["site_hosts"]["content"].split("\n") == [net + ".0.10", net + ".0.11"]
    rules = sorted(r["description"] for r in state["config"]["firewall.filter_rule"].values())
    assert "allow-new" in rules and "allow-old" not in rules
    vlans = list(state["config"]["interfaces.vlan"].values())
    assert [(v["tag"], v["descr"]) for v in vlans] == [(str(100 + HOSTS.index(host)), host + "-office-2")]
    frontends = list(state["config"]["haproxy.frontend"].values())
    backend_uuid = next(u for u, b in state["config"]["haproxy.backend"].items() if b["name"] == "pool")
    assert [(f["name"], f["bind"], f["defaultBackend"]) for f in frontends] == [("front", "0.0.0.0:8443", backend_uuid)]
    assert state["pending"] == []
    for key in ("firewall.alias", "firewall.filter_rule", "interfaces.vlan", "haproxy.frontend"):
        assert state["running"][key] == state["config"][key], key


def check_state_folders(project, fleet, rows):
    """Each firewall has its own folder, lock, checkpoint, journal and events; the three runs
    overlapped in time (parallel, so no lock is shared) and only fw2's run rolled back."""
    folders = dict((h, folder(project, sim)) for h, sim in fleet.items())
    assert sorted(p.name for p in project.state.iterdir()) == sorted(p.name for p in folders.values())
    windows = []
    for host, path in folders.items():
        lock = path / "lock"
        assert lock.is_file() and lock.read_text() == ""  # released
        checkpoint = json.loads((path / "checkpoints" / (CHECKPOINT + ".json")).read_text())
        assert checkpoint["firewall"]["endpoint"] == path.name and checkpoint["deployment"] == DEPLOYMENT
        contents = [o.get("content") for o in checkpoint["objects"]["firewall_alias"].values()]
        net = "10.%d" % (HOSTS.index(host) + 1)
        assert sorted(contents) == sorted([net + ".0.10", net + ".9.9"])  # this firewall's 'before' aliases
        records = [r["rec"] for r in journal_records(project, fleet[host], rows[host]["run"])]
        assert ("rollback_start" in records) == (host == "fw2"), (host, records)
        assert records[-1] == "end"
        windows.append(run_window(project, fleet[host], rows[host]["run"]))
    assert max(w[0] for w in windows) < min(w[1] for w in windows), windows  # all three ran at once
