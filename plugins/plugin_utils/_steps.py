# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a plan: an ordered list of small named steps over one :class:`ApplyRun`.

``STEPS`` is the whole apply, read top to bottom: begin (the hooks open the journal, take the
checkpoint, announce the run), execute (the walker over the plan's edges, ``_executor``), verify
(read back what was written), reload (each touched subsystem once, waiting for the API when a
reload drops it), roll back (when something failed and ``rollback_on_failure``), end (the hooks
save the state, close the journal, announce the end; a failed run raises :class:`RunFailed`).

Each step reads and writes the run and nothing else, and decides for itself whether it has work;
what must be recorded about the work is left to the hooks (``_run_hooks``). Recovery runs the same
steps over the rest of an unfinished run (``_recovery``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._bulk import endpoint_for
from ansible_collections.opnform.opnsense.plugins.plugin_utils._executor import ExecResult, Executor, Outcome
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action, Inventory, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import Throttle
from ansible_collections.opnform.opnsense.plugins.plugin_utils._reloads import UnreachableError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._rollback import (
    Rollback,
    RollbackResult,
    UndoHooks,
    UndoStep,
    undo_step,
    verify_undone,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._run_hooks import (
    FAILED,
    OK,
    ROLLBACK_FAILED,
    ROLLED_BACK,
    UNREACHABLE,
    Hooks,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._session import Session
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState
from ansible_collections.opnform.opnsense.plugins.plugin_utils._verify import VerifyError, read_types, verify
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import (
    Writer,
    supports_bulk_delete,
    version_tuple,
)


class RunFailed(OpnError):
    """The run failed; ``result`` holds everything known about it (plan, results, rollback)."""

    kind = "apply"

    def __init__(self, message: str, result: Dict[str, Any], cause: Optional[OpnError] = None) -> None:
        super().__init__(message)
        self.result = result
        self.cause = cause
        if cause is not None:
            self.kind = cause.kind


@dataclass
class ApplyRun:
    """One plan being run: its inputs, the hooks that record it, and what the steps found so far."""

    session: Session
    plan: Plan
    inventory: Optional[Inventory]  # what the plan was made from (version, pre-run objects)
    own: DeploymentState  # the deployment's state before the run
    hooks: Hooks
    result: Dict[str, Any]
    rollback_on_failure: bool = True
    done_before: List[Action] = field(default_factory=list)  # completed by an earlier, killed run
    executed: Optional[ExecResult] = None
    progress: Dict[str, int] = field(default_factory=lambda: {"completed": 0, "total": 0, "percent": 100})
    failure: Optional[OpnError] = None
    status: Optional[str] = None  # how the run ended (``_run_hooks.OK`` ...), once it did
    message: str = ""

    @property
    def completed(self) -> List[str]:
        """Ids of the actions this run wrote, in completion order."""
        return list(self.executed.completion) if self.executed is not None else []

    @property
    def done(self) -> List[Action]:
        by_id = self.plan.by_id()
        return list(self.done_before) + [by_id[i] for i in self.completed]

    @property
    def has_work(self) -> bool:
        return bool(self.plan.writes or self.done_before)

    @property
    def goes_on(self) -> bool:
        """Whether verify and reload still run: nothing failed yet, or a failure is left in place."""
        return self.status is None and (self.failure is None or not self.rollback_on_failure)

    def fail(self, error: OpnError) -> None:
        """Record a failure; the first one is what the run reports."""
        if self.failure is None:
            self.failure = error

    def unreachable(self, error: OpnError) -> None:
        """The API stopped answering: nothing can be undone now. The journal is left unfinished
        (``JournalHook``), so the next apply refuses to start and names this run."""
        session = self.session
        self.failure = error
        self.status = UNREACHABLE
        self.message = (
            "%s. A rule or reload may have cut this controller off. Nothing was rolled back; run %s is "
            "journaled in %s. Once the API answers again, re-run with recover: rollback (undo it) or "
            "recover: resume (complete it)" % (error.message, session.run_id, self.result.get("journal_path"))
        )


@dataclass
class Step:
    name: str  # also the name of its timing (``timings.<name>_ms``)
    run: Callable[[ApplyRun], None]


def begin(run: ApplyRun) -> None:
    run.hooks.run_started(run)


def execute(run: ApplyRun) -> None:
    """Walk the plan's writes (``_executor``); a failed write fails the run."""
    session, plan = run.session, run.plan
    outcomes: Dict[str, Outcome] = {}
    if plan.writes:
        options = session.options
        version = run.inventory.version if run.inventory is not None else None
        bulk = {}
        if options.bulk != "off":
            for name in set(a.type for a in plan.writes):
                endpoint = endpoint_for(session.registry[name], version_tuple(version))
                if endpoint is not None:
                    bulk[name] = endpoint
        executor = Executor(
            plan,
            Writer(session.pool, session.registry, bulk=bulk),
            Throttle(options.write_concurrency),
            session.events,
            run.hooks,
            parallelism=options.parallelism,
            continue_on_error=options.continue_on_error,
            bulk_delete=supports_bulk_delete(version),
            firewall_version=version_tuple(version),
        )
        run.executed = executor.run()
        run.progress = executor.progress.fields()
        outcomes = run.executed.outcomes
        run.result["changed"] = bool(run.executed.maybe_applied())
        if run.executed.failed:
            first = run.executed.failed[0]
            run.fail(
                OpnError(
                    "%d of %d writes failed; first: %s"
                    % (len(run.executed.failed), len(plan.writes), outcomes[first].error)
                )
            )
    run.result["results"] = [action_result(a, outcomes.get(a.id)) for a in plan.actions if a.is_write or a.adopted]


def verify_writes(run: ApplyRun) -> None:
    """Read back every type written and compare with what the plan expected."""
    if not run.has_work or not run.goes_on:
        return
    session, done = run.session, run.done
    touched = sorted(set(a.type for a in done))
    try:
        rows = read_types(session.pool, session.registry, touched, session.options.parallelism)
        problems = verify(done, rows, session.registry)
    except OpnError as exc:
        problems = ["reading back what was written failed: %s" % exc]
    if problems:
        run.fail(VerifyError("read-back found differences: %s" % "; ".join(problems)))
        run.result["verify_problems"] = problems


def reload_subsystems(run: ApplyRun) -> None:
    """Reload each subsystem the run touched, once; a dropped API that does not come back within
    ``reconnect_timeout`` ends the run as unreachable."""
    if not run.has_work or not run.goes_on:
        return
    subsystems = sorted(set(a.subsystem for a in run.done if a.subsystem))
    reloads, error = run.session.reload(subsystems)
    run.result["reloads"] = reloads
    if isinstance(error, UnreachableError):
        run.unreachable(error)
    elif error is not None:
        run.fail(error)


def roll_back(run: ApplyRun) -> None:
    """Undo, newest first, every write that was or may have been applied."""
    if run.status is not None or run.failure is None or not run.rollback_on_failure:
        return
    by_id = run.plan.by_id()
    applied = run.executed.maybe_applied() if run.executed is not None else []
    steps = [undo_step(by_id[i]) for i in reversed(applied)]
    run.hooks.rollback_started(run, steps)
    outcome = undo(run.session, run.hooks, steps, "failed")
    run.result["rolled_back"] = outcome.rolled_back
    run.result["rollback_failures"] = outcome.failed
    if isinstance(run.failure, UnreachableError) or any(f.get("status") == UNREACHABLE for f in outcome.failed):
        run.unreachable(run.failure)
        return
    run.status = ROLLED_BACK if outcome.ok else ROLLBACK_FAILED
    run.result["changed"] = not outcome.ok
    run.message = "%s; rolled back %d write(s)" % (run.failure, len(outcome.rolled_back))
    if outcome.failed:
        run.message += "; %d undo(s) FAILED: %s" % (
            len(outcome.failed),
            "; ".join("%s: %s" % (f["id"], f["error"]) for f in outcome.failed),
        )


def end(run: ApplyRun) -> None:
    """Let the hooks record the end; a run that did not succeed raises :class:`RunFailed`."""
    if run.status is None:
        run.status = OK if run.failure is None else FAILED
    run.hooks.run_ended(run)
    if run.status == UNREACHABLE:
        raise RunFailed(run.message, run.result, UnreachableError(run.message))
    if run.status != OK:
        raise RunFailed(run.message or str(run.failure), run.result, run.failure)


STEPS = [
    Step("begin", begin),
    Step("execute", execute),
    Step("verify", verify_writes),
    Step("reload", reload_subsystems),
    Step("rollback", roll_back),
    Step("end", end),
]


def run_steps(run: ApplyRun, steps: Optional[List[Step]] = None) -> Dict[str, Any]:
    """Run ``steps`` (all of ``STEPS`` unless told) in order, timing each by name."""
    for step in STEPS if steps is None else steps:
        started = time.time()
        try:
            step.run(run)
        finally:
            run.session.timer.add(step.name, started)
    return run.result


# -- shared with recovery --------------------------------------------------------------------------


def undo(session: Session, hooks: UndoHooks, steps: List[UndoStep], reason: str) -> RollbackResult:
    """Undo ``steps`` (``_rollback``), reload what the undos touched, check that the pre-run state
    is back, and announce ``rollback_done``."""
    rollback = Rollback(Writer(session.pool, session.registry), session.registry, session.events, hooks).run(
        steps, reason
    )
    outcome = _check_undone(session, rollback, steps)
    session.events.emit(
        "rollback_done",
        status="ok" if outcome.ok else "failed",
        total=len(steps),
        completed=len(outcome.rolled_back),
    )
    return outcome


def _check_undone(session: Session, rollback: RollbackResult, steps: List[UndoStep]) -> RollbackResult:
    if rollback.subsystems:
        _reloads, error = session.reload(rollback.subsystems)
        if error is not None:
            rollback.failed.append(
                {
                    "id": "reload",
                    "undo": "reload",
                    "error": str(error),
                    "status": UNREACHABLE if isinstance(error, UnreachableError) else "failed",
                }
            )
            return rollback
    failed_ids = set(f["id"] for f in rollback.failed)
    checked = [s for s in steps if s.action_id not in failed_ids]
    if checked:
        types = sorted(set(s.type for s in checked))
        try:
            rows = read_types(session.pool, session.registry, types, session.options.parallelism)
        except OpnError as exc:
            rollback.failed.append(
                {"id": "verify", "undo": "verify", "error": "reading back after the rollback failed: %s" % exc}
            )
            return rollback
        rollback.failed.extend(verify_undone(checked, rows, session.registry))
    return rollback


def action_result(action: Action, outcome: Optional[Outcome]) -> Dict[str, Any]:
    """One entry of the task's ``results``: what was planned for the object and how it went."""
    data: Dict[str, Any] = {
        "id": action.id,
        "op": action.op,
        "type": action.type,
        "name": action.name,
        "uuid": action.uuid,
        "adopted": action.adopted,
        "changed_fields": [c["field"] for c in action.changes],
    }
    if action.move:
        data["move"] = action.move
    if outcome is not None:
        data.update(outcome.as_dict())
    else:
        data["status"] = "noop" if not action.is_write else "not_run"
    return data
