"""Bulk writes (issue 15): one table, one simulator process and profile, for 500 and 2,000 mixed
resources (the mix of ``apply_500.py``): first apply, no-op re-run, a 10% change, and a run whose
last write fails and is rolled back. Contenders:

- ``apply`` with ``bulk: auto`` and with ``bulk: off`` (the task time, from its ``run_done`` event;
  each on a factory-reset firewall and a fresh state folder);
- the per-resource modules in a loop, one task per resource with a reload each: a sample of
  ``--sample`` tasks per scenario is run and extrapolated (a full loop of 2,000 takes an hour);
- the cost model's per-object floor: one write under the writer lock per changed object, one
  parallel read round and one reload per touched subsystem (``apply_500.floor_seconds``);
- one request and one reload per object, from the cost model: per changed object
  ``rtt + request + write`` plus its subsystem's reload.

    .venv/bin/python bench/bulk.py [--sizes 500,2000] [--sample 30] [--write-concurrency 4] [--json]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sim import SimProcess  # noqa: E402
from apply_500 import (  # noqa: E402
    RELOAD_COST_KEYS,
    SUBSYSTEM_OF,
    api,
    collections_path,
    control,
    floor_seconds,
    module_tasks,
    resources,
    run_playbook,
    sample_of,
    write_inventory,
)

# the requests that write: one-object set/del, and the bulk endpoints (rule and category CSV
# uploads, the alias import, a whole-model set)
WRITE = re.compile(r"^/api/[^/]+/[^/]+/((set|del)[A-Za-z_]*/|set$|upload_rules$|upload$|import$)")


def changed(items: list, share: float = 0.1) -> list:
    """``items`` with every tenth resource of each type changed (one field each)."""
    out = copy.deepcopy(items)
    for index, item in enumerate(out):
        if index % int(round(1 / share)):
            continue
        props = item["properties"]
        kind = item["type"]
        if kind == "firewall_category":
            props["color"] = "abcdef"
        elif kind == "firewall_alias":
            props["content"] = props["content"] + ["10.250.0.1"]
        elif kind == "firewall_filter_rule":
            props["destination_port"] = str(int(props["destination_port"]) + 20000)
        elif kind == "interfaces_vlan":
            props["description"] = props["description"] + " changed"
        elif kind == "haproxy_server":
            props["port"] = 9090
        elif kind == "haproxy_healthcheck":
            props["http_uri"] = props["http_uri"] + "/v2"
        elif kind == "haproxy_backend":
            props["description"] = "changed"
        elif kind == "haproxy_frontend":
            props["description"] = "changed"
    return out


def differing(before: list, after: list) -> list:
    return [b for a, b in zip(before, after) if a != b]


def apply_task(items: list, bulk: str, write_concurrency: int) -> list:
    return [
        {
            "name": "apply",
            "opnform.opnsense.apply": {
                "deployment": "bench",
                "resources": items,
                "write_concurrency": write_concurrency,
                "parallelism": 8,
                "bulk": bulk,
            },
            "ignore_errors": True,
        }
    ]


def newest_run(state: Path) -> dict:
    newest = max(state.glob("*/runs/*/events.jsonl"), key=lambda p: p.stat().st_mtime)
    events = [json.loads(line) for line in newest.read_text().splitlines() if line.strip()]
    return events[-1]


def per_object_costs(profile: dict, items: list) -> float:
    """One request and one reload per changed object, from the cost model."""
    total = 0.0
    for item in items:
        subsystem = SUBSYSTEM_OF[item["type"]]
        reload_ms = sum(profile["reload_ms"].get(k, 0) for k in RELOAD_COST_KEYS[subsystem]) if subsystem else 0
        total += profile["rtt_ms"] + profile.get("request_ms", 0) + profile["write_ms"] + reload_ms
    return total / 1000.0


def floor_of(profile: dict, items: list, writes: int) -> float:
    subsystems = sorted(set(SUBSYSTEM_OF[i["type"]] for i in items if SUBSYSTEM_OF[i["type"]]))
    return floor_seconds(profile, writes, len(set(i["type"] for i in items)), subsystems)


def fresh(sim: SimProcess) -> None:
    control(sim, "POST", "/__sim__/reset")
    control(sim, "DELETE", "/__sim__/faults")
    api(sim, "POST", "haproxy/settings/set", {"haproxy": {"general": {"enabled": "1"}}})


def run_apply(tmp: Path, sim: SimProcess, env: dict, name: str, items: list, bulk: str, wc: int) -> dict:
    control(sim, "DELETE", "/__sim__/log")
    wall, _out = run_playbook(tmp, name, apply_task(items, bulk, wc), env)
    done = newest_run(Path(env["OPNFORM_STATE_DIR"]))
    log = control(sim, "GET", "/__sim__/log")["requests"]
    writes = [e for e in log if e["method"] == "POST" and WRITE.match(e["path"])]
    return {
        "task_s": round(done["duration_ms"] / 1000.0, 2),
        "playbook_s": round(wall, 2),
        "status": done.get("status"),
        "writes": len(writes),
        "requests": len(log),
    }


def scenarios_for_apply(tmp, sim, env, items, after, bulk, wc) -> dict:
    """First apply, no-op, 10% change, then the change back with its last write failing (rolled back)."""
    fresh(sim)
    state = tmp / ("state-%s-%d" % (bulk, len(items)))
    env = dict(env, OPNFORM_STATE_DIR=str(state))
    out = {"first": run_apply(tmp, sim, env, "first", items, bulk, wc)}
    out["noop"] = run_apply(tmp, sim, env, "noop", items, bulk, wc)
    out["change"] = run_apply(tmp, sim, env, "change", after, bulk, wc)
    # back to the original, the last write failing: the run rolls back to the changed state
    last = out["change"]["writes"]
    control(
        sim,
        "POST",
        "/__sim__/faults",
        {"rules": [{"effect": "http500", "method": "POST", "path": WRITE.pattern, "nth": last, "times": 1}]},
    )
    out["rollback"] = run_apply(tmp, sim, env, "rollback", items, bulk, wc)
    control(sim, "DELETE", "/__sim__/faults")
    assert out["rollback"]["status"] in ("rolled_back", "failed"), out["rollback"]
    for key in ("first", "noop", "change"):
        assert out[key]["status"] == "ok", (key, out[key])
    return out


def modules_loop(tmp, sim, env, items, after, sample_size) -> dict:
    """Per-resource module tasks with a reload each, sampled and extrapolated per scenario."""
    fresh(sim)
    env = dict(env, OPNFORM_STATE_DIR=str(tmp / "state-modules"))
    sample = sample_of(copy.deepcopy(items), sample_size)
    first, _ = run_playbook(tmp, "modules-first", module_tasks(sample), env)
    noop, _ = run_playbook(tmp, "modules-noop", module_tasks(sample), env)
    names = set((i["type"], i["name"]) for i in differing(items, after))
    after_by = dict(((i["type"], i["name"]), i) for i in after)
    # the changed ones of the sample changed as in the 10% change, the rest as they are
    changed_sample = [after_by[(i["type"], i["name"])] if (i["type"], i["name"]) in names else i for i in sample]
    changed_sample = sample_of(copy.deepcopy(changed_sample), sample_size)
    change, _ = run_playbook(tmp, "modules-change", module_tasks(changed_sample), env)
    n = len(sample)
    per = {"first": first / n, "noop": noop / n, "change": change / n}
    return {
        "sample": n,
        "first": round(per["first"] * len(items), 1),
        "noop": round(per["noop"] * len(items), 1),
        # the loop runs every task again; the changed tenth writes and reloads
        "change": round(per["noop"] * len(items) * 0.9 + per["first"] * len(items) * 0.1, 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--write-concurrency", type=int, default=4)
    parser.add_argument("--profile", default="lan")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    parent = collections_path()
    sys.path.insert(0, parent)
    report: dict = {"profile": args.profile, "write_concurrency": args.write_concurrency, "sizes": {}}
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
        module_rates = None
        for size in [int(s) for s in args.sizes.split(",") if s]:
            items = resources(size)
            after = changed(items)
            delta = differing(items, after)
            started = time.time()
            row: dict = {"changed": len(delta)}
            for bulk in ("auto", "off"):
                row["apply_" + bulk] = scenarios_for_apply(tmp, sim, env, items, after, bulk, args.write_concurrency)
            if module_rates is None:
                module_rates = modules_loop(tmp, sim, env, items, after, args.sample)
                module_rates["size"] = size
            scale = size / module_rates["size"]
            row["modules"] = dict((k, round(module_rates[k] * scale, 1)) for k in ("first", "noop", "change"))
            row["modules"]["sample"] = module_rates["sample"]
            row["floor"] = {
                "first": round(floor_of(profile, items, size), 2),
                "noop": round(floor_of(profile, [], 0) + (profile["rtt_ms"] + profile["request_ms"]) / 1000.0, 2),
                "change": round(floor_of(profile, delta, len(delta)), 2),
                # the failed run: every write but the last, then their undo, and the reloads twice
                "rollback": round(2 * floor_of(profile, delta, len(delta)), 2),
            }
            row["per_object_reload"] = {
                "first": round(per_object_costs(profile, items), 1),
                "change": round(per_object_costs(profile, delta), 1),
            }
            row["bench_s"] = round(time.time() - started, 1)
            report["sizes"][str(size)] = row

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print("profile %s, write_concurrency %d; seconds (apply: task time)" % (args.profile, args.write_concurrency))
    head = (
        "| resources | scenario | apply bulk | apply no bulk | modules loop | floor | 1 request + 1 reload per object |"
    )
    print(head)
    print("| --- " * 7 + "|")
    for size, row in report["sizes"].items():
        for scenario in ("first", "noop", "change", "rollback"):
            auto, off = row["apply_auto"][scenario], row["apply_off"][scenario]
            print(
                "| %s | %s | %.2f (%d writes) | %.2f (%d writes) | %s | %s | %s |"
                % (
                    size,
                    scenario,
                    auto["task_s"],
                    auto["writes"],
                    off["task_s"],
                    off["writes"],
                    row["modules"].get(scenario, "-"),
                    row["floor"].get(scenario, "-"),
                    row["per_object_reload"].get(scenario, "-"),
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
