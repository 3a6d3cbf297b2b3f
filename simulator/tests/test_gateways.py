"""Gateways over HTTPS: /api/routing/settings/ (interfaces-and-services.md 3)."""

from __future__ import annotations

import pytest

BASE = "/api/routing/settings"
UNKNOWN = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"


def add(api, **gw):
    return api.post(f"{BASE}/addGateway", json={"gateway_item": gw}).json()


def added(api, **gw) -> str:
    body = add(api, **gw)
    assert body["result"] == "saved", body
    return body["uuid"]


def rows(api, **params):
    return api.post(f"{BASE}/searchGateway", json=params or None).json()["rows"]


def by_name(api):
    return {r["name"]: r for r in rows(api)}


LATENCY_MSG = "The high latency threshold needs to be higher than the low latency threshold."
LOSS_MSG = "The high Packet Loss threshold needs to be higher than the low Packet Loss threshold."
PERIOD_MSG = "The time period needs to be at least 2 times the sum of the probe interval and the loss interval."
LAN_GW = {"name": "LAN_GW2", "interface": "lan", "gateway": "192.168.1.254"}


def test_factory_dynamic_gateway_uses_its_name_as_uuid(api):
    """interfaces-and-services.md 3: dynamic gateways appear with uuid = name and merged status fields."""
    (row,) = rows(api)
    assert row["uuid"] == "WAN_GW" and row["name"] == "WAN_GW"
    assert (row["interface"], row["ipprotocol"], row["gateway"], row["if"]) == ("wan", "inet", "203.0.113.1", "vtnet1")
    assert row["virtual"] is True and row["dynamic"] is True and row["disabled"] is False
    assert row["defaultgw"] is True and row["upstream"] is False
    assert (row["status"], row["delay"], row["stddev"], row["loss"]) == ("Online", "~", "~", "~")
    assert (row["interface_descr"], row["label_class"]) == ("WAN", "fa fa-plug text-success")


def test_search_is_a_recordset_search(api):
    """generic.md 6 B: current/rowCount/searchPhrase only from the POST body."""
    added(api, **LAN_GW)
    assert len(api.get(f"{BASE}/searchGateway?rowCount=1").json()["rows"]) == 2
    page = api.post(f"{BASE}/searchGateway", json={"rowCount": 1, "current": 2}).json()
    assert (page["total"], page["rowCount"], page["current"]) == (2, 1, 2)
    assert [r["name"] for r in rows(api, searchPhrase="lan_gw2")] == ["LAN_GW2"]


def test_configured_gateways_sort_by_priority_and_show_current_values(api):
    """interfaces-and-services.md 3: rows carry stored values, dpinger `current_*` and a real uuid."""
    uuid = added(api, **LAN_GW, priority=10)
    first = rows(api)[0]
    assert first["uuid"] == uuid and first["name"] == "LAN_GW2"
    assert first["current_latencyhigh"] == "500" and first["latencyhigh"] == ""
    assert first["virtual"] is False and first["defaultgw"] is True  # lowest priority number wins


def test_get_by_name_returns_the_dynamic_entry_as_a_template(api):
    """interfaces-and-services.md 3: a non-UUID argument is looked up as a gateway name."""
    gw = api.get(f"{BASE}/getGateway/WAN_GW").json()["gateway_item"]
    assert gw["name"] == "WAN_GW"
    assert gw["gateway"] == ""  # dynamic: the learned address is not part of the item
    assert gw["priority"] == "254" and gw["descr"] == "Interface WAN_GW Gateway"
    assert gw["interface"]["wan"]["selected"] == 1
    blank = api.get(f"{BASE}/getGateway/NOPE").json()["gateway_item"]
    assert (blank["name"], blank["priority"], blank["weight"], blank["monitor_disable"]) == ("", "255", "1", "1")
    assert list(blank["interface"]) == ["opt1", "lan", "wan"]  # sorted by description: DMZ, LAN, WAN
    assert api.get(f"{BASE}/getGateway/{UNKNOWN}").text == "[]"


def test_set_by_name_converts_a_dynamic_gateway(api):
    """interfaces-and-services.md 3: setGateway/<name> generates a new uuid."""
    body = {"name": "WAN_GW", "interface": "wan", "gateway": "203.0.113.1", "defaultgw": "1"}
    assert api.post(f"{BASE}/setGateway/WAN_GW", json={"gateway_item": body}).json() == {"result": "saved"}
    (row,) = rows(api)
    assert row["name"] == "WAN_GW" and row["uuid"] != "WAN_GW" and row["virtual"] is False and row["upstream"] is True
    assert api.get(f"{BASE}/getGateway/{row['uuid']}").json()["gateway_item"]["defaultgw"] == "1"


def test_dynamic_value_on_a_static_interface_is_refused(api):
    """interfaces-and-services.md 3: empty or `dynamic` is refused on a static interface."""
    msg = "Dynamic gateway values cannot be specified for interfaces with a static IPv4 configuration."
    for value in ("", "dynamic"):
        body = api.post(f"{BASE}/setGateway/WAN_GW", json={"gateway_item": {"name": "WAN_GW", "gateway": value}}).json()
        assert body == {"result": "failed", "validations": {"gateway_item.gateway": msg}}


@pytest.mark.parametrize(
    "fields,errors",
    [
        (
            {"name": "bad name!"},
            {
                "gateway_item.name": "A valid gateway name must be specified. The name may only "
                'consist of the characters "a-zA-Z0-9_" and must be less than 32 characters long.'
            },
        ),
        ({"gateway": "2001:db8::1"}, {"gateway_item.gateway": "Invalid IPv4 address"}),
        ({"ipprotocol": "inet6", "gateway": "192.168.1.9"}, {"gateway_item.gateway": "Invalid IPv6 address"}),
        ({"priority": 256}, {"gateway_item.priority": "Priority must be a value between 1 and 255."}),
        ({"weight": 11}, {"gateway_item.weight": "Invalid integer value."}),
        ({"monitor": "10.0.0.300", "monitor_disable": 0}, {"gateway_item.monitor": "Invalid IPv4 address"}),
        (
            {"latencylow": 600},
            {"gateway_item.latencyhigh": LATENCY_MSG},
        ),
        (
            {"losslow": 30, "losshigh": 25},
            {"gateway_item.losshigh": LOSS_MSG},
        ),
        (
            {"interval": 30},
            {"gateway_item.time_period": PERIOD_MSG},
        ),
        ({"interface": "opt9"}, {"gateway_item.interface": "Option [] not in list."}),
    ],
)
def test_field_rules(api, fields, errors):
    """interfaces-and-services.md 3: main field rules, with the model's own messages."""
    body = add(api, **{**LAN_GW, **fields})
    assert body == {"result": "failed", "validations": errors}


def test_equal_thresholds_pass(api):
    """Gateways.php compares low > high, so equal low and high thresholds are accepted."""
    assert add(api, **LAN_GW, latencylow=300, latencyhigh=300)["result"] == "saved"


def test_name_and_address_are_unique_and_the_name_is_fixed(api):
    """interfaces-and-services.md 3: unique name and address; "Changing name on a gateway is not allowed."."""
    uuid = added(api, **LAN_GW)
    body = add(api, **LAN_GW)
    assert body["validations"] == {
        "gateway_item.name": "Gateway with this name already exists.",
        "gateway_item.gateway": "This gateway IP address already exists.",
    }
    r = api.post(f"{BASE}/setGateway/{uuid}", json={"gateway_item": {"name": "RENAMED"}})
    assert r.json() == {
        "result": "failed",
        "validations": {"gateway_item.name": "Changing name on a gateway is not allowed."},
    }
    assert api.post(f"{BASE}/setGateway/{uuid}", json={"gateway_item": {"descr": "ok"}}).json() == {"result": "saved"}


def test_monitor_addresses_are_unique_unless_noroute(api):
    added(api, **LAN_GW, monitor="192.168.1.10", monitor_disable="0")
    other = {"name": "LAN_GW3", "interface": "lan", "gateway": "192.168.1.253", "monitor": "192.168.1.10"}
    assert add(api, **other)["validations"] == {"gateway_item.monitor": "This monitor IP address already exists."}
    assert add(api, **other, monitor_noroute="1")["result"] == "failed"  # the first one still claims it
    added(api, name="LAN_GW4", interface="lan", gateway="192.168.1.252", monitor="192.168.1.11", monitor_noroute="1")
    assert add(api, **{**other, "monitor": "192.168.1.11", "monitor_noroute": "1"})["result"] == "saved"


def test_delete_refuses_gateways_in_use(api, sim):
    """interfaces-and-services.md 3: HTTP 500 for gateways used by routes, groups or interfaces."""
    uuid = added(api, **LAN_GW)
    route = {"network": "10.0.0.0/8", "gateway": "LAN_GW2"}
    assert api.post("/api/routes/routes/addroute", json={"route": route}).json()["result"] == "saved"
    api.post("/api/routes/routes/addroute", json={"route": {**route, "network": "10.1.0.0/16"}})
    r = api.post(f"{BASE}/delGateway/{uuid}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == (
        "Gateway LAN_GW2 cannot be deleted because it is in use on Static Route(s) '10.0.0.0/8, 10.1.0.0/16'"
    )
    sim.app.extra["gateway_groups"] = {"FAILOVER": ["LAN_GW2", "WAN_GW"]}
    r = api.post(f"{BASE}/delGateway/{uuid}")
    assert (
        r.json()["errorMessage"]
        == "Gateway LAN_GW2 cannot be deleted because it is in use on Gateway Group(s) 'FAILOVER'"
    )
    sim.app.env.interface("lan").gateway = "LAN_GW2"
    r = api.post(f"{BASE}/delGateway/{uuid}")
    assert r.json()["errorMessage"] == "Gateway LAN_GW2 cannot be deleted because it is in use on Interface 'LAN'"


def test_delete(api):
    """interfaces-and-services.md 3: unknown uuid -> failed; dynamic entries cannot be deleted."""
    uuid = added(api, **LAN_GW)
    assert api.get(f"{BASE}/delGateway/{uuid}").json() == {"result": "failed"}
    assert api.post(f"{BASE}/delGateway/{uuid}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delGateway/{uuid}").json() == {"result": "failed"}
    assert api.post(f"{BASE}/delGateway/WAN_GW").json() == {"result": "failed"}


def test_toggle_inverts_disabled(api):
    """interfaces-and-services.md 3: toggleGateway works on `disabled` but reads like an enable toggle."""
    uuid = added(api, **LAN_GW)
    assert api.post(f"{BASE}/toggleGateway/{uuid}").json() == {"result": "Disabled", "changed": True}
    item = api.get(f"{BASE}/getGateway/{uuid}").json()["gateway_item"]
    assert item["disabled"] == "1"
    row = by_name(api)["LAN_GW2"]
    assert row["disabled"] is True and row["status"] == "Pending" and row["label_class"] == "fa fa-plug text-default"
    assert api.post(f"{BASE}/toggleGateway/{uuid}/0").json() == {"result": "Disabled", "changed": False}
    assert api.post(f"{BASE}/toggleGateway/{uuid}/1").json() == {"result": "Enabled", "changed": True}
    assert api.post(f"{BASE}/toggleGateway/{uuid}/2").json() == {"result": "failed", "changed": False}
    assert api.post(f"{BASE}/toggleGateway/{UNKNOWN}").json() == {"result": "failed"}
    assert api.get(f"{BASE}/toggleGateway/{uuid}").json() == {"result": "failed"}


def test_status_flags(api):
    """interfaces-and-services.md 3: misconfigured addresses and forced-down gateways show in `status`."""
    added(api, name="OUTSIDE", interface="lan", gateway="10.99.0.1")
    added(api, name="FORCED", interface="opt1", gateway="10.20.0.254", force_down="1")
    gws = by_name(api)
    assert (gws["OUTSIDE"]["status"], gws["OUTSIDE"]["label_class"]) == (
        "Misconfigured Gateway IP",
        "fa fa-plug text-warning",
    )
    assert (gws["FORCED"]["status"], gws["FORCED"]["label_class"]) == ("Offline (forced)", "fa fa-plug text-danger")
    assert gws["FORCED"]["defaultgw"] is False


def test_reconfigure(api, sim):
    """interfaces-and-services.md 3: POST runs `interface routes configure` -> {"status":"ok"}."""
    uuid = added(api, **LAN_GW)
    assert api.get(f"{BASE}/reconfigure").json() == {"status": "failed"}
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    assert sim.state()["running"]["routing.gateway"][uuid]["name"] == "LAN_GW2"


@pytest.mark.parametrize("command", ["search_gateway", "searchgateway", "searchGateway"])
def test_command_styles(api, command):
    """generic.md 1: snake_case and lower-case names reach the same action."""
    assert api.post(f"{BASE}/{command}").json()["rows"][0]["name"] == "WAN_GW"


def test_delete_of_an_unknown_gateway_on_26_1_is_an_error(api, sim):
    """Source, SettingsController.php at 26.1.11: no null check, so the empty name matches an interface
    without a gateway and the delete fails with HTTP 500 (fixed for 26.7 in commit 8e2b3e7ccf)."""
    sim.reset("26.1")
    r = api.post(f"{BASE}/delGateway/{UNKNOWN}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == "Gateway  cannot be deleted because it is in use on Interface 'LAN'"
    for iface in sim.app.env.interfaces:
        iface.gateway = "WAN_GW"
    assert api.post(f"{BASE}/delGateway/{UNKNOWN}").json() == {"result": "not found"}


def test_dynamic_gateway_names_follow_the_interface_type(api, sim):
    """interfaces-and-services.md 3: dynamic entries are named <DESCR>_<TYPE>, e.g. WAN_DHCP; a
    DHCPv6 interface lists its gateway even before a router is known; a configured dynamic gateway
    whose interface offers no router is listed last."""
    dmz = sim.app.env.interface("opt1")
    dmz.ipaddr, dmz.router, dmz.ipaddrv6 = "dhcp", "10.20.0.254", "dhcp6"
    added(api, name="LAN_V6", interface="lan", ipprotocol="inet6", gateway="dynamic")
    names = [r["name"] for r in rows(api)]
    assert names[-1] == "LAN_V6"
    gws = by_name(api)
    assert (gws["DMZ_DHCP"]["uuid"], gws["DMZ_DHCP"]["gateway"]) == ("DMZ_DHCP", "10.20.0.254")
    assert "gateway" not in gws["DMZ_DHCP6"] and gws["DMZ_DHCP6"]["ipprotocol"] == "inet6"
    assert gws["LAN_V6"]["defunct"] is True and gws["LAN_V6"]["dynamic"] is True
    routes = api.get("/api/routes/routes/getroute").json()["route"]["gateway"]
    assert routes["DMZ_DHCP6"]["value"] == "DMZ_DHCP6 - inet6"


def test_delete_does_not_check_filter_rules(api):
    """delGatewayAction() checks interfaces, gateway groups and static routes only: a policy-routing
    rule naming the gateway does not stop the delete (core Routing/Api/SettingsController.php)."""
    uuid = added(api, name="POLICY_GW", interface="opt1", gateway="10.20.0.250")
    rule = api.post(
        "/api/firewall/filter/addRule", json={"rule": {"description": "via policy gw", "gateway": "POLICY_GW"}}
    ).json()
    assert rule["result"] == "saved", rule
    assert api.post(f"{BASE}/delGateway/{uuid}").json() == {"result": "deleted"}


def test_search_row_defaultgw_is_the_active_default_and_upstream_the_stored_flag(api):
    """searchGatewayAction(): `upstream` = !empty(stored defaultgw); `defaultgw` = whether the gateway is
    the default gateway of its family now (getDefaultGW), which a disabled upstream gateway is not."""
    added(api, name="UP_GW", interface="opt1", gateway="10.20.0.250", defaultgw="1", disabled="1", priority="1")
    row = by_name(api)["UP_GW"]
    assert (row["upstream"], row["defaultgw"], row["disabled"]) == (True, False, True)
