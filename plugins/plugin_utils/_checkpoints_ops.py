# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``opnform.opnsense.checkpoint`` and ``opnform.opnsense.checkpoint_info`` do, on the controller.

The two action plugins only parse their options and call :func:`run_checkpoint` or
:func:`run_checkpoint_info` (design.md 7.2). This module wires the store (``_checkpoints``), the
restore planner (``_checkpoints_restore``) and the apply engine (``_engine``) together:

- *present*: under the firewall's lock (so no apply is half-way), read the firewall's identity and
  every object of the scope in parallel, optionally its config.xml, write the checkpoint, then
  apply the retention (keep the newest N of the deployment);
- *absent*: delete the file;
- *restored*: verify the file before any request, refuse a checkpoint of another firewall unless
  ``force``, then let the engine run the restore plan (``Engine.execute``): lock, journal, a safety
  checkpoint of what the restore changes, executor, verify, reloads, and rollback on failure, so a
  restore that fails half-way leaves the firewall as it was before the restore;
- *info*: list the checkpoints, or show one with the plan of its restore against the firewall now.

Check mode reads but writes nothing, neither to the firewall nor to the controller state.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._facts import needs_blank
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import decode_row
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints import (
    CheckpointError,
    WrongFirewall,
    delete_checkpoint,
    describe_identity,
    download_config_backup,
    firewall_identity,
    generate_id,
    get_checkpoint,
    identity_differences,
    list_checkpoints,
    load_checkpoint,
    read_checkpoint,
    retention,
    save_checkpoint,
    summary,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_restore import (
    RestorePlan,
    context_types,
    parse_secrets,
    plan_restore,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import Listener
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import unfinished_runs
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import (
    Connection,
    Options,
    options_from,
    state_argspec,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Inventory, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import PlanError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._session import Session
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    DeploymentState,
    StateBackend,
    check_name,
    open_state,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import RunFailed

STATES = ("present", "absent", "restored")


# -- options ---------------------------------------------------------------------------------------


def checkpoint_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of ``opnform.opnsense.checkpoint`` (documented in ``plugins/modules/checkpoint.py``)."""
    from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import connection_argspec

    spec: Dict[str, Dict[str, Any]] = {
        "state": {"type": "str", "default": "present", "choices": list(STATES)},
        "id": {"type": "str", "aliases": ["checkpoint_id"]},
        "description": {"type": "str"},
        "deployment": {"type": "str", "default": "default"},
        "scope": {"type": "list", "elements": "str"},
        "include_config_backup": {"type": "bool", "default": False},
        "retain": {"type": "int"},
        "path": {"type": "path"},
        "force": {"type": "bool", "default": False},
        "secrets": {"type": "dict", "no_log": True},
        "checkpoint_before_restore": {"type": "bool", "default": True},
        "parallelism": {"type": "int", "default": 5},
        "write_concurrency": {"type": "int", "default": 1},
        "lock_timeout": {"type": "float", "default": 300.0},
        "state_dir": {"type": "path"},
        "progress_file": {"type": "path"},
    }
    spec.update(state_argspec())
    spec.update(connection_argspec())
    return spec


def checkpoint_info_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of ``opnform.opnsense.checkpoint_info`` (documented in ``plugins/modules/checkpoint_info.py``)."""
    from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import connection_argspec

    spec: Dict[str, Dict[str, Any]] = {
        "id": {"type": "str", "aliases": ["checkpoint_id"]},
        "path": {"type": "path"},
        "deployment": {"type": "str"},
        "restore_preview": {"type": "bool", "default": True},
        "show_objects": {"type": "bool", "default": False},
        "parallelism": {"type": "int", "default": 5},
        "state_dir": {"type": "path"},
    }
    spec.update(state_argspec())
    spec.update(connection_argspec())
    return spec


def resolve_scope(
    scope: Optional[List[str]],
    registry: Dict[str, ResourceSpec],
    canonical: Callable[[str], str] = canonical_type,
) -> Tuple[List[str], List[str]]:
    """``(required, optional)`` types to read. Without ``scope``: every type, those of plugins that
    may be missing (HAProxy) optional. With ``scope``: those types (aliases accepted), all required."""
    if not scope:
        required = [t for t, s in registry.items() if not s.plugin]
        optional = [t for t, s in registry.items() if s.plugin]
        return sorted(required), sorted(optional)
    problems = []
    types = []
    for name in scope:
        try:
            type_name = canonical(str(name))
        except KeyError as exc:
            problems.append(str(exc.args[0] if exc.args else exc))
            continue
        if type_name not in registry:
            problems.append("unknown resource type %r" % name)
            continue
        if type_name not in types:
            types.append(type_name)
    if problems:
        raise CheckpointError("scope: %s" % "; ".join(problems))
    return sorted(types), []


def _connection_and_options(args: Dict[str, Any], check_mode: bool, diff: bool) -> Tuple[Connection, Options]:
    conn, opts = options_from(args, check_mode, diff)
    opts.rollback_on_failure = True  # a restore that fails half-way must leave the firewall as it was
    opts.continue_on_error = False
    opts.checkpoint = bool(args.get("checkpoint_before_restore", True))
    opts.prune = False
    opts.plan_id = None
    opts.recover = None
    return conn, opts


def _load(state: StateBackend, args: Dict[str, Any]) -> Dict[str, Any]:
    """The checkpoint named by ``path`` or ``id``, verified before any request is sent."""
    if args.get("path"):
        return read_checkpoint(os.path.abspath(os.path.expanduser(args["path"])), args.get("id") or None)
    if not args.get("id"):
        raise CheckpointError("id (or path) is required to name the checkpoint")
    return get_checkpoint(state, check_name("checkpoint", args["id"]))


# -- entry points ----------------------------------------------------------------------------------


def run_checkpoint(
    args: Dict[str, Any],
    check_mode: bool = False,
    diff: bool = False,
    listeners: Optional[List[Listener]] = None,
    registry: Optional[Dict[str, ResourceSpec]] = None,
) -> Dict[str, Any]:
    """The whole ``opnform.opnsense.checkpoint`` task; raises :class:`OpnError` (``RunFailed`` with
    the partial result for a failed restore)."""
    registry = registry if registry is not None else REGISTRY
    conn, opts = _connection_and_options(args, check_mode, diff)
    state = args.get("state") or "present"
    if state == "present":
        return create(conn, opts, args, registry)
    if state == "absent":
        return delete(conn, opts, args)
    if state == "restored":
        return restore(conn, opts, args, registry, listeners)
    raise OpnError("state must be one of %s, got %r" % (", ".join(STATES), state))


def run_checkpoint_info(
    args: Dict[str, Any],
    check_mode: bool = False,
    diff: bool = False,
    registry: Optional[Dict[str, ResourceSpec]] = None,
) -> Dict[str, Any]:
    """The whole ``opnform.opnsense.checkpoint_info`` task (reads only)."""
    registry = registry if registry is not None else REGISTRY
    conn, opts = _connection_and_options(args, True, diff)
    opts.deployment = "default"
    state = open_state(opts, conn.api_url)
    if not args.get("id") and not args.get("path"):
        deployment = args.get("deployment")
        valid, damaged = list_checkpoints(state, deployment)
        return {
            "changed": False,
            "firewall": state.firewall,
            "state_dir": state.path,
            "count": len(valid),
            "checkpoints": valid,
            "damaged": damaged,
        }
    data = _load(state, args)
    result: Dict[str, Any] = {"changed": False, "firewall": state.firewall, "checkpoint": summary(data)}
    if args.get("show_objects"):
        result["objects"] = readable_objects(data, registry)
    if args.get("restore_preview", True):
        opts.deployment = check_name("deployment", str(data.get("deployment") or "default"))
        engine = Engine(conn, opts, registry=registry)
        box: Dict[str, Any] = {}
        try:
            preview = engine.execute(_preparer(engine, data, registry, True, box))
        except PlanError as exc:
            # The restore would be refused before any write: the preview says why, instead of a plan.
            result["restorable"] = False
            result["identity_differences"] = box.get("differences", [])
            result["firewall_identity"] = box.get("identity")
            result["restore"] = {
                "changed": False,
                "summary": None,
                "plan": None,
                "not_restored": [],
                "warnings": [],
                "problems": list(exc.problems),
            }
            return result
        restore_plan: RestorePlan = box["restore"]
        result["restorable"] = not box["differences"]
        result["identity_differences"] = box["differences"]
        result["firewall_identity"] = box["identity"]
        result["restore"] = {
            "changed": bool(preview.get("changed")),
            "summary": restore_plan.summary(),
            "plan": preview.get("plan"),
            "not_restored": restore_plan.not_restored,
            "warnings": restore_plan.warnings,
            "problems": [],
        }
        if "diff" in preview:
            result["diff"] = preview["diff"]
    return result


# -- present ----------------------------------------------------------------------------------------


def create(conn: Connection, opts: Options, args: Dict[str, Any], registry: Dict[str, ResourceSpec]) -> Dict[str, Any]:
    session = Session(conn, opts, registry=registry)
    state = session.state
    given = args.get("id")
    checkpoint_id = check_name("checkpoint", given) if given else generate_id()
    retain = args.get("retain")
    if retain is not None and int(retain) < 1:
        raise CheckpointError("retain must be at least 1 (got %r)" % retain)
    try:
        if given:
            existing = load_checkpoint(state, checkpoint_id)
            if existing is not None:
                result = {
                    "changed": False,
                    "checkpoint_id": checkpoint_id,
                    "checkpoint": summary(existing),
                    "msg": "checkpoint %s exists already; nothing was taken" % checkpoint_id,
                }
                _retain(state, opts, retain, checkpoint_id, result)
                return result
        if opts.check_mode:  # reads only: no lock to wait for
            result = _take(session, args, checkpoint_id, registry)
        else:
            with session.locked():
                result = _take(session, args, checkpoint_id, registry)
        _retain(state, opts, retain, checkpoint_id, result)
        return session.finish(result)
    finally:
        session.close()


def _take(
    session: Session, args: Dict[str, Any], checkpoint_id: str, registry: Dict[str, ResourceSpec]
) -> Dict[str, Any]:
    """Read the scope and save it as checkpoint ``checkpoint_id`` (in check mode, describe it)."""
    state, opts = session.state, session.options
    required, optional = resolve_scope(args.get("scope"), registry)
    client = session.pool.client()
    identity = firewall_identity(client, state.firewall, strict=True)
    inventory = session.refresh(required, optional)
    read = sorted(t for t in inventory.rows if t in registry)
    skipped = dict(
        (t, "not read: the OPNsense plugin %s is not installed" % registry[t].plugin) for t in optional if t not in read
    )
    objects = dict((t, dict((u, inventory.payload(t, u)) for u in inventory.objects(t))) for t in read)
    backup = download_config_backup(client, registry, session.redactor) if args.get("include_config_backup") else None
    counts = dict((t, len(objects[t])) for t in read)
    if opts.check_mode:
        result: Dict[str, Any] = {
            "changed": True,
            "checkpoint_id": checkpoint_id,
            "checkpoint": {
                "id": checkpoint_id,
                "description": args.get("description") or "",
                "deployment": opts.deployment,
                "firewall": identity,
                "scope": read,
                "skipped": skipped,
                "counts": counts,
                "objects_total": sum(counts.values()),
                "config_backup": None if backup is None else dict((k, v) for k, v in backup.items() if k != "xml"),
            },
            "msg": "check mode: nothing was written",
        }
    else:
        save_checkpoint(
            state,
            checkpoint_id,
            None,
            opts.deployment,
            objects,
            registry,
            session.redactor,
            inventory.version,
            identity=identity,
            description=args.get("description") or "",
            origin="checkpoint",
            scope=read,
            skipped=skipped,
            config_backup=backup,
        )
        result = {
            "changed": True,
            "checkpoint_id": checkpoint_id,
            "checkpoint": summary(get_checkpoint(state, checkpoint_id)),
        }
    warnings = [
        "run %s did not finish; this checkpoint holds whatever it wrote" % run.run_id for run in unfinished_runs(state)
    ]
    if warnings:
        result["warnings"] = warnings
    return result


def _retain(state: StateBackend, opts: Options, retain: Optional[int], keep_id: str, result: Dict[str, Any]) -> None:
    if retain is None:
        return
    doomed = retention(state, int(retain), opts.deployment, protect=[keep_id])
    if not opts.check_mode:
        for checkpoint_id in doomed:
            delete_checkpoint(state, checkpoint_id)
    result["deleted"] = doomed
    if doomed:
        result["changed"] = True


# -- absent ------------------------------------------------------------------------------------------


def delete(conn: Connection, opts: Options, args: Dict[str, Any]) -> Dict[str, Any]:
    if not args.get("id"):
        raise CheckpointError("id is required with state: absent")
    state = open_state(opts, conn.api_url)
    checkpoint_id = check_name("checkpoint", args["id"])
    exists = state.has_checkpoint(checkpoint_id)
    if exists and not opts.check_mode:
        delete_checkpoint(state, checkpoint_id)
    return {"changed": exists, "checkpoint_id": checkpoint_id, "deleted": [checkpoint_id] if exists else []}


# -- restored ----------------------------------------------------------------------------------------


def _preparer(
    engine: Engine,
    data: Dict[str, Any],
    registry: Dict[str, ResourceSpec],
    force: bool,
    box: Dict[str, Any],
    secrets: Optional[Dict[Tuple[str, str], Dict[str, Any]]] = None,
) -> Callable[[], Tuple[Plan, Inventory, DeploymentState]]:
    """The ``prepare`` step of ``Engine.execute`` for a restore: identity check, refresh, plan."""

    def prepare() -> Tuple[Plan, Inventory, DeploymentState]:
        live = firewall_identity(engine.pool.client(), engine.state.firewall, strict=True)
        differences = identity_differences(data.get("firewall"), live)
        box["identity"] = live
        box["differences"] = differences
        if differences and not force:
            raise WrongFirewall(
                "checkpoint %s was taken on another firewall: %s. It was taken on %s; this is %s. Restoring it "
                "here could delete or overwrite objects that belong to this firewall, so it is refused; pass "
                "force: true to restore it anyway"
                % (
                    data.get("id"),
                    "; ".join(differences),
                    describe_identity(data.get("firewall")),
                    describe_identity(live),
                ),
                details={"identity_differences": differences, "checkpoint_firewall": data.get("firewall")},
            )
        scope = [t for t in data.get("scope") or [] if t in registry]  # the planner refuses unknown types
        blanks = [t for t in scope if needs_blank(registry[t])]  # option lists the restored values need
        inventory = engine.refresh(scope, context_types(registry, scope), blanks)
        deployments = engine.state.all_deployments()
        restore_plan = plan_restore(registry, data, inventory, engine.state.firewall, deployments, secrets)
        box["restore"] = restore_plan
        if differences:
            restore_plan.warnings.insert(
                0,
                "restoring checkpoint %s taken on another firewall (force: true): %s"
                % (data.get("id"), "; ".join(differences)),
            )
        version = (data.get("firewall") or {}).get("version") or data.get("firewall_version")
        if version and inventory.version and str(version) != str(inventory.version):
            restore_plan.warnings.append(
                "the checkpoint was taken on OPNsense %s; this firewall runs %s" % (version, inventory.version)
            )
        own = deployments.get(restore_plan.plan.deployment) or DeploymentState(restore_plan.plan.deployment)
        return restore_plan.plan, inventory, own

    return prepare


def restore(
    conn: Connection,
    opts: Options,
    args: Dict[str, Any],
    registry: Dict[str, ResourceSpec],
    listeners: Optional[List[Listener]] = None,
) -> Dict[str, Any]:
    state = open_state(opts, conn.api_url)
    data = _load(state, args)
    opts.deployment = check_name("deployment", str(data.get("deployment") or "default"))
    engine = Engine(conn, opts, listeners, registry)
    secrets = parse_secrets(args.get("secrets"), registry, canonical_type)
    for values in secrets.values():
        engine.redactor.add(*[str(v) for v in values.values() if v not in (None, "")])
    box: Dict[str, Any] = {}

    def on_success(result: Dict[str, Any]) -> None:
        restore_plan: RestorePlan = box["restore"]
        for name, deployment_state in sorted(restore_plan.deployments.items()):
            if name != opts.deployment:  # the engine wrote the plan's own deployment
                engine.state.save_deployment(deployment_state)
        result["deployments_restored"] = sorted(restore_plan.deployments)

    try:
        result = engine.execute(_preparer(engine, data, registry, bool(args.get("force")), box, secrets), on_success)
    except RunFailed as exc:
        _describe_restore(exc.result, data, box)
        restore_plan = box.get("restore")
        if restore_plan is not None and restore_plan.not_restored:
            lost = ", ".join("%s.%s" % (i["id"], f) for i in restore_plan.not_restored for f in i["fields"])
            raise RunFailed(
                "%s. Note: the checkpoint holds no secrets, so the restore re-created %s without them; if "
                "OPNsense requires them, pass them with the secrets option" % (exc, lost),
                exc.result,
                exc.cause,
            ) from None
        raise
    return _describe_restore(result, data, box)


def _describe_restore(result: Dict[str, Any], data: Dict[str, Any], box: Dict[str, Any]) -> Dict[str, Any]:
    """Name the restored checkpoint in the result (``checkpoint_id``) and the engine's pre-run
    snapshot as ``safety_checkpoint_id``; add what the plan could not restore."""
    safety = result.pop("checkpoint_id", None)
    result["checkpoint_id"] = data.get("id")
    result["safety_checkpoint_id"] = safety
    result["checkpoint"] = summary(data)
    restore_plan: Optional[RestorePlan] = box.get("restore")
    if restore_plan is not None:
        result["restore"] = restore_plan.summary()
        result["not_restored"] = restore_plan.not_restored
        warnings = list(restore_plan.warnings)
        for item in restore_plan.not_restored:
            warnings.append("%s: %s not restored: %s" % (item["id"], ", ".join(item["fields"]), item["reason"]))
        if warnings:
            result["warnings"] = warnings
    if box.get("differences"):
        result["identity_differences"] = box["differences"]
    return result


# -- showing -----------------------------------------------------------------------------------------


def readable_objects(data: Dict[str, Any], registry: Dict[str, ResourceSpec]) -> Dict[str, List[Dict[str, Any]]]:
    """The stored objects in user terms: ``{type: [{uuid, name, values}]}`` (references as uuids)."""
    out: Dict[str, List[Dict[str, Any]]] = {}
    for type_name, items in sorted((data.get("objects") or {}).items()):
        spec = registry.get(type_name)
        rows = []
        for uuid, payload in sorted(items.items()):
            values = decode_row(spec, payload) if spec is not None else dict(payload)
            rows.append(
                {"uuid": uuid, "name": spec.display_name(values) if spec is not None else uuid, "values": values}
            )
        out[type_name] = rows
    return out
