"""Reload subsystems: order, status checks and the HAProxy configtest gate."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    NotFoundError,
    PluginMissingError,
    ReloadError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import (
    ORDER,
    ordered,
    reload_many,
    reload_subsystem,
)


def test_order_is_the_design_order():
    assert ORDER == (
        "aliases", "laggs", "vlans", "loopbacks", "vxlans", "vips", "gifs", "gres",
        "routes", "groups", "filter", "unbound", "kea", "dnsmasq", "haproxy",
    )  # fmt: skip
    assert ordered(["haproxy", "filter", "aliases", "filter"]) == ["aliases", "filter", "haproxy"]
    with pytest.raises(ValueError, match="unknown reload subsystem"):
        ordered(["dns"])


def test_filter_apply_raw_ok_with_newlines_is_success(fake_fw):
    assert reload_subsystem(fake_fw, "filter")["status"] == "OK"


def test_haproxy_alert_fails_without_reconfigure(fake_fw):
    fake_fw.answers["haproxy/service/configtest"] = {
        "result": "[ALERT] (1) : config : parsing [haproxy.conf:12] : unknown keyword"
    }
    with pytest.raises(ReloadError, match="configtest failed.*reconfigure was not called.*unknown keyword"):
        reload_subsystem(fake_fw, "haproxy")
    assert ("POST", "haproxy/service/reconfigure", None) not in fake_fw.calls


def test_haproxy_warning_reconfigures_and_warns(fake_fw):
    fake_fw.answers["haproxy/service/configtest"] = {"result": "[WARNING] something minor"}
    result = reload_subsystem(fake_fw, "haproxy")
    assert result["warnings"] and ("POST", "haproxy/service/reconfigure", None) in fake_fw.calls


def test_failed_status_is_an_error(fake_fw):
    fake_fw.answers["routes/routes/reconfigure"] = {"status": "error reloading routes (boom)"}
    with pytest.raises(ReloadError, match="error reloading routes"):
        reload_subsystem(fake_fw, "routes")


def test_missing_plugin_on_reload(fake_fw):
    fake_fw.answers["haproxy/service/configtest"] = NotFoundError("404")
    with pytest.raises(PluginMissingError, match="os-haproxy"):
        reload_subsystem(fake_fw, "haproxy")


def test_reload_many_runs_each_once_in_order(fake_fw):
    reload_many(fake_fw, ["filter", "aliases", "aliases"])
    assert [c[1] for c in fake_fw.calls] == ["firewall/alias/reconfigure", "firewall/filter/apply"]


@pytest.mark.parametrize("name", ["kea", "dnsmasq"])
def test_dhcp_services_reconfigure_through_their_service_controller(fake_fw, name):
    """Kea and Dnsmasq: ApiMutableServiceControllerBase::reconfigureAction() answers {"status": "ok"}."""
    assert reload_subsystem(fake_fw, name)["status"] == "ok"
    assert [c[1] for c in fake_fw.calls] == ["%s/service/reconfigure" % name]


def test_dhcp_services_come_after_the_filter():
    assert ordered(["dnsmasq", "filter", "kea"]) == ["filter", "kea", "dnsmasq"]


@pytest.mark.parametrize(
    "name,path",
    [
        ("loopbacks", "interfaces/loopback_settings/reconfigure"),
        ("vxlans", "interfaces/vxlan_settings/reconfigure"),
        ("gifs", "interfaces/gif_settings/reconfigure"),
        ("gres", "interfaces/gre_settings/reconfigure"),
        ("vips", "interfaces/vip_settings/reconfigure"),
    ],
)
def test_interface_devices_reconfigure_through_their_settings_controller(fake_fw, name, path):
    """Loopback and VXLAN: reconfigureAction() answers configd's output lower-cased and trimmed, "ok";
    GIF and GRE answer "ok" whatever configd said; VIPs answer configd's output like the first two."""
    assert reload_subsystem(fake_fw, name)["status"] == "ok"
    assert [c[1] for c in fake_fw.calls] == [path]
    assert ordered(["routes", name, "vlans"]) == ["vlans", name, "routes"]


def test_laggs_come_before_the_vlans_on_them(fake_fw):
    """LaggSettingsController::reconfigureAction() answers "ok" whatever configd said."""
    assert reload_subsystem(fake_fw, "laggs")["status"] == "ok"
    assert [c[1] for c in fake_fw.calls] == ["interfaces/lagg_settings/reconfigure"]
    assert ordered(["vlans", "laggs"]) == ["laggs", "vlans"]


def test_groups_reconfigure_comes_before_the_filter(fake_fw):
    """GroupController::reconfigureAction() registers the groups as interfaces and answers {"status": "ok"}."""
    assert ordered(["filter", "groups"]) == ["groups", "filter"]
    assert reload_subsystem(fake_fw, "groups")["status"] == "ok"
    assert [c[1] for c in fake_fw.calls] == ["firewall/group/reconfigure"]
