"""VXLAN devices over HTTPS: /api/interfaces/vxlan_settings/ (core 26.7.2 VxLan.xml, VxLan.php,
VxlanSettingsController.php)."""

from __future__ import annotations

import pytest
from opnsense_sim.environment import Interface

BASE = "/api/interfaces/vxlan_settings"
UNICAST = {"vxlanid": "100", "vxlanlocal": "192.0.2.1", "vxlanremote": "192.0.2.2"}


def add(api, **vxlan):
    r = api.post(f"{BASE}/addItem", json={"vxlan": vxlan})
    assert r.status_code == 200
    return r.json()


def added(api, **vxlan) -> str:
    body = add(api, **vxlan)
    assert body["result"] == "saved", body
    return body["uuid"]


def item(api, uuid):
    return api.get(f"{BASE}/getItem/{uuid}").json()["vxlan"]


def test_unicast_vxlan_gets_the_next_device_number(api):
    assert item(api, added(api, **UNICAST))["deviceId"] == "1"
    assert item(api, added(api, **dict(UNICAST, vxlanid="101")))["deviceId"] == "2"


def test_multicast_vxlan_needs_a_device(api):
    body = add(api, vxlanid="7", vxlanlocal="192.0.2.1", vxlangroup="239.1.1.1")
    assert body["validations"] == {"vxlan.vxlandev": "Multicast group is specified, a Device must also be specified"}
    uuid = added(api, vxlanid="7", vxlanlocal="192.0.2.1", vxlangroup="239.1.1.1", vxlandev="lan")
    assert item(api, uuid)["vxlandev"]["lan"] == {"value": "LAN", "selected": 1}


@pytest.mark.parametrize(
    "extra,validations",
    [
        (
            {},
            {
                "vxlan.vxlanremote": "Remote address -or- Multicast group has to be specified",
                "vxlan.vxlangroup": "Multicast group -or- Remote address has to be specified",
            },
        ),
        (
            {"vxlanremote": "192.0.2.2", "vxlangroup": "239.1.1.1", "vxlandev": "lan"},
            {
                "vxlan.vxlanremote": "Remote address -or- Multicast group has to be specified",
                "vxlan.vxlangroup": "Multicast group -or- Remote address has to be specified",
                "vxlan.vxlandev": "Remote address is specified, Device must be None",
            },
        ),
        (
            {"vxlanremote": "192.0.2.2", "vxlandev": "lan"},
            {"vxlan.vxlandev": "Remote address is specified, Device must be None"},
        ),
    ],
)
def test_performvalidation(api, extra, validations):
    assert add(api, vxlanid="5", vxlanlocal="192.0.2.1", **extra)["validations"] == validations


def test_field_checks(api):
    body = add(
        api,
        vxlanid="16777216",
        vxlanlocal="192.0.2.0/24",
        vxlanremote="192.0.2.2",
        vxlanlocalport="http",
        vxlanremoteport="1-2",
        vxlandev="",
    )
    assert body["validations"] == {
        "vxlan.vxlanid": "Invalid integer value.",
        "vxlan.vxlanlocal": "Please specify a valid network segment or IP address.",
        "vxlan.vxlanlocalport": "Please specify a valid port number (1-65535).",
        "vxlan.vxlanremoteport": "Please specify a valid port number (1-65535).",
    }
    assert added(api, **dict(UNICAST, vxlanid="0", vxlanlocalport="4789"))


def test_an_assigned_vxlan_can_be_deleted(sim, api):
    """The controller is the plain delBase: no safe delete and no check against assignments."""
    uuid = added(api, **UNICAST)
    sim.app.env.interfaces.append(Interface("opt2", "VX", "vxlan1"))
    assert api.post(f"{BASE}/delItem/{uuid}").json() == {"result": "deleted"}


def test_reconfigure_makes_the_devices_running(sim, api):
    uuid = added(api, **UNICAST)
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    assert uuid in sim.state()["running"]["interfaces.vxlan"]


def test_search_sorts_by_vni(api):
    added(api, **dict(UNICAST, vxlanid="20"))
    added(api, **dict(UNICAST, vxlanid="3"))
    rows = api.get(f"{BASE}/searchItem").json()["rows"]
    assert [r["vxlanid"] for r in rows] == ["3", "20"]
