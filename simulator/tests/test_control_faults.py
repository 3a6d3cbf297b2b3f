"""Fault injection over HTTPS (design.md section 6: POST/GET/DELETE /__sim__/faults)."""

from __future__ import annotations

import time

import pytest
import requests

CATS = "/api/firewall/category/"


def faults(api, method="POST", **kw):
    return api.request(method, "/__sim__/faults", auth=None, **kw)


def inject(api, *rules):
    r = faults(api, json={"rules": list(rules)})
    assert r.status_code == 200, r.text
    return r.json()


def names(sim):
    return sorted(i["name"] for i in sim.state()["config"]["firewall.category"].values())


def test_http500_answers_the_generic_error_and_does_nothing(sim, api):
    inject(api, {"method": "POST", "path": "/addItem$", "effect": "http500"})
    r = api.post(CATS + "addItem", json={"category": {"name": "x"}})
    assert r.status_code == 500
    assert r.json() == {"errorMessage": "Unexpected error, check log for details"}
    assert names(sim) == []
    assert api.post(CATS + "addItem", json={"category": {"name": "x"}}).json()["result"] == "saved"  # fired once


def test_reset_drops_the_connection_and_does_nothing(sim, api):
    inject(api, {"path": "addItem", "effect": "reset"})
    with pytest.raises(requests.ConnectionError):
        api.post(CATS + "addItem", json={"category": {"name": "x"}})
    assert names(sim) == []


def test_commit_then_reset_commits_but_the_client_sees_a_dropped_connection(sim, api):
    inject(api, {"method": "POST", "path": "addItem", "effect": "commit_then_reset"})
    with pytest.raises(requests.ConnectionError):
        api.post(CATS + "addItem", json={"category": {"name": "committed"}})
    assert names(sim) == ["committed"]
    entry = [e for e in sim.log() if e["path"].endswith("addItem")][-1]
    assert (entry["status"], entry["fault"]) == (None, "commit_then_reset")


def test_timeout_never_answers_in_time(sim, api):
    inject(api, {"path": "addItem", "effect": "timeout", "delay_ms": 1500})
    start = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.post(CATS + "addItem", json={"category": {"name": "x"}}, timeout=0.4)
    assert time.monotonic() - start >= 0.4
    assert names(sim) == []


def test_validation_answers_failed_without_writing(sim, api):
    inject(api, {"path": "addItem", "effect": "validation"})
    r = api.post(CATS + "addItem", json={"category": {"color": "ffffff", "name": "x"}})
    assert r.status_code == 200
    assert r.json() == {"result": "failed", "validations": {"category.color": "Injected validation error."}}
    assert names(sim) == []


def test_delay_adds_time_then_answers_normally(sim, api):
    inject(api, {"path": "searchItem", "effect": "delay", "delay_ms": 200})
    start = time.monotonic()
    r = api.get(CATS + "searchItem")
    assert r.status_code == 200 and time.monotonic() - start >= 0.2


def test_nth_and_times_count_matching_requests(sim, api):
    """nth is 1-based among matching requests; times is how often it fires from there (0 = always)."""
    inject(api, {"method": "GET", "path": r"/searchItem$", "nth": 2, "times": 2, "effect": "http500"})
    codes = [api.get(CATS + "searchItem").status_code for _ in range(5)]
    assert codes == [200, 500, 500, 200, 200]
    assert api.post(CATS + "searchItem").status_code == 200  # method does not match
    (rule,) = faults(api, "GET").json()["rules"]
    assert (rule["seen"], rule["fired"]) == (5, 2)


def test_times_zero_fires_every_time(sim, api):
    inject(api, {"path": "searchItem", "times": 0, "effect": "http500"})
    assert {api.get(CATS + "searchItem").status_code for _ in range(3)} == {500}


def test_delete_clears_the_rules(sim, api):
    inject(api, {"path": ".*", "times": 0, "effect": "http500"})
    assert faults(api, "DELETE").json() == {"status": "ok"}
    assert api.get(CATS + "searchItem").status_code == 200
    assert faults(api, "GET").json() == {"rules": []}


@pytest.mark.parametrize(
    "rule",
    [
        {"effect": "explode"},
        {"effect": "http500", "path": "("},
        {"effect": "http500", "nth": 0},
        {"path": "x"},
        {"effect": "delay", "when": 1},
    ],
)
def test_invalid_rules_are_400_and_add_nothing(api, rule):
    assert faults(api, json={"rules": [{"effect": "http500"}, rule]}).status_code == 400
    assert faults(api, "GET").json() == {"rules": []}


def test_python_inject(sim, api):
    sim.inject(path="searchItem", effect="http500")
    assert api.get(CATS + "searchItem").status_code == 500
