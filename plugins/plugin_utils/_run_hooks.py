# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The side effects of running a plan, as hooks around its steps (``_steps``): the journal, the
pre-run checkpoint, the deployment state and the run's start and end events.

The steps do the work (write, verify, reload, undo); everything that must be *recorded* about that
work is here, so a step never has to know whether a journal is open or a checkpoint is wanted, and
a run that records differently (the rest of a journaled run, ``_recovery``) is the same steps with
other hooks. A hook sees the run at four points: it started, a write or an undo is about to happen
or happened, the rollback started, the run ended (``run.status`` says how).
"""

from __future__ import annotations

import os
import socket
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints import new_checkpoint_id, save_checkpoint
from ansible_collections.opnform.opnsense.plugins.plugin_utils._executor import ExecHooks, Outcome
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import Journal
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._rollback import UndoHooks, UndoStep
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource

if TYPE_CHECKING:  # pragma: no cover - imports for annotations only
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import ApplyRun

# How a run ended (``ApplyRun.status``).
OK, FAILED, ROLLED_BACK, ROLLBACK_FAILED, UNREACHABLE = "ok", "failed", "rolled_back", "rollback_failed", "unreachable"


class RunHooks(ExecHooks, UndoHooks):
    """One side effect of a run; every method does nothing unless a hook needs it."""

    def run_started(self, run: "ApplyRun") -> None:
        pass

    def rollback_started(self, run: "ApplyRun", steps: List[UndoStep]) -> None:
        pass

    def run_ended(self, run: "ApplyRun") -> None:
        pass


class Hooks(RunHooks):
    """Several hooks as one. They are brackets around the run: called in the order given when
    something starts, in reverse order when it ends (the last to open is the first to close), so
    the journal is closed before ``run_done`` is announced. A write's journal sequence number is the
    one the hook that journals returns."""

    def __init__(self, hooks: List[RunHooks]) -> None:
        self.hooks = list(hooks)

    def run_started(self, run: "ApplyRun") -> None:
        for hook in self.hooks:
            hook.run_started(run)

    def before_write(self, actions: List[Action]) -> int:
        seqs = [hook.before_write(actions) for hook in self.hooks]
        return max([s for s in seqs if s] or [0])

    def located(self, seq: int, actions: List[Action]) -> None:
        for hook in self.hooks:
            hook.located(seq, actions)

    def after_write(self, seq: int, actions: List[Action], outcome: Outcome) -> None:
        for hook in reversed(self.hooks):
            hook.after_write(seq, actions, outcome)

    def rollback_started(self, run: "ApplyRun", steps: List[UndoStep]) -> None:
        for hook in self.hooks:
            hook.rollback_started(run, steps)

    def before_undo(self, step: UndoStep) -> None:
        for hook in self.hooks:
            hook.before_undo(step)

    def after_undo(self, step: UndoStep, ok: bool, error: Optional[str]) -> None:
        for hook in reversed(self.hooks):
            hook.after_undo(step, ok, error)

    def run_ended(self, run: "ApplyRun") -> None:
        for hook in reversed(self.hooks):
            hook.run_ended(run)


class JournalHook(RunHooks):
    """Write-ahead journal of the run (``_journal``): ``begin`` with everything recovery needs, an
    ``intent`` before and a ``done`` after each write and undo, and how the run ended. An unreachable
    run is left without ``end``, so the next apply refuses to start until it is recovered."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def run_started(self, run: "ApplyRun") -> None:
        session, plan = run.session, run.plan
        run.session.journal = self.journal
        run.result["journal_path"] = str(self.journal.path)  # plain text: results cross process boundaries
        self.journal.append(
            "begin",
            run_id=session.run_id,
            deployment=session.options.deployment,
            firewall=session.state.firewall,
            firewall_version=run.inventory.version if run.inventory is not None else None,
            pid=os.getpid(),
            host=socket.gethostname(),
            started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            plan_id=plan.id,
            # without secrets, and scrubbed once with the whole record by the journal
            actions=[a.unscrubbed(session.registry[a.type]) for a in plan.actions if a.is_write],
            stages=plan.stages,
            keep_uuids=plan.keep_uuids,
            new_state=plan.new_state,
            previous_state=run.own.as_dict(),
            subsystems=plan.subsystems(),
        )

    def before_write(self, actions: List[Action]) -> int:
        seq = self.journal.next_seq()
        first = actions[0]
        self.journal.append(
            "intent",
            seq=seq,
            actions=[a.id for a in actions],
            op=first.op,
            type=first.type,
            uuids=[a.uuid for a in actions],
        )
        return seq

    def located(self, seq: int, actions: List[Action]) -> None:
        self.journal.append("located", seq=seq, actions=[a.id for a in actions])

    def after_write(self, seq: int, actions: List[Action], outcome: Outcome) -> None:
        extra: Dict[str, Any] = {}
        if outcome.rekeyed:  # created under uuids the firewall picked: where they are
            extra["rekeyed"] = dict(outcome.rekeyed)
        if outcome.each:  # a bulk write refused in part: each action's own outcome
            extra["outcomes"] = dict(
                (i, {"status": o.status, "applied": o.applied, "error": o.error}) for i, o in outcome.each.items()
            )
        self.journal.append(
            "done",
            seq=seq,
            actions=[a.id for a in actions],
            status=outcome.status,
            applied=outcome.applied,
            error=outcome.error,
            **extra,
        )

    def rollback_started(self, run: "ApplyRun", steps: List[UndoStep]) -> None:
        self.journal.append("rollback_start", reason=str(run.failure), steps=[s.action_id for s in steps])

    def before_undo(self, step: UndoStep) -> None:
        self.journal.append("undo_intent", action=step.action_id, undo=step.kind, uuid=step.uuid)

    def after_undo(self, step: UndoStep, ok: bool, error: Optional[str]) -> None:
        self.journal.append("undo_done", action=step.action_id, status="ok" if ok else "failed", error=error)

    def run_ended(self, run: "ApplyRun") -> None:
        if run.status == UNREACHABLE:
            self.journal.append("unreachable", error=str(run.failure))
        elif run.status in (ROLLED_BACK, ROLLBACK_FAILED):
            self.journal.append("end", status=run.status, failures=run.result.get("rollback_failures", []))
        else:
            self.journal.append("end", status=run.status)
        self.journal.close()


class CheckpointHook(RunHooks):
    """A checkpoint of every type the plan writes, taken before the first write (``_checkpoints``),
    unless ``checkpoint: false``."""

    def run_started(self, run: "ApplyRun") -> None:
        session, inventory = run.session, run.inventory
        if not session.options.checkpoint or inventory is None:
            run.result["checkpoint_id"] = None
            return
        started = time.time()
        checkpoint_id = new_checkpoint_id(session.run_id)
        touched = sorted(set(a.type for a in run.plan.writes))
        objects = dict((t, dict((u, inventory.payload(t, u)) for u in inventory.objects(t))) for t in touched)
        save_checkpoint(
            session.state,
            checkpoint_id,
            session.run_id,
            session.options.deployment,
            objects,
            session.registry,
            session.redactor,
            inventory.version,
            client=session.pool.client(),  # records the firewall's identity (host name) with the snapshot
        )
        if session.journal is not None:
            session.journal.append("checkpoint", id=checkpoint_id)
        run.result["checkpoint_id"] = checkpoint_id
        session.timer.add("checkpoint", started)


class StateHook(RunHooks):
    """The deployment state after the run: the plan's new state when it succeeded, what completed
    when it failed without a rollback, and nothing new after a rollback (the old state still holds)."""

    def run_ended(self, run: "ApplyRun") -> None:
        if run.status == OK:
            save_state(run, run.plan.new_state)
        elif run.status == FAILED:
            save_state(run, partial_state(run.own, run.plan, run.completed))


class EventsHook(RunHooks):
    """The run's ``run_start`` and ``run_done`` events (docs/progress.md)."""

    def run_started(self, run: "ApplyRun") -> None:
        plan = run.plan
        run.result["events_path"] = run.session.events.path
        run.session.events.emit(
            "run_start",
            total=len(plan.writes),
            stages=len([s for s in plan.stages if s]),
            summary=plan.summary(),
            deployment=run.session.options.deployment,
            plan_id=plan.id,
        )

    def run_ended(self, run: "ApplyRun") -> None:
        data: Dict[str, Any] = {"status": run.status, "duration_ms": run.session.timer.elapsed_ms()}
        if run.status == UNREACHABLE:
            data["error"] = run.message
        elif run.status in (ROLLED_BACK, ROLLBACK_FAILED):
            total = len(run.plan.writes)
            data.update(completed=total, total=total, percent=100)
        else:
            data.update(run.progress)
        run.session.events.emit("run_done", **data)


def save_state(run: "ApplyRun", entries: List[Dict[str, Any]]) -> None:
    """Write the deployment's state when it differs from the one the run started from (or none was
    saved yet), recording the run as its last."""
    session = run.session
    state = DeploymentState(session.options.deployment)
    for item in entries:
        managed = ManagedResource.from_dict(item)
        state.resources[managed.key] = managed
    state.last_run = session.run_id
    if state.as_dict()["resources"] != run.own.as_dict()["resources"] or not session.state.has_deployment(state.name):
        session.state.save_deployment(state)


def partial_state(own: DeploymentState, plan: Plan, completed: List[str]) -> List[Dict[str, Any]]:
    """The deployment state after a failed run that was not rolled back: what completed is recorded."""
    done = set(completed)
    entries = dict((k, m.as_dict()) for k, m in own.resources.items())
    planned = dict(("%s/%s" % (e["type"], e["name"]), e) for e in plan.new_state)
    for action in plan.actions:
        if action.op == "delete":
            if action.id in done:
                entries.pop(action.id, None)
        elif action.id in done or not action.is_write:
            if action.id in planned:
                entries[action.id] = planned[action.id]
    return [entries[k] for k in sorted(entries)]
