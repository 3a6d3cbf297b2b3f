# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a plan that was made earlier: a saved plan (``plan_id``) or the rest of a journaled run.

Such a plan is only as good as the firewall it was made against, and it was stored without its
secrets (nothing sensitive is ever written to disk). So before it runs: refuse it when the firewall
or the deployment changed since it was made (:func:`stale_problems`), and take its withheld secret
values from the task's resources (:func:`fill_withheld`).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._diff import identity_key
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import encode
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import normalise as normalise_value
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import CREATE, Action, Inventory, Plan, fingerprint
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import PlanError, Resource
from ansible_collections.opnform.opnsense.plugins.plugin_utils._session import Session
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState


class StalePlanError(OpnError):
    """A saved plan no longer matches the firewall or the deployment state."""

    kind = "stale_plan"


def load_saved_plan(session: Session, resources: List[Resource], own: DeploymentState) -> Tuple[Plan, Inventory]:
    """The plan ``options.plan_id`` names, checked against what the firewall holds now (one read of
    each type it touches and their dependencies) and given back its secrets from ``resources``."""
    options = session.options
    plan = Plan.from_dict(session.state.load_plan(str(options.plan_id)))
    if plan.firewall != session.state.firewall:
        raise StalePlanError(
            "plan %s was made for firewall %s, not %s" % (plan.id, plan.firewall, session.state.firewall)
        )
    if plan.deployment != options.deployment:
        raise StalePlanError(
            "plan %s belongs to deployment %r; this task is for deployment %r"
            % (plan.id, plan.deployment, options.deployment)
        )
    registry = session.registry
    types = set(a.type for a in plan.actions if a.type in registry)
    for type_name in list(types):
        types |= set(registry[type_name].dependencies)
    inventory = session.refresh(sorted(t for t in types if t in registry))
    problems = stale_problems(plan, inventory, own, registry)
    if problems:
        raise StalePlanError(
            "plan %s is stale, the firewall changed since it was made: %s. Make a new plan"
            % (plan.id, "; ".join(problems)),
            details={"changes": problems},
        )
    fill_withheld(plan.actions, resources, registry, "plan %s" % plan.id)
    return plan, inventory


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
