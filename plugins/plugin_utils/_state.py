# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller state on disk: the per-firewall folder, atomic files, deployment state, and the lock.

Layout (design.md 4), one folder per firewall named after the API URL's host and port::

    <state_dir>/<host>_<port>/
        deployments/<name>.json   managed resources of a deployment, with their UUIDs
        plans/<id>.json           saved plans
        checkpoints/<id>.json     pre-apply snapshots
        journal/<run_id>.jsonl    write-ahead journal of a run (see _journal)
        runs/<run_id>/events.jsonl
        lock                      held by the one apply that may write to this firewall

Every file is written atomically (temp file in the same folder, fsync, rename, fsync of the folder)
with mode 0600, so a crash leaves either the old or the new version, never half of one. The lock is
an ``flock`` on ``lock``: the kernel drops it when its holder dies (even by SIGKILL), so a stale lock
can never block the next run; the holder writes who it is (pid, host, run id, start time) into the
file so a waiting run can name it.

Where that state lives is a *backend* (:class:`StateBackend`): :class:`StateDir` is the local one
described above, ``_state_pg.PgState`` keeps the same things in PostgreSQL for controllers that do
not keep their disk (AWX, Automation Platform; see docs/state.md). :func:`open_state` picks one from
the task's ``state_backend`` option, once, for the session; the engine only sees the protocol.
Events (``runs/<run_id>/events.jsonl``) always stay in the local folder.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import socket
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import urlsplit

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ConfigurationError, OpnError

FILE_MODE = 0o600
DIR_MODE = 0o700
STATE_ENV = "OPNFORM_STATE_DIR"
BACKEND_ENV = "OPNFORM_STATE_BACKEND"
DSN_ENV = "OPNFORM_STATE_DSN"
BACKENDS = ("local", "postgresql")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


class StateError(OpnError):
    """The controller state is unusable (unreadable file, bad name)."""

    kind = "state"


class LockTimeout(OpnError):
    """Another apply holds the firewall's lock for longer than ``lock_timeout``."""

    kind = "lock_timeout"


# -- locations ---------------------------------------------------------------------------------


def default_state_root(environ: Optional[Dict[str, str]] = None) -> str:
    """``$OPNFORM_STATE_DIR``, else ``$XDG_STATE_HOME/opnform``, else ``~/.local/state/opnform``."""
    env = os.environ if environ is None else environ
    if env.get(STATE_ENV):
        return os.path.expanduser(env[STATE_ENV])
    if env.get("XDG_STATE_HOME"):
        return os.path.join(os.path.expanduser(env["XDG_STATE_HOME"]), "opnform")
    return os.path.join(os.path.expanduser("~"), ".local", "state", "opnform")


def firewall_id(api_url: str) -> str:
    """The folder name of a firewall: ``<host>_<port>`` from its API URL (port defaults by scheme)."""
    parts = urlsplit(api_url if "://" in api_url else "https://" + api_url)
    host = (parts.hostname or "").lower()
    if not host:
        raise ConfigurationError("api_url %r has no host name" % (api_url,))
    try:
        port = parts.port
    except ValueError:
        raise ConfigurationError("api_url %r has an invalid port" % (api_url,)) from None
    if port is None:
        port = 80 if parts.scheme == "http" else 443
    return "%s_%d" % (re.sub(r"[^a-z0-9.-]", "-", host), port)


def check_name(kind: str, name: str) -> str:
    """A deployment, plan or run name that is safe as a file name (no path tricks)."""
    if not isinstance(name, str) or not SAFE_NAME.match(name):
        raise StateError(
            "%s name %r is not allowed: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit"
            % (kind, name)
        )
    return name


# -- atomic files --------------------------------------------------------------------------------


def ensure_dir(path: str) -> str:
    os.makedirs(path, mode=DIR_MODE, exist_ok=True)
    return path


def fsync_dir(path: str) -> None:
    """Make a rename or a new file in ``path`` durable."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600."""
    folder = ensure_dir(os.path.dirname(path) or ".")
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def atomic_write_json(path: str, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def read_json(path: str, default: Any = None) -> Any:
    """The JSON content of ``path``, or ``default`` when the file does not exist."""
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return default
    except (OSError, ValueError) as exc:
        raise StateError("cannot read %s: %s" % (path, exc)) from None


# -- deployment state ----------------------------------------------------------------------------


@dataclass
class ManagedResource:
    """One object a deployment manages: its resource key, the OPNsense UUID, its dependencies and
    the values its last apply left on the firewall (normalised, references as UUIDs, never a
    sensitive field), against which a later plan finds drift."""

    type: str
    name: str
    uuid: str
    depends_on: List[str] = field(default_factory=list)
    values: Dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return "%s/%s" % (self.type, self.name)

    def as_dict(self) -> Dict[str, Any]:
        data = {"type": self.type, "name": self.name, "uuid": self.uuid, "depends_on": list(self.depends_on)}
        if self.values:
            data["values"] = dict(self.values)
        return data

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "ManagedResource":
        return cls(
            str(data["type"]),
            str(data["name"]),
            str(data["uuid"]),
            [str(d) for d in data.get("depends_on", [])],
            dict(data.get("values") or {}),
        )


@dataclass
class DeploymentState:
    """What a deployment manages on one firewall; written only after a run settles."""

    name: str
    resources: Dict[str, ManagedResource] = field(default_factory=dict)
    updated: Optional[str] = None
    last_run: Optional[str] = None

    def by_uuid(self) -> Dict[str, ManagedResource]:
        return dict((r.uuid, r) for r in self.resources.values())

    def as_dict(self) -> Dict[str, Any]:
        return {
            "deployment": self.name,
            "updated": self.updated,
            "last_run": self.last_run,
            "resources": [self.resources[k].as_dict() for k in sorted(self.resources)],
        }

    @classmethod
    def from_dict(cls, name: str, data: Optional[Dict[str, Any]]) -> "DeploymentState":
        state = cls(name)
        if not data:
            return state
        state.updated = data.get("updated")
        state.last_run = data.get("last_run")
        for item in data.get("resources", []):
            res = ManagedResource.from_dict(item)
            state.resources[res.key] = res
        return state

    def fingerprint(self) -> str:
        """A stable digest of what is managed (a saved plan is stale when this changes)."""
        import hashlib

        text = json.dumps([self.resources[k].as_dict() for k in sorted(self.resources)], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- the backend protocol ------------------------------------------------------------------------


class StateRef(str):
    """Where a journal lives, as text for results and messages (a file path, or the database and
    the run), carrying the backend that stores it and the run id, so ``Journal(ref)`` opens it there."""

    store: Any = None
    key: str = ""

    def __new__(cls, text: str, store: Any, key: str) -> "StateRef":
        ref = str.__new__(cls, text)
        ref.store = store
        ref.key = key
        return ref


class JournalSink(object):
    """Durable storage of one run's journal lines (see ``_journal``): each :meth:`append` is on
    stable storage (a file fsync, a committed transaction) before it returns."""

    location: str = ""

    def records(self) -> List[Dict[str, Any]]:  # pragma: no cover - protocol
        raise NotImplementedError

    def append(self, line: str) -> None:  # pragma: no cover - protocol
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - protocol
        raise NotImplementedError


class StateBackend(object):
    """What the engine remembers about one firewall between runs, wherever it is kept.

    ``firewall`` names the firewall (``<host>_<port>``), ``path`` says where the state is (a folder,
    or the database without its password). The groups:

    - deployments: :meth:`load_deployment`, :meth:`save_deployment`, :meth:`all_deployments`,
      :meth:`has_deployment`;
    - plans: :meth:`save_plan` (returns where it went), :meth:`load_plan`;
    - checkpoints, as the exact text of their document (``_checkpoints`` checks format and checksum):
      :meth:`write_checkpoint_text`, :meth:`read_checkpoint_bytes`, :meth:`checkpoint_ids`,
      :meth:`delete_checkpoint`, :meth:`has_checkpoint`, :meth:`checkpoint_path` (where one is);
    - the journal: :meth:`journal_path` (a :class:`StateRef`), :meth:`open_journal`,
      :meth:`read_journal`, :meth:`journal_refs` (every run's journal, or at least the unfinished ones);
    - the lock: :meth:`lock` (``acquire(timeout, info)``, ``release()``, ``read_holder()``, ``held``),
      released when its holder dies;
    - :meth:`events_path` (always a local file) and :meth:`ensure`.
    """

    firewall: str = ""
    path: str = ""
    backend: str = ""


# -- the per-firewall folder ---------------------------------------------------------------------


class StateDir(StateBackend):
    """The state folder of one firewall: the local backend."""

    backend = "local"

    def __init__(self, root: Optional[str], api_url: str) -> None:
        self.root = os.path.abspath(os.path.expanduser(root or default_state_root()))
        self.firewall = firewall_id(api_url)
        self.path = os.path.join(self.root, self.firewall)

    def sub(self, *parts: str) -> str:
        return os.path.join(self.path, *parts)

    def ensure(self) -> "StateDir":
        ensure_dir(self.root)
        ensure_dir(self.path)
        for name in ("deployments", "plans", "checkpoints", "journal", "runs"):
            ensure_dir(self.sub(name))
        return self

    # deployments
    def deployment_path(self, name: str) -> str:
        return self.sub("deployments", check_name("deployment", name) + ".json")

    def load_deployment(self, name: str) -> DeploymentState:
        return DeploymentState.from_dict(name, read_json(self.deployment_path(name)))

    def has_deployment(self, name: str) -> bool:
        return os.path.exists(self.deployment_path(name))

    def save_deployment(self, state: DeploymentState) -> None:
        state.updated = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        atomic_write_json(self.deployment_path(state.name), state.as_dict())

    def all_deployments(self) -> Dict[str, DeploymentState]:
        folder = self.sub("deployments")
        out: Dict[str, DeploymentState] = {}
        if not os.path.isdir(folder):
            return out
        for entry in sorted(os.listdir(folder)):
            if entry.endswith(".json") and not entry.startswith("."):
                name = entry[: -len(".json")]
                out[name] = DeploymentState.from_dict(name, read_json(os.path.join(folder, entry)))
        return out

    # plans
    def plan_path(self, plan_id: str) -> str:
        return self.sub("plans", check_name("plan", plan_id) + ".json")

    def save_plan(self, plan_id: str, data: Dict[str, Any]) -> str:
        path = self.plan_path(plan_id)
        atomic_write_json(path, data)
        return path

    def load_plan(self, plan_id: str) -> Dict[str, Any]:
        data = read_json(self.plan_path(plan_id))
        if data is None:
            raise StateError(
                "no saved plan %r for firewall %s (looked in %s)" % (plan_id, self.firewall, self.sub("plans"))
            )
        return data

    # runs, journal
    def journal_path(self, run_id: str) -> StateRef:
        return StateRef(self.sub("journal", check_name("run", run_id) + ".jsonl"), self, run_id)

    def open_journal(self, ref: str) -> JournalSink:
        return FileJournalSink(str(ref))

    def read_journal(self, ref: str) -> List[Dict[str, Any]]:
        return list(iter_json_lines(str(ref)))

    def journal_refs(self, unfinished: bool = False) -> List[StateRef]:
        """Every run's journal, by file name (``unfinished`` is a hint other backends use)."""
        folder = self.sub("journal")
        if not os.path.isdir(folder):
            return []
        return [
            StateRef(os.path.join(folder, entry), self, entry[: -len(".jsonl")])
            for entry in sorted(os.listdir(folder))
            if entry.endswith(".jsonl") and not entry.startswith(".")
        ]

    def events_path(self, run_id: str) -> str:
        return self.sub("runs", check_name("run", run_id), "events.jsonl")

    # checkpoints
    def checkpoint_path(self, checkpoint_id: str) -> str:
        return self.sub("checkpoints", check_name("checkpoint", checkpoint_id) + ".json")

    def checkpoint_folder(self) -> str:
        return self.sub("checkpoints")

    def write_checkpoint_text(self, checkpoint_id: str, text: str) -> str:
        path = self.checkpoint_path(checkpoint_id)
        atomic_write_text(path, text)
        return path

    def read_checkpoint_bytes(self, checkpoint_id: str) -> Optional[bytes]:
        """The stored document, or None when there is none (unreadable files raise ``OSError``)."""
        try:
            with open(self.checkpoint_path(checkpoint_id), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None

    def checkpoint_ids(self) -> List[str]:
        folder = self.sub("checkpoints")
        if not os.path.isdir(folder):
            return []
        return sorted(e[: -len(".json")] for e in os.listdir(folder) if e.endswith(".json") and not e.startswith("."))

    def has_checkpoint(self, checkpoint_id: str) -> bool:
        return os.path.exists(self.checkpoint_path(checkpoint_id))

    def delete_checkpoint(self, checkpoint_id: str) -> bool:
        path = self.checkpoint_path(checkpoint_id)
        try:
            os.unlink(path)
        except FileNotFoundError:
            return False
        fsync_dir(os.path.dirname(path))
        return True

    # the lock
    def lock(self) -> "FileLock":
        return FileLock(self.sub("lock"))

    def close(self) -> None:
        """Nothing to let go of: files are opened per use."""


class FileJournalSink(JournalSink):
    """A journal file: one JSON object per line, appended with ``O_APPEND`` and fsync'd."""

    def __init__(self, path: str) -> None:
        self.location = self.path = path
        folder = ensure_dir(os.path.dirname(path))
        existed = os.path.exists(path)
        self._fd: Optional[int] = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        if not existed:
            fsync_dir(folder)

    def records(self) -> List[Dict[str, Any]]:
        return list(iter_json_lines(self.path))

    def append(self, line: str) -> None:
        if self._fd is None:
            raise OpnError("journal %s is closed" % self.path)
        os.write(self._fd, line.encode("utf-8"))
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def iter_json_lines(path: str) -> Iterator[Dict[str, Any]]:
    """Every complete JSON object line of a file; a torn last line or a corrupt line is skipped."""
    try:
        with open(path, "r", encoding="utf-8") as handle:
            for line in handle:
                if not line.endswith("\n"):
                    break  # torn last line: the write it announced never started
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                if isinstance(item, dict):
                    yield item
    except FileNotFoundError:
        return


def parse_json_lines(lines: List[str]) -> List[Dict[str, Any]]:
    """The JSON objects of stored journal lines (a corrupt one is skipped, as in a file)."""
    out = []
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            out.append(item)
    return out


# -- choosing the backend ------------------------------------------------------------------------


def backend_name(value: Optional[str], environ: Optional[Dict[str, str]] = None) -> str:
    """``state_backend``, else ``$OPNFORM_STATE_BACKEND``, else ``local``."""
    env = os.environ if environ is None else environ
    name = value or env.get(BACKEND_ENV) or "local"
    if name not in BACKENDS:
        raise ConfigurationError("state_backend must be one of %s, got %r" % (", ".join(BACKENDS), name))
    return name


def open_state(options: Any, api_url: str, redactor: Any = None) -> StateBackend:
    """The state backend of a task (``options``: ``state_backend``, ``state_dsn``, ``state_dir``).

    ``local`` is the folder :class:`StateDir`; ``postgresql`` connects to ``state_dsn`` (else
    ``$OPNFORM_STATE_DSN``) and keeps only the events in ``state_dir``. ``redactor`` learns the
    database password, so no result or message can show it.
    """
    name = backend_name(getattr(options, "state_backend", None))
    if name == "local":
        return StateDir(getattr(options, "state_dir", None), api_url)
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._state_pg import PgState

    return PgState.open(
        getattr(options, "state_dsn", None),
        api_url,
        getattr(options, "state_dir", None),
        redactor,
        read_only=bool(getattr(options, "check_mode", False)),  # check mode creates no tables
    )


# -- the lock ------------------------------------------------------------------------------------


def holder_info(run_id: str, deployment: str) -> Dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "run_id": run_id,
        "deployment": deployment,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "started_ts": time.time(),
    }


def describe_holder(info: Optional[Dict[str, Any]]) -> str:
    if not info:
        return "an unknown process (the lock file names no holder)"
    return "run %s of deployment %r (pid %s on %s, started %s)" % (
        info.get("run_id", "?"),
        info.get("deployment", "?"),
        info.get("pid", "?"),
        info.get("host", "?"),
        info.get("started", "?"),
    )


class FileLock(object):
    """An exclusive ``flock`` with holder information, acquired with a timeout.

    One apply per firewall (design.md 4): OPNsense itself does not stop a read-then-set from
    overwriting a change made in between (opnsense-api/generic.md 8), so two applies must never
    interleave their writes.
    """

    POLL = 0.05

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: Optional[int] = None

    def read_holder(self) -> Optional[Dict[str, Any]]:
        try:
            with open(self.path, "r", encoding="utf-8") as handle:
                text = handle.read()
            return json.loads(text) if text.strip() else None
        except (OSError, ValueError):
            return None

    def acquire(self, timeout: float, info: Dict[str, Any]) -> None:
        """Take the lock, waiting up to ``timeout`` seconds; raise :class:`LockTimeout` naming the holder."""
        ensure_dir(os.path.dirname(self.path))
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        deadline = time.monotonic() + max(0.0, float(timeout))
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
            if time.monotonic() >= deadline:
                holder = self.read_holder()
                os.close(fd)
                raise LockTimeout(
                    "another apply is running against this firewall: %s; waited %ss (lock_timeout) for its lock %s"
                    % (describe_holder(holder), timeout, self.path),
                    details={"lock_holder": holder or {}},
                )
            time.sleep(self.POLL)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(info, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None
