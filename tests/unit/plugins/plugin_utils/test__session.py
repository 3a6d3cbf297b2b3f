"""The session (``_session``): what every run holds for its length; its refresh reads every type,
the version and the option lists at once, and it refuses bad options before any request."""

from __future__ import annotations

import os

import pytest
from engine_helpers import API_SECRET, API_URL

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError, PluginMissingError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import Connection, Options
from ansible_collections.opnform.opnsense.plugins.plugin_utils._session import Session


def test_refresh_reads_types_version_and_skips_missing_optional_plugins(engine, fw):
    fw.add("firewall_alias", name="mine", type="host")
    fw.extra_rows["firewall_alias"] = [{"uuid": "bogons", "name": "bogons", "type": "external"}]
    fw.prefix_answers[REGISTRY["haproxy_backend"].path("search")] = PluginMissingError("no haproxy")
    inventory = engine().refresh(["firewall_alias"], optional=["haproxy_backend"])
    assert inventory.version == "26.7.2" and not inventory.has("haproxy_backend")
    assert [v["name"] for v in inventory.objects("firewall_alias").values()] == ["mine"]
    assert list(inventory.builtin("firewall_alias")) == ["bogons"]
    with pytest.raises(PluginMissingError):
        engine().refresh(["haproxy_backend"])


def test_unknown_recover_mode_and_bad_deployment_names_are_refused(tmp_path):
    conn = Connection(API_URL, "key", API_SECRET)
    with pytest.raises(OpnError, match="recover must be one of rollback, resume"):
        Session(conn, Options(state_dir=str(tmp_path), recover="undo"))
    with pytest.raises(OpnError):
        Session(conn, Options(state_dir=str(tmp_path), deployment="../etc"))


def test_the_lock_is_timed_and_released_when_the_work_fails(engine, state):
    session = engine()
    with pytest.raises(OpnError, match="inside the lock"):
        with session.locked():
            raise OpnError("inside the lock")
    probe = state.lock()
    probe.acquire(0, {"run_id": "probe"})  # free again: would raise LockTimeout if still held
    probe.release()
    assert "lock_wait_ms" in session.timer.as_dict()


def test_the_event_file_exists_only_once_an_event_is_emitted(engine, state):
    session = engine()
    path = state.events_path(session.run_id)
    session.close()
    assert not os.path.exists(path)
    session = engine()
    session.events.emit("run_start", total=0)
    session.close()
    assert os.path.exists(state.events_path(session.run_id))


def test_the_cycle_collector_is_paused_for_a_task_and_restored_after_even_on_failure():
    import gc

    from ansible_collections.opnform.opnsense.plugins.plugin_utils._session import cycle_collection_paused

    assert gc.isenabled()
    with pytest.raises(OpnError):
        with cycle_collection_paused():
            assert not gc.isenabled()
            raise OpnError("the task failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()  # a collector the caller had paused stays paused
    finally:
        gc.enable()
