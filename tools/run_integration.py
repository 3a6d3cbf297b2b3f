#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's integration targets with ansible-test against a fresh OPNsense simulator.

ansible-test needs the collection at a path ending in ``ansible_collections/opnform/opnsense``:
give one with ``--tree`` (the Makefile prepares ``build/ansible-test/...``), or this script copies
the checkout into a temporary one. It then starts ``Simulator(port=0, profile="instant")``, writes
``tests/integration/integration_config.yml`` in that tree (``opn_api_url``, ``opn_api_key``,
``opn_api_secret``, ``opn_ca_path``: TLS is verified with the simulator's CA), runs
``ansible-test integration --local --python 3.11`` plus any extra arguments (target names, ``-v``),
and exits with ansible-test's exit code. The config file holds the simulator's throw-away secret
and is removed afterwards.

    python tools/run_integration.py                      # every target
    python tools/run_integration.py firewall_alias -v    # one target
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Not part of the collection (and the simulator must not be importable from the collection tree).
SKIP = {".git", ".venv", "build", "dist", "simulator", "bench", "requirements", ".ci", "output", "__pycache__",
        ".pytest_cache", ".ruff_cache", ".state", "collections", ".tox"}  # fmt: skip


def copy_tree(dest_parent: Path) -> Path:
    """Copy the checkout to ``<dest_parent>/ansible_collections/opnform/opnsense``."""
    tree = dest_parent / "ansible_collections" / "opnform" / "opnsense"

    def ignore(directory: str, names: list) -> set:
        rel = Path(directory).resolve().relative_to(ROOT)
        skipped = set(n for n in names if n in SKIP or n.endswith((".pyc", ".tar.gz")))
        if rel == Path("tests/integration"):
            skipped.add("integration_config.yml")
        return skipped

    shutil.copytree(ROOT, tree, ignore=ignore, symlinks=False)
    return tree


def write_config(tree: Path, sim) -> Path:
    path = tree / "tests" / "integration" / "integration_config.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            "---\n"
            "opn_api_url: %s\n"
            "opn_api_key: %s\n"
            "opn_api_secret: %s\n"
            "opn_ca_path: %s\n" % (sim.url, sim.api_key, sim.api_secret, sim.ca_file)
        )
    return path


def ansible_test_command(extra: list) -> list:
    exe = shutil.which("ansible-test") or str(Path(sys.executable).parent / "ansible-test")
    cmd = [exe, "integration"]
    if "--local" not in extra and "--venv" not in extra and not any(a.startswith("--docker") for a in extra):
        cmd.append("--local")
    if "--python" not in extra:
        cmd += ["--python", "%d.%d" % sys.version_info[:2]]
    return cmd + list(extra)


def main(argv: list = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--tree", help="existing .../ansible_collections/opnform/opnsense tree to run in")
    parser.add_argument("--profile", default="instant", help="simulator cost profile (default instant)")
    args, extra = parser.parse_known_args(argv)
    try:
        from opnsense_sim import Simulator
    except ImportError:
        sys.path.insert(0, str(ROOT / "simulator"))
        from opnsense_sim import Simulator

    workdir = None
    if args.tree:
        tree = Path(args.tree).resolve()
        if tree.parts[-3:] != ("ansible_collections", "opnform", "opnsense"):
            parser.error("--tree must end in ansible_collections/opnform/opnsense")
    else:
        workdir = Path(tempfile.mkdtemp(prefix="opnform-integration-"))
        tree = copy_tree(workdir)
    env = dict(os.environ)
    env["PATH"] = "%s%s%s" % (Path(sys.executable).parent, os.pathsep, env.get("PATH", ""))
    # ansible-test reads only the tree; the simulator's secret reaches the targets via the config file.
    config = None
    started = time.time()
    try:
        with Simulator(port=0, profile=args.profile) as sim:
            config = write_config(tree, sim)
            cmd = ansible_test_command(extra)
            print(
                "== simulator %s, CA %s; running: %s (in %s)" % (sim.url, sim.ca_file, " ".join(cmd), tree), flush=True
            )
            rc = subprocess.call(cmd, cwd=str(tree), env=env)
    finally:
        if config is not None and config.exists():
            config.unlink()
        if workdir is not None:
            shutil.rmtree(str(workdir), ignore_errors=True)
    print("== ansible-test integration exited %d after %.1fs" % (rc, time.time() - started), flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
