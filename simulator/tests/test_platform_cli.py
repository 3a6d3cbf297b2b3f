"""The `opnsense-sim` command (design.md section 6), run as a subprocess."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

SCRIPT = Path(sys.executable).with_name("opnsense-sim")


def command() -> list[str]:
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "opnsense_sim.cli"]


class Running:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [*command(), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        while True:
            line = self.proc.stdout.readline()
            assert line, f"exited early: {''.join(self.lines)}"
            self.lines.append(line.rstrip("\n"))
            if line.startswith("API key:"):
                break
        self.url = re.search(r"listening on (\S+)", self.lines[0]).group(1)
        ca = [x for x in self.lines if x.startswith("CA file: ")]
        self.ca_file = ca[0][len("CA file: ") :] if ca else None

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=10)
        self.proc.stdout.close()
        return rc

    def __enter__(self) -> "Running":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.stop()


def test_help_lists_the_contract_options():
    out = subprocess.run([*command(), "--help"], capture_output=True, text=True, check=True).stdout
    for option in (
        "--host",
        "--port",
        "--api-key",
        "--api-secret",
        "--no-tls",
        "--profile",
        "--opnsense-version",
        "--state-file",
        "--unsafe-concurrent-writes",
    ):
        assert option in out


def test_prints_url_and_ca_file_and_serves_https():
    with Running("--api-key", "key1", "--api-secret", "secret1") as sim:
        assert re.fullmatch(r"https://127\.0\.0\.1:\d+", sim.url)
        assert sim.ca_file and Path(sim.ca_file).is_file()
        assert "API key: key1" in sim.lines and not any("secret1" in line for line in sim.lines)
        r = requests.get(
            sim.url + "/api/core/firmware/status", auth=("key1", "secret1"), verify=sim.ca_file, timeout=10
        )
        assert r.json()["product"]["product_version"] == "26.7.2"
        assert sim.stop() == 0


def test_generated_credentials_are_printed():
    with Running() as sim:
        key = next(x for x in sim.lines if x.startswith("API key: "))[len("API key: ") :]
        line = sim.proc.stdout.readline().rstrip("\n")
        assert line.startswith("API secret: ")
        secret = line[len("API secret: ") :]
        r = requests.get(sim.url + "/api/core/firmware/status", auth=(key, secret), verify=sim.ca_file, timeout=10)
        assert r.status_code == 200


def test_no_tls_profile_version_and_unsafe_writes():
    with Running(
        "--no-tls",
        "--api-key",
        "k",
        "--api-secret",
        "s",
        "--profile",
        "lan",
        "--opnsense-version",
        "26.1",
        "--unsafe-concurrent-writes",
    ) as sim:
        assert sim.url.startswith("http://") and sim.ca_file is None
        assert requests.get(sim.url + "/__sim__/profile", timeout=10).json()["profile"] == "lan"
        state = requests.get(sim.url + "/__sim__/state", timeout=10).json()
        assert state["version"] == "26.1.11" and state["unsafe_concurrent_writes"] is True


@pytest.mark.parametrize("args", [["--profile", "fast"], ["--opnsense-version", "25.7"], ["--nonsense"]])
def test_bad_arguments_exit_2(args):
    r = subprocess.run([*command(), *args], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
