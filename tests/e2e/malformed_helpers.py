"""Runs one case of ``malformed_inputs.yml`` against a simulated firewall, in-process or as a play.

In-process (:func:`run_case`): the engine's apply, plan or check mode, the per-resource flow
(``ResourceRun``, after Ansible's argument spec, as a module runs it) or a checkpoint restore, each
after the case's set-up; the answer is the error message the user would see, and what the
firewall's request log shows from the moment the case ran. Through ``ansible-playbook``
(:func:`play_tasks`): the same inputs as tasks of one play, each registered, so that a run covers
apply, plan, a per-resource module and checkpoint restore.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml
from apply_helpers import RELOAD, engine_apply, writes

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import Connection, Options

CORPUS = Path(__file__).with_name("malformed_inputs.yml")
DEPLOYMENT = "task"  # the case's own deployment; set-up goes to "corpus"


def load_cases() -> List[Dict[str, Any]]:
    with open(CORPUS, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def connection(sim) -> Dict[str, Any]:
    return {"api_url": sim.url, "api_key": sim.api_key, "api_secret": sim.api_secret, "ca_path": sim.ca_file}


def _checkpoint_args(sim, state_dir: Path, **more: Any) -> Dict[str, Any]:
    args = dict(connection(sim), state_dir=str(state_dir), id="before", deployment="corpus")
    args.update(more)
    return args


def prepare(sim, case: Dict[str, Any], state_dir: Path) -> None:
    """Factory state, the case's set-up, and for a restore: the checkpoint, then the change since."""
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import run_checkpoint

    sim.reset()
    if case.get("setup"):
        engine_apply(sim, state_dir, case["setup"], deployment="corpus")
    restore = case.get("restore")
    if restore:
        run_checkpoint(_checkpoint_args(sim, state_dir, state="present", scope=restore["scope"]))
        engine_apply(sim, state_dir, restore.get("then") or [], deployment="corpus", prune=True)
    sim.clear_log()


def _module(sim, case: Dict[str, Any]) -> None:
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import resource_argspec
    from ansible_collections.opnform.opnsense.plugins.module_utils._resource import ResourceRun
    from ansible_collections.opnform.opnsense.plugins.module_utils._runner import client_from_params

    spec = REGISTRY[case["module"]]
    checked = ArgumentSpecValidator(resource_argspec(spec)).validate(dict(connection(sim), **case["params"]))
    assert not checked.error_messages, checked.error_messages
    params = checked.validated_parameters
    client = client_from_params(params)
    try:
        ResourceRun(spec, params, client).run()
    finally:
        client.close()


def run_case(sim, case: Dict[str, Any], state_dir: Path) -> Tuple[Optional[str], List[Dict[str, Any]]]:
    """``(error message or None when it was accepted, requests that wrote or reloaded)``."""
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import run_checkpoint

    prepare(sim, case, state_dir)
    kind = case.get("kind", "apply")
    message = None
    try:
        if kind == "module":
            _module(sim, case)
        elif kind == "restore":
            run_checkpoint(_checkpoint_args(sim, state_dir, state="restored"))
        else:
            conn = Connection(sim.url, sim.api_key, sim.api_secret, True, sim.ca_file)
            options = Options(state_dir=str(state_dir), deployment=DEPLOYMENT, check_mode=kind == "check")
            engine = Engine(conn, options)
            if kind == "plan":
                engine.plan(case["resources"])
            else:
                engine.apply(case["resources"])
    except OpnError as exc:
        message = str(exc)
    log = sim.log()
    return message, writes(log) + [e for e in log if RELOAD.search(e["path"])]


def restore_preview(sim, state_dir: Path) -> Dict[str, Any]:
    """What ``checkpoint_info`` says about restoring the case's checkpoint now."""
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import run_checkpoint_info

    return run_checkpoint_info(_checkpoint_args(sim, state_dir))


def play_tasks(case: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any], Dict[str, Any]]]:
    """The case as tasks of a play (``checkpoint_helpers.write_play``); failures are registered."""
    kind = case.get("kind", "apply")
    keep = {"ignore_errors": True}
    if kind == "module":
        return [(case["module"], dict(case["params"]), keep)]
    if kind == "restore":
        # The state folder comes from OPNFORM_STATE_DIR, as the set-up's (e2e_helpers.Project.env).
        return [("checkpoint", {"state": "restored", "id": "before"}, keep), ("checkpoint_info", {"id": "before"}, {})]
    module = "plan" if kind == "plan" else "apply"
    task_args = {"deployment": DEPLOYMENT, "resources": case["resources"]}
    return [(module, task_args, dict(keep, check_mode=True) if kind == "check" else keep)]
