"""The cost model: profiles, per-request rtt, per-write cost, per-subsystem reload cost, keep-alive
limit (costs.py). Only lower bounds are asserted: a slow machine cannot make them fail."""

from __future__ import annotations

import time

import pytest
from opnsense_sim.costs import PROFILES

pytest_plugins = ["_widgets"]  # the wsim/wapi fixtures


def control(api, method, path, **kw):
    return api.request(method, f"/__sim__/{path}", auth=None, **kw)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_named_profiles_over_the_control_api(api, name):
    r = control(api, "POST", "profile", json={"profile": name})
    assert r.status_code == 200
    current = control(api, "GET", "profile").json()
    assert current["profile"] == name
    assert {k: current[k] for k in PROFILES[name]} == PROFILES[name]


def test_profile_values_are_documented_shape(api):
    """design.md 6: POST /__sim__/profile {"rtt_ms", "write_ms", "reload_ms": {"<module>": ms}}."""
    r = control(api, "POST", "profile", json={"rtt_ms": 3, "write_ms": 7, "reload_ms": {"alias": 11}})
    assert r.status_code == 200
    p = r.json()["profile"]
    assert (p["profile"], p["rtt_ms"], p["write_ms"], p["reload_ms"]["alias"]) == ("custom", 3, 7, 11)


@pytest.mark.parametrize("body", [{"profile": "fast"}, {"rtt": 1}, {"reload_ms": 5}, {"write_ms": -1}, [1]])
def test_bad_profile_requests_are_400(api, body):
    assert control(api, "POST", "profile", json=body).status_code == 400


def test_rtt_applies_to_every_request(sim, api):
    api.get("/api/firewall/category/searchItem")  # the connection is open
    sim.set_profile(rtt_ms=120)
    start = time.monotonic()
    api.get("/api/firewall/category/searchItem")
    assert time.monotonic() - start >= 0.12


def test_new_connections_pay_the_handshakes(sim, api):
    """A new connection costs two more round trips (TCP and TLS 1.3 handshakes)."""
    sim.set_profile(rtt_ms=60)
    api.session.close()
    start = time.monotonic()
    api.get("/api/firewall/category/searchItem")
    assert time.monotonic() - start >= 0.18


def test_request_cost_applies(sim, api):
    sim.set_profile(request_ms=100)
    start = time.monotonic()
    api.get("/api/firewall/category/searchItem")
    assert time.monotonic() - start >= 0.1


def test_write_cost_applies_only_to_saves(sim, api):
    sim.set_profile(write_ms=150)
    start = time.monotonic()
    api.post("/api/firewall/category/addItem", json={"category": {"name": "x"}})
    assert time.monotonic() - start >= 0.15


def test_reload_cost_applies_per_subsystem(wsim, wapi):
    wsim.set_profile(reload_ms={"widget": 200})
    start = time.monotonic()
    assert wapi.post("/api/sim/service/reconfigure").json() == {"status": "ok"}
    assert time.monotonic() - start >= 0.2


def test_keepalive_limit_closes_the_connection(sim, api):
    """lighttpd's server.max-keep-alive-requests: the Nth answer carries Connection: close."""
    sim.set_profile(keepalive_requests=3)
    api.session.close()
    headers = [api.get("/api/firewall/category/searchItem").headers.get("Connection", "") for _ in range(4)]
    assert [h.lower() for h in headers] == ["", "", "close", ""]


def test_python_api_set_profile(sim):
    sim.set_profile("wan")
    assert sim.costs.as_dict()["rtt_ms"] == PROFILES["wan"]["rtt_ms"]
    sim.set_profile(write_ms=1)
    assert sim.costs.as_dict()["profile"] == "custom"
