"""Helpers for the checkpoint end-to-end tests: plays of several opnform tasks, run by ``ansible-playbook``.

A play here is a list of ``(module, args, extra task keys)``; each task registers ``r<index>`` and an
``always`` section saves every registered result to ``results-<host>.json``, so one playbook run can
take a checkpoint, change the firewall and restore, and the test reads every step's result. Set-up
steps that are not under test use the engine in-process (``apply_helpers.engine_apply``), as the
apply tests do.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

from apply_helpers import engine_apply

from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import run_checkpoint

Task = Tuple[str, Dict[str, Any], Dict[str, Any]]


def task(module: str, args: Dict[str, Any], **extra: Any) -> Task:
    return (module, args, extra)


def write_play(project, tasks: List[Task]) -> Path:
    """The play: every task under ``group/opnform.opnsense.all`` module defaults, results saved always."""
    block = []
    for index, (module, args, extra) in enumerate(tasks):
        item = {"name": "step %d: %s" % (index, module), "opnform.opnsense." + module: args, "register": "r%d" % index}
        item.update(extra)
        block.append(item)
    content = "{{ {%s} | to_json }}" % ", ".join("'r%d': r%d | default(None)" % (i, i) for i in range(len(tasks)))
    save = {
        "name": "Save the results",
        "ansible.builtin.copy": {
            "content": content,
            "dest": str(project.tmp) + "/results-{{ inventory_hostname }}.json",
            "mode": "0600",
        },
        "check_mode": False,
    }
    play = [
        {
            "name": "Checkpoints",
            "hosts": "firewalls",
            "gather_facts": False,
            "module_defaults": {
                "group/opnform.opnsense.all": {
                    "api_url": "{{ opn_api_url }}",
                    "api_key": "{{ opn_api_key }}",
                    "api_secret": "{{ opn_api_secret }}",
                    "ca_path": "{{ opn_ca_path }}",
                }
            },
            "tasks": [{"block": block, "always": [save]}],
        }
    ]
    path = project.tmp / "play.yml"
    path.write_text(json.dumps(play, indent=2), encoding="utf-8")
    return path


def run_play(project, firewalls: Dict[str, Any], tasks: List[Task], *flags: str):
    """Run the tasks against ``{host: Simulator}``; returns the outcome and ``{host: {"r0": ...}}``."""
    results_files = [project.tmp / ("results-%s.json" % host) for host in firewalls]
    for path in results_files:
        if path.exists():
            path.unlink()
    project.inventory(firewalls)
    write_play(project, tasks)
    outcome = project.playbook_run(*flags)
    results = {}
    for host in firewalls:
        path = project.tmp / ("results-%s.json" % host)
        results[host] = json.loads(path.read_text()) if path.exists() else {}
    return outcome, results


def rule(name: str, port: int, type_name: str = "opnsense:firewall:rule") -> Dict[str, Any]:
    """A LAN pass rule for one TCP port, in the original design's words (``firewallRule(name, {port})``)."""
    return {
        "type": type_name,
        "name": name,
        "properties": {"interface": ["lan"], "protocol": "TCP", "destination_port": str(port)},
    }


def folder(project, sim) -> Path:
    return project.state / ("127.0.0.1_%d" % sim.port)


def checkpoint_file(project, sim, checkpoint_id: str) -> Path:
    return folder(project, sim) / "checkpoints" / (checkpoint_id + ".json")


def take_checkpoint(project, sim, **args: Any) -> Dict[str, Any]:
    """Take a checkpoint in-process (set-up only)."""
    base = {
        "api_url": sim.url,
        "api_key": sim.api_key,
        "api_secret": sim.api_secret,
        "ca_path": sim.ca_file,
        "state_dir": str(project.state),
        "state": "present",
    }
    base.update(args)
    return run_checkpoint(base)


def apply(project, sim, resources, **options) -> Dict[str, Any]:
    return engine_apply(sim, project.state, resources, **options)


def ours(sim, part: str = "config") -> Dict[str, Dict[str, str]]:
    """``{uuid: rule}`` of the filter rules that are not the simulator's two factory rules."""
    rules = sim.state()[part]["firewall.filter_rule"]
    return dict((u, r) for u, r in rules.items() if not r["description"].startswith("Default allow LAN"))


def factory_rules(sim, part: str = "config") -> Dict[str, Dict[str, str]]:
    rules = sim.state()[part]["firewall.filter_rule"]
    return dict((u, r) for u, r in rules.items() if r["description"].startswith("Default allow LAN"))


def tree_digest(root: Path) -> Dict[str, str]:
    """``{relative path: sha256}`` of every file under ``root`` (to show that nothing was written)."""
    out = {}
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
