"""Settings resources end to end (issue 13): HAProxy enabled and defined in one apply, then put back
by a checkpoint restore; every run through ``ansible-playbook`` against the simulator.

``haproxy_settings`` is one object per firewall (``haproxy.general``, written with the whole-model
``haproxy/settings/set``). One apply that enables HAProxy and defines a server, a backend and a
frontend saves the settings with the other objects, then runs HAProxy's configtest and reconfigure
once, after every write; the apply verifies what it wrote. The checkpoint the apply took first holds
the settings as they were, and restoring it disables HAProxy again by one update (never a create or
a delete of the settings) and removes what the apply created.
"""

from __future__ import annotations

import pytest
from apply_helpers import RELOAD, api, engine_try, writes
from checkpoint_helpers import run_play, take_checkpoint, task
from e2e_helpers import needs_apply

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

pytestmark = needs_apply

SETTINGS_UUID = REGISTRY["haproxy_settings"].settings_uuid
RESOURCES = [
    {
        "type": "haproxy_settings",
        "name": "haproxy",
        "properties": {"enabled": True, "tuning_max_connections": 2000, "defaults_timeout_client": "1m"},
    },
    {"type": "haproxy_server", "name": "web1", "properties": {"address": "192.0.2.10", "port": 80}},
    {"type": "haproxy_backend", "name": "pool", "properties": {"linked_servers": ["web1"]}},
    {
        "type": "haproxy_frontend",
        "name": "public",
        "properties": {"bind": ["0.0.0.0:80"], "default_backend": "pool"},
    },
]


def general(sim, part="settings"):
    """HAProxy's general settings as set (config: ``settings``; applied: ``running_settings``)."""
    values = sim.state()[part].get("haproxy", {})
    return dict((k[len("general.") :], v) for k, v in values.items() if k.startswith("general."))


def paths(log):
    return [e["path"] for e in log]


def test_one_apply_enables_haproxy_and_defines_it_then_a_restore_puts_the_settings_back(project, sim):
    assert general(sim).get("enabled", "0") == "0"
    sim.clear_log()
    outcome, results = run_play(project, {"fw1": sim}, [task("apply", {"deployment": "lb", "resources": RESOURCES})])
    assert outcome.rc == 0, outcome.stdout[-4000:]
    applied = results["fw1"]["r0"]
    assert applied["changed"]
    ops = dict((x["name"], (x["op"], x["adopted"])) for x in applied["results"])
    assert ops == {
        "haproxy": ("update", True),  # the first apply adopts the one object
        "web1": ("create", False),
        "pool": ("create", False),
        "public": ("create", False),
    }
    settings_action = next(a for a in applied["plan"]["actions"] if a["type"] == "haproxy_settings")
    assert settings_action["uuid"] == SETTINGS_UUID
    log = sim.log()
    sent = paths(writes(log))
    reloads = [p for p in paths(log) if RELOAD.search(p)]
    assert sent.count("/api/haproxy/settings/set") == 1
    assert reloads == ["/api/haproxy/service/configtest", "/api/haproxy/service/reconfigure"]
    # every write, the settings first among them here as nothing they hold waits for anything, goes
    # out before the one reload of the subsystem
    order = paths(log)
    assert max(order.index(p) for p in sent) < order.index("/api/haproxy/service/configtest")
    # saved and applied: HAProxy is enabled and runs what was defined
    assert general(sim)["enabled"] == "1" and general(sim)["tuning.maxConnections"] == "2000"
    assert general(sim, "running_settings")["enabled"] == "1"
    assert sim.state()["pending"] == []
    assert api(sim, "GET", "haproxy/service/status")["status"] == "running"
    frontends = sim.state()["running"]["haproxy.frontend"]
    assert [f["name"] for f in frontends.values()] == ["public"]
    # the apply verified what it wrote, and a second apply changes nothing
    assert not applied.get("verify", {}).get("differences")
    sim.clear_log()
    outcome, results = run_play(project, {"fw1": sim}, [task("apply", {"deployment": "lb", "resources": RESOURCES})])
    assert outcome.rc == 0, outcome.stdout[-4000:]
    again = results["fw1"]["r0"]
    assert not again["changed"] and writes(sim.log()) == []
    assert again["plan"]["summary"]["noop"] == len(RESOURCES)

    # the checkpoint the first apply took holds the settings as they were: restore it
    checkpoint_id = applied["checkpoint_id"]
    assert checkpoint_id
    sim.clear_log()
    outcome, results = run_play(project, {"fw1": sim}, [task("checkpoint", {"state": "restored", "id": checkpoint_id})])
    assert outcome.rc == 0, outcome.stdout[-4000:]
    restored = results["fw1"]["r0"]
    assert restored["changed"]
    assert restored["restore"] == {"create": 0, "update": 1, "delete": 3, "unchanged": 0}
    sent = paths(writes(sim.log()))
    assert "/api/haproxy/settings/set" in sent and not any(SETTINGS_UUID in p for p in sent)
    assert general(sim)["enabled"] == "0" and general(sim).get("tuning.maxConnections", "") == ""
    assert general(sim)["defaults.timeoutClient"] == "30s"
    # applied: a disabled HAProxy is stopped by the reconfigure (which deploys nothing then)
    assert api(sim, "GET", "haproxy/service/status")["status"] != "running"
    assert sim.state()["config"].get("haproxy.frontend", {}) == {}


def test_a_checkpoint_of_the_settings_alone_restores_them_by_update(project, sim):
    taken = take_checkpoint(project, sim, id="lb-settings", scope=["haproxy_settings", "unbound_settings"])
    assert sorted(taken["checkpoint"]["scope"]) == ["haproxy_settings", "unbound_settings"]
    assert taken["checkpoint"]["counts"] == {"haproxy_settings": 1, "unbound_settings": 1}
    outcome, results = run_play(
        project,
        {"fw1": sim},
        [
            task(
                "apply",
                {
                    "deployment": "dns",
                    "resources": [
                        {"type": "unbound_settings", "name": "unbound", "properties": {"enabled": True, "port": 5353}},
                        RESOURCES[0],
                    ],
                },
            ),
            task("checkpoint", {"state": "restored", "id": "lb-settings"}),
            task("checkpoint", {"state": "restored", "id": "lb-settings"}),
        ],
    )
    assert outcome.rc == 0, outcome.stdout[-4000:]
    r = results["fw1"]
    assert sim.state()["settings"]["unbound"].get("general.port", "53") == "53"
    assert r["r1"]["restore"] == {"create": 0, "update": 2, "delete": 0, "unchanged": 0}
    assert r["r2"]["restore"] == {"create": 0, "update": 0, "delete": 0, "unchanged": 2}
    assert general(sim)["enabled"] == "0"


def test_a_failed_apply_rolls_the_settings_back_with_the_rest(project, sim):
    """The frontend's write fails: rollback reverts the settings write (an update back to what they
    held) and deletes what was created; nothing is left pending."""
    sim.inject(effect="http500", method="POST", path=r"/api/haproxy/settings/setFrontend/")
    applied = engine_try(sim, project.state, RESOURCES, deployment="lb")
    assert applied.get("failed"), applied
    assert applied["rollback_failures"] == [], applied["rollback_failures"]
    sent = paths(writes(sim.log()))
    assert sent.count("/api/haproxy/settings/set") == 2  # the write, then its undo
    assert general(sim).get("enabled", "0") == "0" and general(sim).get("tuning.maxConnections", "") == ""
    config = sim.state()["config"]
    assert not any(config.get(k) for k in ("haproxy.frontend", "haproxy.backend", "haproxy.server"))


@pytest.mark.parametrize("state", ["absent"])
def test_the_module_refuses_absent_before_any_request(project, sim, state):
    sim.clear_log()
    outcome, results = run_play(project, {"fw1": sim}, [task("haproxy_settings", {"state": state}, ignore_errors=True)])
    assert results["fw1"]["r0"]["failed"]
    assert sim.log() == []
