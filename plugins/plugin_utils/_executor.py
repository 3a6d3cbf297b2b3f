# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Execution of a plan's writes (design.md 3 steps 5-7): ready-queue scheduling over a thread pool,
the write throttle, the API calls themselves, read-back verification and subsystem reloads.

Three concerns stay apart (design.md 7.3):

- *order* comes from the plan (``Action.after``, stages from ``_graph``); the scheduler only walks it.
  Stages are gates: stage *k+1* opens when every action of stage *k* has finished, so progress is
  reported stage by stage (design.md 5, docs/progress.md). Within a stage every action is ready at
  once (a stage is a topological generation) and ``parallelism`` workers take them from the queue.
- *throttle* is :class:`Throttle`: at most ``write_concurrency`` writes in flight per firewall,
  because releases before 25.1.2 lose concurrent writes (opnsense-api/generic.md 8).
- *side effects* are :class:`ExecHooks` (the journal) and the :class:`EventSink`; the executor calls
  them and knows nothing of files.

Writes are idempotent by construction, so a write whose answer was lost can be retried: creates
and updates are ``set<Item>/<uuid>`` upserts under the UUID the plan chose (generic.md 4); a delete
retried after a lost answer finds "not found", which means done. Deletes of one type that are
ready together go out as one comma-separated ``del`` when the firewall is 26.1.3 or later, which
OPNsense applies atomically: the first object still in use aborts the call and nothing is saved
(generic.md 4, haproxy.md 4).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._diff import normalise as normalise_record
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    InUseError,
    OpnError,
    ReloadError,
    TransportError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import decode_row
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import ordered as reload_order
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import reload_subsystem
from ansible_collections.opnform.opnsense.plugins.module_utils._service import ResourceService
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink, action_ref
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import CREATE, DELETE, UPDATE, Action, Plan

# Comma-separated deletes work (and are atomic) from this release on (generic.md 4, commit c0569f86d5).
BULK_DELETE_SINCE = (26, 1, 3)
BULK_DELETE_MAX = 50
LIVENESS_PATH = "core/firmware/status"


class UnreachableError(OpnError):
    """The firewall's API stopped answering (typically after a reload cut this controller off)."""

    kind = "unreachable"


class VerifyError(OpnError):
    """What OPNsense holds after the writes differs from what was written."""

    kind = "verify"


def version_tuple(version: Optional[str]) -> Tuple[int, ...]:
    parts = []
    for piece in str(version or "").split("_", maxsplit=1)[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def supports_bulk_delete(version: Optional[str]) -> bool:
    found = version_tuple(version)
    return bool(found) and found >= BULK_DELETE_SINCE


# -- connections ---------------------------------------------------------------------------------


class ClientPool(object):
    """One API client per thread: a ``requests`` session is not meant to be shared by threads, and
    one keep-alive connection per worker lets reads and writes run side by side."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory
        self._local = threading.local()
        self._all: List[Any] = []
        self._lock = threading.Lock()

    def client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self.factory()
            self._local.client = client
            with self._lock:
                self._all.append(client)
        return client

    def service(self, spec: ResourceSpec) -> ResourceService:
        return ResourceService(self.client(), spec)

    def close(self) -> None:
        with self._lock:
            clients, self._all = self._all, []
        for client in clients:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass


class Throttle(object):
    """At most ``write_concurrency`` writes to one firewall at a time.

    Creates that leave a field OPNsense computes (a VLAN's device name, ``auto`` in the spec) to the
    server are also serialised per type: the server derives the value from the configuration it
    loaded when the request started, so two such creates in flight pick the same value and one of
    them fails ("The device name must be unique."; opnsense-api/generic.md 8 on stale models).
    """

    def __init__(self, write_concurrency: int = 1) -> None:
        self.limit = max(1, int(write_concurrency))
        self._sem = threading.BoundedSemaphore(self.limit)
        self._types: Dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def __enter__(self) -> "Throttle":
        self._sem.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._sem.release()

    def exclusive(self, type_name: str) -> threading.Lock:
        with self._guard:
            return self._types.setdefault(type_name, threading.Lock())


def server_computes(spec: ResourceSpec, action: Action) -> bool:
    """True for a create whose payload leaves an ``auto`` field for OPNsense to fill in."""
    return action.op == CREATE and any(f.auto and f.api not in action.payload for f in spec.fields)


# -- the writes themselves -----------------------------------------------------------------------


def applied_after(exc: BaseException) -> Optional[bool]:
    """Whether a failed write may have been saved: False when OPNsense answered that it did not
    save (validation, "in use", ``result: failed``), None (unknown) when the answer was lost or the
    server failed part-way."""
    if isinstance(exc, (ValidationError, InUseError)):
        return False
    if isinstance(exc, ApiError) and "did not save" in str(exc):
        return False
    return None


class Writer(object):
    """Sends the write(s) of one unit of work. Stateless apart from the client pool."""

    def __init__(self, pool: ClientPool, specs: Dict[str, ResourceSpec], delete_retries: int = 2) -> None:
        self.pool = pool
        self.specs = specs
        self.delete_retries = delete_retries

    def write(self, actions: List[Action]) -> None:
        first = actions[0]
        spec = self.specs[first.type]
        try:
            if first.op in (CREATE, UPDATE):
                self.upsert(spec, first.uuid, first.payload)
            elif first.op == DELETE:
                self.delete(spec, [a.uuid for a in actions])
            else:  # pragma: no cover - noops are never scheduled
                raise ValueError("not a write: %s" % first.label)
        except OpnError as exc:
            if len(actions) == 1:
                exc.with_context(first.type, first.name)
            raise

    def upsert(self, spec: ResourceSpec, uuid: str, payload: Dict[str, Any]) -> None:
        self.pool.service(spec).upsert(uuid, payload)

    def delete(self, spec: ResourceSpec, uuids: List[str]) -> None:
        """Delete one or several objects; a lost answer is retried, "not found" then means done."""
        joined = ",".join(uuids)
        for attempt in range(self.delete_retries + 1):
            try:
                self.pool.service(spec).delete(joined)
                return
            except TransportError:
                if attempt >= self.delete_retries:
                    raise
                time.sleep(0.2 * (attempt + 1))


# -- hooks ---------------------------------------------------------------------------------------


class ExecHooks(object):
    """Side effects around each write; the journal implements them. The defaults do nothing."""

    def before_write(self, actions: List[Action]) -> int:
        return 0

    def after_write(self, seq: int, actions: List[Action], outcome: "Outcome") -> None:
        pass


@dataclass
class Outcome:
    """What happened to one action."""

    status: str  # ok | failed | skipped
    applied: Optional[bool] = None
    error: Optional[str] = None
    reason: Optional[str] = None
    started: Optional[float] = None
    ended: Optional[float] = None

    @property
    def duration_ms(self) -> Optional[float]:
        if self.started is None or self.ended is None:
            return None
        return int(round((self.ended - self.started) * 1000.0))

    def as_dict(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {"status": self.status, "duration_ms": self.duration_ms}
        if self.error:
            data["error"] = self.error
        if self.reason:
            data["reason"] = self.reason
        if self.status == "failed":
            data["applied"] = self.applied
        return data


@dataclass
class ExecResult:
    outcomes: Dict[str, Outcome] = field(default_factory=dict)
    completion: List[str] = field(default_factory=list)  # action ids in the order their writes ended ok
    failed: List[str] = field(default_factory=list)
    stopped: bool = False

    def maybe_applied(self) -> List[str]:
        """Completed writes plus failed ones that may have been saved, in completion order: what a
        rollback has to undo."""
        out = list(self.completion)
        for action_id in self.failed:
            if self.outcomes[action_id].applied is not False and action_id not in out:
                out.append(action_id)
        return out


class Progress(object):
    """Counts finished actions for the events' ``completed``/``total``/``percent``."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.completed = 0

    def tick(self) -> Dict[str, int]:
        self.completed += 1
        return self.fields()

    def fields(self) -> Dict[str, int]:
        pct = 100 if not self.total else int(100 * self.completed / self.total)
        return {"completed": self.completed, "total": self.total, "percent": pct}


class Executor(object):
    """Runs the writes of a plan (noops are not scheduled)."""

    def __init__(
        self,
        plan: Plan,
        writer: Writer,
        throttle: Throttle,
        events: EventSink,
        hooks: Optional[ExecHooks] = None,
        parallelism: int = 5,
        continue_on_error: bool = False,
        bulk_delete: bool = False,
    ) -> None:
        self.plan = plan
        self.writer = writer
        self.throttle = throttle
        self.events = events
        self.hooks = hooks or ExecHooks()
        self.parallelism = max(1, int(parallelism))
        self.continue_on_error = continue_on_error
        self.bulk_delete = bulk_delete
        self.actions = dict((a.id, a) for a in plan.writes)
        self.progress = Progress(len(self.actions))
        self.result = ExecResult()

    # -- the scheduler -------------------------------------------------------------------------

    def run(self) -> ExecResult:
        stages = [[i for i in stage if i in self.actions] for stage in self.plan.stages]
        stages = [s for s in stages if s]
        waiting: Dict[str, set] = dict((i, set(a.after) & set(self.actions)) for i, a in self.actions.items())
        children: Dict[str, List[str]] = dict((i, []) for i in self.actions)
        for action_id, deps in waiting.items():
            for dep in deps:
                children[dep].append(action_id)
        blocked: Dict[str, str] = {}
        stop = False
        with ThreadPoolExecutor(max_workers=self.parallelism, thread_name_prefix="opnform") as pool:
            for number, stage in enumerate(stages, 1):
                started = time.time()
                self.events.emit("stage_start", stage=number, stages=len(stages), **self.progress.fields())
                ready = deque()
                for action_id in stage:
                    if stop:
                        blocked.setdefault(
                            action_id, "not started: an earlier action failed (continue_on_error is false)"
                        )
                    if action_id in blocked:
                        self._skip(action_id, blocked[action_id], number)
                    elif not waiting[action_id]:
                        ready.append(action_id)
                running: Dict[Future, List[str]] = {}
                stage_failed = False
                while ready or running:
                    while ready and len(running) < self.parallelism and not stop:
                        unit = self._take(ready)
                        for action_id in unit:
                            self.events.emit("action_start", action=self._ref(action_id), stage=number)
                        running[pool.submit(self._run_unit, unit)] = unit
                    if stop and ready:
                        while ready:
                            action_id = ready.popleft()
                            self._skip(
                                action_id, "not started: an earlier action failed (continue_on_error is false)", number
                            )
                    if not running:
                        break
                    done = wait(list(running), return_when=FIRST_COMPLETED).done
                    for future in done:
                        unit = running.pop(future)
                        outcome = future.result()
                        for action_id in unit:
                            self._finish(action_id, outcome, number)
                            if outcome.status == "ok":
                                for child in children[action_id]:
                                    waiting[child].discard(action_id)
                            else:
                                stage_failed = True
                                for child in self._descendants(action_id, children):
                                    blocked.setdefault(child, "upstream failed: %s" % action_id)
                                if not self.continue_on_error:
                                    stop = True
                for action_id in stage:  # defensive: nothing of a closed stage stays unreported
                    if action_id not in self.result.outcomes:
                        self._skip(
                            action_id, blocked.get(action_id, "not started: its dependencies did not finish"), number
                        )
                self.result.stopped = stop
                self.events.emit(
                    "stage_done",
                    stage=number,
                    stages=len(stages),
                    status="failed" if stage_failed else "ok",
                    duration_ms=int(round((time.time() - started) * 1000.0)),
                    **self.progress.fields(),
                )
        return self.result

    def _take(self, ready: "deque[str]") -> List[str]:
        """The next unit of work: one action, or several deletes of one type sent as one request."""
        first = ready.popleft()
        unit = [first]
        action = self.actions[first]
        if self.bulk_delete and action.op == DELETE:
            for other in list(ready):
                if len(unit) >= BULK_DELETE_MAX:
                    break
                candidate = self.actions[other]
                if candidate.op == DELETE and candidate.type == action.type:
                    ready.remove(other)
                    unit.append(other)
        return unit

    @staticmethod
    def _descendants(action_id: str, children: Dict[str, List[str]]) -> List[str]:
        out: List[str] = []
        todo = list(children.get(action_id, []))
        while todo:
            item = todo.pop()
            if item not in out:
                out.append(item)
                todo.extend(children.get(item, []))
        return out

    # -- one unit ------------------------------------------------------------------------------

    def _run_unit(self, unit: List[str]) -> Outcome:
        actions = [self.actions[i] for i in unit]
        outcome = Outcome("ok", started=time.time())
        seq = self.hooks.before_write(actions)
        try:
            if self.throttle.limit > 1 and server_computes(self.writer.specs[actions[0].type], actions[0]):
                with self.throttle.exclusive(actions[0].type), self.throttle:
                    self.writer.write(actions)
            else:
                with self.throttle:
                    self.writer.write(actions)
            outcome.applied = True
        except OpnError as exc:
            outcome.status = "failed"
            outcome.applied = applied_after(exc)
            outcome.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug must fail the action, not hang the run
            outcome.status = "failed"
            outcome.applied = None
            outcome.error = "%s: %s" % (type(exc).__name__, exc)
        outcome.ended = time.time()
        self.hooks.after_write(seq, actions, outcome)
        return outcome

    def _finish(self, action_id: str, outcome: Outcome, stage: int) -> None:
        self.result.outcomes[action_id] = outcome
        fields = self.progress.tick()
        if outcome.status == "ok":
            self.result.completion.append(action_id)
            self.events.emit(
                "action_done",
                action=self._ref(action_id),
                stage=stage,
                status="ok",
                duration_ms=outcome.duration_ms,
                **fields,
            )
        else:
            self.result.failed.append(action_id)
            self.events.emit(
                "action_failed",
                action=self._ref(action_id),
                stage=stage,
                status="failed",
                duration_ms=outcome.duration_ms,
                error=outcome.error,
                **fields,
            )

    def _skip(self, action_id: str, reason: str, stage: int) -> None:
        if action_id in self.result.outcomes:
            return
        self.result.outcomes[action_id] = Outcome("skipped", reason=reason)
        self.events.emit(
            "action_skipped", action=self._ref(action_id), stage=stage, status=reason, **self.progress.tick()
        )

    def _ref(self, action_id: str) -> Dict[str, str]:
        action = self.actions[action_id]
        return action_ref(action.op, action.type, action.name)


# -- read-back and reloads -----------------------------------------------------------------------


def read_types(
    pool: ClientPool, specs: Dict[str, ResourceSpec], types: Iterable[str], parallelism: int
) -> Dict[str, List[Dict[str, Any]]]:
    """One search per type, in parallel: ``{type: manageable rows}``."""
    wanted = sorted(set(types))
    if not wanted:
        return {}
    out: Dict[str, List[Dict[str, Any]]] = {}
    with ThreadPoolExecutor(
        max_workers=max(1, min(parallelism, len(wanted))), thread_name_prefix="opnform-read"
    ) as tpe:
        futures = dict((tpe.submit(lambda s=specs[t]: pool.service(s).list()), t) for t in wanted)
        for future, type_name in futures.items():
            out[type_name] = future.result()
    return out


def verify(
    actions: Iterable[Action],
    rows: Dict[str, List[Dict[str, Any]]],
    specs: Dict[str, ResourceSpec],
) -> List[str]:
    """Compare what OPNsense holds with what was written; one message per mismatch."""
    problems: List[str] = []
    by_type: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for type_name, found in rows.items():
        by_type[type_name] = dict((str(r.get("uuid")), r) for r in found)
    for action in actions:
        spec = specs[action.type]
        row = by_type.get(action.type, {}).get(action.uuid)
        if action.op == DELETE:
            if row is not None:
                problems.append("%s: still on the firewall after its delete (uuid %s)" % (action.id, action.uuid))
            continue
        if row is None:
            problems.append("%s: not on the firewall after its %s (uuid %s)" % (action.id, action.op, action.uuid))
            continue
        stored = normalise_record(spec, decode_row(spec, row), list(action.expected))
        sensitive = set(f.name for f in spec.fields if f.sensitive)
        for name, want in action.expected.items():
            if name in sensitive and not action.payload.get(spec.field(name).api):
                continue  # a withheld secret (resumed from the journal) is not compared
            if stored.get(name) != want:
                shown = "(sensitive)" if name in sensitive else "%r, expected %r" % (stored.get(name), want)
                problems.append("%s.%s: OPNsense holds %s" % (action.id, name, shown))
    return problems


def check_alive(client: Any) -> None:
    """One cheap authenticated GET; raise :class:`UnreachableError` when the API does not answer.

    GET only: a POST to firmware status runs an update probe (interfaces-and-services.md 7).
    """
    try:
        client.get(LIVENESS_PATH)
    except TransportError as exc:
        raise UnreachableError("the firewall's API stopped answering (%s)" % exc.message) from None


RECONNECT_FIRST_DELAY = 0.5
RECONNECT_MAX_DELAY = 5.0


def wait_for_api(
    probe: Callable[[], None],
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """Call ``probe`` with exponential backoff until it answers (True) or ``timeout`` seconds pass
    (False). A firewall that reloads its filter or interfaces drops connections for a moment; the
    backoff keeps the polling cheap while the deadline keeps a dead firewall from hanging the run."""
    deadline = clock() + max(0.0, float(timeout))
    delay = RECONNECT_FIRST_DELAY
    while True:
        try:
            probe()
            return True
        except (TransportError, UnreachableError):
            pass
        left = deadline - clock()
        if left <= 0:
            return False
        sleep(min(delay, left))
        delay = min(delay * 2, RECONNECT_MAX_DELAY)


class Reconnect(object):
    """What a reload does when its connection drops: wait, bounded, for the API to answer again.

    ``record`` (the journal) is told before and after the wait, so a run killed while waiting is
    journaled as unfinished and ``recover`` still applies. Raises :class:`UnreachableError` when the
    firewall stays silent past ``timeout``, which stops the run as before this existed.
    """

    def __init__(
        self,
        probe: Callable[[], None],
        timeout: float,
        record: Optional[Callable[..., Any]] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.probe = probe
        self.timeout = float(timeout)
        self.record = record or (lambda *args, **kwargs: None)
        self.sleep = sleep

    def __call__(self, subsystem: str, error: str) -> None:
        self.record("reconnect_wait", subsystem=subsystem, error=error, timeout=self.timeout)
        started = time.time()
        back = wait_for_api(self.probe, self.timeout, sleep=self.sleep)
        waited = int(round((time.time() - started) * 1000.0))
        self.record("reconnect_done", subsystem=subsystem, status="ok" if back else "unreachable", waited_ms=waited)
        if not back:
            raise UnreachableError(
                "reloading %s: the firewall's API stopped answering (%s) and did not answer again within "
                "reconnect_timeout (%g s)" % (subsystem, error, self.timeout)
            )


def _reload_and_check(client: Any, name: str, liveness: Optional[Callable[[], None]]) -> Dict[str, Any]:
    outcome = reload_subsystem(client, name)
    if liveness is not None:
        liveness()
    return outcome


def reload_one(
    client: Any,
    name: str,
    liveness: Optional[Callable[[], None]] = None,
    reconnect: Optional[Callable[[str, str], None]] = None,
) -> Tuple[Dict[str, Any], bool]:
    """Reload one subsystem; returns its outcome and whether the connection had to be waited for.

    When the connection drops, ``reconnect`` waits for the API. If OPNsense had answered the reload
    it took effect and only the liveness check is repeated (inside the wait); if the answer was
    lost, nothing the API offers tells whether it ran (simulator/README.md, "Reloads after a lost
    answer"), so it is sent again: every reload renders config.xml afresh, so a second one lands
    the same running state as one.
    """
    answered: Optional[Dict[str, Any]] = None
    try:
        answered = reload_subsystem(client, name)
        if liveness is not None:
            liveness()
        return answered, False
    except (TransportError, UnreachableError) as exc:
        if reconnect is None:
            raise
        reconnect(name, exc.message)
    if answered is None:
        answered = _reload_and_check(client, name, liveness)
    return answered, True


def reload_all(
    client_factory: Callable[[], Any],
    subsystems: Iterable[str],
    events: EventSink,
    liveness: Optional[Callable[[], None]] = None,
    reconnect: Optional[Callable[[str, str], None]] = None,
) -> Tuple[List[Dict[str, Any]], Optional[OpnError]]:
    """Reload each subsystem once, in dependency order (aliases before filter, HAProxy after its
    configtest passed; ``_reload``), checking after each that the API still answers.

    Returns the per-subsystem results and the first error (None when all went well); stops at the
    first error, since a later subsystem may depend on the failed one. With ``reconnect`` a dropped
    connection is waited for (:func:`reload_one`); such a reload reports ``status: reconnected``.
    """
    results: List[Dict[str, Any]] = []
    client = client_factory()
    try:
        for name in reload_order(subsystems):
            started = time.time()
            events.emit("reload_start", subsystem=name)
            try:
                outcome, reconnected = reload_one(client, name, liveness, reconnect)
            except OpnError as exc:
                duration = int(round((time.time() - started) * 1000.0))
                failure = exc
                if isinstance(exc, TransportError) and not isinstance(exc, UnreachableError):
                    failure = UnreachableError(
                        "reloading %s: the firewall's API stopped answering (%s)" % (name, exc.message)
                    )
                status = "unreachable" if isinstance(failure, UnreachableError) else "failed"
                results.append({"subsystem": name, "status": status, "duration_ms": duration, "error": str(failure)})
                events.emit("reload_done", subsystem=name, status=status, duration_ms=duration, error=str(failure))
                return results, failure
            duration = int(round((time.time() - started) * 1000.0))
            status = "reconnected" if reconnected else "ok"
            entry = {"subsystem": name, "status": status, "duration_ms": duration}
            if outcome.get("warnings"):
                entry["warnings"] = list(outcome["warnings"])
            if outcome.get("configtest"):
                entry["configtest"] = outcome["configtest"]
            results.append(entry)
            events.emit("reload_done", subsystem=name, status=status, duration_ms=duration)
    finally:
        try:
            client.close()
        except Exception:  # noqa: BLE001
            pass
    return results, None


__all__ = [
    "ClientPool",
    "ExecHooks",
    "ExecResult",
    "Executor",
    "Outcome",
    "Reconnect",
    "ReloadError",
    "Throttle",
    "UnreachableError",
    "VerifyError",
    "Writer",
    "check_alive",
    "read_types",
    "reload_all",
    "reload_one",
    "supports_bulk_delete",
    "verify",
    "wait_for_api",
]
