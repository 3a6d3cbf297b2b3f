"""Generic item commands: get, add, set (upsert), del, toggle (generic.md sections 4 and 7)."""

from __future__ import annotations

import uuid as uuidlib

import pytest

pytest_plugins = ["_widgets"]  # the wsim/wapi fixtures


def add(api, name, **fields):
    r = api.post("/api/firewall/category/addItem", json={"category": {"name": name, **fields}})
    assert r.json()["result"] == "saved", r.text
    return r.json()["uuid"]


def names(api):
    return sorted(r["name"] for r in api.get("/api/firewall/category/searchItem").json()["rows"])


# -- get ------------------------------------------------------------------------------------------
def test_get_unknown_uuid_is_an_empty_json_array(api):
    """generic.md 3/4: an empty PHP array is encoded as [] (not {})."""
    r = api.get(f"/api/firewall/category/getItem/{uuidlib.uuid4()}")
    assert r.status_code == 200
    assert r.text == "[]"


def test_get_without_uuid_is_a_blank_template(api):
    """generic.md 7: get without uuid returns a new item's defaults; nothing is created."""
    assert api.get("/api/firewall/category/getItem").json() == {"category": {"name": "", "auto": "0", "color": ""}}
    assert names(api) == []


def test_get_renders_option_maps_and_search_raw_values(wapi):
    """generic.md 7: list fields come back as {key: {value, selected}}; a non-required single select
    has a "" entry labelled None; multi-selects and required fields have none; selected is an int."""
    cat = wapi.post("/api/firewall/category/addItem", json={"category": {"name": "web"}}).json()["uuid"]
    uuid = wapi.post(
        "/api/sim/widget/addItem", json={"widget": {"name": "w", "kind": "b", "tags": "x,z", "category": cat}}
    ).json()["uuid"]
    item = wapi.get(f"/api/sim/widget/getItem/{uuid}").json()["widget"]
    assert item["kind"] == {
        "": {"value": "None", "selected": 0},
        "a": {"value": "Kind A", "selected": 0},
        "b": {"value": "Kind B", "selected": 1},
    }
    assert item["shape"] == {"round": {"value": "Round", "selected": 1}, "square": {"value": "Square", "selected": 0}}
    assert item["tags"] == {
        "x": {"value": "Tag X", "selected": 1},
        "y": {"value": "Tag Y", "selected": 0},
        "z": {"value": "Tag Z", "selected": 1},
    }
    assert item["category"] == {"": {"value": "None", "selected": 0}, cat: {"value": "web", "selected": 1}}
    assert item["opts"] == {"level": "5"}
    blank = wapi.get("/api/sim/widget/getItem").json()["widget"]
    assert blank["kind"][""] == {"value": "None", "selected": 1}


def test_get_output_sent_back_as_keys_round_trips(wapi):
    """generic.md 7: reduce {k: {selected: 1}} to "k1,k2" before sending it back."""
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "tags": "x,z"}}).json()["uuid"]
    item = wapi.get(f"/api/sim/widget/getItem/{uuid}").json()["widget"]
    tags = ",".join(k for k, v in item["tags"].items() if v["selected"])
    assert wapi.post(f"/api/sim/widget/setItem/{uuid}", json={"widget": {"tags": tags}}).json() == {"result": "saved"}
    assert wapi.get("/api/sim/widget/searchItem").json()["rows"][0]["tags"] == "x,z"


def test_get_adds_percent_descriptions_for_single_values_in_26_7_only(wsim, wapi):
    """generic.md 7 (BaseField::getNodes, new in 26.7): a string field whose description differs
    gets a `%field` key next to it; 26.1 had none. Search rows carry it in both."""
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "port": "443"}}).json()["uuid"]
    item = wapi.get(f"/api/sim/widget/getItem/{uuid}").json()["widget"]
    assert (item["port"], item["%port"]) == ("443", "https")
    assert list(item).index("%port") == list(item).index("port") + 1
    assert "%name" not in item and "%kind" not in item
    wsim.app.env.version = "26.1"
    assert "%port" not in wapi.get(f"/api/sim/widget/getItem/{uuid}").json()["widget"]
    assert wapi.get("/api/sim/widget/searchItem").json()["rows"][0]["%port"] == "https"


# -- add ------------------------------------------------------------------------------------------
def test_add_needs_post_and_the_key(api):
    """generic.md 4: not POST, or the top-level key missing (or null) -> {"result":"failed"}."""
    assert api.get("/api/firewall/category/addItem").json() == {"result": "failed"}
    assert api.post("/api/firewall/category/addItem", json={"alias": {"name": "x"}}).json() == {"result": "failed"}
    assert api.post("/api/firewall/category/addItem", json={"category": None}).json() == {"result": "failed"}
    assert names(api) == []


def test_add_never_takes_a_client_uuid(api):
    """generic.md 4: add ignores any uuid in the body and answers with a server uuid."""
    mine = str(uuidlib.uuid4())
    r = api.post("/api/firewall/category/addItem", json={"category": {"name": "x", "uuid": mine}})
    assert r.json()["uuid"] != mine
    assert uuidlib.UUID(r.json()["uuid"]).version == 4


def test_add_validation_failure_saves_nothing(api):
    """Validation keys are <postkey>.<field>; nothing is stored on failure."""
    r = api.post("/api/firewall/category/addItem", json={"category": {"name": "a,b", "color": "red"}})
    assert r.json() == {
        "result": "failed",
        "validations": {
            "category.name": "Text does not validate.",
            "category.color": "A valid color code consists of 6 hex digits.",
        },
    }
    assert names(api) == []


def test_several_messages_for_one_field_become_a_list(wapi):
    """generic.md 4: a field with several different messages gets an array of strings."""
    wapi.post("/api/firewall/category/addItem", json={"category": {"name": "dup"}})
    r = wapi.post("/api/firewall/category/addItem", json={"category": {"name": "dup"}})
    assert r.json()["validations"] == {"category.name": "A category with this name already exists."}
    r = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "WX", "count": "99"}})
    assert r.json()["validations"] == {
        "widget.name": ["Lower-case names only.", "Names may not contain an X."],
        "widget.count": "Invalid integer value.",
    }


def test_nested_validation_keys_use_dots(wapi):
    """generic.md 4: nested containers give keys like rule.source.network."""
    r = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "opts": {"level": "x"}}})
    assert r.json() == {"result": "failed", "validations": {"widget.opts.level": "Invalid integer value."}}


# -- set ------------------------------------------------------------------------------------------
def test_set_is_partial(api):
    """generic.md 4: only keys present change; missing keys keep their value."""
    uuid = add(api, "web", color="ff0000")
    assert api.post(f"/api/firewall/category/setItem/{uuid}", json={"category": {"color": "00ff00"}}).json() == {
        "result": "saved"
    }
    assert api.get(f"/api/firewall/category/getItem/{uuid}").json() == {
        "category": {"name": "web", "auto": "0", "color": "00ff00"}
    }


def test_set_validates_the_whole_item(wapi):
    """generic.md 4: set validates the whole item, not only the posted fields."""
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}}).json()["uuid"]
    wapi.sim.app.store.config["sim.widget"][uuid]["count"] = "99"  # a stored value that no longer validates
    r = wapi.post(f"/api/sim/widget/setItem/{uuid}", json={"widget": {"descr": "x"}})
    assert r.json() == {"result": "failed", "validations": {"widget.count": "Invalid integer value."}}


def test_set_is_an_upsert_for_a_lowercase_uuid4(api):
    """generic.md 4: an unknown well-formed lowercase UUIDv4 creates the item under that uuid."""
    mine = str(uuidlib.uuid4())
    assert api.post(f"/api/firewall/category/setItem/{mine}", json={"category": {"name": "up"}}).json() == {
        "result": "saved"
    }
    assert api.get(f"/api/firewall/category/getItem/{mine}").json()["category"]["name"] == "up"


@pytest.mark.parametrize(
    "bad",
    [str(uuidlib.uuid4()).upper(), str(uuidlib.uuid1()), "not-a-uuid", "12345678-1234-4234-c234-123456789012"],
)
def test_set_with_other_unknown_ids_fails(api, bad):
    """generic.md 4: uppercase, v1 or malformed unknown ids -> {"result":"failed"}, nothing created."""
    assert api.post(f"/api/firewall/category/setItem/{bad}", json={"category": {"name": "x"}}).json() == {
        "result": "failed"
    }
    assert names(api) == []


def test_set_needs_post_and_the_key(api):
    uuid = add(api, "web")
    assert api.get(f"/api/firewall/category/setItem/{uuid}").json() == {"result": "failed"}
    assert api.post(f"/api/firewall/category/setItem/{uuid}", json={"x": {}}).json() == {"result": "failed"}


def test_upsert_validation_failure_creates_nothing(api):
    mine = str(uuidlib.uuid4())
    r = api.post(f"/api/firewall/category/setItem/{mine}", json={"category": {"color": "x"}})
    assert r.json()["result"] == "failed"
    assert api.get(f"/api/firewall/category/getItem/{mine}").text == "[]"


# -- del ------------------------------------------------------------------------------------------
def test_delete_one_and_unknown(api):
    """generic.md 4: {"result":"deleted"}; an unknown uuid -> {"result":"not found"}; GET -> failed."""
    uuid = add(api, "web")
    assert api.get(f"/api/firewall/category/delItem/{uuid}").json() == {"result": "failed"}
    assert api.post(f"/api/firewall/category/delItem/{uuid}").json() == {"result": "deleted"}
    assert api.post(f"/api/firewall/category/delItem/{uuid}").json() == {"result": "not found"}


def test_comma_separated_delete_deletes_all_and_reports_the_last(api):
    """generic.md 4: since 26.1.3 every listed uuid is deleted; the result reflects the last one."""
    a, b, c = add(api, "a"), add(api, "b"), add(api, "c")
    assert api.post(f"/api/firewall/category/delItem/{a},{b}").json() == {"result": "deleted"}
    assert names(api) == ["c"]
    missing = str(uuidlib.uuid4())
    assert api.post(f"/api/firewall/category/delItem/{c},{missing}").json() == {"result": "not found"}
    assert names(api) == []


def test_comma_delete_works_in_26_1_11_too(sim, api):
    """generic.md 4: 26.1.3 brought it (26.1.0-26.1.2 did not); the simulated 26.1 is 26.1.11."""
    sim.reset("26.1")
    a, b = add(api, "a"), add(api, "b")
    assert api.post(f"/api/firewall/category/delItem/{a},{b}").json() == {"result": "deleted"}
    assert names(api) == []


def test_safe_delete_rejects_tokens_that_are_not_uuid_like(api):
    """checkAndThrowValueInUse only takes [0-9a-z-] tokens: anything else is HTTP 500 "Invalid input token provided"."""
    r = api.post("/api/firewall/category/delItem/bad_token")
    assert r.status_code == 500
    assert r.json() == {
        "errorMessage": "Invalid input token provided",
        "errorTitle": "Invalid token",
        "errorLevel": "error",
    }


def test_safe_delete_of_a_referenced_item_is_http_500_and_deletes_nothing(wapi):
    """firewall.md 3 / generic.md 5: the uuid found in another item -> UserException naming the user."""
    cat = wapi.post("/api/firewall/category/addItem", json={"category": {"name": "web"}}).json()["uuid"]
    other = wapi.post("/api/firewall/category/addItem", json={"category": {"name": "other"}}).json()["uuid"]
    w = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w1", "category": cat, "descr": "first"}}).json()[
        "uuid"
    ]
    r = wapi.post(f"/api/firewall/category/delItem/{other},{cat}")
    assert r.status_code == 500
    assert r.json() == {
        "errorMessage": f"Widgets - first {{Widgets.widgets.widget.{w}}}\n",
        "errorTitle": "Item categories.category {web} in use by:",
        "errorLevel": "error",
    }
    assert len(wapi.get("/api/firewall/category/searchItem").json()["rows"]) == 2  # nothing saved


# -- toggle ---------------------------------------------------------------------------------------
def test_toggle_flips_and_sets_explicitly(wapi):
    """generic.md 4: /toggle flips enabled; /0 and /1 set it, `changed` saying whether it changed."""
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}}).json()["uuid"]
    t = f"/api/sim/widget/toggleItem/{uuid}"
    assert wapi.post(t).json() == {"result": "Disabled", "changed": True}
    assert wapi.post(t).json() == {"result": "Enabled", "changed": True}
    assert wapi.post(f"{t}/1").json() == {"result": "Enabled", "changed": False}
    assert wapi.post(f"{t}/0").json() == {"result": "Disabled", "changed": True}
    assert wapi.get("/api/sim/widget/searchItem").json()["rows"][0]["enabled"] == "0"


def test_toggle_unknown_or_not_post_fails(wapi):
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}}).json()["uuid"]
    assert wapi.get(f"/api/sim/widget/toggleItem/{uuid}").json() == {"result": "failed"}
    assert wapi.post(f"/api/sim/widget/toggleItem/{uuidlib.uuid4()}").json() == {"result": "failed"}


def test_toggle_with_a_bad_explicit_value_fails(wapi):
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}}).json()["uuid"]
    assert wapi.post(f"/api/sim/widget/toggleItem/{uuid}/2").json() == {"result": "failed", "changed": False}


def test_toggle_several_needs_an_explicit_value(wapi):
    """generic.md 4: a uuid list without 0/1 -> HTTP 500 with the (sic) upstream text."""
    a = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "a"}}).json()["uuid"]
    b = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "b"}}).json()["uuid"]
    r = wapi.post(f"/api/sim/widget/toggleItem/{a},{b}")
    assert r.status_code == 500
    assert r.json() == {
        "errorMessage": "Toggle with a list of items in only supported for explicit actions [0,1]",
        "errorTitle": "Toggle",
        "errorLevel": "error",
    }
    assert wapi.post(f"/api/sim/widget/toggleItem/{a},{b}/0").json() == {"result": "Disabled", "changed": True}
    rows = wapi.get("/api/sim/widget/searchItem").json()["rows"]
    assert [r["enabled"] for r in rows] == ["0", "0"]


def test_toggle_list_saves_only_when_the_last_item_changed(wapi):
    """toggleBase keeps `changed` of the last uuid and saves only if that is true (26.7.2 source)."""
    a = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "a"}}).json()["uuid"]
    b = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "b", "enabled": "0"}}).json()["uuid"]
    assert wapi.post(f"/api/sim/widget/toggleItem/{a},{b}/0").json() == {"result": "Disabled", "changed": False}
    rows = {r["name"]: r["enabled"] for r in wapi.get("/api/sim/widget/searchItem").json()["rows"]}
    assert rows == {"a": "1", "b": "0"}  # a's change was not saved
