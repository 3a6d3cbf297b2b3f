"""The state backends: one contract, run against the local folder and a real PostgreSQL server
(``tests/e2e/pg_server.py`` starts it; skipped when no PostgreSQL binaries are installed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ConfigurationError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints import (
    CheckpointDamaged,
    delete_checkpoint,
    get_checkpoint,
    list_checkpoints,
    save_checkpoint,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import Journal, load_run, unfinished_runs
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import Options, options_from
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    DeploymentState,
    LockTimeout,
    ManagedResource,
    StateDir,
    StateError,
    holder_info,
    open_state,
)

E2E = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "e2e"))
if E2E not in sys.path:
    sys.path.insert(0, E2E)
from pg_server import start_server  # noqa: E402

pytest.importorskip("psycopg")
URL = "https://fw.example.com:8443"


@pytest.fixture(scope="module")
def pg():
    server = start_server()
    if server is None:
        pytest.skip("no PostgreSQL binaries (install requirements/dev.lock: pgserver)")
    yield server
    server.stop()


@pytest.fixture(params=["local", "postgresql"])
def backend(request, tmp_path):
    """A fresh state of both kinds, opened the way a Session opens it."""
    if request.param == "local":
        yield open_state(Options(state_dir=str(tmp_path)), URL)
        return
    server = request.getfixturevalue("pg")
    state = open_state(Options(state_backend="postgresql", state_dsn=server.schema(), state_dir=str(tmp_path)), URL)
    yield state
    state.close()


def test_deployments_round_trip(backend):
    assert backend.all_deployments() == {} and not backend.has_deployment("web")
    state = DeploymentState("web", last_run="r1")
    state.resources["firewall_alias/a"] = ManagedResource("firewall_alias", "a", "uuid-a", ["x/y"])
    backend.ensure().save_deployment(state)
    back = backend.load_deployment("web")
    assert back.resources == state.resources and back.last_run == "r1" and back.updated
    assert backend.has_deployment("web") and list(backend.all_deployments()) == ["web"]
    assert backend.load_deployment("other").resources == {}
    with pytest.raises(StateError):
        backend.load_deployment("../etc")


def test_plans_round_trip(backend):
    data = {"id": "p1", "actions": [{"op": "create", "n": 1.5}], "fingerprint": "abc"}
    where = backend.ensure().save_plan("p1", data)
    assert where and backend.load_plan("p1") == data
    with pytest.raises(StateError, match="no saved plan 'p2'"):
        backend.load_plan("p2")


def test_checkpoints_are_verified_listed_and_deleted(backend):
    backend.ensure()
    save_checkpoint(backend, "cp1", None, "web", {}, {}, origin="checkpoint", description="first")
    save_checkpoint(backend, "cp2", None, "db", {}, {}, origin="checkpoint", description="second")
    assert get_checkpoint(backend, "cp1")["description"] == "first"
    valid, damaged = list_checkpoints(backend)
    assert [s["id"] for s in valid] == ["cp2", "cp1"] and damaged == []
    assert [s["id"] for s in list_checkpoints(backend, "web")[0]] == ["cp1"]
    assert backend.has_checkpoint("cp1") and delete_checkpoint(backend, "cp1") and not backend.has_checkpoint("cp1")
    assert not delete_checkpoint(backend, "cp1")
    # an edited document is refused the same way in both backends
    raw = json.loads(backend.read_checkpoint_bytes("cp2"))
    raw["description"] = "edited"
    backend.write_checkpoint_text("cp2", json.dumps(raw))
    with pytest.raises(CheckpointDamaged, match="modified after it was written"):
        get_checkpoint(backend, "cp2")
    assert list_checkpoints(backend)[1][0]["id"] == "cp2"


def test_journal_records_and_unfinished_runs(backend):
    backend.ensure()
    journal = Journal(backend.journal_path("run-1"), Redactor(["topsecret-value"]))
    journal.append("begin", run_id="run-1", deployment="web", actions=[{"id": "a"}])
    journal.append("intent", seq=journal.next_seq(), actions=["a"], note="topsecret-value")
    journal.close()
    done = Journal(backend.journal_path("run-2"))
    done.append("begin", run_id="run-2", actions=[])
    done.append("end", status="ok")
    done.close()
    runs = unfinished_runs(backend)
    assert [r.run_id for r in runs] == ["run-1"]
    assert runs[0].action_status() == {"a": "uncertain"}
    assert "topsecret-value" not in json.dumps(runs[0].records)
    # reopening continues the sequence (recovery appends to the run's own journal)
    again = Journal(runs[0].path)
    assert again.next_seq() == 2
    again.append("end", status="rolled_back")
    assert unfinished_runs(backend) == [] and load_run(runs[0].path).finished


def test_lock_excludes_names_its_holder_and_is_released(backend):
    backend.ensure()
    first = backend.lock()
    first.acquire(1, holder_info("run-a", "web"))
    assert first.held and first.read_holder()["run_id"] == "run-a"
    with pytest.raises(LockTimeout, match="run run-a of deployment 'web'") as caught:
        backend.lock().acquire(0.2, holder_info("run-b", "web"))
    assert caught.value.details["lock_holder"]["run_id"] == "run-a"
    first.release()
    second = backend.lock()
    second.acquire(0.2, holder_info("run-b", "web"))
    second.release()


def test_events_stay_local(backend, tmp_path):
    assert backend.events_path("r1").startswith(str(tmp_path))


# -- PostgreSQL only ---------------------------------------------------------------------------------


def _pg_state(pg, tmp_path, dsn=None, redactor=None):
    return open_state(
        Options(state_backend="postgresql", state_dsn=dsn or pg.schema(), state_dir=str(tmp_path)), URL, redactor
    )


def test_a_killed_holder_releases_the_lock_and_its_committed_journal_survives(pg, tmp_path):
    dsn = pg.schema()
    child = textwrap.dedent(
        """
        import sys, time
        sys.path[:0] = %r
        from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import Options
        from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import open_state, holder_info
        from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import Journal
        state = open_state(Options(state_backend="postgresql", state_dsn=%r), %r)
        lock = state.lock()
        lock.acquire(5, holder_info("run-k", "web"))
        journal = Journal(state.journal_path("run-k"))
        journal.append("begin", run_id="run-k", actions=[{"id": "a"}])
        journal.append("intent", seq=journal.next_seq(), actions=["a"])
        print("ready", flush=True)
        time.sleep(60)
        """
    ) % (sys.path, dsn, URL)
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        state = _pg_state(pg, tmp_path, dsn)
        with pytest.raises(LockTimeout, match="run run-k"):
            state.lock().acquire(0.2, holder_info("run-w", "web"))
    finally:
        proc.kill()
        proc.wait()
    lock = state.lock()
    deadline = time.monotonic() + 10
    lock.acquire(10, holder_info("run-w", "web"))  # the server ended the killed session and its lock
    assert time.monotonic() < deadline
    runs = unfinished_runs(state)
    assert [r.run_id for r in runs] == ["run-k"] and runs[0].action_status() == {"a": "uncertain"}
    lock.release()


def test_the_lock_keeps_concurrent_writers_apart(pg, tmp_path):
    dsn = pg.schema()
    inside, overlaps = [], []

    def worker(n):
        state = _pg_state(pg, tmp_path, dsn)
        lock = state.lock()
        for _round in range(3):
            lock.acquire(30, holder_info("run-%d" % n, "web"))
            inside.append(n)
            if len(inside) > 1:
                overlaps.append(list(inside))
            time.sleep(0.02)
            inside.remove(n)
            lock.release()
        state.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []


def test_schema_is_created_once_versioned_and_a_newer_one_is_refused(pg, tmp_path):
    import psycopg

    dsn = pg.schema()
    states = [_pg_state(pg, tmp_path, dsn) for _n in range(3)]
    threads = [threading.Thread(target=s.ensure) for s in states]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM opnform_schema").fetchall() == [(1,)]
        conn.execute("INSERT INTO opnform_schema (version) VALUES (99)")
    with pytest.raises(StateError, match="schema version 99"):
        _pg_state(pg, tmp_path, dsn).ensure()


def test_the_password_never_shows(pg, tmp_path):
    redactor = Redactor()
    state = _pg_state(pg, tmp_path, redactor=redactor)
    assert pg.password not in state.path and "postgres@127.0.0.1" in state.path
    assert pg.password not in str(state.journal_path("r1")) and pg.password not in state.checkpoint_path("c1")
    assert redactor.scrub("x %s y" % pg.password) != "x %s y" % pg.password
    wrong = pg.dsn().replace(pg.password, "wrong-" + pg.password)
    with pytest.raises(StateError) as caught:
        _pg_state(pg, tmp_path, wrong).ensure()
    assert "password authentication failed" in caught.value.message
    assert pg.password not in caught.value.message and "wrong-" not in caught.value.message
    with pytest.raises(StateError) as caught:
        _pg_state(pg, tmp_path, "host=127.0.0.1 password=kv-secret-1 port=1 =x").ensure()
    assert "kv-secret-1" not in caught.value.message


def test_options_and_environment(monkeypatch, tmp_path):
    conn, opts = options_from(
        {"api_url": URL, "api_key": "k", "api_secret": "s", "state_backend": "postgresql", "state_dsn": "x"},
        False,
        False,
    )
    assert (opts.state_backend, opts.state_dsn) == ("postgresql", "x")
    assert isinstance(open_state(Options(state_dir=str(tmp_path)), URL), StateDir)
    monkeypatch.setenv("OPNFORM_STATE_BACKEND", "nosql")
    with pytest.raises(ConfigurationError, match="state_backend must be one of local, postgresql"):
        open_state(Options(state_dir=str(tmp_path)), URL)
    monkeypatch.setenv("OPNFORM_STATE_BACKEND", "postgresql")
    monkeypatch.delenv("OPNFORM_STATE_DSN", raising=False)
    with pytest.raises(ConfigurationError, match="needs state_dsn"):
        open_state(Options(state_dir=str(tmp_path)), URL)
    monkeypatch.setenv("OPNFORM_STATE_DSN", "postgresql://u:pw-from-env@127.0.0.1:1/db")
    state = open_state(Options(state_dir=str(tmp_path)), URL)
    assert state.backend == "postgresql" and "pw-from-env" not in state.path


def test_dsn_is_described_without_its_password():
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._state_pg import describe_dsn, dsn_secrets

    uri = "postgresql://opnform:S3cret-pw@db.example.com:5433/opnform?sslmode=verify-full"
    assert describe_dsn(uri) == "postgresql://opnform@db.example.com:5433/opnform"
    assert set(dsn_secrets(uri)) == {"S3cret-pw", uri}
    assert dsn_secrets("postgresql://opnform@db/opnform") == []  # nothing secret: nothing scrubbed
    kv = "host=db user=opnform password='kv pw' dbname=opnform"
    assert "kv pw" in dsn_secrets(kv) and describe_dsn(kv) == "postgresql://opnform@db:5432/opnform"


def test_moving_a_local_folder_into_the_database(pg, tmp_path, capsys):
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._state_move import main, move_local_state

    local = StateDir(str(tmp_path / "local"), URL).ensure()
    deployment = DeploymentState("web", last_run="r1")
    deployment.resources["firewall_alias/a"] = ManagedResource("firewall_alias", "a", "uuid-a")
    local.save_deployment(deployment)
    local.save_plan("p1", {"id": "p1"})
    save_checkpoint(local, "cp1", None, "web", {}, {}, origin="checkpoint")
    journal = Journal(local.journal_path("run-x"))
    journal.append("begin", run_id="run-x", actions=[{"id": "a"}])
    journal.append("intent", seq=journal.next_seq(), actions=["a"])
    journal.close()
    dsn = pg.schema()
    report = move_local_state(str(tmp_path / "local"), dsn)
    assert report["firewalls"] == ["fw.example.com_8443"] and report["skipped"] == []
    assert (report["deployments"], report["plans"], report["checkpoints"], report["journals"]) == (1, 1, 1, 1)
    db = _pg_state(pg, tmp_path, dsn)
    assert db.load_deployment("web").resources == deployment.resources and db.load_plan("p1") == {"id": "p1"}
    assert get_checkpoint(db, "cp1")["id"] == "cp1"
    assert [r.run_id for r in unfinished_runs(db)] == ["run-x"]
    assert main(["--state-dir", str(tmp_path / "local"), "--dsn", dsn]) == 0
    printed = capsys.readouterr().out
    assert len(json.loads(printed)["skipped"]) == 4 and pg.password not in printed


def test_tls_parameters_of_the_dsn_reach_libpq(pg, tmp_path):
    """The test server has no TLS (the pgserver build lacks it): what libpq refuses shows that the
    TLS parameters of ``state_dsn`` arrive, and the refusal names no password."""
    dsn = pg.schema()
    for mode in ("require", "verify-full&sslrootcert=%s" % (tmp_path / "ca.pem")):
        with pytest.raises(StateError, match="SSL was required") as caught:
            _pg_state(pg, tmp_path, dsn + "&sslmode=" + mode).ensure()
        assert pg.password not in caught.value.message
    assert _pg_state(pg, tmp_path, dsn + "&sslmode=prefer").ensure()  # falls back to plain TCP, as asked


def test_check_mode_creates_no_tables(pg, tmp_path):
    import psycopg

    dsn = pg.schema()
    options = Options(state_backend="postgresql", state_dsn=dsn, state_dir=str(tmp_path), check_mode=True)
    state = open_state(options, URL)
    assert state.all_deployments() == {} and state.checkpoint_ids() == [] and unfinished_runs(state) == []
    assert state.load_deployment("web").resources == {} and not state.has_checkpoint("c1")
    with pytest.raises(StateError, match="check mode creates nothing"):
        state.save_plan("p1", {})
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()[0] == 0
    _pg_state(pg, tmp_path, dsn).save_deployment(DeploymentState("web"))  # a real run creates them
    assert list(open_state(options, URL).all_deployments()) == ["web"]  # and check mode reads them
