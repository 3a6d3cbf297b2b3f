"""The smoke run of one ansible-core version: ``smoke.yml`` through real ``ansible-playbook``.

tox runs this file once per supported ansible-core (``tox.ini``), each in its own virtualenv; the
main development venv runs it too. The collection is built and installed with that version's
``ansible-galaxy``, as a user installs it. Two simulated firewalls are in the inventory, one
verified with the simulator's CA and one with ``validate_certs: false``, so both TLS paths run in
every version. A run that hangs (as 2.16-2.18 did when a request thread printed a warning) is
killed and fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

opnsense_sim = pytest.importorskip("opnsense_sim")

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PLAYBOOK = Path(__file__).with_name("smoke.yml")
HANG_AFTER_S = 600
CHAIN_WARNING = "no haproxy_server named 'm_srv' exists yet"
TLS_WARNING = "[WARNING]: validate_certs is false"


@pytest.fixture(scope="module")
def collections(tmp_path_factory):
    """The collection built and installed with this ansible-core's ansible-galaxy."""
    dist = tmp_path_factory.mktemp("dist")
    target = tmp_path_factory.mktemp("collections")
    galaxy = str(BIN / "ansible-galaxy")
    subprocess.run(
        [galaxy, "collection", "build", "--output-path", str(dist), str(ROOT)], check=True, stdout=subprocess.DEVNULL
    )
    tarball = next(dist.glob("opnform-opnsense-*.tar.gz"))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(target))
    install = [galaxy, "collection", "install", "-p", str(target), str(tarball)]
    subprocess.run(install, check=True, stdout=subprocess.DEVNULL, env=env)
    return target


@pytest.fixture
def firewalls():
    with opnsense_sim.Simulator(port=0, profile="instant") as verified, opnsense_sim.Simulator(
        port=0, profile="instant"
    ) as unverified:
        yield {"fw_verified": verified, "fw_unverified": unverified}


def inventory(tmp_path, firewalls):
    hosts = {}
    for host, sim in firewalls.items():
        hosts[host] = {"opn_api_url": sim.url, "opn_api_key": sim.api_key, "opn_api_secret": sim.api_secret}
        if host == "fw_unverified":
            hosts[host]["opn_validate_certs"] = False
        else:
            hosts[host]["opn_ca_path"] = sim.ca_file
    data = {
        "all": {
            "children": {
                "firewalls": {
                    "hosts": hosts,
                    "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
                }
            }
        }
    }
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def playbook(tmp_path, collections, firewalls, *args):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "OPNFORM_", "OPNSENSE_")))
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        ANSIBLE_CALLBACKS_ENABLED="opnform.opnsense.progress",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
        OPNFORM_STATE_DIR=str(tmp_path / "state"),
        PATH="%s%s%s" % (BIN, os.pathsep, env.get("PATH", "")),
    )
    cmd = [str(BIN / "ansible-playbook"), "-f", "2", "-i", str(inventory(tmp_path, firewalls)), str(PLAYBOOK)]
    try:
        done = subprocess.run(
            cmd + list(args), env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, timeout=HANG_AFTER_S, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        pytest.fail("ansible-playbook hung for %ss:\n%s" % (HANG_AFTER_S, exc.output))
    return done.returncode, done.stdout


def configs(firewalls):
    return dict((host, sim.state()["config"]) for host, sim in firewalls.items())


def assert_quiet(out):
    """Nothing printed straight to stderr, and urllib3's per-request warning is not shown."""
    assert "errantly" not in out and "InsecureRequestWarning" not in out and "printed while the task ran" not in out


def test_check_mode_writes_nothing_and_follows_the_module_chain(tmp_path, collections, firewalls):
    before = configs(firewalls)
    rc, out = playbook(tmp_path, collections, firewalls, "--check", "--diff")
    assert rc == 0, out
    assert configs(firewalls) == before
    assert out.count("ok=6 ") == 2 and out.count("changed=3 ") == 2 and "failed=0" in out, out  # the asserts ran
    shown = " ".join(out.split())  # 2.16-2.18 wrap warnings at the terminal width
    assert CHAIN_WARNING in shown and TLS_WARNING in shown  # (Ansible shows a repeated warning once)
    assert_quiet(out)


def test_apply_rollback_checkpoint_and_restore_on_both_tls_paths(tmp_path, collections, firewalls):
    rc, out = playbook(tmp_path, collections, firewalls)
    assert rc == 0, out
    assert out.count("ok=12 ") == 2 and "failed=0" in out, out  # every task ran and passed
    summary = out[out.index("OPNFORM SUMMARY") :]
    for host in firewalls:
        assert "\n%s " % host in summary, summary
        server_names = [row.get("name") for row in configs(firewalls)[host]["haproxy.server"].values()]
        assert sorted(server_names) == ["m_srv", "s_srv"]
    shown = " ".join(out.split())
    assert TLS_WARNING in shown and CHAIN_WARNING not in shown
    assert_quiet(out)
