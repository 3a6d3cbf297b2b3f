"""End-to-end helpers: real ``ansible-playbook`` / ``ansible-runner`` runs in a temporary project.

The collection is used from the checkout through ``<tmp>/ansible_collections/opnform/opnsense``, a
symlink to the repository root, named by ``ANSIBLE_COLLECTIONS_PATH``. The same parent directory
goes on ``sys.path`` so the tests can import ``_progress`` to read what the runs wrote. The API
secret reaches Ansible through the inventory file only, so that every file and line the tests read
can be searched for it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
APPLY = ROOT / "plugins" / "action" / "apply.py"


sys.path.insert(0, str(ROOT / "tools"))
from collection_link import collection_parent  # noqa: E402

COLLECTIONS = collection_parent(ROOT, "e2e")
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)

needs_apply = pytest.mark.skipif(not APPLY.exists(), reason="needs the apply action plugin (plugins/action/apply.py)")


class Result(object):
    def __init__(self, rc: int, lines: list, checks: list) -> None:
        self.rc = rc
        self.lines = lines
        self.stdout = "\n".join(lines)
        self.checks = checks  # what on_line returned, with the line it saw

    def opnform(self) -> list:
        return [line for line in self.lines if line.startswith("OPNFORM")]


class Project(object):
    """A playbook, an inventory of simulated firewalls and a state folder in a temporary directory."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.state = tmp / "state"
        self.secrets: list = []

    def inventory(self, firewalls: dict) -> Path:
        """``{host: Simulator}`` -> an INI-free YAML inventory with each firewall's connection vars."""
        hosts = {}
        for host, simulator in firewalls.items():
            self.secrets.append(simulator.api_secret)
            hosts[host] = {
                "opn_api_url": simulator.url,
                "opn_api_key": simulator.api_key,
                "opn_api_secret": simulator.api_secret,
                "opn_ca_path": simulator.ca_file,
            }
        data = {
            "all": {
                "children": {
                    "firewalls": {
                        "hosts": hosts,
                        "vars": {
                            "ansible_connection": "local",
                            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                        },
                    }
                }
            }
        }
        path = self.tmp / "inventory.yml"
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return path

    def playbook(self, apply_args: dict, name: str = "Apply the web deployment", extra_tasks: list = ()) -> Path:
        task = {"name": name, "opnform.opnsense.apply": apply_args, "register": "applied"}
        save = {
            "name": "Save the apply result",
            "ansible.builtin.copy": {
                "content": "{{ applied | to_json }}",
                "dest": str(self.tmp) + "/result-{{ inventory_hostname }}.json",
                "mode": "0600",
            },
        }
        play = [
            {
                "name": "Progress",
                "hosts": "firewalls",
                "gather_facts": False,
                "module_defaults": {
                    "group/opnform.opnsense.all": {
                        "api_url": "{{ opn_api_url }}",
                        "api_key": "{{ opn_api_key }}",
                        "api_secret": "{{ opn_api_secret }}",
                        "ca_path": "{{ opn_ca_path }}",
                    }
                },
                "tasks": [{"block": [task], "always": [save]}] + list(extra_tasks),
            }
        ]
        path = self.tmp / "play.yml"
        path.write_text(json.dumps(play, indent=2), encoding="utf-8")
        return path

    def result(self, host: str) -> dict:
        return json.loads((self.tmp / ("result-%s.json" % host)).read_text())

    def env(self, **extra: str) -> dict:
        env = dict(os.environ)
        for key in list(env):
            if key.startswith(("ANSIBLE_", "OPNFORM_", "OPNSENSE_")):
                del env[key]
        env.update(
            ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_FORCE_COLOR="0",
            ANSIBLE_HOST_KEY_CHECKING="0",
            ANSIBLE_LOCAL_TEMP=str(self.tmp / "ansible-tmp"),
            OPNFORM_STATE_DIR=str(self.state),
            PATH="%s%s%s" % (BIN, os.pathsep, env.get("PATH", "")),
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def run(self, cmd: list, env: dict, on_line=None, timeout: float = 300) -> Result:
        """Run ``cmd`` and read its output line by line as it comes; ``on_line(line)`` may look at the
        world while the process is still running (its non-None answers are kept)."""
        proc = subprocess.Popen(
            cmd, cwd=str(self.tmp), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        lines, checks = [], []
        try:
            for raw in proc.stdout:
                line = raw.rstrip("\n")
                lines.append(line)
                if on_line is not None:
                    answer = on_line(line)
                    if answer is not None:
                        checks.append((line, answer))
            rc = proc.wait()
        finally:
            timer.cancel()
        return Result(rc, lines, checks)

    def playbook_run(self, *args: str, env: dict = None, on_line=None) -> Result:
        cmd = [str(BIN / "ansible-playbook"), "-i", str(self.tmp / "inventory.yml"), str(self.tmp / "play.yml")]
        return self.run(cmd + list(args), env or self.env(), on_line)

    def runner_run(self, env: dict = None, verbosity: int = 0) -> Path:
        """``ansible-runner run`` in a private data dir; returns the artifacts folder of the run."""
        pdd = self.tmp / "runner"
        (pdd / "project").mkdir(parents=True, exist_ok=True)
        (pdd / "inventory").mkdir(exist_ok=True)
        (pdd / "project" / "play.yml").write_text((self.tmp / "play.yml").read_text())
        (pdd / "inventory" / "hosts.yml").write_text((self.tmp / "inventory.yml").read_text())
        cmd = [str(BIN / "ansible-runner"), "run", str(pdd), "-p", "play.yml", "--ident", "progress"]
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        result = self.run(cmd, env or self.env())
        artifacts = pdd / "artifacts" / "progress"
        assert (artifacts / "rc").exists(), result.stdout
        return artifacts

    def files_text(self, *roots: Path) -> str:
        """Everything the runs wrote under ``roots`` (state, progress files, results, runner artifacts),
        except the inventories the tests wrote themselves."""
        chunks = []
        inputs = {
            self.tmp / name
            for name in ("inventory.yml", "play.yml", "runner/inventory/hosts.yml", "runner/project/play.yml")
        }  # the inputs: they hold the secrets
        for root in roots:
            for path in sorted(Path(root).rglob("*")):
                if path.is_file() and path not in inputs:
                    chunks.append(path.read_text(errors="replace"))
        return "\n".join(chunks)


def job_events(artifacts: Path) -> list:
    files = sorted((artifacts / "job_events").glob("*.json"), key=lambda p: int(p.name.split("-")[0]))
    return [json.loads(p.read_text()) for p in files]
