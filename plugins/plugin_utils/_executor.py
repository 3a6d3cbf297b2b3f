# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scheduling of a plan's writes (design.md 3 step 5): the walk over the plan's graph, and what each
action came to.

Three concerns stay apart (design.md 7.3):

- *order* comes from the plan: the graph ``_graph`` built when planning (``Action.after``); the
  scheduler only walks it, the way Terraform's ``dag.Walker`` does: a write starts as soon as the
  writes it depends on are done, whatever stage they are in, so a slow write holds back its own
  dependents and nothing else. ``parallelism`` bounds the units of work in flight. Stages
  (topological generations) only name the progress: a stage starts when its first action starts
  and is done when its last action has ended and every earlier stage is done (docs/progress.md).
- *throttle* is ``_pool.Throttle``: at most ``write_concurrency`` writes in flight per firewall.
- *side effects* are :class:`ExecHooks` (the journal) and the :class:`EventSink`; the executor calls
  them and knows nothing of files. The API calls themselves are ``_writer.Writer``'s.

One thread, the caller's, decides: it hands units to the workers, takes their outcomes, releases
the dependents and emits every event, so the events of one run are in one order and no state of
the walk is shared between threads.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._bulk import BULK_WRITE_MAX, groupable, signature
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink, action_ref
from ansible_collections.opnform.opnsense.plugins.plugin_utils._graph import graph_of
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import CREATE, DELETE, Action, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import Throttle
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import (
    BULK_DELETE_MAX,
    BulkOutcome,
    Writer,
    applied_after,
    one_at_a_time,
)


class ExecHooks(object):
    """Side effects around each write; the journal implements them. The defaults do nothing."""

    def before_write(self, actions: List[Action]) -> int:
        return 0

    def located(self, seq: int, actions: List[Action]) -> None:
        """``actions`` of write ``seq`` are about to go out in a request that creates under uuids
        the firewall picks: from now on they are found by identity (``Writer.write``)."""

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
    # A unit of several actions whose outcomes differ (a bulk write OPNsense refused in part): the
    # outcome of each of its actions; the unit's own status is then "failed".
    each: Optional[Dict[str, "Outcome"]] = None
    # action id -> the uuid the firewall gave an object this unit created (``Plan.rekey``)
    rekeyed: Dict[str, str] = field(default_factory=dict)

    def of(self, action_id: str) -> "Outcome":
        """The outcome of one action of the unit."""
        return self.each[action_id] if self.each and action_id in self.each else self

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


STOPPED = "not started: an earlier action failed (continue_on_error is false)"
UNFINISHED = "not started: its dependencies did not finish"


class Executor(object):
    """Runs the writes of a plan (noops are not scheduled), each as soon as its dependencies are done."""

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
        firewall_version: Tuple[int, ...] = (),
    ) -> None:
        """``bulk_delete``: deletes of one type may share a request (the firewall takes a
        comma-separated ``del``). Creates and updates of one type share a request when the writer
        has a bulk endpoint for the type (``Writer.bulk``, ``_bulk``)."""
        self.plan = plan
        self.writer = writer
        self.throttle = throttle
        self.events = events
        self.hooks = hooks or ExecHooks()
        self.parallelism = max(1, int(parallelism))
        self.continue_on_error = continue_on_error
        self.bulk_delete = bulk_delete
        self.firewall_version = firewall_version
        self.actions = dict((a.id, a) for a in plan.writes)
        self.progress = Progress(len(self.actions))
        self.result = ExecResult()
        self._serial: set = set()  # types with a write in flight that must be the only one of its type

    # -- the walk ------------------------------------------------------------------------------

    def run(self) -> ExecResult:
        self._prepare()
        running: Dict[Future, Tuple[int, List[str], bool]] = {}
        sent = 0
        with ThreadPoolExecutor(max_workers=self.parallelism, thread_name_prefix="opnform") as pool:
            while True:
                while self._ready and len(running) < self.parallelism and not self._stop:
                    unit = self._take(self._ready, bool(running))
                    if not unit:
                        break
                    serial = any(self._serialized(self.actions[i]) for i in unit)
                    if serial:
                        self._serial.add(self.actions[unit[0]].type)
                    for action_id in unit:
                        self._open(self.stage_of[action_id])
                        self.events.emit("action_start", action=self._ref(action_id), stage=self.stage_of[action_id])
                    running[pool.submit(self._run_unit, unit, serial)] = (sent, unit, serial)
                    sent += 1
                if not running:
                    break
                done = wait(list(running), return_when=FIRST_COMPLETED).done
                for future in sorted(done, key=lambda f: running[f][0]):
                    unit, serial = running.pop(future)[1:]
                    if serial:
                        self._serial.discard(self.actions[unit[0]].type)
                    outcome = future.result()
                    if outcome.rekeyed:  # before any dependent is released (and reads a payload)
                        among = set(c for i in outcome.rekeyed for c in self._children.get(i, []))
                        self.plan.rekey(outcome.rekeyed, among)
                    for action_id in unit:
                        self._finish(action_id, outcome.of(action_id))
                        if outcome.of(action_id).status != "ok":
                            self._block_below(action_id)
                            if not self.continue_on_error:
                                self._stop = True
                        self._resolved(action_id, outcome.of(action_id).ended)
        # What never became ready (below a failure, or after a stop) is reported in plan order.
        for action_id in sorted(self.actions, key=self.rank.__getitem__):
            if action_id not in self.result.outcomes:
                reason = self._blocked.get(action_id) or (STOPPED if self._stop else UNFINISHED)
                self._skip(action_id, reason)
                self._count_down(action_id, time.time())
        self.result.stopped = self._stop
        return self.result

    def _prepare(self) -> None:
        """The graph's edges among this plan's writes, the stage of each write, the first ready units."""
        stages = [[i for i in stage if i in self.actions] for stage in self.plan.stages]
        stages = [s for s in stages if s]
        placed = set(i for stage in stages for i in stage)
        missing = sorted((i for i in self.actions if i not in placed), key=lambda i: (self.actions[i].order, i))
        if missing:  # defensive: a write the stages do not name still runs, and is reported last
            stages.append(missing)
        self.stage_of: Dict[str, int] = {}
        self.rank: Dict[str, int] = {}
        for number, stage in enumerate(stages, 1):
            for action_id in stage:
                if action_id not in self.stage_of:  # defensive: an id named twice counts once
                    self.stage_of[action_id] = number
                    self.rank[action_id] = len(self.rank)
        graph = graph_of(self.plan)
        ids = self.actions
        self._waiting: Dict[str, set] = dict(
            (i, set(p for p in graph.pred[i] if p in ids) if i in graph else set()) for i in ids
        )
        self._children: Dict[str, List[str]] = dict(
            (i, sorted((c for c in graph.succ[i] if c in ids), key=self.rank.__getitem__) if i in graph else [])
            for i in ids
        )
        self._blocked: Dict[str, str] = {}
        self._stop = False
        self._ready: List[Tuple[int, str]] = sorted((self.rank[i], i) for i in ids if not self._waiting[i])
        self._unready: Dict[str, int] = {}  # per type: writes still waiting for a dependency
        for i in ids:
            if self._waiting[i]:
                self._unready[self.actions[i].type] = self._unready.get(self.actions[i].type, 0) + 1
        # progress by stage: stages start and end in order (docs/progress.md)
        self._stages = len(stages)
        self._left: Dict[int, int] = dict((n, 0) for n in range(1, len(stages) + 1))
        for number in self.stage_of.values():
            self._left[number] += 1
        self._opened: Dict[int, float] = {}
        self._last_end: Dict[int, float] = {}
        self._stage_failed: Dict[int, bool] = {}
        self._next_open = 1
        self._next_done = 1

    def _unready_bulk(self) -> bool:
        """Whether a type with a bulk endpoint still has writes waiting for a dependency."""
        bulk = getattr(self.writer, "bulk", None) or {}
        return any(self._unready.get(kind) for kind in bulk)

    def _bulk_endpoint(self, action: Action) -> Any:
        """The bulk endpoint ``action`` may go to, or None. A plan that keeps its uuids (a restore)
        sends no create to an endpoint that picks uuids itself."""
        bulk = getattr(self.writer, "bulk", None)
        endpoint = bulk.get(action.type) if bulk else None
        if endpoint is None or not groupable(endpoint, action):
            return None
        if action.op == CREATE and self.plan.keep_uuids and not endpoint.keeps_uuid:
            return None
        return endpoint

    def _serialized(self, action: Action) -> bool:
        """Whether ``action`` must be the only write of its type in flight (``_pool.Throttle``: a
        create whose server-computed field two creates in flight would both get). Such a write is
        not even handed to a worker while another of its type runs, so the waiting ones never hold
        the ``parallelism`` slots that writes of other types could use."""
        return self.throttle.limit > 1 and one_at_a_time(self.writer.specs[action.type], action, self.firewall_version)

    def _defer(self, action: Action, alike: Dict[str, int]) -> bool:
        """Whether a write that could share a bulk request waits a little: while other writes are
        in flight and more writes of its type are about to become ready (they wait for writes in
        flight), taking it now would send a small request and then another. It is taken as soon as
        nothing else is in flight, or once a full request of its type is ready."""
        if not self._unready.get(action.type) or self._bulk_endpoint(action) is None:
            return False
        return alike.get(action.type, 0) < BULK_WRITE_MAX

    def _take(self, ready: List[Tuple[int, str]], busy: bool = False) -> List[str]:
        """The next unit of work (empty when every ready write waits, see :meth:`_defer`): one
        action; or, among the writes ready now, several deletes of one type (one comma-separated
        ``del``), or several creates and updates of one type that send the same fields (one bulk
        import), at most ``BULK_DELETE_MAX``/``BULK_WRITE_MAX``."""
        alike: Optional[Dict[str, int]] = None  # ready writes per type, when bulk writes may wait
        if busy and self._unready_bulk():
            alike = {}
            for _seq, action_id in ready:
                kind = self.actions[action_id].type
                alike[kind] = alike.get(kind, 0) + 1
        position = 0
        while position < len(ready):
            candidate = self.actions[ready[position][1]]
            waits = candidate.type in self._serial and self._serialized(candidate)
            if not waits and (alike is None or not self._defer(candidate, alike)):
                break
            position += 1
        if position >= len(ready):
            return []
        first = ready.pop(position)[1]
        unit = [first]
        action = self.actions[first]
        endpoint = self._bulk_endpoint(action)
        if self.bulk_delete and action.op == DELETE:
            limit = BULK_DELETE_MAX

            def fits(candidate: Action) -> bool:
                return candidate.op == DELETE and candidate.type == action.type

        elif endpoint is not None:
            limit, shape = BULK_WRITE_MAX, signature(endpoint, action)

            def fits(candidate: Action) -> bool:
                return (
                    candidate.type == action.type
                    and groupable(endpoint, candidate)
                    and signature(endpoint, candidate) == shape
                )

        else:
            return unit
        keep: List[Tuple[int, str]] = []
        for position, entry in enumerate(ready):
            if len(unit) >= limit:
                keep.extend(ready[position:])
                break
            if fits(self.actions[entry[1]]):
                unit.append(entry[1])
            else:
                keep.append(entry)
        ready[:] = keep
        return unit

    def _resolved(self, action_id: str, ended: Optional[float]) -> None:
        """``action_id`` ended or was skipped: count it, and release the dependents it was the last
        dependency of; a dependent below a failure is skipped at once, and so on down."""
        todo = deque([(action_id, ended or time.time())])
        while todo:
            current, when = todo.popleft()
            self._count_down(current, when)
            for child in self._children[current]:
                waiting = self._waiting[child]
                waiting.discard(current)
                if waiting or child in self.result.outcomes:
                    continue
                self._unready[self.actions[child].type] -= 1
                if child in self._blocked:
                    self._skip(child, self._blocked[child])
                    todo.append((child, time.time()))
                else:
                    bisect.insort(self._ready, (self.rank[child], child))

    def _block_below(self, failed: str) -> None:
        """Mark every descendant of ``failed`` as skipped-to-be, naming the first failure above it.
        What is marked already has its descendants marked too, so the walk stops there."""
        reason = "upstream failed: %s" % failed
        todo = list(self._children[failed])
        while todo:
            item = todo.pop()
            if item not in self._blocked:
                self._blocked[item] = reason
                todo.extend(self._children[item])

    # -- stages, for progress only -------------------------------------------------------------

    def _open(self, stage: int) -> None:
        """Emit ``stage_start`` for ``stage`` (and, defensively, any earlier stage not started yet)."""
        while self._next_open <= stage:
            number = self._next_open
            self._opened[number] = time.time()
            self.events.emit("stage_start", stage=number, stages=self._stages, **self.progress.fields())
            self._next_open += 1

    def _count_down(self, action_id: str, when: float) -> None:
        """One action of its stage is over; emit ``stage_done`` for every finished stage whose
        earlier stages are done too."""
        stage = self.stage_of[action_id]
        self._left[stage] -= 1
        self._last_end[stage] = max(when, self._last_end.get(stage, when))
        while self._next_done <= self._stages and not self._left[self._next_done]:
            number = self._next_done
            self._open(number)
            took = self._last_end.get(number, time.time()) - self._opened[number]
            self.events.emit(
                "stage_done",
                stage=number,
                stages=self._stages,
                status="failed" if self._stage_failed.get(number) else "ok",
                duration_ms=max(0, int(round(took * 1000.0))),
                **self.progress.fields(),
            )
            self._next_done += 1

    # -- one unit ------------------------------------------------------------------------------

    def _run_unit(self, unit: List[str], serial: bool = False) -> Outcome:
        """Write one unit; ``serial``: it must be the only write of its type in flight."""
        actions = [self.actions[i] for i in unit]
        outcome = Outcome("ok", started=time.time())
        seq = self.hooks.before_write(actions)

        def located(found: List[Action]) -> None:
            for action in found:
                action.located = True
            self.hooks.located(seq, found)

        try:
            if serial:
                with self.throttle.exclusive(actions[0].type), self.throttle:
                    outcome.rekeyed = self.writer.write(actions, located) or {}
            else:
                with self.throttle:
                    outcome.rekeyed = self.writer.write(actions, located) or {}
            outcome.applied = True
        except BulkOutcome as exc:
            outcome.status = "failed"
            outcome.error = str(exc)
            outcome.rekeyed = exc.rekeyed
            outcome.each = {}
            for action in actions:
                failed = exc.failures.get(action.id)
                each = Outcome("ok" if failed is None else "failed", applied=True, started=outcome.started)
                if failed is not None:
                    each.applied = applied_after(failed)
                    each.error = str(failed)
                outcome.each[action.id] = each
        except OpnError as exc:
            outcome.status = "failed"
            outcome.applied = applied_after(exc)
            outcome.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug must fail the action, not hang the run
            outcome.status = "failed"
            outcome.applied = None
            outcome.error = "%s: %s" % (type(exc).__name__, exc)
        outcome.ended = time.time()
        for each in (outcome.each or {}).values():
            each.ended = outcome.ended
        self.hooks.after_write(seq, actions, outcome)
        return outcome

    def _finish(self, action_id: str, outcome: Outcome) -> None:
        stage = self.stage_of[action_id]
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
            self._stage_failed[stage] = True
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

    def _skip(self, action_id: str, reason: str) -> None:
        if action_id in self.result.outcomes:
            return
        stage = self.stage_of[action_id]
        self._open(stage)
        self.result.outcomes[action_id] = Outcome("skipped", reason=reason)
        self.events.emit(
            "action_skipped", action=self._ref(action_id), stage=stage, status=reason, **self.progress.tick()
        )

    def _ref(self, action_id: str) -> Dict[str, str]:
        action = self.actions[action_id]
        return action_ref(action.op, action.type, action.name)


__all__ = ["ExecHooks", "ExecResult", "Executor", "Outcome", "Progress"]
