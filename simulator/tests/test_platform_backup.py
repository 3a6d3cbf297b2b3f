"""Config backups, /api/core/backup/ (interfaces-and-services.md section 6)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET


def add(api, name):
    return api.post("/api/firewall/category/addItem", json={"category": {"name": name}}).json()["uuid"]


def test_providers(api):
    assert api.get("/api/core/backup/providers").json() == {
        "items": {"this": {"description": "This Firewall", "dirname": "/conf/backup"}}
    }


def test_backups_lists_newest_first_with_revision_details(sim, api):
    add(api, "one")
    add(api, "two")
    items = api.get("/api/core/backup/backups/this").json()["items"]
    assert [list(i) for i in items[:1]] == [["time", "time_iso", "description", "username", "filesize", "id"]]
    assert items[0]["description"] == "/api/firewall/category/addItem made changes"
    assert items[0]["username"] == "root@127.0.0.1"
    assert re.fullmatch(r"\d+\.\d{2}", items[0]["time"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", items[0]["time_iso"])
    assert re.fullmatch(r"config-[0-9.]+(_\d+)?\.xml", items[0]["id"])
    assert isinstance(items[0]["filesize"], int) and items[0]["filesize"] > 0
    assert [float(i["time"]) for i in items] == sorted((float(i["time"]) for i in items), reverse=True)
    assert api.get("/api/core/backup/backups/elsewhere").json() == {"items": []}


def test_download_this_is_the_current_config_xml(sim, api):
    uuid = add(api, "web")
    r = api.get("/api/core/backup/download/this")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/octet-stream"
    newest = api.get("/api/core/backup/backups/this").json()["items"][0]["id"]
    stamp = newest[len("config-") :]
    assert r.headers["Content-Disposition"] == f"attachment; filename=config-OPNsense.localdomain-{stamp}"
    root = ET.fromstring(r.content)
    assert root.find(f"OPNsense/Firewall/Category/categories/category[@uuid='{uuid}']").findtext("name") == "web"
    assert root.findtext("revision/description") == "/api/firewall/category/addItem made changes"


def test_download_a_named_backup_and_unknown_ones(api):
    add(api, "first")
    first_id = api.get("/api/core/backup/backups/this").json()["items"][0]["id"]
    add(api, "second")
    old = api.get(f"/api/core/backup/download/this/{first_id}")
    names = [c.findtext("name") for c in ET.fromstring(old.content).iter("category")]
    assert names == ["first"]
    for path in ("/api/core/backup/download/this/config-1.xml", "/api/core/backup/download/other"):
        r = api.get(path)
        assert (r.status_code, r.content) == (200, b"")


def test_revert_restores_that_revision_as_a_new_one(sim, api):
    add(api, "keep")
    target = api.get("/api/core/backup/backups/this").json()["items"][0]["id"]
    add(api, "later")
    assert api.get(f"/api/core/backup/revertBackup/{target}").json() == {"status": "failed"}
    assert api.post(f"/api/core/backup/revert_backup/{target}").json() == {"status": "reverted"}
    assert [r["name"] for r in api.get("/api/firewall/category/searchItem").json()["rows"]] == ["keep"]
    newest = api.get("/api/core/backup/backups/this").json()["items"][0]
    assert newest["description"] == f"/api/core/backup/revert_backup/{target} made changes"
    assert api.post("/api/core/backup/revertBackup/config-1.xml").json() == {"status": "not_found"}


def test_delete_backup(api):
    add(api, "x")
    ids = [i["id"] for i in api.get("/api/core/backup/backups/this").json()["items"]]
    assert api.get(f"/api/core/backup/deleteBackup/{ids[0]}").json() == {"status": "failed"}
    assert api.post(f"/api/core/backup/deleteBackup/{ids[0]}").json() == {"status": "deleted"}
    assert api.post(f"/api/core/backup/deleteBackup/{ids[0]}").json() == {"status": "not_found"}
    assert [i["id"] for i in api.get("/api/core/backup/backups/this").json()["items"]] == ids[1:]


def test_diff_of_two_backups(api):
    add(api, "one")
    older = api.get("/api/core/backup/backups/this").json()["items"][0]["id"]
    add(api, "two")
    newer = api.get("/api/core/backup/backups/this").json()["items"][0]["id"]
    lines = api.get(f"/api/core/backup/diff/this/{newer}/{older}").json()["items"]
    assert lines[0].startswith(f"--- /conf/backup/{older}") and lines[1].startswith(f"+++ /conf/backup/{newer}")
    assert any(line.startswith("+") and "&lt;name&gt;two&lt;/name&gt;" in line for line in lines)
    assert api.get(f"/api/core/backup/diff/this/{newer}/{newer}").json() == {"items": []}
