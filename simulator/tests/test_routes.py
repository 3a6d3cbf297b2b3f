"""Static routes over HTTPS: /api/routes/routes/ (interfaces-and-services.md 2)."""

from __future__ import annotations

import pytest

BASE = "/api/routes/routes"
GATEWAY_MSG = "Specify a valid gateway from the list matching the networks ip protocol."
NETWORK_MSG = "Specify a valid network matching the gateways ip protocol."


def add(api, **route):
    return api.post(f"{BASE}/addroute", json={"route": route}).json()


def added(api, **route) -> str:
    body = add(api, **route)
    assert body["result"] == "saved", body
    return body["uuid"]


def add_v6_gateway(api) -> None:
    gw = {"name": "LAN6_GW", "interface": "lan", "ipprotocol": "inet6", "gateway": "fd00::1"}
    assert api.post("/api/routing/settings/addGateway", json={"gateway_item": gw}).json()["result"] == "saved"


def test_route_over_the_factory_gateway(api):
    """interfaces-and-services.md 2: `gateway` is a gateway name; the factory WAN_GW is usable."""
    uuid = added(api, network="10.20.0.0/16", gateway="WAN_GW", descr="branch")
    route = api.get(f"{BASE}/getroute/{uuid}").json()["route"]
    assert route["network"] == "10.20.0.0/16"
    assert route["gateway"]["WAN_GW"] == {"value": "WAN_GW - 203.0.113.1", "selected": 1}
    assert route["enabled"] == "1"
    row = api.get(f"{BASE}/searchroute").json()["rows"][0]
    assert row == {
        "uuid": uuid,
        "network": "10.20.0.0/16",
        "gateway": "WAN_GW",
        "%gateway": "WAN_GW - 203.0.113.1",
        "descr": "branch",
        "enabled": "1",
    }


def test_gateway_options_are_the_gateway_list(api):
    """interfaces-and-services.md 2: options come from `interface gateways list` (loopback included)."""
    opts = api.get(f"{BASE}/getroute").json()["route"]["gateway"]
    assert opts == {
        "Null4": {"value": "Null4 - 127.0.0.1", "selected": 0},
        "Null6": {"value": "Null6 - ::1", "selected": 0},
        "WAN_GW": {"value": "WAN_GW - 203.0.113.1", "selected": 0},
    }


@pytest.mark.parametrize(
    "network", ["10.20.0.0", "10.0.0.0/255.0.0.0", "10.0.0.0/33", "not-a-net", "10.0.0.0%vtnet0/8"]
)
def test_network_needs_a_cidr_mask(api, network):
    """interfaces-and-services.md 2: CIDR mask required."""
    assert add(api, network=network, gateway="WAN_GW")["validations"] == {"route.network": NETWORK_MSG}


def test_network_is_trimmed_and_lower_cased_and_any_is_a_wildcard(api):
    """NetworkField.php (section 2's type): values are trimmed and lower-cased; `any` skips validation."""
    add_v6_gateway(api)
    uuid = added(api, network=" FD00:AB::/64 ", gateway="LAN6_GW")
    assert api.get(f"{BASE}/getroute/{uuid}").json()["route"]["network"] == "fd00:ab::/64"
    assert add(api, network="any", gateway="WAN_GW")["result"] == "saved"
    assert add(api, network="10.1.2.3/8", gateway="WAN_GW")["result"] == "saved"  # host bits are allowed


def test_unknown_gateway_and_required_fields(api):
    """interfaces-and-services.md 2: groups and unknown names are not in the list."""
    assert add(api, network="10.0.0.0/8", gateway="NOPE")["validations"] == {"route.gateway": GATEWAY_MSG}
    body = add(api)
    assert body["validations"] == {"route.network": "A value is required.", "route.gateway": "A value is required."}


def test_families_must_match_except_rfc5549(api):
    """interfaces-and-services.md 2: IPv6 over IPv4 fails; IPv4 over an IPv6 gateway is allowed."""
    add_v6_gateway(api)
    assert add(api, network="fd00:1::/64", gateway="WAN_GW")["validations"] == {"route.gateway": GATEWAY_MSG}
    assert add(api, network="10.9.0.0/16", gateway="LAN6_GW")["result"] == "saved"
    assert add(api, network="fd00:2::/64", gateway="LAN6_GW")["result"] == "saved"
    assert add(api, network="fd00:3::/64", gateway="Null6")["result"] == "saved"


@pytest.mark.parametrize("command", ["searchroute", "searchRoute", "search_route", "SEARCHROUTE"])
def test_lower_case_commands_are_reached_in_any_case(api, command):
    """interfaces-and-services.md 2 / generic.md 1: command names are lower-case; routing ignores case."""
    added(api, network="10.0.0.0/8", gateway="WAN_GW")
    assert api.get(f"{BASE}/{command}").json()["total"] == 1


def test_toggle_works_on_enabled(api):
    """interfaces-and-services.md 2: `enabled` (26.1.10 and later) with generic toggle semantics."""
    uuid = added(api, network="10.0.0.0/8", gateway="WAN_GW")
    assert api.post(f"{BASE}/toggleroute/{uuid}").json() == {"result": "Disabled", "changed": True}
    assert api.post(f"{BASE}/toggleroute/{uuid}/0").json() == {"result": "Disabled", "changed": False}
    assert api.post(f"{BASE}/toggleroute/{uuid}/1").json() == {"result": "Enabled", "changed": True}
    assert api.post(f"{BASE}/toggleroute/6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab").json() == {"result": "failed"}


def test_26_1_line_also_uses_enabled(api, sim):
    """interfaces-and-services.md 2: the 26.1 line is simulated as 26.1.11, which has `enabled`."""
    sim.reset("26.1")
    uuid = added(api, network="10.0.0.0/8", gateway="WAN_GW", enabled="0")
    route = api.get(f"{BASE}/getroute/{uuid}").json()["route"]
    assert route["enabled"] == "0" and "disabled" not in route
    assert api.post(f"{BASE}/toggleroute/{uuid}/1").json() == {"result": "Enabled", "changed": True}


def test_json_false_is_empty_for_a_required_boolean(api):
    """generic.md 3: PHP casts JSON false to "", which a required BooleanField refuses."""
    body = add(api, network="10.1.0.0/16", gateway="WAN_GW", enabled=False)
    assert body["validations"] == {"route.enabled": "A value is required."}


def test_set_and_delete_queue_the_old_network(api, sim):
    """interfaces-and-services.md 2: a changed network and a delete are queued for the next reconfigure."""
    uuid = added(api, network="10.0.0.0/8", gateway="WAN_GW")
    assert api.post(f"{BASE}/setroute/{uuid}", json={"route": {"network": "10.1.0.0/16"}}).json() == {"result": "saved"}
    assert sim.app.extra["route_deletes"] == {uuid: "10.0.0.0/8"}
    assert api.post(f"{BASE}/delroute/{uuid}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delroute/{uuid}").json() == {"result": "not found"}
    assert sim.app.extra["route_deletes"] == {uuid: "10.1.0.0/16"}
    api.post(f"{BASE}/reconfigure")
    assert sim.app.extra["route_deletes"] == {}


def test_reconfigure_applies_routes(api, sim):
    """interfaces-and-services.md 2: POST -> {"status":"ok"}; non-POST -> {"status":"failed"}."""
    uuid = added(api, network="10.0.0.0/8", gateway="WAN_GW")
    assert "routes.route" in sim.state()["pending"]
    assert api.get(f"{BASE}/reconfigure").json() == {"status": "failed"}
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    state = sim.state()
    assert state["running"]["routes.route"][uuid]["network"] == "10.0.0.0/8"
    assert "routes.route" not in state["pending"]


def test_client_styles(api):
    """generic.md 2: form-encoded bodies and a JSON true for a boolean."""
    r = api.request("POST", f"{BASE}/addroute", data={"route[network]": "10.5.0.0/16", "route[gateway]": "WAN_GW"})
    uuid = r.json()["uuid"]
    r = api.post(f"{BASE}/setroute/{uuid}", json={"route": {"enabled": True, "descr": None}})
    assert r.json() == {"result": "saved"}
    assert api.get(f"{BASE}/getroute/{uuid}").json()["route"]["enabled"] == "1"


def test_search_orders_routes_by_uuid(api):
    """RoutesController::searchrouteAction() sorts on "description", which routes lack, so
    ArrayField::sortedBy() leaves only its uuid tie-breaker: rows come back in uuid order."""
    uuids = [f"{c}f1c2d3e-4b5a-4c6d-8e7f-0123456789ab" for c in "907"]
    for n, uuid in enumerate(uuids):
        route = {"network": f"10.{n}.0.0/16", "gateway": "WAN_GW"}
        assert api.post(f"{BASE}/setroute/{uuid}", json={"route": route}).json() == {"result": "saved"}
    rows = api.get(f"{BASE}/searchroute").json()["rows"]
    assert [r["uuid"] for r in rows] == sorted(uuids)
