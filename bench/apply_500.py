"""apply of 500 mixed resources against the simulator at profile `lan` (issue 4), three measurements:

1. **apply**: one `opnform.opnsense.apply` task creating 500 resources (aliases, categories, filter
   rules, VLANs, HAProxy healthchecks, servers, backends and frontends), compared with the floor the
   simulator's cost model implies: every write under the writer lock (`write_ms` each), the reads
   (one per model, in parallel: one `rtt + request` round), and one reload per touched subsystem;
2. **per-resource modules**: the same resources as one per-resource module task each, reloading
   every time (`reload: true`, the modules' default). A sample of `--sample` tasks is run and
   extrapolated to 500 (the full run takes 10+ minutes; `--sample 500` runs it);
3. **no-op re-run**: the apply task again, with nothing to change.

    .venv/bin/python bench/apply_500.py [--resources 500] [--write-concurrency 4] [--sample 40] [--json]

The simulator runs in its own process (`_sim.SimProcess`); the playbooks run through
`ansible-playbook` with the collection from this checkout. Times are wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sim import SimProcess  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RELOAD_COST_KEYS = {
    "aliases": ["alias"],
    "vlans": ["vlan"],
    "routes": ["routes"],
    "filter": ["filter"],
    "unbound": ["unbound"],
    "haproxy": ["haproxy", "haproxy_configtest"],
}
SUBSYSTEM_OF = {
    "firewall_alias": "aliases",
    "firewall_category": None,
    "firewall_filter_rule": "filter",
    "interfaces_vlan": "vlans",
    "haproxy_healthcheck": "haproxy",
    "haproxy_server": "haproxy",
    "haproxy_backend": "haproxy",
    "haproxy_frontend": "haproxy",
}


def collections_path() -> str:
    parent = os.path.join(tempfile.gettempdir(), "opnform-bench-%d" % os.getuid())
    link = os.path.join(parent, "ansible_collections", "opnform", "opnsense")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if not os.path.islink(link) or os.readlink(link) != str(ROOT):
        tmp = link + ".%d" % os.getpid()
        os.symlink(str(ROOT), tmp)
        os.replace(tmp, link)
    return parent


def resources(total: int) -> list:
    """A mixed set: 10% categories, 30% aliases, 30% rules, 10% VLANs, 20% HAProxy objects."""
    n_cat = max(1, total // 10)
    n_alias = max(1, total * 3 // 10)
    n_vlan = max(1, total // 10)
    n_fe = max(1, total // 40)
    n_be = n_fe
    n_hc = n_fe
    n_srv = max(1, total // 5 - n_fe - n_be - n_hc)
    n_rule = total - n_cat - n_alias - n_vlan - n_fe - n_be - n_hc - n_srv
    out = []
    out += [
        {"type": "firewall_category", "name": "cat%03d" % i, "properties": {"color": "%06x" % (i * 997 % 0xFFFFFF)}}
        for i in range(n_cat)
    ]
    out += [
        {
            "type": "firewall_alias",
            "name": "hosts%03d" % i,
            "properties": {
                "type": "host",
                "content": ["10.%d.%d.1" % (i // 250, i % 250), "10.%d.%d.2" % (i // 250, i % 250)],
                "categories": ["cat%03d" % (i % n_cat)],
            },
        }
        for i in range(n_alias)
    ]
    interfaces = ["lan", "wan", "opt1"]
    out += [
        {
            "type": "firewall_filter_rule",
            "name": "rule %03d" % i,
            "properties": {
                "interface": [interfaces[i % 3]],
                "protocol": "TCP",
                "destination_net": ["hosts%03d" % (i % n_alias)],
                "destination_port": str(1000 + i),
                "categories": ["cat%03d" % (i % n_cat)],
            },
        }
        for i in range(n_rule)
    ]
    out += [
        {
            "type": "interfaces_vlan",
            "name": "vlan%d" % (100 + i),
            "properties": {"parent": "igb1", "tag": 100 + i, "description": "vlan %d" % (100 + i)},
        }
        for i in range(n_vlan)
    ]
    out += [
        {"type": "haproxy_healthcheck", "name": "hc%02d" % i, "properties": {"http_uri": "/health%d" % i}}
        for i in range(n_hc)
    ]
    out += [
        {
            "type": "haproxy_server",
            "name": "srv%03d" % i,
            "properties": {"address": "10.200.%d.%d" % (i // 250, i % 250 + 1), "port": 8080},
        }
        for i in range(n_srv)
    ]
    per = max(1, n_srv // n_be)
    out += [
        {
            "type": "haproxy_backend",
            "name": "pool%02d" % i,
            "properties": {
                "linked_servers": ["srv%03d" % j for j in range(i * per, min(n_srv, (i + 1) * per))] or ["srv000"],
                "health_check": "hc%02d" % i,
            },
        }
        for i in range(n_be)
    ]
    out += [
        {
            "type": "haproxy_frontend",
            "name": "site%02d" % i,
            "properties": {"bind": ["0.0.0.0:%d" % (10000 + i)], "default_backend": "pool%02d" % i},
        }
        for i in range(n_fe)
    ]
    assert len(out) == total, len(out)
    return out


def control(sim: SimProcess, method: str, path: str, body=None):
    answer = requests.request(method, sim.url + path, json=body, verify=sim.ca_file, timeout=60)
    answer.raise_for_status()
    return answer.json()


def api(sim: SimProcess, method: str, path: str, body=None):
    answer = requests.request(
        method, sim.url + "/api/" + path, json=body, auth=sim.auth, verify=sim.ca_file, timeout=60
    )
    answer.raise_for_status()
    return answer.json()


def floor_seconds(profile: dict, writes: int, models: int, subsystems: list) -> float:
    reload_ms = sum(profile["reload_ms"].get(key, 0) for s in subsystems for key in RELOAD_COST_KEYS[s])
    read_ms = (profile["rtt_ms"] + profile.get("request_ms", 0)) if models else 0
    return (writes * profile["write_ms"] + read_ms + reload_ms) / 1000.0


def write_inventory(tmp: Path, sim: SimProcess) -> Path:
    path = tmp / "inventory.yml"
    data = {
        "all": {
            "hosts": {
                "fw1": {
                    "ansible_connection": "local",
                    "ansible_python_interpreter": sys.executable,
                    "opn_api_url": sim.url,
                    "opn_api_key": sim.auth[0],
                    "opn_ca_path": sim.ca_file,
                }
            }
        }
    }
    path.write_text(json.dumps(data))
    return path


def play(tasks: list) -> list:
    return [
        {
            "name": "bench",
            "hosts": "fw1",
            "gather_facts": False,
            "module_defaults": {
                "group/opnform.opnsense.all": {
                    "api_url": "{{ opn_api_url }}",
                    "api_key": "{{ opn_api_key }}",
                    "ca_path": "{{ opn_ca_path }}",
                }
            },
            "tasks": tasks,
        }
    ]


def run_playbook(tmp: Path, name: str, tasks: list, env: dict) -> float:
    path = tmp / (name + ".yml")
    path.write_text(json.dumps(play(tasks)))
    started = time.time()
    proc = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", str(tmp / "inventory.yml"), str(path)],
        cwd=str(tmp),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    elapsed = time.time() - started
    if proc.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (name, proc.stdout[-3000:]))
    return elapsed, proc.stdout


def apply_task(items: list, write_concurrency: int) -> list:
    """Only the apply task: the run's numbers are read from its events file afterwards, so that the
    playbook time is Ansible's start-up plus this one task."""
    return [
        {
            "name": "apply",
            "opnform.opnsense.apply": {
                "deployment": "bench",
                "resources": items,
                "write_concurrency": write_concurrency,
                "parallelism": 8,
            },
        }
    ]


def last_run(state: Path) -> dict:
    """``run_start`` and ``run_done`` of the newest run in the state folder."""
    newest = max(state.glob("*/runs/*/events.jsonl"), key=lambda p: p.stat().st_mtime)
    events = [json.loads(line) for line in newest.read_text().splitlines() if line.strip()]
    return {"start": events[0], "done": events[-1]}


def module_tasks(items: list) -> list:
    from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

    tasks = []
    for item in items:
        spec = REGISTRY[item["type"]]
        args = dict(item["properties"])
        if len(spec.identity) == 1:
            args.setdefault(spec.identity[0], item["name"])
        tasks.append({"name": "%s %s" % (item["type"], item["name"]), "opnform.opnsense.%s" % item["type"]: args})
    return tasks


def sample_of(items: list, count: int) -> list:
    """A dependency-closed sample keeping the mix: the first ``count`` in an order where everything a
    resource names comes first (categories, aliases, ..., frontends)."""
    order = [
        "firewall_category",
        "firewall_alias",
        "interfaces_vlan",
        "haproxy_healthcheck",
        "haproxy_server",
        "haproxy_backend",
        "haproxy_frontend",
        "firewall_filter_rule",
    ]
    by_type = dict((t, [i for i in items if i["type"] == t]) for t in order)
    share = dict((t, max(1, round(count * len(v) / len(items)))) for t, v in by_type.items())
    picked = []
    for t in order:
        picked += by_type[t][: share[t]]
    names = set((i["type"], i["name"]) for i in picked)
    # keep references inside the sample
    for item in picked:
        props = item["properties"]
        if item["type"] == "firewall_alias":
            props["categories"] = [c for c in props["categories"] if ("firewall_category", c) in names] or [
                by_type["firewall_category"][0]["name"]
            ]
        if item["type"] == "firewall_filter_rule":
            props["destination_net"] = [by_type["firewall_alias"][0]["name"]]
            props["categories"] = [by_type["firewall_category"][0]["name"]]
        if item["type"] == "haproxy_backend":
            props["linked_servers"] = [by_type["haproxy_server"][0]["name"]]
            props["health_check"] = by_type["haproxy_healthcheck"][0]["name"]
        if item["type"] == "haproxy_frontend":
            props["default_backend"] = by_type["haproxy_backend"][0]["name"]
    return picked


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=500)
    parser.add_argument("--write-concurrency", type=int, default=4)
    parser.add_argument("--sample", type=int, default=40, help="per-resource module tasks actually run (extrapolated)")
    parser.add_argument("--profile", default="lan")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    parent = collections_path()
    sys.path.insert(0, parent)
    items = resources(args.resources)
    report: dict = {"resources": len(items), "profile": args.profile, "write_concurrency": args.write_concurrency}
    with SimProcess(profile=args.profile) as sim, tempfile.TemporaryDirectory(prefix="opnform-bench-") as tmpdir:
        tmp = Path(tmpdir)
        write_inventory(tmp, sim)
        env = dict(
            os.environ,
            ANSIBLE_COLLECTIONS_PATH=parent,
            OPNSENSE_API_SECRET=sim.auth[1],
            OPNFORM_STATE_DIR=str(tmp / "state"),
            ANSIBLE_NOCOLOR="1",
            OPNFORM_PROGRESS_FORMAT="none",
        )
        profile = control(sim, "GET", "/__sim__/profile")
        report["costs"] = profile
        api(sim, "POST", "haproxy/settings/set", {"haproxy": {"general": {"enabled": "1"}}})

        # 1. apply
        control(sim, "DELETE", "/__sim__/log")
        wall, _out = run_playbook(tmp, "apply", apply_task(items, args.write_concurrency), env)
        run = last_run(tmp / "state")
        assert run["done"]["status"] == "ok", run["done"]
        log = control(sim, "GET", "/__sim__/log")["requests"]
        writes = [
            e for e in log if e["method"] == "POST" and re.match(r"^/api/[^/]+/[^/]+/(set|del)[A-Za-z_]*/", e["path"])
        ]
        subsystems = sorted(set(SUBSYSTEM_OF[i["type"]] for i in items if SUBSYSTEM_OF[i["type"]]))
        models = len(set(i["type"] for i in items))
        floor = floor_seconds(profile, len(writes), models, subsystems)
        task_s = run["done"]["duration_ms"] / 1000.0
        report["apply"] = {
            "writes": len(writes),
            "requests": len(log),
            "reloads": [e["path"] for e in log if re.search(r"/(reconfigure|apply|configtest)$", e["path"])],
            "floor_s": round(floor, 2),
            "task_s": round(task_s, 2),
            "playbook_s": round(wall, 2),
            "task_over_floor": round(task_s / floor, 3),
            "playbook_over_floor": round(wall / floor, 3),
        }

        # 3. no-op re-run
        control(sim, "DELETE", "/__sim__/log")
        wall2, out2 = run_playbook(tmp, "noop", apply_task(items, args.write_concurrency), env)
        run2 = last_run(tmp / "state")
        assert "changed=0" in out2 and run2["start"]["total"] == 0, "the re-run changed something"
        report["noop"] = {
            "task_s": round(run2["done"]["duration_ms"] / 1000.0, 2),
            "playbook_s": round(wall2, 2),
            "requests": len(control(sim, "GET", "/__sim__/log")["requests"]),
        }

        # 2. per-resource modules, each reloading (on a fresh firewall)
        control(sim, "POST", "/__sim__/reset")
        api(sim, "POST", "haproxy/settings/set", {"haproxy": {"general": {"enabled": "1"}}})
        sample = sample_of(json.loads(json.dumps(items)), args.sample)
        wall3, _out = run_playbook(tmp, "modules", module_tasks(sample), env)
        per_task = wall3 / len(sample)
        report["modules"] = {
            "tasks_run": len(sample),
            "playbook_s": round(wall3, 2),
            "per_task_s": round(per_task, 3),
            "extrapolated_500_s": round(per_task * len(items), 1),
        }
        report["modules"]["apply_speedup"] = round(report["modules"]["extrapolated_500_s"] / task_s, 1)
        report["modules"]["apply_speedup_playbook"] = round(report["modules"]["extrapolated_500_s"] / wall, 1)

    if args.json:
        print(json.dumps(report, indent=2))
    else:
        a, n, m = report["apply"], report["noop"], report["modules"]
        print("profile %s, %d resources, write_concurrency %d" % (args.profile, len(items), args.write_concurrency))
        print(
            "apply: %d writes, %d requests; task %.2fs, playbook %.2fs; cost-model floor %.2fs -> task/floor %.3f, playbook/floor %.3f"
            % (
                a["writes"],
                a["requests"],
                a["task_s"],
                a["playbook_s"],
                a["floor_s"],
                a["task_over_floor"],
                a["playbook_over_floor"],
            )
        )
        print("no-op re-run: task %.2fs, playbook %.2fs, %d requests" % (n["task_s"], n["playbook_s"], n["requests"]))
        print(
            "per-resource modules with a reload each: %d tasks in %.1fs (%.3fs each) -> %.0fs for %d; apply is %.1fx faster (%.1fx by playbook time)"
            % (
                m["tasks_run"],
                m["playbook_s"],
                m["per_task_s"],
                m["extrapolated_500_s"],
                len(items),
                m["apply_speedup"],
                m["apply_speedup_playbook"],
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
