"""Helpers for the apply/plan end-to-end tests: a mixed deployment, direct API calls, log queries.

The runs under test go through ``ansible-playbook`` (``e2e_helpers.Project``); set-up steps that are
not under test (bringing the firewall into a pre-apply state) use the engine in-process, which is
the same code without Ansible's start-up time.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any, Dict, List

import requests

from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import Connection, Options
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import RunFailed

# a write of one object, or a bulk write of several (the rule and category CSV uploads, the alias import,
# the whole-model set; docs/apply.md)
WRITE = re.compile(r"^/api/[^/]+/[^/]+/((set|del|add|toggle)[A-Za-z_]*(/|$)|upload_rules$|upload$|import$)")
SEARCH = re.compile(r"^/api/[^/]+/[^/]+/search")
RELOAD = re.compile(r"/(reconfigure|apply|configtest)$")
FAULT_PATH = r"^/api/[^/]+/[^/]+/((set|del|add)[A-Za-z_]*/|set$|upload_rules$|upload$|import$)"


def api(sim, method: str, path: str, body: Any = None) -> Any:
    """One request to the simulated firewall, TLS verified per request (REQUESTS_CA_BUNDLE would
    override a session's ``verify``)."""
    kw: Dict[str, Any] = {"auth": (sim.api_key, sim.api_secret), "verify": sim.ca_file, "timeout": 30}
    if body is not None:
        kw["json"] = body
    answer = requests.request(method, sim.url + "/api/" + path, **kw)
    answer.raise_for_status()
    return answer.json() if answer.text.strip() else None


def enable_haproxy(sim) -> None:
    api(sim, "POST", "haproxy/settings/set", {"haproxy": {"general": {"enabled": "1"}}})
    api(sim, "POST", "haproxy/service/reconfigure")


def engine_apply(sim, state_dir, resources, **options) -> Dict[str, Any]:
    """Apply in-process (set-up only); raises on failure."""
    conn = Connection(sim.url, sim.api_key, sim.api_secret, True, sim.ca_file)
    options.setdefault("deployment", "mix")
    return Engine(conn, Options(state_dir=str(state_dir), **options)).apply(resources)


def engine_try(sim, state_dir, resources, **options) -> Dict[str, Any]:
    try:
        return engine_apply(sim, state_dir, resources, **options)
    except RunFailed as exc:
        return dict(exc.result, failed=True, msg=str(exc))


def snapshot(sim) -> Dict[str, Any]:
    state = sim.state()
    return {"config": state["config"], "running": state["running"]}


def writes(log: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [e for e in log if e["method"] == "POST" and WRITE.match(e["path"])]


def overlapping(entries: List[Dict[str, Any]]) -> List[tuple]:
    """Pairs of requests whose [start, end] intervals overlap."""
    ordered = sorted(entries, key=lambda e: e["start"])
    pairs = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second["start"] >= (first["end"] or first["start"]):
                break
            pairs.append((first["path"], second["path"]))
    return pairs


def names_of(sim, key: str, field: str = "name") -> List[str]:
    return sorted(item.get(field, "") for item in sim.state()["config"].get(key, {}).values())


def apply_task(resources=None, **extra) -> Dict[str, Any]:
    args: Dict[str, Any] = {"deployment": "mix"}
    if resources is not None:
        args["resources"] = resources
    args.update(extra)
    return args


def result_or_none(project, host="fw1"):
    try:
        return project.result(host)
    except (OSError, ValueError):
        return None


# -- the mixed deployment ----------------------------------------------------------------------


def _alias(name, kind, content, **more):
    props = {"type": kind, "content": content}
    props.update(more)
    return {"type": "firewall_alias", "name": name, "properties": props}


def _rule(name, interface, **props):
    props = dict(props, interface=[interface])
    return {"type": "firewall_filter_rule", "name": name, "properties": props}


def _vlan(name, tag, descr):
    return {"type": "interfaces_vlan", "name": name, "properties": {"parent": "igb1", "tag": tag, "description": descr}}


def mixed_before() -> List[Dict[str, Any]]:
    """The pre-apply deployment: 20 resources over categories, aliases, rules, VLANs and HAProxy."""
    return [
        {"type": "firewall_category", "name": "c1", "properties": {"color": "00ff00"}},
        {"type": "firewall_category", "name": "c2", "properties": {"color": "0000ff"}},
        _alias("a1", "host", ["10.0.0.1"], categories=["c1"]),
        _alias("a2", "network", ["10.1.0.0/16"]),
        _alias("a3", "port", ["443", "8443"]),
        _alias("a_old", "host", ["10.9.9.9"]),
        _rule("r1", "lan", protocol="TCP", destination_net=["a1"], destination_port="a3", categories=["c1"]),
        _rule("r2", "lan", protocol="TCP", destination_net=["a2"], destination_port="22"),
        _rule("r_old", "lan", protocol="UDP", destination_net=["a_old"], destination_port="53"),
        _vlan("v101", 101, "office"),
        _vlan("v102", 102, "lab"),
        _vlan("v_old", 103, "old"),
        {"type": "haproxy_healthcheck", "name": "hc1", "properties": {}},
        {"type": "haproxy_healthcheck", "name": "hc_old", "properties": {"interval": "5s"}},
        {"type": "haproxy_server", "name": "s1", "properties": {"address": "10.0.0.11", "port": 80}},
        {"type": "haproxy_server", "name": "s2", "properties": {"address": "10.0.0.12", "port": 80}},
        {
            "type": "haproxy_backend",
            "name": "be1",
            "properties": {"linked_servers": ["s1"], "health_check": "hc_old"},
        },
        {"type": "haproxy_frontend", "name": "fe1", "properties": {"bind": ["0.0.0.0:8080"], "default_backend": "be1"}},
        _alias("a4", "host", ["10.0.0.4"]),
        _vlan("v105", 105, "spare"),
    ]


def mixed_after() -> List[Dict[str, Any]]:
    """The desired deployment: creates, updates (one a rule move), deletes (by prune) and no-ops
    across all those types. Applying it after :func:`mixed_before` makes 16 writes."""
    before = dict(((r["type"], r["name"]), copy.deepcopy(r)) for r in mixed_before())
    out = []
    for key in [
        ("firewall_category", "c1"),
        ("firewall_category", "c2"),
        ("firewall_alias", "a1"),
        ("firewall_alias", "a2"),
        ("firewall_alias", "a3"),
        ("firewall_alias", "a4"),
        ("firewall_filter_rule", "r2"),
        ("firewall_filter_rule", "r1"),
        ("interfaces_vlan", "v101"),
        ("interfaces_vlan", "v102"),
        ("interfaces_vlan", "v105"),
        ("haproxy_healthcheck", "hc1"),
        ("haproxy_server", "s1"),
        ("haproxy_server", "s2"),
        ("haproxy_backend", "be1"),
        ("haproxy_frontend", "fe1"),
    ]:
        out.append(before[key])
    by = dict(((r["type"], r["name"]), r) for r in out)
    by[("firewall_category", "c2")]["properties"]["color"] = "ff00ff"  # update
    by[("firewall_alias", "a1")]["properties"]["content"] = ["10.0.0.1", "10.0.0.2"]  # update
    by[("firewall_filter_rule", "r1")]["properties"]["log"] = True  # update; r2 listed first: a move
    by[("interfaces_vlan", "v101")]["properties"]["description"] = "office-2"  # update
    by[("haproxy_server", "s1")]["properties"]["port"] = 8080  # update
    by[("haproxy_backend", "be1")]["properties"].update(linked_servers=["s1", "s2", "s3"], health_check="hc1")
    out += [
        _alias("a_new", "host", ["10.0.0.5"]),  # create
        _rule("r_new", "lan", protocol="TCP", destination_net=["a_new"], destination_port="80"),  # create
        _vlan("v104", 104, "new"),  # create
        {"type": "haproxy_server", "name": "s3", "properties": {"address": "10.0.0.13", "port": 80}},  # create
    ]
    return out  # deleted by prune: a_old, r_old, v_old, hc_old


def dump(value: Any) -> str:
    return json.dumps(value, indent=1, sort_keys=True)
