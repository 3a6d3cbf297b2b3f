"""Unbound query forwarding / DNS over TLS (dots.dot) and access lists (acls.acl) over HTTPS
(services/unbound/README.md; core Unbound/Api/SettingsController.php, Unbound.xml)."""

from __future__ import annotations

import pytest

BASE = "/api/unbound/settings"


def add(api, command, key, **item):
    return api.post(f"{BASE}/{command}", json={key: item}).json()


def test_add_forward_is_type_forward_and_search_shows_only_forwards(api):
    body = add(api, "addForward", "dot", server="192.0.2.53", domain="corp.example")
    assert body["result"] == "saved", body
    dot = add(api, "addDot", "dot", server="9.9.9.9", port="853", verify="dns.quad9.net")
    assert dot["result"] == "saved", dot
    item = api.get(f"{BASE}/getForward/{body['uuid']}").json()["dot"]
    assert item["type"]["forward"]["selected"] == 1
    assert (item["enabled"], item["forward_tcp_upstream"], item["forward_first"], item["port"]) == ("1", "0", "0", "")
    rows = api.get(f"{BASE}/searchForward").json()["rows"]
    assert [r["uuid"] for r in rows] == [body["uuid"]]
    assert rows[0]["type"] == "forward" and rows[0]["domain"] == "corp.example"
    dots = api.get(f"{BASE}/searchDot").json()["rows"]
    assert [(r["uuid"], r["type"], r["port"]) for r in dots] == [(dot["uuid"], "dot", "853")]
    # getBase does not filter on type
    assert api.get(f"{BASE}/get_dot/{body['uuid']}").json()["dot"]["type"]["forward"]["selected"] == 1


def test_set_forward_forces_its_type(api):
    """The overlay wins over the posted type; setForward on a DoT item turns it into a forward."""
    dot = add(api, "addDot", "dot", server="9.9.9.9")
    uuid = dot["uuid"]
    assert add(api, f"setForward/{uuid}", "dot", server="9.9.9.9", type="dot")["result"] == "saved"
    assert api.get("/__sim__/state").json()["config"]["unbound.dot"][uuid]["type"] == "forward"
    new = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    assert add(api, f"set_forward/{new}", "dot", server="192.0.2.1", type="dot")["result"] == "saved"
    assert api.get("/__sim__/state").json()["config"]["unbound.dot"][new]["type"] == "forward"


def test_dot_mapping_is_case_sensitive(api):
    """__call replaces "Dot" case-sensitively: searchdot names no action and answers an empty 200."""
    r = api.get(f"{BASE}/searchdot")
    assert (r.status_code, r.text) == (200, "")
    assert "rows" in api.get(f"{BASE}/search_dot").json()


@pytest.mark.parametrize(
    "fields,errors",
    [
        ({"server": ""}, {"dot.server": "A value is required."}),
        ({"server": "dns.example"}, {"dot.server": "Please specify a valid network segment or IP address."}),
        ({"server": "192.0.2.1", "port": "0"}, {"dot.port": "Please specify a valid port number (1-65535)."}),
        ({"server": "192.0.2.1", "port": "dns"}, {"dot.port": "Please specify a valid port number (1-65535)."}),
        ({"server": "192.0.2.1", "port": "65536"}, {"dot.port": "Please specify a valid port number (1-65535)."}),
        ({"server": "192.0.2.1", "domain": "a b"}, {"dot.domain": "A valid domain must be specified."}),
        (
            {"server": "192.0.2.1", "verify": "a b"},
            {"dot.verify": "[a b] is not a valid IP address or hostname."},
        ),
    ],
)
def test_forward_validation(api, fields, errors):
    assert add(api, "addForward", "dot", **fields) == {"result": "failed", "validations": errors}


def test_forward_delete_toggle_and_reconfigure(api, sim):
    uuid = add(api, "addForward", "dot", server="192.0.2.53")["uuid"]
    assert "unbound.dot" in sim.state()["pending"]
    assert api.post("/api/unbound/service/reconfigure").json() == {"status": "ok"}
    assert uuid in sim.state()["running"]["unbound.dot"]
    assert api.post(f"{BASE}/toggleForward/{uuid}/0").json() == {"result": "Disabled", "changed": True}
    assert api.post(f"{BASE}/delForward/{uuid}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delForward/{uuid}").json() == {"result": "not found"}


def test_acl_add_get_search(api):
    body = add(api, "addAcl", "acl", name="lan_clients", networks="192.168.1.0/24,2001:db8::/64")
    assert body["result"] == "saved", body
    acl = api.get(f"{BASE}/getAcl/{body['uuid']}").json()["acl"]
    assert acl["enabled"] == "1" and acl["action"]["allow"]["selected"] == 1
    assert set(acl["networks"]) == {"192.168.1.0/24", "2001:db8::/64"}
    (row,) = api.get(f"{BASE}/searchAcl").json()["rows"]
    assert (row["name"], row["action"], row["networks"]) == ("lan_clients", "allow", "192.168.1.0/24,2001:db8::/64")


@pytest.mark.parametrize(
    "fields,errors",
    [
        (
            {"name": "", "networks": ""},
            # Required is checked before the ValidationMessage is used: "An Access list name is required." never shows.
            {"acl.name": "A value is required.", "acl.networks": "A value is required."},
        ),
        (
            {"name": "a b", "networks": "10.0.0.0/8"},
            {"acl.name": "Text may not contain spaces or tabs."},
        ),
        (
            {"name": "x", "networks": "10.0.0.1"},
            {"acl.networks": "Please specify a one or more valid network segment in CIDR notation (Ipv4/IPv6)."},
        ),
        (
            {"name": "x", "networks": "any"},
            {"acl.networks": "Please specify a one or more valid network segment in CIDR notation (Ipv4/IPv6)."},
        ),
        ({"name": "x", "networks": "10.0.0.0/8", "action": "drop"}, {"acl.action": "Option [] not in list."}),
    ],
)
def test_acl_validation(api, fields, errors):
    assert add(api, "addAcl", "acl", **fields) == {"result": "failed", "validations": errors}


def test_acl_delete_has_no_in_use_check(api):
    uuid = add(api, "addAcl", "acl", name="x", networks="10.0.0.0/8")["uuid"]
    assert api.post(f"{BASE}/delAcl/{uuid}").json() == {"result": "deleted"}
