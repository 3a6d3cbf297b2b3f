"""LAGG devices over HTTPS: /api/interfaces/lagg_settings/ (core 26.7.2 Lagg.xml, Lagg.php,
LaggInterfaceField.php, LaggSettingsController.php)."""

from __future__ import annotations

from opnsense_sim.environment import Interface

BASE = "/api/interfaces/lagg_settings"


def add(api, **lagg):
    r = api.post(f"{BASE}/addItem", json={"lagg": lagg})
    assert r.status_code == 200
    return r.json()


def added(api, **lagg) -> str:
    body = add(api, **lagg)
    assert body["result"] == "saved", body
    return body["uuid"]


def item(api, uuid):
    return api.get(f"{BASE}/getItem/{uuid}").json()["lagg"]


def test_devices_are_named_by_the_server_and_kept(sim, api):
    first = added(api, members="igb0,igb1", laggif="lagg5")
    assert item(api, first)["laggif"] == "lagg0"
    second = added(api, members="igb2")
    assert item(api, second)["laggif"] == "lagg1"
    assert api.post(f"{BASE}/setItem/{first}", json={"lagg": {"laggif": "lagg9"}}).json() == {"result": "saved"}
    assert sim.state()["config"]["interfaces.lagg"][first]["laggif"] == "lagg0"


def test_members_are_unassigned_physical_nics(api):
    uuid = added(api, members="igb0,igb1")
    got = item(api, uuid)
    assert list(got["members"]) == ["igb0", "igb1", "igb2", "igb3"]
    assert got["members"]["igb0"] == {"value": "igb0 (00:00:5e:00:53:04)", "selected": 1}
    assert got["proto"]["lacp"]["selected"] == 1 and got["lacp_fast_timeout"] == "0"
    assert add(api, members="vtnet0")["validations"] == {"lagg.members": "At least one valid member is required."}
    assert add(api)["validations"] == {"lagg.members": "A value is required."}


def test_members_may_be_shared_between_laggs(api):
    """Lagg::performValidation() indexes the item's own member list by name: its check never fires."""
    added(api, members="igb0,igb1")
    assert add(api, members="igb1,igb2")["result"] == "saved"


def test_primary_member_and_limits(api):
    body = add(api, members="igb0", primary_member="igb1", mtu="100", proto="bond", lagghash="l2,l5")
    assert body["validations"] == {
        "lagg.primary_member": "Primary member igb1 not in member list.",
        "lagg.mtu": "Invalid integer value.",
        "lagg.proto": "Option [] not in list.",
        "lagg.lagghash": "Option [l5] not in list.",
    }
    assert added(api, members="igb0,igb1", primary_member="igb1", proto="failover", lagghash="l2,l3", use_flowid="0")


def test_a_lagg_in_use_cannot_be_deleted(sim, api):
    uuid = added(api, members="igb0,igb1")
    r = api.post("/api/interfaces/vlan_settings/addItem", json={"vlan": {"if": "lagg0", "tag": "10"}})
    assert r.json()["result"] == "failed"  # the simulated VLAN parents come from NICs and VLANs only
    sim.app.env.interfaces.append(Interface("opt2", "", "lagg0"))
    r = api.post(f"{BASE}/delItem/{uuid}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == "Cannot delete LAGG. Currently in use by \n[interfaces.opt2] opt2"
    assert r.json()["errorTitle"] == "LAGG in use"


def test_reconfigure(sim, api):
    uuid = added(api, members="igb0")
    assert api.get(f"{BASE}/reconfigure").json() == {"status": "failed"}
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    assert uuid in sim.state()["running"]["interfaces.lagg"]


def test_a_set_that_creates_takes_the_posted_name(sim, api):
    """setItemAction() overlays the stored name only when the item exists: an upsert keeps the post."""
    uuid = "0b7b8f2e-5d51-4c8e-9a57-3f1f2a0c9d11"
    assert api.post(f"{BASE}/setItem/{uuid}", json={"lagg": {"laggif": "lagg4", "members": "igb0"}}).json() == {
        "result": "saved"
    }
    assert item(api, uuid)["laggif"] == "lagg4"
    assert api.post(f"{BASE}/setItem/{uuid}", json={"lagg": "x"}).json() == {"result": "saved"}
