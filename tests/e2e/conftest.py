"""End-to-end fixtures: simulated firewalls, a temporary project (see ``e2e_helpers``) and the state
backend it uses.

A test marked ``both_backends`` runs twice: with the local state folder and with
``state_backend: postgresql`` against a PostgreSQL server the session starts (``pg_server``). The
PostgreSQL run sets ``OPNFORM_STATE_BACKEND`` and ``OPNFORM_STATE_DSN`` for the playbooks and for the
in-process set-up engine, in a schema of its own; everything else of the test is the same.
``project.view`` reads the state whichever backend holds it (lock holder, journals, deployments).
Tests that are also parametrized over ``bulk`` run against PostgreSQL with the default
``bulk: auto`` only.
"""

from __future__ import annotations

import json
import shutil

import pytest
from e2e_helpers import Project

BACKENDS = ("local", "postgresql")


def pytest_configure(config):
    config.addinivalue_line("markers", "both_backends: run against the local and the PostgreSQL state backend")


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("both_backends") and "state_backend" in metafunc.fixturenames:
        metafunc.parametrize("state_backend", BACKENDS, indirect=True)


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL runs keep the default ``bulk: auto`` only: the backend stores what a run
    journals, whatever the write path; the local runs cover ``bulk: off`` (keeps CI time down)."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("state_backend") == "postgresql" and params.get("bulk") == "off":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def sim():
    opnsense_sim = pytest.importorskip("opnsense_sim")
    with opnsense_sim.Simulator(port=0, profile="instant") as simulator:
        yield simulator


@pytest.fixture
def sim2():
    opnsense_sim = pytest.importorskip("opnsense_sim")
    with opnsense_sim.Simulator(port=0, profile="instant") as simulator:
        yield simulator


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the session (tests/e2e/pg_server.py says where it comes from)."""
    pytest.importorskip("psycopg")
    from pg_server import start_server

    server = start_server()
    if server is None:
        pytest.skip("no PostgreSQL binaries (install requirements/dev.lock: pgserver)")
    yield server
    server.stop()


@pytest.fixture
def state_backend(request):
    """``local`` unless a ``both_backends`` test is parametrized with ``postgresql``."""
    return getattr(request, "param", "local")


@pytest.fixture
def state_dsn(request, state_backend):
    """The DSN of a fresh schema when the backend is PostgreSQL, else None."""
    if state_backend != "postgresql":
        return None
    return request.getfixturevalue("pg_server").schema()


@pytest.fixture
def project(tmp_path, state_backend, state_dsn, monkeypatch):
    if state_backend == "postgresql":
        # the in-process set-up engine reads the same settings as the playbooks
        monkeypatch.setenv("OPNFORM_STATE_BACKEND", "postgresql")
        monkeypatch.setenv("OPNFORM_STATE_DSN", state_dsn)
    return StateProject(tmp_path, state_backend, state_dsn)


class StateProject(Project):
    """A project whose runs use ``backend``; the PostgreSQL settings reach them through the environment."""

    def __init__(self, tmp, backend: str = "local", dsn=None) -> None:
        super().__init__(tmp)
        self.backend = backend
        self.dsn = dsn
        self.view = StateView(self)

    def backend_env(self) -> dict:
        if self.backend != "postgresql":
            return {}
        return {"OPNFORM_STATE_BACKEND": "postgresql", "OPNFORM_STATE_DSN": self.dsn}

    def env(self, **extra: str) -> dict:
        return super().env(**dict(self.backend_env(), **extra))

    def reset_state(self) -> None:
        """Forget everything the runs remembered (a fresh state folder, empty tables)."""
        if self.state.exists():
            shutil.rmtree(self.state)
        if self.backend == "postgresql":
            with self.view.db() as conn:
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE tablename LIKE 'opnform_%%'"
                        " AND schemaname = current_schema()"
                    )
                ]
                tables = [t for t in tables if t != "opnform_schema"]
                if tables:
                    conn.execute("TRUNCATE %s" % ", ".join(tables))

    def stored_text(self) -> str:
        """Everything the runs stored: the state folder's files and, with PostgreSQL, every row."""
        text = self.files_text(self.state)
        if self.backend == "postgresql":
            with self.view.db() as conn:
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE tablename LIKE 'opnform_%%'"
                        " AND schemaname = current_schema()"
                    )
                ]
                for table in tables:
                    for row in conn.execute("SELECT * FROM %s" % table):
                        text += "\n" + json.dumps(row, default=str)
        return text


class StateView(object):
    """Reads what the runs stored, from the folder or the database (never through the code under test)."""

    def __init__(self, project: StateProject) -> None:
        self.project = project

    def db(self):
        import psycopg

        return psycopg.connect(self.project.dsn, autocommit=True)

    def folder(self, sim):
        return self.project.state / ("127.0.0.1_%d" % sim.port)

    def firewall(self, sim) -> str:
        return "127.0.0.1_%d" % sim.port

    def holder(self, sim):
        """Who holds the firewall's lock now (its recorded identity), or None."""
        if self.project.backend == "local":
            lock = self.folder(sim) / "lock"
            try:
                text = lock.read_text()
                return json.loads(text) if text.strip() else None
            except (OSError, ValueError):
                return None
        try:
            with self.db() as conn:
                row = conn.execute(
                    "SELECT h.holder FROM opnform_lock_holders h WHERE h.firewall = %s AND EXISTS ("
                    " SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.pid = h.backend_pid)",
                    (self.firewall(sim),),
                ).fetchone()
        except Exception:  # noqa: BLE001 - the tables do not exist yet
            return None
        return row[0] if row else None

    def journals(self, sim) -> list:
        """``[(run_id, text)]`` of every journal, oldest write first, newest last."""
        if self.project.backend == "local":
            files = sorted((self.folder(sim) / "journal").glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
            return [(p.stem, p.read_text()) for p in files]
        try:
            with self.db() as conn:
                rows = conn.execute(
                    "SELECT run_id, string_agg(line, '' ORDER BY id), max(id) FROM opnform_journal WHERE firewall = %s"
                    " GROUP BY run_id ORDER BY 3",
                    (self.firewall(sim),),
                ).fetchall()
        except Exception:  # noqa: BLE001
            return []
        return [(r[0], r[1]) for r in rows]

    def journal_text(self, sim) -> str:
        journals = self.journals(sim)
        return journals[-1][1] if journals else ""

    def deployment(self, sim, name: str) -> dict:
        if self.project.backend == "local":
            return json.loads((self.folder(sim) / "deployments" / (name + ".json")).read_text())
        with self.db() as conn:
            row = conn.execute(
                "SELECT data FROM opnform_deployments WHERE firewall = %s AND name = %s", (self.firewall(sim), name)
            ).fetchone()
        return row[0]

    def checkpoint_ids(self, sim) -> list:
        if self.project.backend == "local":
            return sorted(p.stem for p in (self.folder(sim) / "checkpoints").glob("*.json"))
        with self.db() as conn:
            rows = conn.execute(
                "SELECT checkpoint_id FROM opnform_checkpoints WHERE firewall = %s ORDER BY 1", (self.firewall(sim),)
            ).fetchall()
        return [r[0] for r in rows]
