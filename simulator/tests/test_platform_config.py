"""Configuration state: config versus running, pending reloads, revisions (generic.md section 8)."""

from __future__ import annotations

import pytest

pytest_plugins = ["_widgets"]  # the wsim/wapi fixtures


def control(api, method, path, **kw):
    r = api.request(method, f"/__sim__/{path}", auth=None, **kw)
    assert r.status_code == 200, r.text
    return r.json()


def test_state_shape(wapi):
    """design.md 6: {"version", "config": {"<module>.<model>": {uuid: {field: str}}}, "running", "pending"}."""
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "count": 3}}).json()["uuid"]
    state = control(wapi, "GET", "state")
    assert state["version"] == "26.7.2"
    assert {"config", "running", "pending"} <= set(state)
    assert state["config"]["sim.widget"][uuid]["count"] == "3"
    for container in state["config"].values():
        for item in container.values():
            assert all(isinstance(v, str) for v in item.values())


def test_running_follows_config_only_after_a_reload(wapi):
    """generic.md 4/9: saves reach config.xml at once and the running system only on reconfigure."""
    uuid = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}}).json()["uuid"]
    state = control(wapi, "GET", "state")
    assert uuid in state["config"]["sim.widget"] and uuid not in state["running"]["sim.widget"]
    assert state["pending"] == ["sim.widget"]
    assert wapi.post("/api/sim/service/reconfigure").json() == {"status": "ok"}
    state = control(wapi, "GET", "state")
    assert state["running"]["sim.widget"] == state["config"]["sim.widget"]
    assert state["pending"] == []


def test_settings_changes_are_pending_per_model(wapi):
    wapi.post("/api/sim/widget/set", json={"widgets": {"general": {"enabled": "1"}}})
    state = control(wapi, "GET", "state")
    assert state["pending"] == ["widgets.settings"]
    assert state["settings"]["widgets"]["general.enabled"] == "1"
    assert state["running_settings"]["widgets"]["general.enabled"] == "0"


def test_models_without_a_reload_are_live_on_save(api):
    """Categories have no apply step: running equals config right after the save."""
    uuid = api.post("/api/firewall/category/addItem", json={"category": {"name": "web"}}).json()["uuid"]
    state = control(api, "GET", "state")
    assert uuid in state["running"]["firewall.category"]
    assert "firewall.category" not in state["pending"]


def test_reconfigure_needs_post(wapi):
    wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w"}})
    assert wapi.get("/api/sim/service/reconfigure").json() == {"status": "failed"}
    assert control(wapi, "GET", "state")["pending"] == ["sim.widget"]


def test_each_save_is_a_revision_named_after_user_and_uri(sim, api):
    """generic.md 8: username "<user>@<remote ip>", description "<request uri> made changes"."""
    before = sim.app.store.history()
    api.post("/api/firewall/category/addItem?from=test", json={"category": {"name": "web"}})
    after = sim.app.store.history()
    assert len(after) == len(before) + 1
    rev = after[-1]
    assert rev.username == "root@127.0.0.1"
    assert rev.description == "/api/firewall/category/addItem?from=test made changes"
    assert rev.apitoken == sim.api_key
    assert rev.id.startswith("config-") and rev.id.endswith(".xml")


def test_failed_or_read_only_requests_make_no_revision(sim, api):
    count = len(sim.app.store.history())
    api.post("/api/firewall/category/addItem", json={"category": {"name": "a,b"}})
    api.get("/api/firewall/category/searchItem")
    api.post("/api/firewall/category/delItem/00000000-0000-4000-8000-000000000000")
    assert len(sim.app.store.history()) == count


def test_history_is_kept_to_backupcount(sim, api):
    """generic.md 8: backups beyond system/backupcount (default 100) are deleted."""
    for i in range(103):
        api.post("/api/firewall/category/addItem", json={"category": {"name": f"c{i}"}})
    history = sim.app.store.history()
    assert len(history) == 100
    assert history[-1].description.startswith("/api/firewall/category/addItem")
    items = api.get("/api/core/backup/backups/this").json()["items"]
    assert len(items) == 100


@pytest.mark.parametrize("version", ["26.1", "26.7"])
def test_reset_to_a_version(sim, api, version):
    """design.md 6: POST /__sim__/reset with opnsense_version gives that release's factory state."""
    api.post("/api/firewall/category/addItem", json={"category": {"name": "web"}})
    out = control(api, "POST", "reset", json={"opnsense_version": version})
    assert out["version"] == {"26.1": "26.1.11", "26.7": "26.7.2"}[version]
    assert api.get("/api/firewall/category/searchItem").json()["total"] == 0
    assert api.get("/api/core/firmware/status").json()["product"]["product_version"] == out["version"]
