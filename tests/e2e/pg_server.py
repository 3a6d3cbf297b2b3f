"""A throwaway PostgreSQL server for the tests of ``state_backend: postgresql`` (docs/state.md).

The server binaries come from, in order: ``$OPNFORM_TEST_PG_BIN`` (a folder with ``initdb`` and
``postgres``), the ``pgserver`` wheel of requirements/dev.lock (a PostgreSQL build inside a pip
package, so ``make test`` needs nothing but Python and pip; only its binaries are used, its Python
code is never imported), or ``initdb`` on PATH / the OS package (``/usr/lib/postgresql/*/bin``).

:class:`PgServer` runs ``initdb`` into a temporary folder and ``postgres`` on a free port of
127.0.0.1 (no Unix socket), with a password (SCRAM) so the tests can check that it never leaks.
PostgreSQL refuses to run as root: as root, the server runs as ``nobody`` (from a copy of the
binaries when ``nobody`` cannot reach them). :meth:`PgServer.schema` gives each test a schema of
its own through the DSN's ``options=-csearch_path=...``. The pgserver build has no TLS support;
the tests show that ``sslmode`` and ``sslrootcert`` reach libpq by what it refuses.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import List, Optional
from urllib.parse import quote

PASSWORD_PREFIX = "pg-state-pw-"


def find_bin() -> Optional[str]:
    """A folder holding ``initdb`` and ``postgres``, or None."""
    candidates: List[str] = []
    if os.environ.get("OPNFORM_TEST_PG_BIN"):
        candidates.append(os.environ["OPNFORM_TEST_PG_BIN"])
    spec = importlib.util.find_spec("pgserver")
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidates.append(os.path.join(location, "pginstall", "bin"))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(os.path.dirname(on_path))
    candidates.extend(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
    for folder in candidates:
        if os.path.exists(os.path.join(folder, "initdb")) and os.path.exists(os.path.join(folder, "postgres")):
            return folder
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer(object):
    def __init__(self, bin_dir: str) -> None:
        self.bin_dir = bin_dir
        self.base = tempfile.mkdtemp(prefix="opnform-pg-")
        os.chmod(self.base, 0o755)
        self.data = os.path.join(self.base, "data")
        self.log = os.path.join(self.base, "postgres.log")
        self.password = PASSWORD_PREFIX + secrets.token_hex(8)
        self.user = "nobody" if os.geteuid() == 0 else None
        self.port = 0
        self.proc: Optional[subprocess.Popen] = None
        self._schemas = 0

    def _run(self, args: List[str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            args, user=self.user, capture_output=True, text=True, cwd=self.base, timeout=120, check=False
        )

    def _usable_bin(self) -> str:
        """The binaries, copied where ``nobody`` can run them if it cannot reach them where they are."""
        if not self.user:
            return self.bin_dir
        try:
            if self._run([os.path.join(self.bin_dir, "postgres"), "--version"]).returncode == 0:
                return self.bin_dir
        except OSError:
            pass  # not even reachable (a checkout under /root): copy them
        # the pgserver wheel's binaries find their libraries at $ORIGIN/../../../pgserver.libs: keep that layout
        source = os.path.dirname(self.bin_dir)
        copy = os.path.join(self.base, "pg", "pkg")
        install = os.path.join(copy, os.path.basename(source))
        shutil.copytree(source, install, symlinks=True)
        libs = os.path.join(os.path.dirname(os.path.dirname(source)), "pgserver.libs")
        if os.path.isdir(libs):
            shutil.copytree(libs, os.path.join(self.base, "pg", "pgserver.libs"), symlinks=True)
        for root, _dirs, files in os.walk(os.path.join(self.base, "pg")):
            os.chmod(root, 0o755)
            for name in files:
                path = os.path.join(root, name)
                if not os.path.islink(path):
                    os.chmod(path, os.stat(path).st_mode | 0o055)
        return os.path.join(install, "bin")

    def start(self) -> "PgServer":
        bin_dir = self._usable_bin()
        os.mkdir(self.data, 0o700)
        pwfile = os.path.join(self.base, "pw")
        with open(pwfile, "w") as handle:
            handle.write(self.password + "\n")
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(self.data, entry.pw_uid, entry.pw_gid)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        done = self._run(
            [
                os.path.join(bin_dir, "initdb"),
                "-D",
                self.data,
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                "--pwfile=" + pwfile,
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ]
        )
        os.unlink(pwfile)
        if done.returncode != 0:
            raise RuntimeError("initdb failed: %s %s" % (done.stdout[-2000:], done.stderr[-2000:]))
        self.port = free_port()
        log = open(self.log, "w")
        self.proc = subprocess.Popen(
            [
                os.path.join(bin_dir, "postgres"),
                "-D",
                self.data,
                "-p",
                str(self.port),
                "-h",
                "127.0.0.1",
                "-k",
                "",
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            user=self.user,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.base,
            start_new_session=True,
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.dsn(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    with open(self.log) as handle:
                        raise RuntimeError("postgres did not start: %s" % handle.read()[-3000:]) from None
                time.sleep(0.1)

    def dsn(self, schema: Optional[str] = None) -> str:
        dsn = "postgresql://postgres:%s@127.0.0.1:%d/postgres" % (quote(self.password, safe=""), self.port)
        if schema:
            dsn += "?options=" + quote("-csearch_path=%s" % schema, safe="")
        return dsn

    def schema(self) -> str:
        """A DSN whose tables live in a new, empty schema."""
        import psycopg

        self._schemas += 1
        name = "t%d_%s" % (self._schemas, secrets.token_hex(3))
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute("CREATE SCHEMA %s" % name)
        return self.dsn(name)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown: disconnects clients
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.base, ignore_errors=True)


def start_server() -> Optional[PgServer]:
    """A running server, or None when no PostgreSQL binaries are installed."""
    bin_dir = find_bin()
    if bin_dir is None:
        return None
    server = PgServer(bin_dir)
    try:
        return server.start()
    except BaseException:
        server.stop()  # no server or temporary folder left behind
        raise
