"""A check-mode plan of many resources against an empty firewall (issue 10): 2/3 host aliases and
1/3 filter rules that reference them (15,000 = 10,000 aliases + 5,000 rules), three measurements
per size:

1. **engine**: ``Engine.plan`` in check mode, in-process, timed around the call (parse and
   validation, the reads, the plan, the result and its redaction);
2. **playbook**: the whole ``ansible-playbook --check`` run of one ``opnform.opnsense.plan`` task,
   once with ``resources_file`` (the path docs/apply.md recommends for large sets: the action plugin
   reads the file itself, Ansible never templates the list) and once with the list inline
   (``resources: "{{ resources }}"`` from a vars file, the same file);
3. **peak RSS** of the controller: of the engine's process, and of the largest process of the
   playbook run (``ansible-playbook`` and the worker it forks), read from ``wait4``'s rusage.

    .venv/bin/python bench/plan_15k.py [--sizes 1500,5000,15000] [--runs 3] [--modes engine,file,inline] [--json]

Each measurement runs in a fresh process, so that peak RSS is that measurement's; times are wall
clock, the best of ``--runs``. The simulator runs in its own process (``_sim.SimProcess``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sim import SimProcess  # noqa: E402
from apply_500 import collections_path, write_inventory  # noqa: E402

BIN = Path(sys.executable).parent


def resources(total: int) -> list:
    """``total`` resources: two thirds host aliases, one third rules each naming one alias."""
    n_alias = total * 2 // 3
    out = [
        {
            "type": "firewall_alias",
            "name": "h%05d" % i,
            "properties": {"type": "host", "content": ["10.%d.%d.%d" % (i // 62500, i // 250 % 250, i % 250 + 1)]},
        }
        for i in range(n_alias)
    ]
    out += [
        {
            "type": "firewall_filter_rule",
            "name": "rule %05d" % i,
            "properties": {
                "interface": ["lan"],
                "protocol": "TCP",
                "destination_net": ["h%05d" % (i % n_alias)],
                "destination_port": str(1000 + i % 60000),
            },
        }
        for i in range(total - n_alias)
    ]
    return out


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def engine_child(size: int, url: str, ca_file: str, key: str, secret: str) -> dict:
    """In a fresh process: one check-mode ``Engine.plan`` of ``size`` resources."""
    sys.path.insert(0, collections_path())
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import Connection, Options

    items = resources(size)
    with tempfile.TemporaryDirectory() as state:
        conn = Connection(url, key, secret, True, ca_file)
        engine = Engine(conn, Options(deployment="bench", state_dir=state, check_mode=True))
        started = time.perf_counter()
        result = engine.plan(items)
        elapsed = time.perf_counter() - started
    creates = sum(1 for a in result["plan"]["actions"] if a["op"] == "create")
    assert creates == size, (creates, size)
    return {"seconds": elapsed, "peak_rss_mb": peak_rss_mb(), "timings": result.get("timings")}


def run_measured(argv: list, env: dict = None, cwd: str = None) -> tuple:
    """(wall seconds, peak RSS MB of the largest process in the tree, stdout) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (argv[:3], out[-3000:]))
    return elapsed, usage.ru_maxrss / 1024, out


def measure_engine(sim: SimProcess, size: int) -> dict:
    argv = [sys.executable, __file__, "--engine-child", str(size), sim.url, sim.ca_file, *sim.auth]
    _wall, _rss, out = run_measured(argv)
    return json.loads(out.strip().splitlines()[-1])


def plan_play(task_args: dict, vars_files: list) -> list:
    task = {"name": "plan", "opnform.opnsense.plan": dict(task_args, deployment="bench", state_dir="state")}
    return [
        {
            "name": "bench",
            "hosts": "fw1",
            "gather_facts": False,
            "vars_files": vars_files,
            "module_defaults": {
                "group/opnform.opnsense.all": {
                    "api_url": "{{ opn_api_url }}",
                    "api_key": "{{ opn_api_key }}",
                    "ca_path": "{{ opn_ca_path }}",
                }
            },
            "tasks": [task],
        }
    ]


def measure_playbook(sim: SimProcess, tmp: Path, size: int, inline: bool) -> dict:
    """One ``ansible-playbook --check`` run: ``resources_file`` or, with ``inline``, ``resources``."""
    data = tmp / ("resources-%d.json" % size)
    if not data.exists():
        data.write_text(json.dumps({"resources": resources(size)}))  # a vars file and a resources file
    if inline:
        play = plan_play({"resources": "{{ resources }}"}, [str(data)])
    else:
        play = plan_play({"resources_file": str(data)}, [])
    book = tmp / "plan.yml"
    book.write_text(json.dumps(play))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), OPNSENSE_API_SECRET=sim.auth[1])
    argv = [str(BIN / "ansible-playbook"), "--check", "-i", str(tmp / "inventory.yml"), str(book)]
    seconds, rss, _out = run_measured(argv, env=env, cwd=str(tmp))
    return {"seconds": seconds, "peak_rss_mb": rss}


def best(samples: list) -> dict:
    return min(samples, key=lambda s: s["seconds"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1500,5000,15000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default="engine,file,inline", help="which of engine,file,inline to measure")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--engine-child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine_child:
        size, url, ca_file, key, secret = args.engine_child
        print(json.dumps(engine_child(int(size), url, ca_file, key, secret)))
        return 0
    rows = []
    modes = args.modes.split(",")
    with SimProcess(profile="instant") as sim, tempfile.TemporaryDirectory(prefix="opnform-plan15k-") as tmp:
        write_inventory(Path(tmp), sim)
        for size in [int(s) for s in args.sizes.split(",")]:
            row = {"resources": size}
            if "engine" in modes:
                row["engine"] = best([measure_engine(sim, size) for _ in range(args.runs)])
            for mode in [m for m in ("file", "inline") if m in modes]:
                row["playbook_" + mode] = best(
                    [measure_playbook(sim, Path(tmp), size, mode == "inline") for _ in range(args.runs)]
                )
            rows.append(row)
            if not args.json:
                print(format_row(row), flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


LABELS = [
    ("engine", "engine"),
    ("playbook_file", "ansible-playbook --check, resources_file"),
    ("playbook_inline", "ansible-playbook --check, inline"),
]


def format_row(row: dict) -> str:
    parts = [
        "%s %.2f s (peak RSS %.0f MB)" % (label, row[key]["seconds"], row[key]["peak_rss_mb"])
        for key, label in LABELS
        if key in row
    ]
    return "%6d resources: %s" % (row["resources"], ", ".join(parts))


if __name__ == "__main__":
    sys.exit(main())
