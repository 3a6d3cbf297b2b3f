"""Loopback devices over HTTPS: /api/interfaces/loopback_settings/ (core 26.7.2 Loopback.xml,
LoopbackSettingsController.php, AutoNumberField.php)."""

from __future__ import annotations

from opnsense_sim.environment import Interface

BASE = "/api/interfaces/loopback_settings"


def add(api, **loopback):
    r = api.post(f"{BASE}/addItem", json={"loopback": loopback})
    assert r.status_code == 200
    return r.json()


def added(api, **loopback) -> str:
    body = add(api, **loopback)
    assert body["result"] == "saved", body
    return body["uuid"]


def item(api, uuid):
    return api.get(f"{BASE}/getItem/{uuid}").json()["loopback"]


def test_device_numbers_are_the_lowest_unused_from_one(api):
    """AutoNumberField::applyDefault(): the first number no sibling uses; a posted one is kept."""
    first = added(api, description="one")
    assert item(api, first)["deviceId"] == "1"
    assert item(api, added(api, description="five", deviceId="5"))["deviceId"] == "5"
    assert item(api, added(api, description="two"))["deviceId"] == "2"
    api.post(f"{BASE}/delItem/{first}")
    assert item(api, added(api, description="again"))["deviceId"] == "1"


def test_a_blank_item_carries_the_next_number(api):
    added(api, description="one")
    assert api.get(f"{BASE}/getItem").json() == {"loopback": {"deviceId": "2", "description": ""}}


def test_numbers_are_not_unique(api):
    """Nothing constrains deviceId: two loopbacks may claim the same device."""
    added(api, description="one")
    assert add(api, description="copy", deviceId="1")["result"] == "saved"


def test_description_is_required_and_the_number_an_integer(api):
    body = add(api, deviceId="x")
    assert body == {
        "result": "failed",
        "validations": {"loopback.deviceId": "Invalid integer value.", "loopback.description": "A value is required."},
    }
    assert add(api, description="zero", deviceId="0")["validations"] == {"loopback.deviceId": "Invalid integer value."}


def test_an_assigned_loopback_can_be_deleted(sim, api):
    """The controller is the plain delBase: no safe delete and no check against assignments."""
    uuid = added(api, description="assigned")
    sim.app.env.interfaces.append(Interface("opt2", "LO", "lo1"))
    assert api.post(f"{BASE}/delItem/{uuid}").json() == {"result": "deleted"}


def test_reconfigure_makes_the_devices_running(sim, api):
    uuid = added(api, description="one")
    assert uuid not in sim.state()["running"].get("interfaces.loopback", {})
    assert api.get(f"{BASE}/reconfigure").json() == {"status": "failed"}
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    assert uuid in sim.state()["running"]["interfaces.loopback"]


def test_search_sorts_by_description(api):
    added(api, description="b")
    added(api, description="a")
    rows = api.get(f"{BASE}/searchItem").json()["rows"]
    assert [r["description"] for r in rows] == ["a", "b"]
    assert set(rows[0]) == {"uuid", "deviceId", "description"}
