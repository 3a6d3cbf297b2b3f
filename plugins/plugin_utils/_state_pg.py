# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The PostgreSQL state backend (``state_backend: postgresql``; docs/state.md).

The same state as the local folder (``_state.StateDir``), in tables of one database, so that runs on
controllers that keep no disk between jobs (AWX and Automation Platform run each job in a fresh
container) and runs of several people share it:

- ``opnform_deployments``, ``opnform_plans``, ``opnform_checkpoints``: one row per deployment, saved
  plan and checkpoint of a firewall (``firewall`` is the ``<host>_<port>`` of the local layout). Plans
  and checkpoints keep the exact text a file would hold, so a checkpoint's checksum is checked the
  same way; deployments are ``jsonb``.
- ``opnform_journal``: one row per journal record, each committed in its own transaction before
  ``Journal.append`` returns (``synchronous_commit`` on), so a controller killed at any point leaves
  a journal that ``recover`` reads like a file's. ``opnform_runs`` says which runs have an ``end``.
- the per-firewall lock is a session-level advisory lock (``pg_try_advisory_lock``) on a connection
  of its own: PostgreSQL drops it when that session ends, so a killed holder (SIGKILL, a deleted
  pod) never blocks the next run; TCP keepalives on that session bound how long a vanished host
  keeps it. The holder writes who it is into ``opnform_lock_holders`` with its backend pid; a waiting
  run names it only while that pid still holds the lock.
- ``opnform_schema``: the schema version. Tables are created, or migrated, on first use, under a
  transaction-level advisory lock so two first runs do not race.

Progress events stay in the local ``state_dir`` (``progress_file`` is the way to keep them).

Nothing secret reaches the database beyond what the local backend writes to its files (the engine
scrubs before it stores). The DSN's password is never shown: results and messages name the
database as ``postgresql://user@host:port/dbname``, every driver error is scrubbed of the DSN and
its password (and registered with the session's redactor) before it is raised.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import zlib
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ConfigurationError, OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import REDACTED, Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    DSN_ENV,
    DeploymentState,
    JournalSink,
    LockTimeout,
    StateBackend,
    StateDir,
    StateError,
    StateRef,
    check_name,
    describe_holder,
    firewall_id,
    parse_json_lines,
)

SCHEMA_VERSION = 1
# The first key of every advisory lock opnform takes ("opnf"); the second is the firewall's (0: schema).
LOCK_CLASS = 0x6F706E66
SCHEMA_LOCK = 0
CONNECT_TIMEOUT = "10"
# Server-side keepalives of the lock's session: a holder whose host vanished (no FIN) loses the lock
# after about idle + interval * count seconds instead of the kernel default of two hours.
KEEPALIVES = (("tcp_keepalives_idle", 30), ("tcp_keepalives_interval", 10), ("tcp_keepalives_count", 3))

MIGRATIONS: Dict[int, List[str]] = {
    1: [
        """CREATE TABLE opnform_deployments (
            firewall text NOT NULL,
            name text NOT NULL,
            data jsonb NOT NULL,
            updated timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (firewall, name))""",
        """CREATE TABLE opnform_plans (
            firewall text NOT NULL,
            plan_id text NOT NULL,
            document text NOT NULL,
            created timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (firewall, plan_id))""",
        """CREATE TABLE opnform_checkpoints (
            firewall text NOT NULL,
            checkpoint_id text NOT NULL,
            document text NOT NULL,
            created timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (firewall, checkpoint_id))""",
        """CREATE TABLE opnform_runs (
            firewall text NOT NULL,
            run_id text NOT NULL,
            started timestamptz NOT NULL DEFAULT now(),
            finished boolean NOT NULL DEFAULT false,
            PRIMARY KEY (firewall, run_id))""",
        """CREATE TABLE opnform_journal (
            id bigserial PRIMARY KEY,
            firewall text NOT NULL,
            run_id text NOT NULL,
            rec text,
            line text NOT NULL,
            written timestamptz NOT NULL DEFAULT now())""",
        "CREATE INDEX opnform_journal_run ON opnform_journal (firewall, run_id, id)",
        """CREATE TABLE opnform_lock_holders (
            firewall text PRIMARY KEY,
            holder jsonb NOT NULL,
            backend_pid integer NOT NULL,
            since timestamptz NOT NULL DEFAULT now())""",
    ],
}


def _psycopg() -> Any:
    try:
        import psycopg  # noqa: PLC0415 - only the postgresql backend needs the driver
    except ImportError:
        raise ConfigurationError(
            "state_backend: postgresql needs the psycopg Python library on the controller "
            "(pip install 'psycopg[binary]'; it is in the collection's requirements.txt and execution environment)"
        ) from None
    return psycopg


# -- the DSN, never shown ---------------------------------------------------------------------------

_URI_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@\s]*:)([^@\s]*)(@)")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_URI_QUERY_PASSWORD = re.compile(r"([?&]password=)([^&\s]*)", re.IGNORECASE)


def _dsn_params(dsn: str) -> Dict[str, str]:
    try:
        from psycopg.conninfo import conninfo_to_dict  # noqa: PLC0415

        return dict((k, str(v)) for k, v in conninfo_to_dict(dsn).items() if v is not None)
    except Exception:  # noqa: BLE001 - an unparsable DSN is reported by connect, scrubbed
        return {}


def dsn_secrets(dsn: str) -> List[str]:
    """The DSN's password, and the DSN itself when it holds one, to be kept out of every message."""
    out = []
    password = _dsn_params(dsn).get("password")
    if password:
        out.append(password)
    for pattern in (_URI_PASSWORD, _URI_QUERY_PASSWORD, _KV_PASSWORD):
        for match in pattern.finditer(dsn):
            if match.group(2):
                out.append(match.group(2).strip("'"))
    if out:
        out.append(dsn)
    return [s for s in out if s]


def scrub_dsn_text(text: str, secrets: List[str]) -> str:
    """``text`` without the DSN's password, whatever its length, and without any password-looking part."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _URI_PASSWORD.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
    text = _URI_QUERY_PASSWORD.sub(lambda m: m.group(1) + REDACTED, text)
    return _KV_PASSWORD.sub(lambda m: m.group(1) + REDACTED, text)


def describe_dsn(dsn: str) -> str:
    """``postgresql://user@host:port/dbname`` of a DSN: where the state is, with no password."""
    params = _dsn_params(dsn)
    if not params:
        return "postgresql://(state_dsn)"
    user = params.get("user", "")
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = params.get("port", "5432")
    return "postgresql://%s%s:%s/%s" % (user + "@" if user else "", host, port, params.get("dbname", ""))


def lock_key(firewall: str) -> int:
    """The advisory lock key of a firewall: a positive int4 from its id (a collision only serialises
    two firewalls' applies, it never lets two runs against one firewall interleave)."""
    return (zlib.crc32(firewall.encode("utf-8")) & 0x7FFFFFFF) or 1


# -- the backend ------------------------------------------------------------------------------------


class PgState(StateBackend):
    """The state of one firewall in a PostgreSQL database."""

    backend = "postgresql"

    @classmethod
    def open(
        cls,
        dsn: Optional[str],
        api_url: str,
        state_dir: Optional[str] = None,
        redactor: Optional[Redactor] = None,
        read_only: bool = False,
    ) -> "PgState":
        dsn = dsn or os.environ.get(DSN_ENV) or ""
        if not dsn.strip():
            raise ConfigurationError(
                "state_backend: postgresql needs state_dsn (or the %s environment variable)" % DSN_ENV
            )
        return cls(dsn, api_url, state_dir, redactor, read_only)

    def __init__(
        self,
        dsn: str,
        api_url: str,
        state_dir: Optional[str] = None,
        redactor: Optional[Redactor] = None,
        read_only: bool = False,
    ) -> None:
        """``read_only`` (check mode): tables that do not exist yet are read as empty, not created."""
        self._dsn = dsn
        self.read_only = read_only
        self._absent = False  # read_only and no tables yet: every read is empty, a write is refused
        self._secrets = dsn_secrets(dsn)
        self.redactor = redactor if redactor is not None else Redactor()
        self.redactor.add(*self._secrets)
        self.firewall = firewall_id(api_url)
        self.local = StateDir(state_dir, api_url)  # events only
        self.root = self.local.root
        self.where = describe_dsn(dsn)
        self.path = "%s (firewall %s)" % (self.where, self.firewall)
        self._conn: Any = None
        self._guard = threading.RLock()
        self._migrated = False

    # connections
    def scrub(self, text: str) -> str:
        return scrub_dsn_text(self.redactor.scrub(str(text)), self._secrets)

    def error(self, doing: str, exc: BaseException) -> StateError:
        return StateError(
            "PostgreSQL state backend %s: cannot %s: %s" % (self.where, doing, self.scrub(str(exc).strip()))
        )

    def connect(self, purpose: str = "state") -> Any:
        """A new autocommit connection (its errors scrubbed of the DSN and its password)."""
        psycopg = _psycopg()
        params = {"application_name": "opnform %s %s" % (purpose, self.firewall)[:63]}
        given = _dsn_params(self._dsn)
        if "connect_timeout" not in given:
            params["connect_timeout"] = CONNECT_TIMEOUT
        try:
            conn = psycopg.connect(self._dsn, autocommit=True, **params)
        except Exception as exc:  # noqa: BLE001 - psycopg.Error, or a bad DSN (ProgrammingError)
            raise self.error("connect", exc) from None
        try:
            conn.execute("SET synchronous_commit TO on")
        except Exception as exc:  # noqa: BLE001
            conn.close()
            raise self.error("set up the connection", exc) from None
        return conn

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = self.connect()
        if not self._migrated:
            if self.read_only:
                self._absent = schema_version(self._conn, self) == 0
            else:
                migrate(self._conn, self)
            self._migrated = True
        return self._conn

    def _refuse_write(self, doing: str) -> None:
        if self._absent:
            raise StateError(
                "PostgreSQL state backend %s: cannot %s: the opnform tables do not exist yet, and check mode "
                "creates nothing" % (self.where, doing)
            )

    def _run(self, doing: str, sql: str, params: Tuple[Any, ...] = (), fetch: str = "") -> Any:
        """Run one statement in its own transaction (autocommit); ``fetch``: ``one``, ``all`` or none."""
        with self._guard:
            conn = self._connection()
            if self._absent:
                if not fetch:
                    self._refuse_write(doing)
                return None if fetch == "one" else []
            try:
                cursor = conn.execute(sql, params)
                if fetch == "one":
                    return cursor.fetchone()
                if fetch == "all":
                    return cursor.fetchall()
                return cursor.rowcount
            except Exception as exc:  # noqa: BLE001
                raise self.error(doing, exc) from None

    def ensure(self) -> "PgState":
        with self._guard:
            self._connection()
        return self

    def close(self) -> None:
        with self._guard:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None

    # deployments
    def deployment_path(self, name: str) -> str:
        return "%s#deployments/%s/%s" % (self.where, self.firewall, check_name("deployment", name))

    def has_deployment(self, name: str) -> bool:
        check_name("deployment", name)
        row = self._run(
            "read deployment %s" % name,
            "SELECT 1 FROM opnform_deployments WHERE firewall = %s AND name = %s",
            (self.firewall, name),
            "one",
        )
        return row is not None

    def load_deployment(self, name: str) -> DeploymentState:
        check_name("deployment", name)
        row = self._run(
            "read deployment %s" % name,
            "SELECT data FROM opnform_deployments WHERE firewall = %s AND name = %s",
            (self.firewall, name),
            "one",
        )
        return DeploymentState.from_dict(name, row[0] if row else None)

    def save_deployment(self, state: DeploymentState) -> None:
        check_name("deployment", state.name)
        state.updated = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self._run(
            "save deployment %s" % state.name,
            "INSERT INTO opnform_deployments (firewall, name, data) VALUES (%s, %s, %s::jsonb) "
            "ON CONFLICT (firewall, name) DO UPDATE SET data = EXCLUDED.data, updated = now()",
            (self.firewall, state.name, json.dumps(state.as_dict(), sort_keys=True, default=str)),
        )

    def all_deployments(self) -> Dict[str, DeploymentState]:
        rows = self._run(
            "list deployments",
            "SELECT name, data FROM opnform_deployments WHERE firewall = %s ORDER BY name",
            (self.firewall,),
            "all",
        )
        return dict((name, DeploymentState.from_dict(name, data)) for name, data in rows)

    # plans
    def plan_path(self, plan_id: str) -> str:
        return "%s#plans/%s/%s" % (self.where, self.firewall, check_name("plan", plan_id))

    def save_plan(self, plan_id: str, data: Dict[str, Any]) -> str:
        where = self.plan_path(plan_id)
        self._run(
            "save plan %s" % plan_id,
            "INSERT INTO opnform_plans (firewall, plan_id, document) VALUES (%s, %s, %s) "
            "ON CONFLICT (firewall, plan_id) DO UPDATE SET document = EXCLUDED.document, created = now()",
            (self.firewall, plan_id, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n"),
        )
        return where

    def load_plan(self, plan_id: str) -> Dict[str, Any]:
        check_name("plan", plan_id)
        row = self._run(
            "read plan %s" % plan_id,
            "SELECT document FROM opnform_plans WHERE firewall = %s AND plan_id = %s",
            (self.firewall, plan_id),
            "one",
        )
        if row is None:
            raise StateError("no saved plan %r for firewall %s (looked in %s)" % (plan_id, self.firewall, self.where))
        try:
            return json.loads(row[0])
        except ValueError as exc:
            raise StateError("cannot read plan %s in %s: %s" % (plan_id, self.where, exc)) from None

    # checkpoints
    def checkpoint_path(self, checkpoint_id: str) -> str:
        return "%s#checkpoints/%s/%s" % (self.where, self.firewall, check_name("checkpoint", checkpoint_id))

    def checkpoint_folder(self) -> str:
        return "%s#checkpoints/%s" % (self.where, self.firewall)

    def write_checkpoint_text(self, checkpoint_id: str, text: str) -> str:
        where = self.checkpoint_path(checkpoint_id)
        self._run(
            "save checkpoint %s" % checkpoint_id,
            "INSERT INTO opnform_checkpoints (firewall, checkpoint_id, document) VALUES (%s, %s, %s) "
            "ON CONFLICT (firewall, checkpoint_id) DO UPDATE SET document = EXCLUDED.document, created = now()",
            (self.firewall, checkpoint_id, text),
        )
        return where

    def read_checkpoint_bytes(self, checkpoint_id: str) -> Optional[bytes]:
        check_name("checkpoint", checkpoint_id)
        row = self._run(
            "read checkpoint %s" % checkpoint_id,
            "SELECT document FROM opnform_checkpoints WHERE firewall = %s AND checkpoint_id = %s",
            (self.firewall, checkpoint_id),
            "one",
        )
        return None if row is None else row[0].encode("utf-8")

    def checkpoint_ids(self) -> List[str]:
        rows = self._run(
            "list checkpoints",
            "SELECT checkpoint_id FROM opnform_checkpoints WHERE firewall = %s ORDER BY checkpoint_id",
            (self.firewall,),
            "all",
        )
        return [r[0] for r in rows]

    def has_checkpoint(self, checkpoint_id: str) -> bool:
        check_name("checkpoint", checkpoint_id)
        row = self._run(
            "read checkpoint %s" % checkpoint_id,
            "SELECT 1 FROM opnform_checkpoints WHERE firewall = %s AND checkpoint_id = %s",
            (self.firewall, checkpoint_id),
            "one",
        )
        return row is not None

    def delete_checkpoint(self, checkpoint_id: str) -> bool:
        check_name("checkpoint", checkpoint_id)
        count = self._run(
            "delete checkpoint %s" % checkpoint_id,
            "DELETE FROM opnform_checkpoints WHERE firewall = %s AND checkpoint_id = %s",
            (self.firewall, checkpoint_id),
        )
        return bool(count)

    # journal
    def journal_path(self, run_id: str) -> StateRef:
        text = "%s#journal/%s/%s" % (self.where, self.firewall, check_name("run", run_id))
        return StateRef(text, self, run_id)

    def open_journal(self, ref: str) -> JournalSink:
        return PgJournalSink(self, getattr(ref, "key", "") or str(ref).rsplit("/", 1)[-1], str(ref))

    def read_journal(self, ref: str) -> List[Dict[str, Any]]:
        run_id = getattr(ref, "key", "") or str(ref).rsplit("/", 1)[-1]
        rows = self._run(
            "read the journal of run %s" % run_id,
            "SELECT line FROM opnform_journal WHERE firewall = %s AND run_id = %s ORDER BY id",
            (self.firewall, run_id),
            "all",
        )
        return parse_json_lines([r[0] for r in rows])

    def append_journal(self, run_id: str, line: str) -> None:
        """One journal record in one transaction: committed (and the run's ``end`` noted) on return."""
        try:
            rec = json.loads(line).get("rec")
        except (ValueError, AttributeError):
            rec = None
        with self._guard:
            conn = self._connection()
            self._refuse_write("write the journal of run %s" % run_id)
            try:
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO opnform_journal (firewall, run_id, rec, line) VALUES (%s, %s, %s, %s)",
                        (self.firewall, run_id, rec, line),
                    )
                    conn.execute(
                        "INSERT INTO opnform_runs (firewall, run_id, finished) VALUES (%s, %s, %s) "
                        "ON CONFLICT (firewall, run_id) DO UPDATE SET finished = opnform_runs.finished OR EXCLUDED.finished",
                        (self.firewall, run_id, rec == "end"),
                    )
            except Exception as exc:  # noqa: BLE001
                raise self.error("write the journal of run %s" % run_id, exc) from None

    def journal_refs(self, unfinished: bool = False) -> List[StateRef]:
        rows = self._run(
            "list runs",
            "SELECT run_id FROM opnform_runs WHERE firewall = %s"
            + (" AND NOT finished" if unfinished else "")
            + " ORDER BY started, run_id",
            (self.firewall,),
            "all",
        )
        return [self.journal_path(r[0]) for r in rows]

    # events and the lock
    def events_path(self, run_id: str) -> str:
        return self.local.events_path(run_id)

    def lock(self) -> "PgLock":
        return PgLock(self)


class PgJournalSink(JournalSink):
    def __init__(self, state: PgState, run_id: str, location: str) -> None:
        self.state = state
        self.run_id = check_name("run", run_id)
        self.location = location
        self._open = True

    def records(self) -> List[Dict[str, Any]]:
        return self.state.read_journal(StateRef(self.location, self.state, self.run_id))

    def append(self, line: str) -> None:
        if not self._open:
            raise OpnError("journal %s is closed" % self.location)
        self.state.append_journal(self.run_id, line)

    def close(self) -> None:
        self._open = False


class PgLock(object):
    """The firewall's lock: a session-level advisory lock on a connection of its own."""

    POLL = 0.1

    def __init__(self, state: PgState) -> None:
        self.state = state
        self.key = lock_key(state.firewall)
        self._conn: Any = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def read_holder(self) -> Optional[Dict[str, Any]]:
        """Who holds the lock now: the holder row whose backend still holds the advisory lock."""
        row = self.state._run(
            "read the lock holder",
            "SELECT h.holder FROM opnform_lock_holders h WHERE h.firewall = %s AND EXISTS ("
            " SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.pid = h.backend_pid"
            " AND l.classid::int8 = %s AND l.objid::int8 = %s AND l.objsubid = 2)",
            (self.state.firewall, LOCK_CLASS, self.key),
            "one",
        )
        return row[0] if row else None

    def acquire(self, timeout: float, info: Dict[str, Any]) -> None:
        """Take the lock, waiting up to ``timeout`` seconds; raise :class:`LockTimeout` naming the holder."""
        state = self.state
        state.ensure()  # the tables exist before anyone looks for a holder
        conn = state.connect("lock")
        for name, value in KEEPALIVES:
            try:
                conn.execute("SELECT set_config(%s, %s, false)", (name, str(value)))
            except Exception:  # noqa: BLE001,S110 - not settable (a Unix socket): the kernel's defaults hold
                pass
        deadline = time.monotonic() + max(0.0, float(timeout))
        try:
            while True:
                got = conn.execute(
                    "SELECT pg_try_advisory_lock(%s::int4, %s::int4)", (LOCK_CLASS, self.key)
                ).fetchone()[0]
                if got:
                    break
                if time.monotonic() >= deadline:
                    holder = self.read_holder()
                    raise LockTimeout(
                        "another apply is running against this firewall: %s; waited %ss (lock_timeout) for its lock "
                        "in %s" % (describe_holder(holder), timeout, state.where),
                        details={"lock_holder": holder or {}},
                    )
                time.sleep(self.POLL)
            conn.execute(
                "INSERT INTO opnform_lock_holders (firewall, holder, backend_pid) VALUES (%s, %s::jsonb, pg_backend_pid()) "
                "ON CONFLICT (firewall) DO UPDATE SET holder = EXCLUDED.holder, backend_pid = EXCLUDED.backend_pid, "
                "since = now()",
                (state.firewall, json.dumps(info, sort_keys=True, default=str)),
            )
        except LockTimeout:
            conn.close()
            raise
        except Exception as exc:  # noqa: BLE001
            conn.close()
            raise state.error("take the lock of firewall %s" % state.firewall, exc) from None
        self._conn = conn

    def release(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            conn.execute(
                "DELETE FROM opnform_lock_holders WHERE firewall = %s AND backend_pid = pg_backend_pid()",
                (self.state.firewall,),
            )
            conn.execute("SELECT pg_advisory_unlock(%s::int4, %s::int4)", (LOCK_CLASS, self.key))
        except Exception:  # noqa: BLE001,S110 - closing the session below drops the lock anyway
            pass
        finally:
            conn.close()


# -- schema -------------------------------------------------------------------------------------------


def schema_version(conn: Any, state: PgState) -> int:
    """The schema version of the tables, 0 when there are none (nothing is created)."""
    try:
        if conn.execute("SELECT to_regclass('opnform_schema')").fetchone()[0] is None:
            return 0
        found = int(conn.execute("SELECT coalesce(max(version), 0) FROM opnform_schema").fetchone()[0])
    except Exception as exc:  # noqa: BLE001
        raise state.error("read the schema version of the opnform tables", exc) from None
    if found > SCHEMA_VERSION:
        raise StateError(
            "the opnform tables in %s have schema version %d; this opnform.opnsense knows version %d and "
            "older. Use a newer collection" % (state.where, found, SCHEMA_VERSION)
        )
    return found


def migrate(conn: Any, state: PgState) -> int:
    """Create or migrate the tables to :data:`SCHEMA_VERSION`; returns the version found before."""
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s::int4, %s::int4)", (LOCK_CLASS, SCHEMA_LOCK))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS opnform_schema ("
                " version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())"
            )
            found = conn.execute("SELECT coalesce(max(version), 0) FROM opnform_schema").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise StateError(
                    "the opnform tables in %s have schema version %d; this opnform.opnsense knows version %d and "
                    "older. Use a newer collection" % (state.where, found, SCHEMA_VERSION)
                )
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute("INSERT INTO opnform_schema (version) VALUES (%s)", (version,))
    except StateError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise state.error("create or migrate the opnform tables", exc) from None
    return int(found)
