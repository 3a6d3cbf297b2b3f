"""The reload and system_info logic (no resource involved)."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._commands import (
    run_reload,
    system_info,
    unreachable_result,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import NotFoundError, ReloadError, TransportError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

PLUGINS = sorted(set(spec.plugin for spec in REGISTRY.values() if spec.plugin))
PRODUCT = {"product": {"product_version": "26.7.2", "product_name": "OPNsense"}, "status": "none"}


def test_run_reload_orders_and_reports(fake_fw):
    result = run_reload(fake_fw, ["haproxy", "filter", "aliases"])
    assert result["reloaded"] == ["aliases", "filter", "haproxy"] and result["changed"]
    assert [c[1] for c in fake_fw.calls] == [
        "firewall/alias/reconfigure",
        "firewall/filter/apply",
        "haproxy/service/configtest",
        "haproxy/service/reconfigure",
    ]
    assert [r["subsystem"] for r in result["results"]] == ["aliases", "filter", "haproxy"]


def test_run_reload_check_mode_sends_nothing(fake_fw):
    result = run_reload(fake_fw, ["filter", "aliases"], check_mode=True)
    assert result["would_reload"] == ["aliases", "filter"] and result["reloaded"] == [] and fake_fw.calls == []


def test_run_reload_stops_at_the_first_failure(fake_fw):
    fake_fw.answers["firewall/alias/reconfigure"] = {"status": "failed"}
    with pytest.raises(ReloadError, match="reloading aliases"):
        run_reload(fake_fw, ["aliases", "filter"])
    assert ("POST", "firewall/filter/apply", None) not in fake_fw.calls


def test_system_info_reads_version_host_and_plugins_with_gets_only(fake_fw):
    fake_fw.answers["core/firmware/status"] = PRODUCT
    fake_fw.answers["diagnostics/system/system_information"] = {
        "name": "fw.example.com",
        "versions": ["OPNsense 26.7.2"],
    }
    fake_fw.answers["core/firmware/info"] = {
        "plugin": [{"name": "os-haproxy", "installed": "1"}, {"name": "os-acme-client", "installed": "0"}]
    }
    info = system_info(fake_fw)
    assert info["version"] == "26.7.2" and info["hostname"] == "fw.example.com"
    assert info["plugins"] == dict((plugin, True) for plugin in PLUGINS) and info["installed_plugins"] == ["os-haproxy"]
    assert all(method == "GET" for method, _path, _body in fake_fw.calls)


def test_system_info_probes_plugins_when_firmware_info_is_missing(fake_fw):
    fake_fw.answers["core/firmware/status"] = PRODUCT
    fake_fw.answers["diagnostics/system/system_information"] = NotFoundError("404")
    fake_fw.answers["core/firmware/info"] = NotFoundError("404")
    for spec in REGISTRY.values():
        if spec.plugin:
            fake_fw.answers[spec.path("search")] = NotFoundError("404")
    info = system_info(fake_fw)
    assert info["plugins"] == dict((plugin, False) for plugin in PLUGINS) and info["installed_plugins"] == []
    assert info["hostname"] is None


def test_unreachable_result_keeps_the_reason():
    result = unreachable_result("https://fw/api/", TransportError("cannot connect to https://fw/api/"))
    assert result["reachable"] is False and result["error"] == "cannot connect to https://fw/api/"
