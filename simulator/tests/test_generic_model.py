"""Whole-model get and set (generic.md section 4, ApiMutableModelControllerBase getAction/setAction)."""

from __future__ import annotations

import uuid as uuidlib

pytest_plugins = ["_widgets"]  # the wsim/wapi fixtures


def test_whole_model_get_is_get_only(wapi):
    """generic.md 4: any other verb than GET gives []."""
    r = wapi.get("/api/sim/widget/get")
    assert r.json() == {
        "widgets": {"general": {"enabled": "0", "label": "w"}, "widgets": {"widget": []}},
    }
    for verb in ("POST", "PUT", "HEAD"):
        r = wapi.request(verb, "/api/sim/widget/get")
        assert r.status_code == 200
        if verb != "HEAD":
            assert r.text == "[]"


def test_whole_model_get_renders_items_like_item_get(wapi):
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "kind": "a"}}).json()["uuid"]
    tree = wapi.get("/api/sim/widget/get").json()["widgets"]
    assert tree["widgets"]["widget"][uuid] == wapi.get(f"/api/sim/widget/getItem/{uuid}").json()["widget"]


def test_set_updates_settings_and_items(wapi):
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}}).json()["uuid"]
    body = {"widgets": {"general": {"enabled": "1"}, "widgets": {"widget": {uuid: {"descr": "changed"}}}}}
    assert wapi.post("/api/sim/widget/set", json=body).json() == {"result": "saved"}
    tree = wapi.get("/api/sim/widget/get").json()["widgets"]
    assert tree["general"] == {"enabled": "1", "label": "w"}
    assert tree["widgets"]["widget"][uuid]["descr"] == "changed"
    assert tree["widgets"]["widget"][uuid]["name"] == "w"


def test_set_creates_unknown_keys_under_server_uuids_and_deletes_nothing(wapi):
    """generic.md 4: the client's key is discarded; missing items are kept."""
    keep = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "keep"}}).json()["uuid"]
    mine = str(uuidlib.uuid4())
    body = {"widgets": {"widgets": {"widget": {mine: {"name": "new1"}, "anything": {"name": "new2"}}}}}
    assert wapi.post("/api/sim/widget/set", json=body).json() == {"result": "saved"}
    items = wapi.get("/api/sim/widget/get").json()["widgets"]["widgets"]["widget"]
    assert sorted(i["name"] for i in items.values()) == ["keep", "new1", "new2"]
    assert keep in items and mine not in items and "anything" not in items


def test_set_validates_only_changed_fields_and_saves_nothing_on_failure(wapi):
    """generic.md 4: only changed fields are validated; any failure saves nothing. Keys carry the
    model name and the full path (<model>.<container>.<uuid>.<field>)."""
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}}).json()["uuid"]
    wapi.sim.app.store.config["sim.widget"][uuid]["count"] = "99"  # invalid, but unchanged below
    ok = {"widgets": {"widgets": {"widget": {uuid: {"descr": "d"}}}}}
    assert wapi.post("/api/sim/widget/set", json=ok).json() == {"result": "saved"}
    bad = {
        "widgets": {
            "general": {"enabled": "1", "label": "x"},
            "widgets": {"widget": {uuid: {"name": "BAD"}, "n": {"name": "ok2"}}},
        }
    }
    r = wapi.post("/api/sim/widget/set", json=bad)
    assert r.json() == {
        "result": "failed",
        "validations": {f"widgets.widgets.widget.{uuid}.name": "Lower-case names only."},
    }
    tree = wapi.get("/api/sim/widget/get").json()["widgets"]
    assert tree["general"]["enabled"] == "0"
    assert len(tree["widgets"]["widget"]) == 1
    r = wapi.post("/api/sim/widget/set", json={"widgets": {"general": {"enabled": "2"}}})
    assert r.json() == {
        "result": "failed",
        "validations": {"widgets.general.enabled": "Value should be a boolean (0,1)."},
    }


def test_new_items_are_validated_in_full(wapi):
    r = wapi.post("/api/sim/widget/set", json={"widgets": {"widgets": {"widget": {"x": {"descr": "no name"}}}}})
    assert r.json()["result"] == "failed"
    (key,) = r.json()["validations"]
    assert key.startswith("widgets.widgets.widget.") and key.endswith(".name")


def test_set_without_the_model_key_changes_nothing_but_saves(wapi):
    """setAction: setNodes(null) changes nothing, validation passes, the config is saved."""
    before = len(wapi.get("/api/core/backup/backups/this").json()["items"])
    assert wapi.post("/api/sim/widget/set", json={"other": 1}).json() == {"result": "saved"}
    assert len(wapi.get("/api/core/backup/backups/this").json()["items"]) == before + 1


def test_set_needs_post(wapi):
    assert wapi.get("/api/sim/widget/set").json() == {"result": "failed"}


def test_set_with_a_scalar_where_a_list_belongs_is_http_500(wapi):
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}}).json()["uuid"]
    r = wapi.post("/api/sim/widget/set", json={"widgets": {"widgets": {"widget": {uuid: "x"}}}})
    assert r.status_code == 500
    r = wapi.post("/api/sim/widget/set", json={"widgets": {"widgets": "x"}})
    assert r.status_code == 500
    r = wapi.post("/api/sim/widget/set", json={"widgets": {"general": {"label": ["a"]}}})
    assert r.status_code == 500
