"""The control API under /__sim__/ (design.md section 6): state, reset, log, profile; loopback only."""

from __future__ import annotations

import socket

import pytest
import requests
from opnsense_sim import Simulator
from opnsense_sim.server import _is_loopback


def control(api, method, path, **kw):
    return api.request(method, f"/__sim__/{path}", auth=None, **kw)


def test_log_records_every_api_request(sim, api):
    control(api, "DELETE", "log")
    api.get("/api/firewall/category/searchItem?current=1")
    api.post("/api/firewall/category/addItem", json={"category": {"name": "x"}})
    api.get("/api/nosuch/thing/here")
    api.get("/api/firewall/category/searchItem", auth=("bad", "bad"))
    entries = control(api, "GET", "log").json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/api/firewall/category/searchItem", 200),
        ("POST", "/api/firewall/category/addItem", 200),
        ("GET", "/api/nosuch/thing/here", 404),
        ("GET", "/api/firewall/category/searchItem", 401),
    ]
    assert entries[0]["query"] == "current=1"
    for e in entries:
        assert e["start"] <= e["end"]
    assert all(not e["path"].startswith("/__sim__") for e in entries)


def test_reset_clears_config_faults_and_log(sim, api):
    api.post("/api/firewall/category/addItem", json={"category": {"name": "x"}})
    sim.inject(path="nothing-matches-this", effect="http500")
    assert control(api, "POST", "reset").json()["status"] == "ok"
    assert sim.state()["config"]["firewall.category"] == {}
    assert control(api, "GET", "faults").json() == {"rules": []}
    assert control(api, "GET", "log").json() == {"requests": []}


def test_reset_keeps_the_version_unless_told(sim, api):
    sim.reset("26.1")
    control(api, "POST", "reset")
    assert control(api, "GET", "state").json()["version"] == "26.1.11"
    assert control(api, "POST", "reset", json={"opnsense_version": "25.7"}).status_code == 400


def test_state_matches_the_python_api(sim, api):
    api.post("/api/firewall/category/addItem", json={"category": {"name": "x"}})
    over_http = control(api, "GET", "state").json()
    assert over_http["config"] == sim.state()["config"]
    assert over_http["pending"] == sim.state()["pending"]


def test_unknown_control_paths_and_bad_bodies(api):
    assert control(api, "GET", "nothing").status_code == 404
    assert control(api, "POST", "faults", data=b"not json").status_code == 400


def test_loopback_detection():
    assert _is_loopback("127.0.0.1") and _is_loopback("127.8.9.10") and _is_loopback("::1")
    assert _is_loopback("::ffff:127.0.0.1")
    assert not _is_loopback("192.0.2.2") and not _is_loopback("10.0.0.1") and not _is_loopback("::ffff:10.0.0.1")


def _local_address() -> str | None:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("10.255.255.255", 1))
        address = s.getsockname()[0]
    except OSError:
        return None
    finally:
        s.close()
    return None if address.startswith("127.") else address


def test_control_api_is_not_served_to_other_hosts():
    """From a non-loopback address /__sim__/ is just an unknown path of the firewall (HTML 404)."""
    address = _local_address()
    if address is None:
        pytest.skip("no non-loopback address on this machine")
    with Simulator(host=address, port=0) as sim:
        r = requests.get(f"{sim.url}/__sim__/state", verify=sim.ca_file, timeout=10)
        assert r.status_code == 404
        assert r.headers["Content-Type"].startswith("text/html")
        r = requests.post(f"{sim.url}/__sim__/reset", verify=sim.ca_file, timeout=10)
        assert r.status_code == 404
        api = requests.get(
            f"{sim.url}/api/firewall/category/searchItem",
            auth=(sim.api_key, sim.api_secret),
            verify=sim.ca_file,
            timeout=10,
        )
        assert api.status_code == 200
