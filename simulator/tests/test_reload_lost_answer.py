"""A reload whose answer is lost (simulator/README.md, "Reloads after a lost answer"): nothing the
API offers says whether it ran, and sending it again lands the same running state as once."""

from __future__ import annotations

import pytest
import requests
from test_control_faults import inject

ALIAS = "/api/firewall/alias/"
RULES = "/api/firewall/filter/"


def add_alias(api, name="lost"):
    r = api.post(ALIAS + "addItem", json={"alias": {"name": name, "type": "host", "content": "10.0.0.1"}})
    assert r.json()["result"] == "saved", r.text


def live(sim, key):
    state = sim.state()
    return state["running"].get(key) == state["config"].get(key) and key not in state["pending"]


def test_a_reload_reset_before_it_ran_leaves_the_change_pending_until_sent_again(sim, api):
    add_alias(api)
    inject(api, {"method": "POST", "path": "alias/reconfigure$", "effect": "reset"})
    with pytest.raises(requests.ConnectionError):
        api.post(ALIAS + "reconfigure")
    assert not live(sim, "firewall.alias")
    assert api.post(ALIAS + "reconfigure").json() == {"status": "ok"}
    assert live(sim, "firewall.alias")


def test_a_reload_that_ran_before_the_reset_is_live_and_sending_it_again_changes_nothing(sim, api):
    r = api.post(RULES + "addRule", json={"rule": {"description": "lost answer"}})
    assert r.json()["result"] == "saved", r.text
    inject(api, {"method": "POST", "path": "filter/apply$", "effect": "commit_then_reset"})
    with pytest.raises(requests.ConnectionError):
        api.post(RULES + "apply")
    assert live(sim, "firewall.filter_rule")
    once = sim.state()["running"]
    assert api.post(RULES + "apply").json() == {"status": "OK\n\n"}
    assert sim.state()["running"] == once


def test_service_status_does_not_tell_whether_a_reconfigure_ran(sim, api):
    """statusAction reports only running/stopped/disabled, the same before and after a reload."""
    before = api.get("/api/unbound/service/status").json()
    api.post(
        "/api/unbound/settings/addHostOverride",
        json={"host": {"hostname": "h", "domain": "example.com", "server": "10.0.0.2"}},
    )
    assert api.get("/api/unbound/service/status").json() == before
    api.post("/api/unbound/service/reconfigure")
    assert api.get("/api/unbound/service/status").json() == before
