"""Reads per second from the simulator at profile `instant`, the simulator in its own process.

Clients keep their connection open (keep-alive), as the collection's HTTPS session does. Two kinds:
- `requests`: one requests.Session in one thread, what a single Ansible worker does;
- `http.client`: N processes with a lean stdlib client each, to find what the server itself can do.
Also reports the simulator's own CPU time per request.

    python bench/sim_reads.py [--objects 200] [--seconds 5] [--json]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import multiprocessing
import ssl
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sim import SimProcess  # noqa: E402


def populate(sim: SimProcess, objects: int) -> list[str]:
    """Half categories, half host aliases, added over the API; returns the category uuids."""
    s = requests.Session()
    uuids = []
    for i in range(objects):
        if i % 2 == 0:
            r = s.post(sim.url + "/api/firewall/category/addItem", json={"category": {"name": f"cat{i}", "color": "ff00ff"}},
                       auth=sim.auth, verify=sim.ca_file)
            uuids.append(r.json()["uuid"])
        else:
            body = {"alias": {"name": f"host_{i}", "type": "host", "content": f"10.0.{i % 250}.1\n10.1.{i % 250}.2"}}
            r = s.post(sim.url + "/api/firewall/alias/addItem", json=body, auth=sim.auth, verify=sim.ca_file)
        assert r.json().get("result") == "saved", r.text
    return uuids


def requests_rate(sim: SimProcess, path: str, seconds: float) -> float:
    s = requests.Session()
    s.get(sim.url + path, auth=sim.auth, verify=sim.ca_file).raise_for_status()
    count, end = 0, time.monotonic() + seconds
    start = time.monotonic()
    while time.monotonic() < end:
        r = s.get(sim.url + path, auth=sim.auth, verify=sim.ca_file)
        assert r.status_code == 200
        count += 1
    return count / (time.monotonic() - start)


def _lean_client(url: str, ca_file: str, auth: tuple[str, str], path: str, seconds: float, out) -> None:
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    conn = http.client.HTTPSConnection(host, int(port), context=ssl.create_default_context(cafile=ca_file))
    headers = {"Authorization": "Basic " + base64.b64encode(":".join(auth).encode()).decode()}
    count, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        r.read()
        assert r.status == 200
        count += 1
    out.put(count)


def lean_rate(sim: SimProcess, path: str, seconds: float, processes: int) -> tuple[float, float]:
    """(requests/s, simulator CPU microseconds per request) with `processes` keep-alive clients."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_lean_client, args=(sim.url, sim.ca_file, sim.auth, path, seconds, queue))
             for _ in range(processes)]
    cpu0, start = sim.cpu_seconds(), time.monotonic()
    for p in procs:
        p.start()
    total = sum(queue.get() for _ in procs)
    for p in procs:
        p.join()
    elapsed, cpu = time.monotonic() - start, sim.cpu_seconds() - cpu0
    return total / elapsed, cpu / total * 1e6


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--objects", type=int, default=200, help="objects loaded before reading (default 200)")
    p.add_argument("--seconds", type=float, default=5, help="seconds per measurement (default 5)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    args = p.parse_args(argv)
    results: dict = {"objects": args.objects, "seconds": args.seconds, "reads": []}
    with SimProcess(profile="instant") as sim:
        uuids = populate(sim, args.objects)
        paths = {
            "get one category": f"/api/firewall/category/getItem/{uuids[0]}",
            f"search {len(uuids)} categories": "/api/firewall/category/searchItem",
            "firmware status": "/api/core/firmware/status",
        }
        for label, path in paths.items():
            row = {"read": label, "path": path, "requests_1_thread": round(requests_rate(sim, path, args.seconds))}
            for n in (1, 2):
                rate, cpu_us = lean_rate(sim, path, args.seconds, n)
                row[f"http_client_{n}_proc"] = round(rate)
                row[f"server_cpu_us_{n}_proc"] = round(cpu_us)
            results["reads"].append(row)
            if not args.json:
                print(f"{label:28} requests x1: {row['requests_1_thread']:6}/s   http.client x1: {row['http_client_1_proc']:6}/s"
                      f"   x2: {row['http_client_2_proc']:6}/s   server CPU {row['server_cpu_us_2_proc']} us/read", flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
