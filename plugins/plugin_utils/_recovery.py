# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finishing what a killed or cut-off run left unfinished, before anything else is applied.

An apply that finds an unfinished journal refuses to start unless told how to recover it:

- ``recover: rollback`` undoes, newest first, every write the journal shows as done or uncertain
  (``_steps.undo``) and puts back the deployment state the run started from;
- ``recover: resume`` runs the rest of the run's plan: the actions not known to be done, walked by
  the same executor as any apply (``_steps.execute``) with the same journal as their hook, then
  verifies and reloads like an apply and saves the state the run planned.

Either way the journal gets its ``end``, naming the run that recovered it.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any, Dict, List

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import (
    Journal,
    RunRecord,
    UnfinishedRunError,
    unfinished_runs,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import Resource
from ansible_collections.opnform.opnsense.plugins.plugin_utils._rollback import undo_step
from ansible_collections.opnform.opnsense.plugins.plugin_utils._run_hooks import Hooks, JournalHook
from ansible_collections.opnform.opnsense.plugins.plugin_utils._saved_plan import fill_withheld
from ansible_collections.opnform.opnsense.plugins.plugin_utils._session import Session
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import (
    ApplyRun,
    RunFailed,
    Step,
    execute,
    reload_subsystems,
    run_steps,
    undo,
    verify_writes,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._verify import VerifyError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import Writer


def recover_unfinished(session: Session, resources: List[Resource]) -> List[Dict[str, Any]]:
    """Recover every unfinished run of this firewall as ``options.recover`` says, oldest first; with
    no ``recover`` option, refuse naming the run. Returns one report per run."""
    runs = unfinished_runs(session.state)
    if not runs:
        return []
    if not session.options.recover:
        raise UnfinishedRunError(
            "an earlier apply did not finish: %s. Re-run with recover: rollback (undo what it did) or "
            "recover: resume (complete it) before applying again" % runs[0].describe(),
            details={"unfinished_runs": [r.run_id for r in runs]},
        )
    return [recover(session, run, resources) for run in runs]


def recover(session: Session, run: RunRecord, resources: List[Resource]) -> Dict[str, Any]:
    mode = session.options.recover
    journal = session.journal = Journal(run.path, session.redactor)
    journal.append("recovery_start", mode=mode, by_run=session.run_id, pid=os.getpid(), host=socket.gethostname())
    report: Dict[str, Any] = {"run_id": run.run_id, "mode": mode, "journal_path": str(run.path), "problems": []}
    started = time.time()
    try:
        if mode == "rollback":
            final = _roll_back(session, run, journal, report)
        else:
            final = _resume(session, run, resources, journal, report)
    except OpnError:
        journal.close()  # the run stays unfinished: no ``end``
        raise
    journal.append("end", status=final, by_run=session.run_id)
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


def _roll_back(session: Session, run: RunRecord, journal: Journal, report: Dict[str, Any]) -> str:
    actions = _journaled_plan(run).by_id()
    status = run.action_status()
    order = [i for i in run.intent_order() if status.get(i) in ("done", "uncertain") and i in actions]
    steps = [undo_step(actions[i]) for i in reversed(order)]
    outcome = undo(session, JournalHook(journal), steps, "recover")
    report["rolled_back"] = outcome.rolled_back
    report["rollback_failures"] = outcome.failed
    previous = run.begin.get("previous_state")
    if previous is not None:
        restored = DeploymentState.from_dict(str(run.begin.get("deployment")), previous)
        if session.state.has_deployment(restored.name) or restored.resources:
            session.state.save_deployment(restored)
    return "rolled_back" if outcome.ok else "rollback_failed"


def _resume(
    session: Session, run: RunRecord, resources: List[Resource], journal: Journal, report: Dict[str, Any]
) -> str:
    journaled = _journaled_plan(run)
    status = run.action_status()
    status.update(_landed(session, journaled, status))
    pending = [a for a in journaled.actions if status.get(a.id) != "done"]
    what = "run %s" % run.run_id
    fill_withheld(pending, resources, session.registry, what, required=False, warnings=report["problems"])
    deployment = str(run.begin.get("deployment"))
    rest = _rest_of_plan(journaled, pending)
    resumed = ApplyRun(
        session,
        rest,
        None,
        DeploymentState(deployment),
        Hooks([JournalHook(journal)]),
        {},
        rollback_on_failure=False,
        done_before=[a for a in journaled.actions if status.get(a.id) == "done"],
    )
    run_steps(resumed, [Step("execute", execute)])
    report["completed"] = [a.id for a in pending]
    if resumed.failure is not None:
        failed = [r for r in resumed.result["results"] if r.get("status") == "failed"]
        raise OpnError(
            "resuming run %s failed (the run stays unfinished; fix the cause and resume again, or recover: "
            "rollback): %s" % (run.run_id, "; ".join("%s: %s" % (r["id"], r.get("error")) for r in failed))
        )
    run_steps(resumed, [Step("verify", verify_writes), Step("reload", reload_subsystems)])
    report["reloads"] = resumed.result.get("reloads", [])
    if resumed.failure is not None:
        if "verify_problems" in resumed.result:
            raise VerifyError(
                "resumed run %s does not match its plan: %s"
                % (run.run_id, "; ".join(resumed.result["verify_problems"]))
            )
        raise resumed.failure
    new_state = DeploymentState(deployment)
    for item in rest.new_state:  # the run's planned state, under the uuids the firewall gave
        managed = ManagedResource.from_dict(item)
        new_state.resources[managed.key] = managed
    new_state.last_run = run.run_id
    session.state.save_deployment(new_state)
    return "resumed"


def _landed(session: Session, plan: Plan, status: Dict[str, str]) -> Dict[str, str]:
    """Creates of an unfinished bulk request that picks uuids itself: an import saves all of them
    or none, with their planned values, so one found by its identity landed (it is re-keyed and
    counts as done; sending it again would meet its own name). Returns their new status."""
    writer = Writer(session.pool, session.registry)
    found: Dict[str, str] = {}
    rows: Dict[str, Any] = {}  # one read per type: nothing is written meanwhile
    for action in plan.actions:
        if action.located and status.get(action.id) == "uncertain":
            spec = session.registry[action.type]
            if action.type not in rows:
                rows[action.type] = writer.rows(spec)
            uuid = writer.locate(spec, action.uuid, action.identity, rows[action.type])
            if uuid is not None:
                found[action.id] = uuid
    plan.rekey(found)
    return dict((action_id, "done") for action_id in found)


def _journaled_plan(run: RunRecord) -> Plan:
    """The run's plan as its journal holds it, with what its writes learnt: creates found under
    uuids the firewall picked are re-keyed (``done`` records), and creates that may have landed so
    are marked to be found by identity (``located`` records)."""
    plan = Plan(
        id=str(run.begin.get("plan_id") or run.run_id),
        deployment=str(run.begin.get("deployment")),
        firewall=str(run.begin.get("firewall")),
        actions=[Action.from_dict(a) for a in run.actions],
        stages=[list(s) for s in run.begin.get("stages") or []],
        new_state=list(run.begin.get("new_state") or []),
        keep_uuids=bool(run.begin.get("keep_uuids")),
    )
    located = set(run.located())
    for action in plan.actions:
        action.located = action.id in located
    plan.rekey(run.rekeyed())
    return plan


def _rest_of_plan(journaled: Plan, pending: List[Action]) -> Plan:
    """The journaled plan cut down to ``pending``: its edges and stages keep only what is left."""
    ids = set(a.id for a in pending)
    for action in pending:
        action.after = [i for i in action.after if i in ids]
    stages = [[i for i in stage if i in ids] for stage in journaled.stages]
    return Plan(
        id=journaled.id,
        deployment=journaled.deployment,
        firewall=journaled.firewall,
        actions=pending,
        stages=[s for s in stages if s],
        new_state=journaled.new_state,
        keep_uuids=journaled.keep_uuids,
    )
