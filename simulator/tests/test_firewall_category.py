"""Firewall categories, /api/firewall/category/ (firewall.md section 3; Category.xml, CategoryController.php)."""

from __future__ import annotations

BASE = "/api/firewall/category"


def add(api, name, color=""):
    r = api.post(f"{BASE}/addItem", json={"category": {"name": name, "color": color}})
    assert r.json()["result"] == "saved", r.text
    return r.json()["uuid"]


def test_field_rules(api):
    """firewall.md 3: name required, unique, no commas; color 6 hex digits without #."""
    assert api.post(f"{BASE}/addItem", json={"category": {}}).json() == {
        "result": "failed",
        "validations": {"category.name": "A value is required."},
    }
    add(api, "web", "A0b1C2")
    assert api.post(f"{BASE}/addItem", json={"category": {"name": "web"}}).json()["validations"] == {
        "category.name": "A category with this name already exists."
    }
    assert api.post(f"{BASE}/addItem", json={"category": {"name": "Web"}}).json()["result"] == "saved"  # case-sensitive
    r = api.post(f"{BASE}/addItem", json={"category": {"name": "x", "color": "#ff0000"}})
    assert r.json()["validations"] == {"category.color": "A valid color code consists of 6 hex digits."}


def test_rename_keeps_the_uuid(api):
    uuid = add(api, "old")
    assert api.post(f"{BASE}/setItem/{uuid}", json={"category": {"name": "new"}}).json() == {"result": "saved"}
    assert api.get(f"{BASE}/getItem/{uuid}").json()["category"]["name"] == "new"


def test_delete_of_a_name_used_by_legacy_rules(sim, api):
    """firewall.md 3: a name still used by legacy filter/NAT rules -> HTTP 500 "Category in use"."""
    uuid = add(api, "legacy")
    sim.app.extra["legacy_category_names"] = {"legacy"}
    r = api.post(f"{BASE}/delItem/{uuid}")
    assert r.status_code == 500
    assert r.json() == {
        "errorMessage": "Cannot delete a category which is still in use.",
        "errorTitle": "Category in use",
        "errorLevel": "error",
    }


def test_download_is_semicolon_csv_without_auto(api):
    add(api, "web", "ff0000")
    add(api, "two words")
    r = api.get(f"{BASE}/download")
    assert r.headers["Content-Type"] == "text/csv"
    assert r.text == 'name;color\nweb;ff0000\n"two words";\n'
    assert api.post(f"{BASE}/download").text == ""


def test_upload_adds_and_updates_by_name(api):
    uuid = add(api, "web", "ff0000")
    r = api.post(f"{BASE}/upload", json={"payload": "name,color\nweb,00ff00\nnew,0000ff\n"})
    body = r.json()
    assert (body["inserted"], body["updated"], body["fieldnames"]) == (1, 1, ["name", "color"])
    assert body["uuids"][uuid] == 0  # the row (sequence) that updated it
    rows = {row["name"]: row["color"] for row in api.get(f"{BASE}/searchItem").json()["rows"]}
    assert rows == {"new": "0000ff", "web": "00ff00"}


def test_upload_reports_bad_rows_and_imports_the_rest(api):
    body = api.post(f"{BASE}/upload", json={"payload": "name;color\ngood;00ff00\nbad;red\n"}).json()
    assert body["validations"] == [
        {"sequence": 1, "message": "A valid color code consists of 6 hex digits.", "field": "color"}
    ]
    assert [row["name"] for row in api.get(f"{BASE}/searchItem").json()["rows"]] == ["good"]
    assert api.post(f"{BASE}/upload", json={}).json() == {"status": "failed"}


def test_upload_creates_under_the_offered_uuid_and_matches_by_name(api):
    """importRecordSet keyed on name: a new name is added under the record's @uuid; an existing name
    is updated where it is, whatever @uuid the record offers; a malformed @uuid refuses the record."""
    existing = add(api, "web", "ff0000")
    offered = "0b9c6e52-4c1e-4d9e-9a55-2f2f6d0c1a11"
    other = "7d1f0a4e-8a55-4a0b-b0c4-5a8e2d1f3c22"
    payload = "@uuid;name;color\n%s;fresh;00ff00\n%s;web;0000ff\nNOT-A-UUID;bad;000000\n" % (offered, other)
    body = api.post(f"{BASE}/upload", json={"payload": payload}).json()
    assert body["uuids"] == {offered: 0, existing: 1}
    assert body["validations"] == [{"sequence": 2, "field": "@uuid", "message": "Invalid UUID offered (NOT-A-UUID)"}]
    rows = {row["uuid"]: (row["name"], row["color"]) for row in api.get(f"{BASE}/searchItem").json()["rows"]}
    assert rows == {offered: ("fresh", "00ff00"), existing: ("web", "0000ff")}
    # the same upload again (a retry after a lost answer) creates nothing twice
    again = api.post(f"{BASE}/upload", json={"payload": payload}).json()
    assert (again["inserted"], again["updated"]) == (0, 2)
    assert len(api.get(f"{BASE}/searchItem").json()["rows"]) == 2
