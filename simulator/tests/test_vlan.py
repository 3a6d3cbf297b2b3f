"""VLANs over HTTPS: /api/interfaces/vlan_settings/ (interfaces-and-services.md 1)."""

from __future__ import annotations

import pytest
from opnsense_sim.environment import Interface

BASE = "/api/interfaces/vlan_settings"


def add(api, **vlan):
    r = api.post(f"{BASE}/addItem", json={"vlan": vlan})
    assert r.status_code == 200
    return r.json()


def added(api, **vlan) -> str:
    body = add(api, **vlan)
    assert body["result"] == "saved", body
    return body["uuid"]


def item(api, uuid):
    return api.get(f"{BASE}/getItem/{uuid}").json()["vlan"]


def assign(sim, device: str, descr: str = "VLAN10", key: str = "opt2") -> None:
    sim.app.env.interfaces.append(Interface(key, descr, device))


def test_automatic_names_count_up_from_the_highest_index(api):
    """interfaces-and-services.md 1: prefix + "0" + (highest index + 1)."""
    first = added(api, **{"if": "igb0", "tag": 10})
    second = added(api, **{"if": "igb0", "tag": 11})
    assert item(api, first)["vlanif"] == "vlan01"
    assert item(api, second)["vlanif"] == "vlan02"
    added(api, **{"if": "igb1", "tag": 10, "vlanif": "vlan07"})
    assert item(api, added(api, **{"if": "igb1", "tag": 11}))["vlanif"] == "vlan08"


def test_qinq_on_a_vlan_parent_gets_the_qinq_prefix(api):
    """interfaces-and-services.md 1: the prefix is `qinq` when the parent contains `vlan`."""
    added(api, **{"if": "igb0", "tag": 100})
    qinq = added(api, **{"if": "vlan01", "tag": 200})
    assert item(api, qinq)["vlanif"] == "qinq01"
    opts = item(api, qinq)["if"]
    assert opts["vlan01"] == {"value": "vlan01 (Tag: 100, Parent: igb0)", "selected": 1}
    assert "qinq01" not in opts  # QinQ devices never parent another VLAN


@pytest.mark.parametrize(
    "parent,name,message",
    [
        ("igb0", "eth5", 'The device name prefix "vlan" is required.'),
        (
            "igb0",
            "vlan1",
            'Only a maximum of 15 characters is allowed starting with "vlan0" combined with numeric '
            'characters and dots, e.g. "vlan0.1.104".',
        ),
        (
            "igb0",
            "vlan0.1.104.55555",
            'Only a maximum of 15 characters is allowed starting with "vlan0" combined '
            'with numeric characters and dots, e.g. "vlan0.1.104".',
        ),
        (
            "igb0",
            "vlan0x",
            'Only a maximum of 15 characters is allowed starting with "vlan0" combined with numeric '
            'characters and dots, e.g. "vlan0.1.104".',
        ),
    ],
)
def test_user_supplied_device_names_follow_the_prefix_rules(api, parent, name, message):
    """interfaces-and-services.md 1: user-supplied names must match ^<prefix>0[0-9.]{1,10}$."""
    body = add(api, **{"if": parent, "tag": 10, "vlanif": name})
    assert body == {"result": "failed", "validations": {"vlan.vlanif": message}}


def test_qinq_names_need_the_qinq_prefix(api):
    """interfaces-and-services.md 1: a QinQ device named vlan0N is refused."""
    added(api, **{"if": "igb0", "tag": 100})
    body = add(api, **{"if": "vlan01", "tag": 5, "vlanif": "vlan05"})
    assert body["validations"] == {"vlan.vlanif": 'The device name prefix "qinq" is required.'}
    assert add(api, **{"if": "vlan01", "tag": 5, "vlanif": "qinq0.5"})["result"] == "saved"


def test_dotted_and_legacy_names_are_accepted(api):
    """interfaces-and-services.md 1: e.g. "vlan0.1.104", and the legacy form <if>_vlan<tag>."""
    assert item(api, added(api, **{"if": "igb0", "tag": 104, "vlanif": "vlan0.1.104"}))["vlanif"] == "vlan0.1.104"
    assert item(api, added(api, **{"if": "igb1", "tag": 20, "vlanif": "igb1_vlan20"}))["vlanif"] == "igb1_vlan20"


def test_legacy_name_is_kept_on_edit_only_while_parent_and_tag_stay(api):
    """interfaces-and-services.md 1: the legacy name survives an edit that keeps `if` and `tag`."""
    uuid = added(api, **{"if": "igb1", "tag": 20, "vlanif": "igb1_vlan20"})
    r = api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"if": "igb1", "tag": "20", "descr": "kept"}})
    assert r.json() == {"result": "saved"}
    assert item(api, uuid)["vlanif"] == "igb1_vlan20"
    r = api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"if": "igb1", "tag": "21"}})
    assert r.json() == {"result": "saved"}
    assert item(api, uuid)["vlanif"] == "vlan01"


def test_tag_is_unique_per_parent_only(api):
    """interfaces-and-services.md 1: "Tag for this device must be unique." per parent `if`."""
    added(api, **{"if": "igb0", "tag": 10})
    assert add(api, **{"if": "igb1", "tag": 10})["result"] == "saved"
    body = add(api, **{"if": "igb0", "tag": 10})
    assert body == {"result": "failed", "validations": {"vlan.tag": "Tag for this device must be unique."}}


def test_device_name_is_unique(api):
    """interfaces-and-services.md 1: "The device name must be unique."."""
    added(api, **{"if": "igb0", "tag": 10, "vlanif": "vlan0.10"})
    body = add(api, **{"if": "igb1", "tag": 10, "vlanif": "vlan0.10"})
    assert body["validations"] == {"vlan.vlanif": "The device name must be unique."}


@pytest.mark.parametrize("tag", [0, 4095, "abc", -1])
def test_tag_range(api, tag):
    """interfaces-and-services.md 1: tag 1-4094 (IntegerField message)."""
    assert add(api, **{"if": "igb0", "tag": tag})["validations"] == {"vlan.tag": "Invalid integer value."}


def test_required_fields_and_unknown_parent(api):
    body = add(api, **{"if": "em9", "tag": ""})
    assert body["validations"] == {"vlan.if": "Option [] not in list.", "vlan.tag": "A value is required."}


def test_pcp_and_proto_options(api):
    """interfaces-and-services.md 1: pcp 0-7 default 0; proto empty means "Automatic"."""
    uuid = added(api, **{"if": "igb0", "tag": 10, "pcp": 5, "proto": "802.1ad"})
    vlan = item(api, uuid)
    assert vlan["pcp"]["5"] == {"value": "Voice (5)", "selected": 1}
    assert vlan["proto"]["802.1ad"]["selected"] == 1
    assert add(api, **{"if": "igb0", "tag": 11, "pcp": 8})["validations"] == {"vlan.pcp": "Option [] not in list."}
    blank = api.get(f"{BASE}/getItem").json()["vlan"]
    assert blank["pcp"]["0"]["selected"] == 1
    assert blank["proto"][""] == {"value": "Automatic", "selected": 1}


def test_parent_options_are_the_simulated_nics(api, sim):
    """interfaces-and-services.md 1: options are ifconfig devices, with MAC and assigned description."""
    opts = api.get(f"{BASE}/getItem").json()["vlan"]["if"]
    assert list(opts) == sim.app.env.nics
    assert opts["vtnet0"]["value"].endswith(" [LAN]")
    assert opts["igb0"]["value"].startswith("igb0 (00:00:5e:00:53:")


def test_vlan_cannot_be_assigned_to_itself(api):
    """interfaces-and-services.md 1: "VLAN can not be assigned to itself." (on `if` and `vlanif`)."""
    uuid = added(api, **{"if": "igb0", "tag": 10})
    r = api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"if": "vlan01", "tag": 10, "vlanif": "vlan01"}})
    assert r.json() == {
        "result": "failed",
        "validations": {
            "vlan.if": "VLAN can not be assigned to itself.",
            "vlan.vlanif": ['The device name prefix "qinq" is required.', "VLAN can not be assigned to itself."],
        },
    }


def test_delete_refuses_a_qinq_parent(api):
    """interfaces-and-services.md 1: HTTP 500 UserException for the parent of a QinQ."""
    parent = added(api, **{"if": "igb0", "tag": 10})
    added(api, **{"if": "vlan01", "tag": 20})
    r = api.post(f"{BASE}/delItem/{parent}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == "This VLAN cannot be deleted because it is used in QinQ interfaces."
    assert item(api, parent)["vlanif"] == "vlan01"


def test_delete_refuses_an_assigned_vlan(api, sim):
    """interfaces-and-services.md 1: HTTP 500 when the VLAN is assigned as an interface."""
    uuid = added(api, **{"if": "igb0", "tag": 10})
    assign(sim, "vlan01")
    r = api.post(f"{BASE}/delItem/{uuid}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == "This VLAN cannot be deleted because it is assigned as an interface."


def test_delete_one_and_several(api):
    """generic.md 4: comma-separated delete, result of the last uuid."""
    a = added(api, **{"if": "igb0", "tag": 10})
    b = added(api, **{"if": "igb0", "tag": 11})
    c = added(api, **{"if": "igb0", "tag": 12})
    assert api.post(f"{BASE}/delItem/{a}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delItem/{b},{c}").json() == {"result": "deleted"}
    assert api.get(f"{BASE}/searchItem").json()["total"] == 0
    assert api.post(f"{BASE}/delItem/{a}").json() == {"result": "not found"}
    assert api.get(f"{BASE}/delItem/{a}").json() == {"result": "failed"}


def test_rename_of_a_qinq_parent_is_refused(api):
    """interfaces-and-services.md 1: renaming a QinQ parent fails on vlan.vlanif."""
    parent = added(api, **{"if": "igb0", "tag": 10})
    added(api, **{"if": "vlan01", "tag": 20})
    r = api.post(f"{BASE}/setItem/{parent}", json={"vlan": {"if": "igb0", "tag": 10, "vlanif": "vlan09"}})
    assert r.json() == {
        "result": "failed",
        "validations": {"vlan.vlanif": "This VLAN cannot be deleted because it is used in QinQ interfaces."},
    }
    ok = api.post(f"{BASE}/setItem/{parent}", json={"vlan": {"if": "igb0", "tag": 10, "descr": "same name"}})
    assert ok.json() == {"result": "saved"}


def test_rename_of_an_assigned_vlan_is_refused(api, sim):
    """interfaces-and-services.md 1: an assigned device keeps its name; a tag change is named as such."""
    uuid = added(api, **{"if": "igb0", "tag": 10, "vlanif": "igb0_vlan10"})
    assign(sim, "igb0_vlan10")
    r = api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"if": "igb0", "tag": 11}})
    assert r.json()["validations"] == {
        "vlan.tag": "Interface is assigned and you cannot change the VLAN tag while assigned."
    }
    r = api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"if": "igb0", "tag": "10", "vlanif": "vlan05"}})
    assert r.json()["validations"] == {
        "vlan.vlanif": "Interface is assigned and you cannot change the device name while assigned."
    }
    # A new-style name keeps its name when the tag changes, so an assigned VLAN may change its tag.
    other = added(api, **{"if": "igb1", "tag": 10})
    assign(sim, "vlan01", "OTHER", "opt3")
    assert api.post(f"{BASE}/setItem/{other}", json={"vlan": {"if": "igb1", "tag": 12}}).json() == {"result": "saved"}


def test_partial_set_without_parent_breaks_a_qinq_device(api):
    """interfaces-and-services.md 1: a setItem without `if` recomputes the name with the `vlan` prefix."""
    added(api, **{"if": "igb0", "tag": 10})
    qinq = added(api, **{"if": "vlan01", "tag": 20})
    r = api.post(f"{BASE}/setItem/{qinq}", json={"vlan": {"descr": "only a description"}})
    assert r.json() == {
        "result": "failed",
        "validations": {"vlan.vlanif": 'The device name prefix "qinq" is required.'},
    }
    full = {"if": "vlan01", "tag": 20, "vlanif": "qinq01", "descr": "only a description"}
    assert api.post(f"{BASE}/setItem/{qinq}", json={"vlan": full}).json() == {"result": "saved"}


def test_partial_set_keeps_a_plain_vlan_name(api):
    uuid = added(api, **{"if": "igb0", "tag": 10})
    assert api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"descr": "d"}}).json() == {"result": "saved"}
    vlan = item(api, uuid)
    assert (vlan["vlanif"], vlan["descr"], vlan["tag"]) == ("vlan01", "d", "10")


def test_set_is_an_upsert_under_a_client_uuid(api):
    """generic.md 4: set creates the item under a new lowercase UUIDv4."""
    uuid = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"
    r = api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"if": "igb2", "tag": 30}})
    assert r.json() == {"result": "saved"}
    assert item(api, uuid)["vlanif"] == "vlan01"
    assert api.post(f"{BASE}/setItem/not-a-uuid", json={"vlan": {"if": "igb2", "tag": 31}}).json() == {
        "result": "failed"
    }


def test_search_marks_assigned_devices_and_sorts_on_the_device(api, sim):
    """interfaces-and-services.md 1: default sort vlanif; assigned rows show "<vlanif> [<descr>]"."""
    added(api, **{"if": "igb0", "tag": 10, "vlanif": "vlan03"})
    added(api, **{"if": "igb0", "tag": 11, "vlanif": "vlan01"})
    added(api, **{"if": "igb0", "tag": 12, "vlanif": "vlan02"})
    assign(sim, "vlan02", "Guests")
    rows = api.get(f"{BASE}/searchItem").json()["rows"]
    assert [r["vlanif"] for r in rows] == ["vlan01", "vlan02 [Guests]", "vlan03"]
    assert rows[0]["%if"] == "igb0 (00:00:5e:00:53:04)"
    desc = api.post(f"{BASE}/searchItem", json={"sort": {"tag": "desc"}, "searchPhrase": "vlan0"}).json()
    assert [r["tag"] for r in desc["rows"]] == ["12", "11", "10"]


def test_reconfigure_applies_and_needs_post(api, sim):
    """interfaces-and-services.md 1: POST -> {"status":"ok"}; other verbs -> {"status":"failed"}."""
    uuid = added(api, **{"if": "igb0", "tag": 10})
    state = sim.state()
    assert "interfaces.vlan" in state["pending"]
    assert uuid not in state["running"]["interfaces.vlan"]
    assert api.get(f"{BASE}/reconfigure").json() == {"status": "failed"}
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    state = sim.state()
    assert "interfaces.vlan" not in state["pending"]
    assert state["running"]["interfaces.vlan"][uuid]["vlanif"] == "vlan01"


def test_renamed_and_deleted_devices_are_queued_for_removal(api, sim):
    """interfaces-and-services.md 1: old names go to /tmp/.vlans.removed until reconfigure."""
    uuid = added(api, **{"if": "igb0", "tag": 10})
    api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"if": "igb0", "tag": 10, "vlanif": "vlan0.10"}})
    api.post(f"{BASE}/delItem/{uuid}")
    assert sim.app.extra["vlans_removed"] == ["vlan01", "vlan0.10"]
    api.post(f"{BASE}/reconfigure")
    assert sim.app.extra["vlans_removed"] == []


def test_get_unknown_uuid_and_whole_model(api):
    """generic.md 3/4: unknown uuid -> []; whole-model get is keyed by the model name."""
    assert api.get(f"{BASE}/getItem/6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab").text == "[]"
    uuid = added(api, **{"if": "igb0", "tag": 10})
    tree = api.get(f"{BASE}/get").json()
    assert tree["vlan"]["vlan"][uuid]["vlanif"] == "vlan01"
    assert api.post(f"{BASE}/get").text == "[]"


@pytest.mark.parametrize("action", ["add_item", "additem", "AddItem", "addItem"])
def test_action_name_styles(api, action):
    """generic.md 1: snake_case, camelCase and lower-case action names reach the same action."""
    r = api.post(f"{BASE}/{action}", json={"vlan": {"if": "igb3", "tag": 40}})
    assert r.json()["result"] == "saved"


def test_client_value_styles(api):
    """generic.md 2-4: form bodies, JSON numbers and null (skipped) are accepted like PHP does."""
    r = api.request("POST", f"{BASE}/addItem", data={"vlan[if]": "igb0", "vlan[tag]": "15", "vlan[descr]": "form"})
    uuid = r.json()["uuid"]
    vlan = item(api, uuid)
    assert (vlan["tag"], vlan["descr"], vlan["vlanif"]) == ("15", "form", "vlan01")
    r = api.post(f"{BASE}/setItem/{uuid}", json={"vlan": {"if": "igb0", "tag": 15.0, "descr": None, "pcp": 3}})
    assert r.json() == {"result": "saved"}
    vlan = item(api, uuid)
    assert (vlan["tag"], vlan["descr"], vlan["pcp"]["3"]["selected"]) == ("15", "form", 1)
    assert api.post(f"{BASE}/addItem", json={"other": {}}).json() == {"result": "failed"}
