"""Connectivity and status endpoints over HTTPS (interfaces-and-services.md 7, generic.md 10)."""

from __future__ import annotations

import pytest

PRODUCT_KEYS = {
    "product_abi",
    "product_arch",
    "product_check",
    "product_email",
    "product_hash",
    "product_id",
    "product_latest",
    "product_license",
    "product_mirror",
    "product_name",
    "product_repos",
    "product_series",
    "product_time",
    "product_version",
}


def test_firmware_status_get_only_reads_the_cache(api):
    """interfaces-and-services.md 7: before any check GET answers status "none" and product_check null."""
    body = api.get("/api/core/firmware/status").json()
    assert body["status"] == "none"
    assert body["status_msg"] == "Firmware status requires to check for update first to provide more information."
    assert PRODUCT_KEYS <= set(body["product"])
    assert body["product"]["product_check"] is None
    assert (body["product"]["product_version"], body["product"]["product_id"]) == ("26.7.2", "opnsense")
    assert body["product"]["product_series"] == "26.7"
    assert body["product"]["product_license"] == []
    again = api.get("/api/core/firmware/status").json()
    assert again["product"]["product_check"] is None  # a GET never runs the probe


def test_firmware_status_post_runs_the_probe(api):
    """interfaces-and-services.md 7: POST runs the update probe first; its result is merged with product."""
    body = api.post("/api/core/firmware/status").json()
    assert body["status"] == "none"
    assert body["status_msg"] == "There are no updates available on the selected mirror."
    assert (body["connection"], body["repository"], body["product_version"]) == ("ok", "ok", "26.7.2")
    assert body["all_packages"] == [] and body["upgrade_packages"] == []
    assert body["product"]["product_check"]["last_check"] == body["last_check"]
    cached = api.get("/api/core/firmware/status").json()
    assert cached["status_msg"] == "There are no updates available on the selected mirror."


@pytest.mark.parametrize("series,version", [("26.7", "26.7.2"), ("26.1", "26.1.11")])
def test_product_version_follows_the_simulated_release(api, sim, series, version):
    """interfaces-and-services.md 7: product_version per --opnsense-version."""
    sim.reset(series)
    product = api.get("/api/core/firmware/status").json()["product"]
    assert (product["product_version"], product["product_abi"], product["CORE_SERIES"]) == (version, series, series)
    info = api.get("/api/diagnostics/system/system_information").json()
    assert info["versions"][0] == f"OPNsense {version}-amd64"


def test_firmware_info_lists_installed_plugins(api):
    """FirmwareController::infoAction(): `plugin` rows with installed "1" for os-haproxy."""
    info = api.get("/api/core/firmware/info").json()
    assert (info["product_id"], info["product_version"]) == ("opnsense", "26.7.2")
    installed = [p["name"] for p in info["plugin"] if p["installed"] == "1"]
    assert installed == ["os-haproxy"]
    haproxy = next(p for p in info["plugin"] if p["name"] == "os-haproxy")
    assert (haproxy["version"], haproxy["configured"], haproxy["provided"]) == ("5.1", "1", "1")
    assert {
        "name",
        "version",
        "comment",
        "flatsize",
        "locked",
        "automatic",
        "license",
        "repository",
        "origin",
        "provided",
        "installed",
        "path",
        "configured",
        "tier",
    } == set(haproxy)
    assert info["plugin"][0]["name"] == "os-haproxy"  # installed plugins sort first
    assert any(p["name"] == "opnsense" for p in info["package"])
    assert info["product"]["product_version"] == "26.7.2"


def test_firmware_info_follows_the_environment(api, sim):
    sim.app.env.plugins.append("os-acme-client")
    installed = {p["name"] for p in api.get("/api/core/firmware/info").json()["plugin"] if p["installed"] == "1"}
    assert installed == {"os-acme-client", "os-haproxy"}


def test_system_information_is_an_auth_check(api, sim):
    """interfaces-and-services.md 7: {"name","versions","updates"}; wrong credentials get 401."""
    body = api.get("/api/diagnostics/system/system_information").json()
    assert body["name"] == "OPNsense.localdomain"
    assert len(body["versions"]) == 3 and body["versions"][1].startswith("FreeBSD ")
    assert body["updates"] == "Click to check for updates."
    r = api.get("/api/diagnostics/system/system_information", auth=(sim.api_key, "wrong"))
    assert (r.status_code, r.json()) == (401, {"status": 401, "message": "Authentication Failed"})
    assert api.get("/api/diagnostics/system/systemInformation").status_code == 200


def test_core_system_status_of_a_healthy_box(api):
    """Core/Api/SystemController::statusAction(): no problems -> only the metadata block, status OK (2)."""
    assert api.get("/api/core/system/status").json() == {
        "metadata": {
            "system": {"status": 2, "message": "No pending messages", "title": "System"},
            "translations": {"dialogTitle": "System Status", "dialogCloseButton": "Close"},
            "subsystems": [],
        }
    }


def test_system_time_and_resources(api):
    """interfaces-and-services.md 7: other read-only diagnostics under the same controller."""
    t = api.get("/api/diagnostics/system/system_time").json()
    assert set(t) == {"uptime", "datetime", "boottime", "config", "loadavg"}
    assert t["datetime"].endswith(" UTC " + t["datetime"].split()[-1])
    mem = api.get("/api/diagnostics/system/system_resources").json()["memory"]
    assert int(mem["total"]) > mem["used"] > 0


def test_firmware_running(api):
    assert api.get("/api/core/firmware/running").json() == {"status": "ready"}
