"""The filter savepoint / rollback API: gone in 26.7, a dead-man switch in 26.1 (firewall.md 1.2)."""

from __future__ import annotations

import re
import time

import pytest
from opnsense_sim.services.firewall import rollback

BASE = "/api/firewall/filter"


def add_ok(api, **fields) -> str:
    body = api.post(f"{BASE}/addRule", json={"rule": fields}).json()
    assert body["result"] == "saved", body
    return body["uuid"]


def backup_id(sim) -> str:
    """The newest backup's timestamp, as the backup file name (and the backup API) carry it."""
    name = sim.app.store.history()[-1].id
    return name[len("config-") : -len(".xml")]


def rules(sim) -> dict:
    return sim.state()["config"]["firewall.filter_rule"]


def wait_for(condition, timeout=5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def v26_1(sim):
    sim.reset("26.1")
    # The factory backup is taken when the first save happens: let that one go by first, so the
    # backups the tests name have distinct timestamps (a clash gets a "_<ns>" suffix that no
    # revision argument can match).
    sim.app.store.history()
    time.sleep(0.01)
    return sim


@pytest.fixture
def fast_timer(monkeypatch):
    monkeypatch.setattr(rollback, "ROLLBACK_SECONDS", 0.4)


# -- 26.7 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["savepoint", "revert/1718000000.12", "cancelRollback/1718000000.12", "cancel_rollback/1"]
)
def test_savepoint_api_is_gone_in_26_7(api, path):
    """firewall.md 1.2: removed by commit 17b84612eb, first in 26.7: 404 "Endpoint not found", even unauthenticated."""
    r = api.post(f"{BASE}/{path}")
    assert r.status_code == 404 and r.json() == {"errorMessage": "Endpoint not found"}
    r = api.post(f"{BASE}/{path}", auth=("nobody", "wrong"))
    assert r.status_code == 404


def test_apply_with_revision_in_26_7_is_a_plain_apply(api, sim, fast_timer):
    """firewall.md 1.2 corrected against the source: applyAction() takes no parameter, and PHP ignores the
    extra path segment, so apply/<revision> applies and starts no timer (it is not a 404)."""
    add_ok(api, description="stays")
    revision = backup_id(sim)
    assert api.post(f"{BASE}/apply/{revision}").json() == {"status": "OK\n\n"}
    time.sleep(0.8)
    assert any(r["description"] == "stays" for r in rules(sim).values())
    assert "filter_rollback" not in sim.app.extra


# -- 26.1 ------------------------------------------------------------------------------------------


def test_savepoint_shape(api, v26_1):
    """firewall.md 1.2: {"status":"ok","retention":<backups kept>,"revision":<time with two decimals>}."""
    before = len(v26_1.app.store.history())
    body = api.post(f"{BASE}/savepoint").json()
    assert body["status"] == "ok" and body["retention"] == "100"
    assert re.fullmatch(r"\d+\.\d\d", body["revision"])
    assert len(v26_1.app.store.history()) == before + 1  # it forces a save
    assert api.get(f"{BASE}/savepoint").json() == {"status": "error"}


def test_revert_with_the_savepoint_revision_finds_no_backup(api, v26_1):
    """firewall.md 1.2 (per code, opnsense/core issue 10721): the two-decimal revision rarely names a backup file."""
    sp = api.post(f"{BASE}/savepoint").json()["revision"]
    matches = any(r.id == f"config-{sp}.xml" for r in v26_1.app.store.history())
    expected = {"status": "ok"} if matches else {"status": "unknown (or removed) savepoint"}
    assert api.post(f"{BASE}/revert/{sp}").json() == expected
    assert api.post(f"{BASE}/revert/123.45").json() == {"status": "unknown (or removed) savepoint"}


def test_revert_restores_the_filter_rules_and_reloads(api, v26_1):
    """firewall.md 1.2: revert/<revision> copies the Filter section back immediately and reloads."""
    keep = add_ok(api, description="before")
    revision = backup_id(v26_1)
    gone = add_ok(api, description="after")
    api.post(
        "/api/firewall/alias/addItem", json={"alias": {"name": "untouched", "type": "host", "content": "10.0.0.1"}}
    )
    assert api.post(f"{BASE}/revert/{revision}").json() == {"status": "ok"}
    state = v26_1.state()
    assert keep in state["config"]["firewall.filter_rule"] and gone not in state["config"]["firewall.filter_rule"]
    assert state["running"]["firewall.filter_rule"] == state["config"]["firewall.filter_rule"]
    assert any(a["name"] == "untouched" for a in state["config"]["firewall.alias"].values())  # only the Filter model
    assert api.get(f"{BASE}/revert/{revision}").json() == {"status": "error"}


def test_apply_with_revision_reverts_after_the_timeout(api, v26_1, fast_timer):
    """firewall.md 1.2: without cancelRollback the timer restores the revision's rules, saves and reloads."""
    revision = backup_id(v26_1)
    bad = add_ok(api, description="locks me out", action="block")
    assert api.post(f"{BASE}/apply/{revision}").json() == {"status": "OK\n\n"}
    assert v26_1.state()["running"]["firewall.filter_rule"][bad]["action"] == "block"
    assert wait_for(lambda: bad not in rules(v26_1))
    state = v26_1.state()
    assert bad not in state["running"]["firewall.filter_rule"]
    assert "firewall.filter_rule" not in state["pending"]


def test_cancel_rollback_stops_the_timer(api, v26_1, fast_timer):
    """firewall.md 1.2: cancelRollback removes the marker; configd answers the script's empty output + "\\n\\n"."""
    revision = backup_id(v26_1)
    good = add_ok(api, description="keep me")
    api.post(f"{BASE}/apply/{revision}")
    assert api.post(f"{BASE}/cancelRollback/{revision}").json() == {"status": "\n\n"}
    time.sleep(0.8)
    assert good in rules(v26_1)
    # Nothing left to cancel: the script exits 1 and configd reports an execute error.
    assert api.post(f"{BASE}/cancel_rollback/{revision}").json() == {"status": "Execute error\n\n"}
    assert api.get(f"{BASE}/cancelRollback/{revision}").json() == {"status": "error"}


def test_only_one_timer_at_a_time(api, v26_1, fast_timer):
    """firewall.md 1.2: a second apply/<revision> while a timer runs is silently ignored."""
    first = backup_id(v26_1)
    add_ok(api, description="one")
    second = backup_id(v26_1)
    api.post(f"{BASE}/apply/{first}")
    assert api.post(f"{BASE}/apply/{second}").json() == {"status": "OK\n\n"}
    assert api.post(f"{BASE}/cancelRollback/{second}").json() == {"status": "Execute error\n\n"}
    assert api.post(f"{BASE}/cancelRollback/{first}").json() == {"status": "\n\n"}


def test_timer_without_a_backup_changes_nothing(api, v26_1, fast_timer):
    """firewall.md 1.2: a missing backup is only logged ("unable to revert to unexisting revision")."""
    rule = add_ok(api, description="survives")
    api.post(f"{BASE}/apply/1.25")
    state = rollback.state(v26_1.app)
    assert wait_for(lambda: state.log)
    assert state.log == ["unable to revert to unexisting revision : 1.25"]
    assert rule in rules(v26_1)
