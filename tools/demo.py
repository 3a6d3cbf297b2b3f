"""`make demo`: start a simulated OPNsense firewall and run the demo playbook against it.

The simulator runs in this process over HTTPS with its own CA; the playbook verifies TLS with that
CA (`ca_path`) exactly as it would against a real firewall. The API secret reaches Ansible only
through the environment (OPNSENSE_API_SECRET), never through a file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from install_collection import ansible_env, install
from opnsense_sim import Simulator

ROOT = Path(__file__).resolve().parent.parent


def inventory(sim: Simulator, directory: Path) -> Path:
    path = directory / "inventory.yml"
    path.write_text(
        "all:\n"
        "  children:\n"
        "    firewalls:\n"
        "      hosts:\n"
        "        fw1:\n"
        f"          opn_api_url: {sim.url}\n"
        f"          opn_api_key: {sim.api_key}\n"
        f"          opn_ca_path: {sim.ca_file}\n"
        "      vars:\n"
        "        ansible_connection: local\n"
        '        ansible_python_interpreter: "{{ ansible_playbook_python }}"\n',
        encoding="utf-8",
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--playbook", default=str(ROOT / "playbooks" / "demo.yml"))
    parser.add_argument("--profile", default="lan", help="simulator cost profile (default lan)")
    parser.add_argument("extra", nargs="*", help="extra ansible-playbook arguments")
    parser.add_argument(
        "--no-build", action="store_true", help="use build/collections as it is (make demo has just built it)"
    )
    args = parser.parse_args()
    if not args.no_build:
        print("== building and installing the collection with ansible-galaxy: %s" % install(), flush=True)
    with Simulator(port=0, profile=args.profile) as sim, tempfile.TemporaryDirectory(prefix="opnform-demo-") as tmp:
        print(f"== simulated OPNsense {sim.app.env.product_version} at {sim.url} (profile {args.profile})")
        print(f"== TLS verified with the simulator's CA: {sim.ca_file}\n", flush=True)
        env = ansible_env(
            dict(os.environ, OPNSENSE_API_SECRET=sim.api_secret, OPNFORM_STATE_DIR=str(Path(tmp) / "state"))
        )
        cmd = [
            str(Path(sys.executable).parent / "ansible-playbook"),
            "-i",
            str(inventory(sim, Path(tmp))),
            "--diff",
            args.playbook,
            *args.extra,
        ]
        return subprocess.call(cmd, env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
