# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scheduling of a plan's writes (design.md 3 step 5): the walk over the plan's order, and what
each action came to.

Three concerns stay apart (design.md 7.3):

- *order* comes from the plan (``Action.after``, stages from ``_graph``); the scheduler only walks it.
  Stages are gates: stage *k+1* opens when every action of stage *k* has finished, so progress is
  reported stage by stage (design.md 5, docs/progress.md). Within a stage every action is ready at
  once (a stage is a topological generation) and ``parallelism`` workers take them from the queue.
- *throttle* is ``_pool.Throttle``: at most ``write_concurrency`` writes in flight per firewall.
- *side effects* are :class:`ExecHooks` (the journal) and the :class:`EventSink`; the executor calls
  them and knows nothing of files. The API calls themselves are ``_writer.Writer``'s.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink, action_ref
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import DELETE, Action, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import Throttle
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import (
    BULK_DELETE_MAX,
    Writer,
    applied_after,
    server_computes,
)


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


__all__ = ["ExecHooks", "ExecResult", "Executor", "Outcome", "Progress"]
