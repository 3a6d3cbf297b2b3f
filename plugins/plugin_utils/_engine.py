# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One plan or apply run from start to end (design.md 3): the glue between the other plugin_utils.

The action plugins parse their options and call :meth:`Engine.plan` or :meth:`Engine.apply`; this
module wires the parts together in the right order and owns nothing else:

1. parse and validate the resources (``_resources``), before any request;
2. lock the firewall (``_state``), refuse or recover an unfinished run (``_journal``, ``_rollback``);
3. refresh: one read per type, in parallel, plus the version/liveness probe and the blank item of
   each type whose option lists the validation needs (``_facts``);
4. plan (``_planner``, ``_graph``; every validation problem, with or without the firewall's facts,
   is reported at once) or load a saved plan and refuse it if the firewall changed since;
5. journal the run and save a checkpoint before the first write (``_journal``, ``_checkpoints``);
6. execute (``_executor``), verify, reload each touched subsystem once, check the API still answers;
7. on failure roll back (``_rollback``), reload again and check the pre-apply state is back;
8. write the deployment state, end the journal, emit ``run_done``.

Failures come out as :class:`RunFailed` carrying the partial result, so the entry point can report
what happened next to the error.
"""

from __future__ import annotations

import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import DEFAULT_TIMEOUT
from ansible_collections.opnform.opnsense.plugins.module_utils._client import Client
from ansible_collections.opnform.opnsense.plugins.module_utils._diff import identity_key
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError, PluginMissingError
from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts, needs_blank
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import encode
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import normalise as normalise_value
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.module_utils._service import is_managed_row
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints import new_checkpoint_id, save_checkpoint
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink, Listener
from ansible_collections.opnform.opnsense.plugins.plugin_utils._executor import ExecHooks, Executor, Outcome
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import (
    Journal,
    RunRecord,
    UnfinishedRunError,
    unfinished_runs,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import (
    CREATE,
    Action,
    Inventory,
    Plan,
    ansible_diff,
    fingerprint,
    new_id,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import (
    PlanError,
    Planner,
    Resource,
    types_to_read,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import ClientPool, Throttle
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._reloads import (
    Reconnect,
    UnreachableError,
    check_alive,
    reload_all,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import read_resources, record
from ansible_collections.opnform.opnsense.plugins.plugin_utils._rollback import (
    Rollback,
    RollbackResult,
    UndoHooks,
    UndoStep,
    undo_step,
    verify_undone,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    DeploymentState,
    ManagedResource,
    StateDir,
    check_name,
    holder_info,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._verify import VerifyError, read_types, verify
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import Writer, supports_bulk_delete

RECOVER_MODES = ("rollback", "resume")
DEFAULT_RECONNECT_TIMEOUT = 60.0  # seconds a reload may keep the API silent before the run stops


class RunFailed(OpnError):
    """The run failed; ``result`` holds everything known about it (plan, results, rollback)."""

    kind = "apply"

    def __init__(self, message: str, result: Dict[str, Any], cause: Optional[OpnError] = None) -> None:
        super().__init__(message)
        self.result = result
        self.cause = cause
        if cause is not None:
            self.kind = cause.kind


class StalePlanError(OpnError):
    """A saved plan no longer matches the firewall or the deployment state."""

    kind = "stale_plan"


@dataclass
class Connection:
    api_url: str
    api_key: str
    api_secret: str
    validate_certs: bool = True
    ca_path: Optional[str] = None
    timeout: float = DEFAULT_TIMEOUT


@dataclass
class Options:
    deployment: str = "default"
    prune: bool = False
    plan_id: Optional[str] = None
    parallelism: int = 5
    write_concurrency: int = 1
    rollback_on_failure: bool = True
    continue_on_error: bool = False
    checkpoint: bool = True
    recover: Optional[str] = None
    lock_timeout: float = 300.0
    reconnect_timeout: float = DEFAULT_RECONNECT_TIMEOUT
    state_dir: Optional[str] = None
    check_mode: bool = False
    diff: bool = False


@dataclass
class Timer:
    marks: Dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.time)

    def add(self, name: str, since: float) -> float:
        now = time.time()
        self.marks[name] = round(self.marks.get(name, 0.0) + (now - since) * 1000.0, 1)
        return now

    def as_dict(self) -> Dict[str, float]:
        out = dict(self.marks)
        out["total_ms"] = round((time.time() - self.started) * 1000.0, 1)
        return dict((k if k.endswith("_ms") else k + "_ms", v) for k, v in out.items())


class JournalHooks(ExecHooks, UndoHooks):
    """The journal as the executor's and the rollback's side-effect hooks."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

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

    def after_write(self, seq: int, actions: List[Action], outcome: Outcome) -> None:
        self.journal.append(
            "done",
            seq=seq,
            actions=[a.id for a in actions],
            status=outcome.status,
            applied=outcome.applied,
            error=outcome.error,
        )

    def before_undo(self, step: UndoStep) -> None:
        self.journal.append("undo_intent", action=step.action_id, undo=step.kind, uuid=step.uuid)

    def after_undo(self, step: UndoStep, ok: bool, error: Optional[str]) -> None:
        self.journal.append("undo_done", action=step.action_id, status="ok" if ok else "failed", error=error)


class Engine(object):
    """Plan or apply one deployment on one firewall."""

    def __init__(
        self,
        connection: Connection,
        options: Options,
        listeners: Optional[List[Listener]] = None,
        registry: Optional[Dict[str, ResourceSpec]] = None,
        canonical: Callable[[str], str] = canonical_type,
        client_factory: Optional[Callable[[], Any]] = None,
    ) -> None:
        self.conn = connection
        self.options = options
        self.listeners = list(listeners or [])
        self.registry = registry if registry is not None else REGISTRY
        self.canonical = canonical
        self.redactor = Redactor([connection.api_secret])
        self.state = StateDir(options.state_dir, connection.api_url)
        self.client_factory = client_factory or self._new_client
        self.pool = ClientPool(self.client_factory)
        self.timer = Timer()
        self.run_id = new_id("")
        self.events: Optional[EventSink] = None
        self.journal: Optional[Journal] = None  # the open journal, for the reloads' reconnect records
        if options.recover not in (None, "") and options.recover not in RECOVER_MODES:
            raise OpnError("recover must be one of %s, got %r" % (", ".join(RECOVER_MODES), options.recover))
        check_name("deployment", options.deployment)

    def _new_client(self) -> Any:
        conn = self.conn
        # Client passes ``verify`` with every request, so ca_path holds even when REQUESTS_CA_BUNDLE is set.
        return Client(
            conn.api_url,
            conn.api_key,
            conn.api_secret,
            validate_certs=conn.validate_certs,
            ca_path=conn.ca_path,
            timeout=conn.timeout,
        )

    # -- shared steps --------------------------------------------------------------------------

    def _parse(self, raw: Any) -> Tuple[List[Resource], List[str]]:
        """The task's resources and every problem found in them before the firewall is read."""
        started = time.time()
        resources, problems = read_resources(raw, self.registry, self.canonical)
        for resource in resources:
            self.redactor.add_record(self.registry[resource.type], resource.properties)
        self.timer.add("validate", started)
        return resources, problems

    def refresh(
        self, types: List[str], optional: Optional[List[str]] = None, blanks: Optional[List[str]] = None
    ) -> Inventory:
        """One read per type plus the firmware status (version, liveness), all in parallel; and the
        blank item of each type in ``blanks`` (its option lists). ``inventory.facts`` holds what they
        tell validation: option lists, every object's name (built-in ones too), the version."""
        started = time.time()
        optional = [t for t in (optional or []) if t not in types]
        inventory = Inventory(self.registry)
        facts = Facts()
        wanted = list(types) + optional
        workers = max(1, min(self.options.parallelism, len(wanted) + len(blanks or []) + 1))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="opnform-refresh") as tpe:
            status = tpe.submit(lambda: self.pool.client().get("core/firmware/status"))
            futures = [(t, tpe.submit(lambda s=self.registry[t]: self.pool.service(s).list_all())) for t in wanted]
            empty = [(t, tpe.submit(lambda s=self.registry[t]: self.pool.service(s).blank())) for t in blanks or []]
            answer = status.result()
            for type_name, future in futures:
                try:
                    rows = future.result()
                except PluginMissingError:
                    if type_name in optional:
                        continue
                    raise
                managed = [row for row in rows if is_managed_row(row)]
                for row in managed:
                    self.redactor.add_record(self.registry[type_name], row, api_keyed=True)
                inventory.add(type_name, managed)
                inventory.add_builtin(type_name, [row for row in rows if not is_managed_row(row)])
                facts.add_rows(self.registry[type_name], rows)
            for type_name, future in empty:
                try:
                    item = future.result()
                except OpnError:
                    continue  # without it the option lists are left to OPNsense to check
                if item is not None:
                    facts.add_blank(self.registry[type_name], item)
        if isinstance(answer, dict) and isinstance(answer.get("product"), dict):
            inventory.version = answer["product"].get("product_version")
        facts.version = inventory.version
        inventory.facts = facts
        self.timer.add("refresh", started)
        return inventory

    def _states(self) -> Tuple[DeploymentState, Dict[str, DeploymentState]]:
        everything = self.state.all_deployments()
        own = everything.pop(self.options.deployment, None) or DeploymentState(self.options.deployment)
        return own, everything

    def _make_plan(
        self,
        resources: List[Resource],
        own: DeploymentState,
        others: Dict[str, DeploymentState],
        problems: Optional[List[str]] = None,
    ) -> Tuple[Plan, Inventory]:
        types = types_to_read(resources, own, self.registry, self.options.prune)
        base = types_to_read(resources, own, self.registry, False)
        try:
            inventory = self.refresh(base, [t for t in types if t not in base], self._blanks(resources))
        except OpnError:
            if problems:
                raise PlanError(problems, "validation") from None  # what is known is wrong either way
            raise
        started = time.time()
        planner = Planner(
            self.registry, self.options.deployment, self.state.firewall, own, others, prune=self.options.prune
        )
        plan = planner.plan(resources, inventory, problems=problems)
        self.timer.add("plan", started)
        return plan, inventory

    def _blanks(self, resources: List[Resource]) -> List[str]:
        """The types whose option lists the task's values need (``_facts.needs_blank``)."""
        by_type: Dict[str, List[Dict[str, Any]]] = {}
        for resource in resources:
            by_type.setdefault(resource.type, []).append(record(self.registry[resource.type], resource))
        return sorted(t for t, records in by_type.items() if needs_blank(self.registry[t], records))

    def _saved_plan(self, resources: List[Resource], own: DeploymentState) -> Tuple[Plan, Inventory]:
        data = self.state.load_plan(str(self.options.plan_id))
        plan = Plan.from_dict(data)
        if plan.firewall != self.state.firewall:
            raise StalePlanError(
                "plan %s was made for firewall %s, not %s" % (plan.id, plan.firewall, self.state.firewall)
            )
        if plan.deployment != self.options.deployment:
            raise StalePlanError(
                "plan %s belongs to deployment %r; this task is for deployment %r"
                % (plan.id, plan.deployment, self.options.deployment)
            )
        types = set(a.type for a in plan.actions if a.type in self.registry)
        for type_name in list(types):
            types |= set(self.registry[type_name].dependencies)
        inventory = self.refresh(sorted(t for t in types if t in self.registry))
        started = time.time()
        problems = stale_problems(plan, inventory, own, self.registry)
        if problems:
            raise StalePlanError(
                "plan %s is stale, the firewall changed since it was made: %s. Make a new plan"
                % (plan.id, "; ".join(problems)),
                details={"changes": problems},
            )
        fill_withheld(plan.actions, resources, self.registry, "plan %s" % plan.id)
        self.timer.add("plan", started)
        return plan, inventory

    def _base_result(self, plan: Optional[Plan]) -> Dict[str, Any]:
        result: Dict[str, Any] = {
            "changed": False,
            "run_id": self.run_id,
            "deployment": self.options.deployment,
            "firewall": self.state.firewall,
        }
        if plan is not None:
            result["plan_id"] = plan.id
            result["plan"] = plan.to_dict(self.registry, self.redactor, for_disk=False)
            result["plan"]["lines"] = plan.lines()
            if self.options.diff:
                result["diff"] = ansible_diff(plan, self.registry, self.redactor)
        return result

    def _finish(self, result: Dict[str, Any]) -> Dict[str, Any]:
        result["timings"] = self.timer.as_dict()
        return self.redactor.scrub(result)

    def close(self) -> None:
        self.pool.close()
        if self.events is not None:
            self.events.close()

    # -- plan ----------------------------------------------------------------------------------

    def plan(self, raw: Any) -> Dict[str, Any]:
        """Compute a plan and save it (not in check mode); nothing is written to the firewall."""
        try:
            resources, problems = self._parse(raw)
            own, others = self._states()
            plan, _inventory = self._make_plan(resources, own, others, problems)
            result = self._base_result(plan)
            result["has_changes"] = plan.has_changes
            if not self.options.check_mode:
                self.state.ensure()
                result["plan_path"] = self.state.save_plan(plan.id, plan.to_dict(self.registry, self.redactor))
            return self._finish(result)
        finally:
            self.close()

    # -- apply ---------------------------------------------------------------------------------

    def apply(self, raw: Any) -> Dict[str, Any]:
        try:
            return self._apply(raw)
        finally:
            self.close()

    def execute(
        self,
        prepare: Callable[[], Tuple[Plan, Inventory, DeploymentState]],
        on_success: Optional[Callable[[Dict[str, Any]], None]] = None,
    ) -> Dict[str, Any]:
        """Run a plan computed elsewhere (a checkpoint restore, ``_checkpoints_ops``) exactly as apply
        runs its own: under the firewall's lock, refusing while an earlier run is unfinished, journaled,
        with the pre-run checkpoint, verify, one reload per subsystem and rollback on failure.

        ``prepare`` is called under the lock, so nothing else writes between its reads and the writes;
        it returns the plan, the inventory it was made from and the deployment state (of
        ``options.deployment``) the plan's ``new_state`` replaces. ``on_success`` runs under the lock
        after a successful run. In check mode nothing is locked or written: the plan is returned.
        """
        try:
            if self.options.check_mode:
                plan = prepare()[0]
                result = self._base_result(plan)
                result["changed"] = plan.has_changes
                return self._finish(result)
            self.state.ensure()
            lock = self.state.lock()
            started = time.time()
            lock.acquire(self.options.lock_timeout, holder_info(self.run_id, self.options.deployment))
            self.timer.add("lock_wait", started)
            try:
                self._recover_unfinished([])
                plan, inventory, own = prepare()
                result = self._run(plan, inventory, own)
                if on_success is not None:
                    on_success(result)
                return self._finish(result)
            finally:
                lock.release()
        finally:
            self.close()

    def _apply(self, raw: Any) -> Dict[str, Any]:
        opts = self.options
        resources, problems = self._parse(raw)
        if problems and (opts.plan_id or raw is None):
            raise PlanError(problems, "validation")
        if opts.check_mode:
            own, others = self._states()
            if opts.plan_id:
                plan = self._saved_plan(resources, own)[0]
            else:
                plan = self._make_plan(resources, own, others, problems)[0]
            result = self._base_result(plan)
            result["changed"] = plan.has_changes
            return self._finish(result)
        self.state.ensure()
        lock = self.state.lock()
        started = time.time()
        lock.acquire(opts.lock_timeout, holder_info(self.run_id, opts.deployment))
        self.timer.add("lock_wait", started)
        try:
            recovered = self._recover_unfinished(resources)
            if recovered and raw is None and not opts.plan_id:
                result = self._base_result(None)
                result.update(changed=True, recovered=recovered)
                return self._finish(result)
            if raw is None and not opts.plan_id:
                result = self._base_result(None)
                result.update(recovered=[], msg="nothing to recover and no resources given")
                return self._finish(result)
            own, others = self._states()
            if opts.plan_id:
                plan, inventory = self._saved_plan(resources, own)
            else:
                plan, inventory = self._make_plan(resources, own, others, problems)
            result = self._run(plan, inventory, own)
            if recovered:
                result["recovered"] = recovered
            return self._finish(result)
        finally:
            lock.release()

    def _sink(self) -> EventSink:
        if self.events is None:
            self.events = EventSink(self.run_id, self.state.events_path(self.run_id), self.listeners, self.redactor)
        return self.events

    def _run(self, plan: Plan, inventory: Inventory, own: DeploymentState) -> Dict[str, Any]:
        opts = self.options
        events = self._sink()
        result = self._base_result(plan)
        result["events_path"] = events.path
        summary = plan.summary()
        events.emit(
            "run_start",
            total=len(plan.writes),
            stages=len([s for s in plan.stages if s]),
            summary=summary,
            deployment=opts.deployment,
            plan_id=plan.id,
        )
        if not plan.has_changes:
            self._save_state(plan.new_state, own)
            result["results"] = [self._action_result(a, None) for a in plan.actions if a.adopted]
            events.emit("run_done", status="ok", completed=0, total=0, percent=100, duration_ms=self._elapsed())
            return result
        journal = self.journal = Journal(self.state.journal_path(self.run_id), self.redactor)
        hooks = JournalHooks(journal)
        result["journal_path"] = journal.path
        journal.append(
            "begin",
            run_id=self.run_id,
            deployment=opts.deployment,
            firewall=self.state.firewall,
            firewall_version=inventory.version,
            pid=os.getpid(),
            host=socket.gethostname(),
            started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            plan_id=plan.id,
            actions=[a.to_dict(self.registry[a.type], self.redactor) for a in plan.actions if a.is_write],
            stages=plan.stages,
            new_state=plan.new_state,
            previous_state=own.as_dict(),
            subsystems=plan.subsystems(),
        )
        if opts.checkpoint:
            started = time.time()
            checkpoint_id = new_checkpoint_id(self.run_id)
            touched = sorted(set(a.type for a in plan.writes))
            objects = dict((t, dict((u, inventory.payload(t, u)) for u in inventory.objects(t))) for t in touched)
            save_checkpoint(
                self.state,
                checkpoint_id,
                self.run_id,
                opts.deployment,
                objects,
                self.registry,
                self.redactor,
                inventory.version,
                client=self.pool.client(),  # records the firewall's identity (host name) with the snapshot
            )
            journal.append("checkpoint", id=checkpoint_id)
            result["checkpoint_id"] = checkpoint_id
            self.timer.add("checkpoint", started)
        else:
            result["checkpoint_id"] = None
        writer = Writer(self.pool, self.registry)
        started = time.time()
        executor = Executor(
            plan,
            writer,
            Throttle(opts.write_concurrency),
            events,
            hooks,
            parallelism=opts.parallelism,
            continue_on_error=opts.continue_on_error,
            bulk_delete=supports_bulk_delete(inventory.version),
        )
        outcome = executor.run()
        self.timer.add("execute", started)
        by_id = plan.by_id()
        result["results"] = [
            self._action_result(a, outcome.outcomes.get(a.id)) for a in plan.actions if a.is_write or a.adopted
        ]
        result["changed"] = bool(outcome.maybe_applied())
        failure: Optional[OpnError] = None
        if outcome.failed:
            first = outcome.failed[0]
            failure = OpnError(
                "%d of %d writes failed; first: %s"
                % (len(outcome.failed), len(plan.writes), outcome.outcomes[first].error)
            )
        done = [by_id[i] for i in outcome.completion]
        if failure is None or not opts.rollback_on_failure:
            started = time.time()
            touched = sorted(set(a.type for a in done))
            try:
                problems = verify(done, read_types(self.pool, self.registry, touched, opts.parallelism), self.registry)
            except OpnError as exc:
                problems = ["reading back what was written failed: %s" % exc]
            self.timer.add("verify", started)
            if problems:
                failure = failure or VerifyError("read-back found differences: %s" % "; ".join(problems))
                result["verify_problems"] = problems
        if failure is None or not opts.rollback_on_failure:
            subsystems = sorted(set(a.subsystem for a in done if a.subsystem))
            started = time.time()
            reloads, reload_error = self._reload(subsystems, events)
            self.timer.add("reload", started)
            result["reloads"] = reloads
            if reload_error is not None:
                if isinstance(reload_error, UnreachableError):
                    return self._unreachable(result, journal, reload_error)
                failure = failure or reload_error
        if failure is not None and opts.rollback_on_failure:
            return self._roll_back(result, plan, outcome.maybe_applied(), journal, hooks, failure)
        state = plan.new_state if failure is None else partial_state(own, plan, outcome.completion)
        self._save_state(state, own)
        status = "ok" if failure is None else "failed"
        journal.append("end", status=status)
        journal.close()
        events.emit("run_done", status=status, duration_ms=self._elapsed(), **executor.progress.fields())
        if failure is not None:
            raise RunFailed(str(failure), result, failure)
        return result

    def _elapsed(self) -> float:
        return int(round((time.time() - self.timer.started) * 1000.0))

    def _liveness(self) -> None:
        check_alive(self.pool.client())

    def _reload(self, subsystems: List[str], events: EventSink) -> Tuple[List[Dict[str, Any]], Optional[OpnError]]:
        """Reload with the liveness check and, unless ``reconnect_timeout`` is 0, a bounded wait for
        the API when a reload drops the connection; the journal records the wait."""
        reconnect = None
        if self.options.reconnect_timeout > 0:
            record = self.journal.append if self.journal is not None else None
            reconnect = Reconnect(self._liveness, self.options.reconnect_timeout, record)
        return reload_all(self.client_factory, subsystems, events, self._liveness, reconnect)

    def _unreachable(self, result: Dict[str, Any], journal: Journal, error: OpnError) -> Dict[str, Any]:
        """The API stopped answering: nothing can be undone now. Leave the journal unfinished so the
        next apply refuses to start and names this run; it can be recovered once access is back."""
        journal.append("unreachable", error=str(error))
        journal.close()
        message = (
            "%s. A rule or reload may have cut this controller off. Nothing was rolled back; run %s is "
            "journaled in %s. Once the API answers again, re-run with recover: rollback (undo it) or "
            "recover: resume (complete it)" % (error.message, self.run_id, journal.path)
        )
        self._sink().emit("run_done", status="unreachable", duration_ms=self._elapsed(), error=message)
        raise RunFailed(message, result, UnreachableError(message))

    def _roll_back(
        self,
        result: Dict[str, Any],
        plan: Plan,
        maybe_applied: List[str],
        journal: Journal,
        hooks: JournalHooks,
        failure: OpnError,
    ) -> Dict[str, Any]:
        events = self._sink()
        by_id = plan.by_id()
        steps = [undo_step(by_id[i]) for i in reversed(maybe_applied)]
        journal.append("rollback_start", reason=str(failure), steps=[s.action_id for s in steps])
        started = time.time()
        rollback = Rollback(Writer(self.pool, self.registry), self.registry, events, hooks).run(steps, "failed")
        outcome = self._after_undo(rollback, steps, events)
        self.timer.add("rollback", started)
        result["rolled_back"] = outcome.rolled_back
        result["rollback_failures"] = outcome.failed
        status = "ok" if outcome.ok else "failed"
        events.emit("rollback_done", status=status, total=len(steps), completed=len(outcome.rolled_back))
        if isinstance(failure, UnreachableError) or any(f.get("status") == "unreachable" for f in outcome.failed):
            return self._unreachable(result, journal, failure)
        journal.append("end", status="rolled_back" if outcome.ok else "rollback_failed", failures=outcome.failed)
        journal.close()
        events.emit(
            "run_done",
            status="rolled_back" if outcome.ok else "rollback_failed",
            duration_ms=self._elapsed(),
            completed=len(plan.writes),
            total=len(plan.writes),
            percent=100,
        )
        result["changed"] = not outcome.ok
        message = "%s; rolled back %d write(s)" % (failure, len(outcome.rolled_back))
        if outcome.failed:
            message += "; %d undo(s) FAILED: %s" % (
                len(outcome.failed),
                "; ".join("%s: %s" % (f["id"], f["error"]) for f in outcome.failed),
            )
        raise RunFailed(message, result, failure)

    def _after_undo(self, rollback: RollbackResult, steps: List[UndoStep], events: EventSink) -> RollbackResult:
        """Reload what the undos touched, then check that the pre-apply state is back."""
        if rollback.subsystems:
            reloads, error = self._reload(rollback.subsystems, events)
            if error is not None:
                rollback.failed.append(
                    {
                        "id": "reload",
                        "undo": "reload",
                        "error": str(error),
                        "status": "unreachable" if isinstance(error, UnreachableError) else "failed",
                    }
                )
                return rollback
        failed_ids = set(f["id"] for f in rollback.failed)
        checked = [s for s in steps if s.action_id not in failed_ids]
        if checked:
            try:
                rows = read_types(
                    self.pool, self.registry, sorted(set(s.type for s in checked)), self.options.parallelism
                )
            except OpnError as exc:
                rollback.failed.append(
                    {"id": "verify", "undo": "verify", "error": "reading back after the rollback failed: %s" % exc}
                )
                return rollback
            rollback.failed.extend(verify_undone(checked, rows, self.registry))
        return rollback

    def _save_state(self, entries: List[Dict[str, Any]], own: DeploymentState) -> None:
        state = DeploymentState(self.options.deployment)
        for item in entries:
            managed = ManagedResource.from_dict(item)
            state.resources[managed.key] = managed
        state.last_run = self.run_id
        if state.as_dict()["resources"] != own.as_dict()["resources"] or not os.path.exists(
            self.state.deployment_path(state.name)
        ):
            self.state.save_deployment(state)

    def _action_result(self, action: Action, outcome: Optional[Outcome]) -> Dict[str, Any]:
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

    # -- recovery ------------------------------------------------------------------------------

    def _recover_unfinished(self, resources: List[Resource]) -> List[Dict[str, Any]]:
        runs = unfinished_runs(self.state)
        if not runs:
            return []
        if not self.options.recover:
            run = runs[0]
            raise UnfinishedRunError(
                "an earlier apply did not finish: %s. Re-run with recover: rollback (undo what it did) or "
                "recover: resume (complete it) before applying again" % run.describe(),
                details={"unfinished_runs": [r.run_id for r in runs]},
            )
        return [self._recover(run, resources) for run in runs]

    def _recover(self, run: RunRecord, resources: List[Resource]) -> Dict[str, Any]:
        mode = self.options.recover
        actions = [Action.from_dict(a) for a in run.actions]
        by_id = dict((a.id, a) for a in actions)
        status = run.action_status()
        events = self._sink()
        journal = self.journal = Journal(run.path, self.redactor)
        hooks = JournalHooks(journal)
        journal.append("recovery_start", mode=mode, by_run=self.run_id, pid=os.getpid(), host=socket.gethostname())
        report: Dict[str, Any] = {"run_id": run.run_id, "mode": mode, "journal_path": run.path, "problems": []}
        started = time.time()
        if mode == "rollback":
            order = [i for i in run.intent_order() if status.get(i) in ("done", "uncertain") and i in by_id]
            steps = [undo_step(by_id[i]) for i in reversed(order)]
            rollback = Rollback(Writer(self.pool, self.registry), self.registry, events, hooks).run(steps, "recover")
            outcome = self._after_undo(rollback, steps, events)
            events.emit(
                "rollback_done",
                status="ok" if outcome.ok else "failed",
                total=len(steps),
                completed=len(outcome.rolled_back),
            )
            report["rolled_back"] = outcome.rolled_back
            report["rollback_failures"] = outcome.failed
            previous = run.begin.get("previous_state")
            if previous is not None:
                restored = DeploymentState.from_dict(str(run.begin.get("deployment")), previous)
                if os.path.exists(self.state.deployment_path(restored.name)) or restored.resources:
                    self.state.save_deployment(restored)
            final = "rolled_back" if outcome.ok else "rollback_failed"
        else:
            pending = [
                a for a in sorted(actions, key=lambda a: ((a.stage or 0), a.order)) if status.get(a.id) != "done"
            ]
            fill_withheld(
                pending, resources, self.registry, "run %s" % run.run_id, required=False, warnings=report["problems"]
            )
            writer = Writer(self.pool, self.registry)
            failures = []
            for action in pending:
                outcome = Outcome("ok", started=time.time())
                seq = hooks.before_write([action])
                try:
                    writer.write([action])
                except OpnError as exc:
                    outcome.status, outcome.error = "failed", str(exc)
                outcome.ended = time.time()
                hooks.after_write(seq, [action], outcome)
                if outcome.status != "ok":
                    failures.append({"id": action.id, "error": outcome.error})
            report["completed"] = [a.id for a in pending]
            if failures:
                journal.close()
                raise OpnError(
                    "resuming run %s failed (the run stays unfinished; fix the cause and resume again, or recover: "
                    "rollback): %s" % (run.run_id, "; ".join("%s: %s" % (f["id"], f["error"]) for f in failures))
                )
            subsystems = sorted(set(a.subsystem for a in actions if a.subsystem))
            reloads, error = self._reload(subsystems, events)
            report["reloads"] = reloads
            if error is not None:
                journal.close()
                raise error
            rows = read_types(self.pool, self.registry, sorted(set(a.type for a in actions)), self.options.parallelism)
            problems = verify(actions, rows, self.registry)
            if problems:
                journal.close()
                raise VerifyError("resumed run %s does not match its plan: %s" % (run.run_id, "; ".join(problems)))
            new_state = DeploymentState(str(run.begin.get("deployment")))
            for item in run.begin.get("new_state", []):
                managed = ManagedResource.from_dict(item)
                new_state.resources[managed.key] = managed
            new_state.last_run = run.run_id
            self.state.save_deployment(new_state)
            final = "resumed"
        journal.append("end", status=final, by_run=self.run_id)
        journal.close()
        report["status"] = final
        report["duration_ms"] = int(round((time.time() - started) * 1000.0))
        if final == "rollback_failed":
            raise RunFailed(
                "recovering run %s: %d undo(s) failed: %s"
                % (
                    run.run_id,
                    len(report["rollback_failures"]),
                    "; ".join("%s: %s" % (f["id"], f["error"]) for f in report["rollback_failures"]),
                ),
                {"recovered": [report]},
            )
        return report


# -- helpers -------------------------------------------------------------------------------------


def stale_problems(
    plan: Plan, inventory: Inventory, own: DeploymentState, registry: Dict[str, ResourceSpec]
) -> List[str]:
    """What changed on the firewall (or in the deployment state) since the plan was made."""
    problems: List[str] = []
    if own.fingerprint() != plan.state_fingerprint:
        problems.append("deployment %r was changed by another run (state %s)" % (plan.deployment, own.last_run or "?"))
    for action in plan.actions:
        spec = registry.get(action.type)
        if spec is None:
            problems.append("%s: unknown type" % action.id)
            continue
        current = inventory.payload(action.type, action.uuid)
        if action.op == CREATE:
            if current is not None:
                problems.append("%s: an object with its planned uuid %s now exists" % (action.id, action.uuid))
                continue
            key = identity_key(spec, dict((k, v) for k, v in action.identity.items()))
            same = [u for u, values in inventory.objects(action.type).items() if identity_key(spec, values) == key]
            if same:
                problems.append(
                    "%s: an object with the same identity was created on the firewall (uuid %s)" % (action.id, same[0])
                )
            continue
        if current is None:
            problems.append("%s: deleted from the firewall since the plan (uuid %s)" % (action.id, action.uuid))
            continue
        if fingerprint(spec, current) != action.fingerprint:
            before = action.before or {}
            fields = sorted(
                (spec.by_api(k).name if spec.by_api(k) else k)
                for k in set(before) | set(current)
                if before.get(k) != current.get(k) and not (spec.by_api(k) and spec.by_api(k).sensitive)
            )
            problems.append(
                "%s: changed on the firewall since the plan (%s)" % (action.id, ", ".join(fields) or "values")
            )
    return problems


def fill_withheld(
    actions: List[Action],
    resources: List[Resource],
    registry: Dict[str, ResourceSpec],
    what: str,
    required: bool = True,
    warnings: Optional[List[str]] = None,
) -> None:
    """Put back the sensitive values a stored plan or journal left out, from the task's resources."""
    by_key = dict((r.key, r) for r in resources)
    missing = []
    for action in actions:
        if not action.withheld or not action.is_write or action.op == "delete":
            continue
        spec = registry[action.type]
        resource = by_key.get(action.id)
        for api in action.withheld:
            item = spec.by_api(api)
            if item is None:
                continue
            if resource is not None and item.name in resource.properties:
                action.payload[api] = encode(item, resource.properties[item.name])
                if item.name in action.expected:
                    action.expected[item.name] = normalise_value(item, resource.properties[item.name])
            else:
                missing.append("%s.%s" % (action.id, item.name))
                action.expected.pop(item.name, None)
    if missing:
        text = (
            "%s left out secret value(s) %s (secrets are never written to disk); pass the same resources in this task"
            % (
                what,
                ", ".join(missing),
            )
        )
        if required:
            raise PlanError([text], "withheld")
        if warnings is not None:
            warnings.append(text + "; they were not sent")


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


# -- options of the action plugins ---------------------------------------------------------------


def plan_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of ``opnform.opnsense.plan`` (documented in ``plugins/modules/plan.py``)."""
    from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import connection_argspec

    spec: Dict[str, Dict[str, Any]] = {
        "resources": {"type": "list", "elements": "dict"},
        "resources_file": {"type": "path"},
        "deployment": {"type": "str", "default": "default"},
        "prune": {"type": "bool", "default": False},
        "parallelism": {"type": "int", "default": 5},
        "state_dir": {"type": "path"},
    }
    spec.update(connection_argspec())
    return spec


def apply_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of ``opnform.opnsense.apply`` (documented in ``plugins/modules/apply.py``)."""
    spec = plan_argspec()
    spec.update(
        {
            "plan_id": {"type": "str"},
            "write_concurrency": {"type": "int", "default": 1},
            "rollback_on_failure": {"type": "bool", "default": True},
            "continue_on_error": {"type": "bool", "default": False},
            "checkpoint": {"type": "bool", "default": True},
            "recover": {"type": "str", "choices": list(RECOVER_MODES)},
            "lock_timeout": {"type": "float", "default": 300.0},
            "reconnect_timeout": {"type": "float", "default": DEFAULT_RECONNECT_TIMEOUT},
            "progress_file": {"type": "path"},
        }
    )
    return spec


def reconnect_timeout(args: Dict[str, Any]) -> float:
    """``reconnect_timeout`` in seconds (0 turns the wait off); negative values are refused."""
    value = args.get("reconnect_timeout")
    value = DEFAULT_RECONNECT_TIMEOUT if value is None else float(value)
    if value < 0:
        raise OpnError("reconnect_timeout must be 0 or more seconds, got %g" % value)
    return value


def _count(args: Dict[str, Any], name: str, default: int) -> int:
    """A worker count option: unset means ``default``; 0 or less is refused, not silently replaced."""
    value = args.get(name)
    if value is None:
        return default
    if int(value) < 1:
        raise OpnError("%s must be at least 1, got %s" % (name, value))
    return int(value)


def options_from(args: Dict[str, Any], check_mode: bool, diff: bool) -> Tuple[Connection, Options]:
    """The engine's inputs from validated task arguments."""
    conn = Connection(
        api_url=args["api_url"],
        api_key=args["api_key"],
        api_secret=args["api_secret"],
        validate_certs=bool(args.get("validate_certs", True)),
        ca_path=args.get("ca_path"),
        timeout=float(args.get("timeout") or DEFAULT_TIMEOUT),
    )
    parallelism = _count(args, "parallelism", 5)
    write_concurrency = _count(args, "write_concurrency", 1)
    opts = Options(
        deployment=args.get("deployment") or "default",
        prune=bool(args.get("prune")),
        plan_id=args.get("plan_id"),
        parallelism=parallelism,
        write_concurrency=write_concurrency,
        rollback_on_failure=bool(args.get("rollback_on_failure", True)),
        continue_on_error=bool(args.get("continue_on_error", False)),
        checkpoint=bool(args.get("checkpoint", True)),
        recover=args.get("recover"),
        lock_timeout=float(args.get("lock_timeout") if args.get("lock_timeout") is not None else 300.0),
        reconnect_timeout=reconnect_timeout(args),
        state_dir=args.get("state_dir"),
        check_mode=check_mode,
        diff=diff,
    )
    return conn, opts
