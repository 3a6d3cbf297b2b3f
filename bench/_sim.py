"""Starts `opnsense-sim` in its own process for the benchmarks and stops it again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class SimProcess:
    """`with SimProcess(profile="instant") as sim:` gives sim.url, sim.ca_file, sim.auth, sim.pid."""

    def __init__(self, *args: str, profile: str = "instant") -> None:
        self.args = ["--profile", profile, *args]
        self.auth = ("bench-key", "bench-secret")

    def __enter__(self) -> "SimProcess":
        self.tmp = tempfile.TemporaryDirectory(prefix="opnsense-sim-bench-")
        ready = Path(self.tmp.name) / "ready.json"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "opnsense_sim.cli", "--port", "0", "--api-key", self.auth[0],
             "--api-secret", self.auth[1], "--ready-file", str(ready), "--workdir", self.tmp.name, *self.args],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while not (ready.exists() and ready.read_text()):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("opnsense-sim did not start")
            time.sleep(0.05)
        info = json.loads(ready.read_text())
        self.url, self.ca_file, self.pid = info["url"], info["ca_file"], self.proc.pid
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)
        self.tmp.cleanup()

    def rss_mb(self) -> tuple[float, float]:
        """(current RSS, peak RSS) of the simulator process in MB."""
        values = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
        return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
