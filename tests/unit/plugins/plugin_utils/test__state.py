"""State folder layout, atomic 0600 files, deployment state and the firewall lock."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    DeploymentState,
    FileLock,
    LockTimeout,
    ManagedResource,
    StateDir,
    StateError,
    atomic_write_json,
    default_state_root,
    firewall_id,
    holder_info,
    read_json,
)


def test_firewall_id_from_url():
    assert firewall_id("https://fw.example.com") == "fw.example.com_443"
    assert firewall_id("https://FW.example.com:8443/api") == "fw.example.com_8443"
    assert firewall_id("http://10.0.0.1") == "10.0.0.1_80"
    assert firewall_id("https://[::1]:4443") == "--1_4443"


def test_default_state_root_precedence(tmp_path):
    assert default_state_root({"OPNFORM_STATE_DIR": str(tmp_path / "a"), "XDG_STATE_HOME": "/x"}) == str(tmp_path / "a")
    assert default_state_root({"XDG_STATE_HOME": "/x"}) == "/x/opnform"
    assert default_state_root({}).endswith(os.path.join(".local", "state", "opnform"))


def test_atomic_write_is_0600_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "d" / "f.json"
    atomic_write_json(str(path), {"a": 1})
    atomic_write_json(str(path), {"a": 2})
    assert read_json(str(path)) == {"a": 2}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(tmp_path / "d") == ["f.json"]
    assert read_json(str(tmp_path / "missing.json"), default={}) == {}


def test_deployment_state_round_trip(tmp_path):
    sd = StateDir(str(tmp_path), "https://fw:8443").ensure()
    state = DeploymentState("web")
    state.resources["firewall_alias/a"] = ManagedResource("firewall_alias", "a", "u-1", ["firewall_category/c"])
    sd.save_deployment(state)
    again = sd.load_deployment("web")
    assert again.resources["firewall_alias/a"].uuid == "u-1"
    assert again.resources["firewall_alias/a"].depends_on == ["firewall_category/c"]
    assert again.fingerprint() == state.fingerprint()
    assert set(sd.all_deployments()) == {"web"}
    assert sd.load_deployment("other").resources == {}
    assert os.path.isfile(os.path.join(str(tmp_path), "fw_8443", "deployments", "web.json"))


@pytest.mark.parametrize("name", ["../x", "", "a/b", ".hidden", "x" * 200])
def test_unsafe_names_are_refused(tmp_path, name):
    sd = StateDir(str(tmp_path), "https://fw")
    with pytest.raises(StateError):
        sd.deployment_path(name)


def test_lock_excludes_a_second_holder_and_names_the_first(tmp_path):
    path = str(tmp_path / "lock")
    first = FileLock(path)
    first.acquire(1, holder_info("run-1", "web"))
    second = FileLock(path)
    started = time.monotonic()
    with pytest.raises(LockTimeout) as err:
        second.acquire(0.3, holder_info("run-2", "web"))
    assert time.monotonic() - started >= 0.3
    assert "run-1" in str(err.value) and "pid %d" % os.getpid() in str(err.value)
    first.release()
    second.acquire(0.3, holder_info("run-2", "web"))
    assert json.loads(open(path).read())["run_id"] == "run-2"
    second.release()


def test_lock_of_a_killed_holder_is_free(tmp_path):
    path = str(tmp_path / "lock")
    code = (
        "import sys, time; sys.path[:0] = %r\n"
        "from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import FileLock, holder_info\n"
        "FileLock(%r).acquire(1, holder_info('dead-run', 'web')); print('locked', flush=True); time.sleep(60)\n"
    ) % (sys.path, path)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(LockTimeout):
            FileLock(path).acquire(0.1, holder_info("run-2", "web"))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        lock = FileLock(path)
        lock.acquire(2, holder_info("run-2", "web"))
        lock.release()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
