"""Memory of the simulator holding 10,000 objects, loaded over the API (its own process).

Objects are half host aliases, half categories, each added with its own request as a client
would; the simulator keeps its 100 revisions meanwhile. Reports RSS (now and peak) and the load rate.

    python bench/sim_memory.py [--objects 10000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sim import SimProcess  # noqa: E402


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--objects", type=int, default=10_000)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    with SimProcess(profile="instant") as sim:
        idle = sim.rss_mb()[0]
        s = requests.Session()
        start = time.monotonic()
        for i in range(args.objects):
            if i % 2:
                body = {"alias": {"name": f"host_{i}", "type": "host", "content": f"10.{i % 250}.{i // 250 % 250}.1\n10.0.0.{i % 250}",
                                  "description": f"alias number {i}"}}
                r = s.post(sim.url + "/api/firewall/alias/addItem", json=body, auth=sim.auth, verify=sim.ca_file)
            else:
                r = s.post(sim.url + "/api/firewall/category/addItem", json={"category": {"name": f"cat{i}", "color": "00ff00"}},
                           auth=sim.auth, verify=sim.ca_file)
            assert r.json().get("result") == "saved", r.text
        load_s = time.monotonic() - start
        search = s.get(sim.url + "/api/firewall/alias/searchItem", auth=sim.auth, verify=sim.ca_file)
        rss, peak = sim.rss_mb()
    result = {"objects": args.objects, "idle_rss_mb": round(idle, 1), "rss_mb": round(rss, 1), "peak_rss_mb": round(peak, 1),
              "load_seconds": round(load_s, 1), "writes_per_second": round(args.objects / load_s),
              "alias_search_rows": search.json()["total"]}
    print(json.dumps(result, indent=2) if args.json else
          f"{args.objects} objects: RSS {result['rss_mb']} MB (peak {result['peak_rss_mb']} MB, idle {result['idle_rss_mb']} MB); "
          f"loaded in {result['load_seconds']} s ({result['writes_per_second']} writes/s)")
    return result


if __name__ == "__main__":
    main()
