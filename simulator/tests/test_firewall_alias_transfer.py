"""Alias export and import over HTTPS (firewall.md 2.1)."""

from __future__ import annotations

import json

BASE = "/api/firewall/alias"


def add_ok(api, **fields) -> str:
    body = api.post(f"{BASE}/addItem", json={"alias": fields}).json()
    assert body["result"] == "saved", body
    return body["uuid"]


def test_export_full_dump_is_raw_pretty_json(api):
    """firewall.md 2.1: the whole model as raw values, pretty printed, slashes escaped; built-ins included."""
    uuid = add_ok(api, name="exp", type="network", content="10.0.0.0/8\n10.1.0.0/16")
    r = api.get(f"{BASE}/export")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert '\n    "geoip": {' in r.text and "10.0.0.0\\/8" in r.text
    data = json.loads(r.text)
    assert data["geoip"] == {"url": ""}
    item = data["aliases"]["alias"][uuid]
    assert item["content"] == "10.0.0.0/8\n10.1.0.0/16" and item["type"] == "network"
    assert item["current_items"] == ""  # volatile statistics are exported too
    assert "bogons" in data["aliases"]["alias"]


def test_export_selected_ids(api):
    """firewall.md 2.1: `ids` (array or comma list) selects a subset, shape {"aliases":{"alias":{...}}}."""
    a = add_ok(api, name="e1", type="host", content="10.0.0.1")
    b = add_ok(api, name="e2", type="host", content="10.0.0.2")
    add_ok(api, name="e3", type="host", content="10.0.0.3")
    by_list = json.loads(api.post(f"{BASE}/export", json={"ids": [a, b]}).text)
    assert list(by_list) == ["aliases"] and set(by_list["aliases"]["alias"]) == {a, b}
    by_csv = json.loads(api.get(f"{BASE}/export", params={"ids": f"{a},{b}"}).text)
    assert set(by_csv["aliases"]["alias"]) == {a, b}
    none = json.loads(api.post(f"{BASE}/export", json={"ids": ["nope"]}).text)
    assert none == {"aliases": {"alias": []}}


def test_export_other_verbs_are_http_500(api):
    r = api.request("PUT", f"{BASE}/export")
    assert r.status_code == 500 and r.json()["errorMessage"] == "Unsupported request type"


def test_import_creates_and_updates_by_name(api, sim):
    """firewall.md 2.1: matched on name; new ones get server uuids; the client's ids only key the answer."""
    existing = add_ok(api, name="known", type="host", content="10.0.0.1")
    data = {
        "aliases": {
            "alias": {
                "x1": {"name": "known", "type": "host", "content": "10.0.0.99"},
                "x2": {"name": "fresh", "type": "port", "content": "80\n443"},
                "x3": {"name": "__skip_me", "type": "internal", "content": ""},
            }
        }
    }
    r = api.post(f"{BASE}/import", json={"data": data})
    assert r.json() == {"existing": 1, "new": 1, "status": "ok"}
    config = sim.state()["config"]["firewall.alias"]
    assert config[existing]["content"] == "10.0.0.99"
    assert [u for u, a in config.items() if a["name"] == "fresh"] != ["x2"]
    assert not any(a["name"] == "__skip_me" for a in config.values())


def test_import_is_all_or_nothing(api, sim):
    """firewall.md 2.1: one invalid item and nothing is saved; validations are keyed "<id>.<field>"."""
    data = {
        "aliases": {
            "alias": {
                "good": {"name": "good_one", "type": "host", "content": "10.0.0.1"},
                "bad": {"name": "bad_one", "type": "port", "content": "x"},
            }
        }
    }
    body = api.post(f"{BASE}/import", json={"data": data}).json()
    assert body == {
        "existing": 0,
        "new": 2,
        "status": "failed",
        "validations": {"bad.content": 'Entry "x" is not a valid port number.'},
    }
    assert not any(a["name"] == "good_one" for a in sim.state()["config"]["firewall.alias"].values())


def test_import_nested_aliases_resolve_within_the_import(api):
    """firewall.md 2.1: the import validates against the model holding the imported aliases."""
    data = {
        "aliases": {
            "alias": {
                "a": {"name": "grp", "type": "networkgroup", "content": "member"},
                "b": {"name": "member", "type": "host", "content": "10.0.0.1"},
            }
        }
    }
    assert api.post(f"{BASE}/import", json={"data": data}).json()["status"] == "ok"


def test_import_round_trip_of_an_export(api, sim):
    """An export's items (volatile fields included) import cleanly as updates."""
    add_ok(api, name="rt", type="host", content="10.0.0.1")
    exported = json.loads(api.get(f"{BASE}/export").text)
    body = api.post(f"{BASE}/import", json={"data": exported}).json()
    assert body["status"] == "ok" and body["new"] == 0


def test_import_unknown_property_is_http_500(api):
    """`$node->$prop = $value` throws for a field the model does not have."""
    data = {"aliases": {"alias": {"a": {"name": "odd", "type": "host", "content": "10.0.0.1", "uuid": "x"}}}}
    assert api.post(f"{BASE}/import", json={"data": data}).status_code == 500


def test_import_bad_payload_and_verbs(api):
    """firewall.md 2.1: a payload without aliases fails quietly; non-POST is HTTP 500."""
    assert api.post(f"{BASE}/import", json={"data": {"aliases": {}}}).json() == {
        "existing": 0,
        "new": 0,
        "status": "failed",
    }
    assert api.post(f"{BASE}/import", json={"nodata": 1}).json() == {"existing": 0, "new": 0, "status": "failed"}
    r = api.get(f"{BASE}/import")
    assert r.status_code == 500 and r.json()["errorMessage"] == "Unsupported request type"
