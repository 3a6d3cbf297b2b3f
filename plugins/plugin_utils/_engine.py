# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One plan or apply task from start to end (design.md 3): the order in which the parts are used.

The action plugins parse their options and call :meth:`Engine.plan`, :meth:`Engine.apply` or
:meth:`Engine.execute` (a plan made elsewhere: a checkpoint restore). The engine owns only the
order; each part is its own module:

1. parse and validate the resources (``_resources``), before any request;
2. in check mode, plan and stop; otherwise take the firewall's lock (``_session``) and recover or
   refuse an unfinished run (``_recovery``);
3. refresh: one read per type, in parallel, plus the version and the option lists validation needs
   (``_session.refresh``);
4. plan (``_planner``; every validation problem is reported at once) or load a saved plan and refuse
   it if the firewall changed since (``_saved_plan``);
5. run the plan's steps (``_steps``: execute, verify, reload, roll back) with the journal, the
   checkpoint, the deployment state and the events as hooks (``_run_hooks``).

Failures come out as ``_steps.RunFailed`` carrying the partial result, so the entry point can report
what happened next to the error.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._facts import needs_blank
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import Journal
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Inventory, Plan, ansible_diff
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import (
    PlanError,
    Planner,
    Resource,
    types_to_read,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._recovery import recover_unfinished
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import read_resources, record
from ansible_collections.opnform.opnsense.plugins.plugin_utils._run_hooks import (
    CheckpointHook,
    EventsHook,
    Hooks,
    JournalHook,
    RunHooks,
    StateHook,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._saved_plan import load_saved_plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._session import Session, cycle_collection_paused
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import ApplyRun, run_steps

# The result's plan is scrubbed when it is made (``Plan.to_dict``); ``finish`` leaves it as it is.
PLAN_SCRUBBED = ("plan",)


class Engine(Session):
    """Plan or apply one deployment on one firewall: a :class:`Session` and the order of the work."""

    # -- parts every task shares ------------------------------------------------------------------

    def _parse(self, raw: Any) -> Tuple[List[Resource], List[str]]:
        """The task's resources and every problem found in them before the firewall is read."""
        started = time.time()
        resources, problems = read_resources(raw, self.registry, self.canonical)
        for resource in resources:
            self.redactor.add_record(self.registry[resource.type], resource.properties)
        self.timer.add("validate", started)
        return resources, problems

    def _make_plan(self, resources: List[Resource], problems: List[str]) -> Tuple[Plan, Inventory, DeploymentState]:
        """A new plan (or, with ``plan_id``, the saved one, checked against the firewall)."""
        own, others = self.deployments()
        if self.options.plan_id:
            plan, inventory = load_saved_plan(self, resources, own)
            return plan, inventory, own
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
            self.registry,
            self.options.deployment,
            self.state.firewall,
            own,
            others,
            prune=self.options.prune,
            adopt=self.options.adopt,
        )
        plan = planner.plan(resources, inventory, problems=problems)
        self.timer.add("plan", started)
        return plan, inventory, own

    def _blanks(self, resources: List[Resource]) -> List[str]:
        """The types whose option lists the task's values need (``_facts.needs_blank``)."""
        by_type: Dict[str, List[Dict[str, Any]]] = {}
        for resource in resources:
            by_type.setdefault(resource.type, []).append(record(self.registry[resource.type], resource))
        return sorted(t for t, records in by_type.items() if needs_blank(self.registry[t], records))

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
            result["plan"]["lines"] = self.redactor.scrub(plan.lines())  # to_dict scrubbed the rest
            result["drift"] = plan.drift
            if self.options.diff:
                result["diff"] = ansible_diff(plan, self.registry, self.redactor)
        return result

    def _preview(self, plan: Plan) -> Dict[str, Any]:
        """Check mode's answer: the plan, and whether applying it would change anything."""
        result = self._base_result(plan)
        result["changed"] = plan.has_changes
        return self.finish(result, scrubbed=PLAN_SCRUBBED)

    @contextmanager
    def _exclusive(self, resources: List[Resource]) -> Iterator[List[Dict[str, Any]]]:
        """Hold the firewall's lock and recover (or refuse) an unfinished run first; yields the
        recovery reports."""
        with self.locked():
            yield recover_unfinished(self, resources)

    def _hooks(self, plan: Plan) -> Hooks:
        """What records a run: events and the deployment state always; the journal and the
        checkpoint only when there is something to write."""
        hooks: List[RunHooks] = [EventsHook()]
        if plan.has_changes:
            hooks.append(JournalHook(Journal(self.state.journal_path(self.run_id), self.redactor)))
            hooks.append(CheckpointHook())
        hooks.append(StateHook())
        return Hooks(hooks)

    def _run(self, plan: Plan, inventory: Inventory, own: DeploymentState) -> Dict[str, Any]:
        run = ApplyRun(
            self,
            plan,
            inventory,
            own,
            self._hooks(plan),
            self._base_result(plan),
            rollback_on_failure=self.options.rollback_on_failure,
        )
        return run_steps(run)

    # -- the tasks --------------------------------------------------------------------------------

    def plan(self, raw: Any) -> Dict[str, Any]:
        """Compute a plan and save it (not in check mode); nothing is written to the firewall."""
        with cycle_collection_paused():
            return self._plan(raw)

    def _plan(self, raw: Any) -> Dict[str, Any]:
        try:
            resources, problems = self._parse(raw)
            plan = self._make_plan(resources, problems)[0]
            result = self._base_result(plan)
            result["has_changes"] = plan.has_changes
            if not self.options.check_mode:
                self.state.ensure()
                result["plan_path"] = self.state.save_plan(plan.id, plan.to_dict(self.registry, self.redactor))
            return self.finish(result, scrubbed=PLAN_SCRUBBED)
        finally:
            self.close()

    def apply(self, raw: Any) -> Dict[str, Any]:
        """Plan (or load the saved plan) and run it; with ``recover``, first finish an earlier run."""
        with cycle_collection_paused():
            return self._apply(raw)

    def _apply(self, raw: Any) -> Dict[str, Any]:
        try:
            resources, problems = self._parse(raw)
            if problems and (self.options.plan_id or raw is None):
                raise PlanError(problems, "validation")
            if self.options.check_mode:
                return self._preview(self._make_plan(resources, problems)[0])
            with self._exclusive(resources) as recovered:
                if raw is None and not self.options.plan_id:
                    result = self._base_result(None)
                    if recovered:
                        result.update(changed=True, recovered=recovered)
                    else:
                        result.update(recovered=[], msg="nothing to recover and no resources given")
                    return self.finish(result)
                result = self._run(*self._make_plan(resources, problems))
                if recovered:
                    result["recovered"] = recovered
                return self.finish(result, scrubbed=PLAN_SCRUBBED)
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
        with cycle_collection_paused():
            return self._execute(prepare, on_success)

    def _execute(
        self,
        prepare: Callable[[], Tuple[Plan, Inventory, DeploymentState]],
        on_success: Optional[Callable[[Dict[str, Any]], None]],
    ) -> Dict[str, Any]:
        try:
            if self.options.check_mode:
                return self._preview(prepare()[0])
            with self._exclusive([]):
                result = self._run(*prepare())
                if on_success is not None:
                    on_success(result)
                return self.finish(result, scrubbed=PLAN_SCRUBBED)
        finally:
            self.close()
