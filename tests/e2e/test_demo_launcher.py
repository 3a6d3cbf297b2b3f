"""``tools/demo.py`` works when started directly, not only through ``make demo``.

Run from another folder with no ANSIBLE_COLLECTIONS_PATH, it builds and installs the collection
itself, so that ``module_defaults: group/opnform.opnsense.all`` resolves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PLAY = """---
- name: The module_defaults group resolves
  hosts: firewalls
  gather_facts: false
  module_defaults:
    group/opnform.opnsense.all:
      api_url: "{{ opn_api_url }}"
      api_key: "{{ opn_api_key }}"
      ca_path: "{{ opn_ca_path }}"
  tasks:
    - name: The firewall answers
      opnform.opnsense.system_info:
      register: info

    - name: Through the group's defaults
      ansible.builtin.assert:
        that: info.version is defined
"""


@pytest.mark.skipif(not (ROOT / "tools" / "demo.py").exists(), reason="needs tools/demo.py")
def test_demo_launcher_started_directly_from_elsewhere(tmp_path):
    pytest.importorskip("opnsense_sim")
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAY, encoding="utf-8")
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "OPNFORM_", "OPNSENSE_")))
    cmd = [sys.executable, str(ROOT / "tools" / "demo.py"), "--profile", "instant", "--playbook", str(playbook)]
    done = subprocess.run(
        cmd, cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert "building and installing the collection" in done.stdout
    assert "ok=2" in done.stdout and "could not resolve" not in done.stdout
