"""Helpers for the fleet end-to-end tests: per-firewall deployments, the fleet's inventory, and
readers for the play recap, each host's part of a task's output, the progress summary table and
the controller state folders.

Every firewall gets values of its own (addresses, VLAN tag and description), so a checkpoint or a
state folder that holds another firewall's data shows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List

from checkpoint_helpers import folder  # the firewall's state folder, <state_dir>/<host>_<port>
from e2e_helpers import BIN, ROOT

HOSTS = ("fw1", "fw2", "fw3")
DEPLOYMENT = "fleet"
PLAYBOOKS = ROOT / "playbooks"


def _net(host: str) -> str:
    return "10.%d" % (HOSTS.index(host) + 1)


def _alias(name: str, content: List[str]) -> Dict[str, Any]:
    return {"type": "firewall_alias", "name": name, "properties": {"type": "host", "content": content}}


def _rule(name: str, alias: str, port: str, protocol: str = "TCP") -> Dict[str, Any]:
    props = {"interface": ["lan"], "protocol": protocol, "destination_net": [alias], "destination_port": port}
    return {"type": "firewall_filter_rule", "name": name, "properties": props}


def _vlan(host: str, description: str) -> Dict[str, Any]:
    tag = 100 + HOSTS.index(host)
    return {
        "type": "interfaces_vlan",
        "name": "site",
        "properties": {"parent": "vtnet2", "tag": tag, "description": description},
    }


def _server(name: str, address: str) -> Dict[str, Any]:
    return {"type": "haproxy_server", "name": name, "properties": {"address": address, "port": 8080}}


def _backend(servers: List[str]) -> Dict[str, Any]:
    return {"type": "haproxy_backend", "name": "pool", "properties": {"mode": "http", "linked_servers": servers}}


def _frontend(bind: str) -> Dict[str, Any]:
    props = {"bind": [bind], "mode": "http", "default_backend": "pool"}
    return {"type": "haproxy_frontend", "name": "front", "properties": props}


CATEGORY = {"type": "firewall_category", "name": "fleet", "properties": {"color": "00aa00"}}


def before(host: str) -> List[Dict[str, Any]]:
    """The deployment every firewall runs before the change (9 resources)."""
    net = _net(host)
    return [
        CATEGORY,
        _alias("site_hosts", [net + ".0.10"]),
        _alias("old_hosts", [net + ".9.9"]),
        _rule("allow-site", "site_hosts", "443"),
        _rule("allow-old", "old_hosts", "53", protocol="UDP"),
        _vlan(host, host + "-office"),
        _server("s1", net + ".0.10"),
        _backend(["s1"]),
        _frontend("0.0.0.0:8080"),
    ]


def after(host: str) -> List[Dict[str, Any]]:
    """The change, applied with prune: 3 creates, 5 updates, 2 deletes, 2 unchanged."""
    net = _net(host)
    return [
        CATEGORY,  # unchanged
        _alias("site_hosts", [net + ".0.10", net + ".0.11"]),  # update
        _alias("new_hosts", [net + ".1.1"]),  # create
        _rule("allow-site", "site_hosts", "8443"),  # update
        _rule("allow-new", "new_hosts", "22"),  # create
        _vlan(host, host + "-office-2"),  # update
        _server("s1", net + ".0.10"),  # unchanged
        _server("s2", net + ".0.11"),  # create
        _backend(["s1", "s2"]),  # update
        _frontend("0.0.0.0:8443"),  # update
    ]  # old_hosts and allow-old: deleted by prune


def write_inventory(project, firewalls: Dict[str, Any]) -> Path:
    """README-style inventory (``opn_api_*`` per host, from ``Project.inventory``) plus the deployment:
    ``opnform_deployment`` and ``opnform_prune`` for the group, ``opnform_resources`` per host."""
    path = project.inventory(firewalls)
    data = json.loads(path.read_text())
    group = data["all"]["children"]["firewalls"]
    group["vars"].update(opnform_deployment=DEPLOYMENT, opnform_prune=True)
    for host in firewalls:
        group["hosts"][host]["opnform_resources"] = after(host)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def run_playbook(project, name: str, *args: str, env: Dict[str, str] = None):
    """``ansible-playbook -i <inventory> playbooks/<name> -f 3 ...``, the collection's own playbook."""
    cmd = [str(BIN / "ansible-playbook"), "-i", str(project.tmp / "inventory.yml"), str(PLAYBOOKS / name), "-f", "3"]
    return project.run(cmd + list(args), env or project.env())


RECAP = re.compile(
    r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)"
)


def recap(lines: List[str]) -> Dict[str, Dict[str, int]]:
    """The PLAY RECAP counters per host."""
    out = {}
    for line in lines:
        match = RECAP.match(line)
        if match:
            keys = ("ok", "changed", "unreachable", "failed", "skipped", "rescued")
            out[match.group(1)] = dict(zip(keys, (int(v) for v in match.groups()[1:])))
    return out


STATUS = re.compile(r"^(ok|changed|fatal|failed|skipping): \[(fw\d)\]")


def host_chunks(lines, task):
    """The output of one task, cut into each host's part. With forks, Ansible prints each host's
    result in one piece: a result (``ok: [fw1] => {...}``) after its status line, a diff before it."""
    start = next(i for i, line in enumerate(lines) if line.startswith("TASK [") and task in line)
    chunks, pending, owner = {}, [], None
    for line in lines[start + 1 :]:
        if line.startswith("TASK [") or line.startswith("PLAY RECAP"):
            break
        match = STATUS.match(line)
        if match and "=>" in line:
            owner, pending = match.group(2), []
            chunks[owner] = line
        elif match:
            chunks[match.group(2)], owner, pending = "\n".join(pending + [line]), None, []
        elif owner is not None:
            chunks[owner] += "\n" + line
        else:
            pending.append(line)
        if owner is not None and line.endswith("}") and not line.startswith(" "):
            owner = None
    return chunks


SUMMARY_COLUMNS = ("created", "updated", "deleted", "unchanged", "failed", "skipped", "rolled back")


def summary_rows(lines: List[str]) -> List[Dict[str, Any]]:
    """The rows of the progress callback's ``OPNFORM SUMMARY`` table (one per apply run)."""
    start = lines.index("OPNFORM SUMMARY")
    rows = []
    for line in lines[start + 2 :]:
        if not line or line.startswith(" ") or line.startswith("OPNFORM"):
            break
        cells = line.split()
        numbers = cells[-8:-1]
        rows.append(
            dict(
                host=cells[0],
                run=cells[1],
                result=" ".join(cells[2:-8]),
                time=cells[-1],
                **dict(zip(SUMMARY_COLUMNS, (int(n) for n in numbers))),
            )
        )
    return rows


def run_window(project, sim, run_id: str) -> tuple:
    """(first, last) event time of one apply run on one firewall."""
    path = folder(project, sim) / "runs" / run_id / "events.jsonl"
    stamps = [json.loads(line)["ts"] for line in path.read_text().splitlines() if line.strip()]
    return min(stamps), max(stamps)


def journal_records(project, sim, run_id: str) -> List[Dict[str, Any]]:
    """The write-ahead journal of one run on one firewall (``rec``: begin, checkpoint, ..., end)."""
    path = folder(project, sim) / "journal" / (run_id + ".jsonl")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
