"""The AWX credential type ``extensions/awx/credential_type.yml``: AWX would accept it, its injectors
use exactly the environment variables the connection options fall back to, and a job that gets
nothing but what they inject changes a (simulated) firewall through ``ansible-runner``, with the
API secret in no file of the run but the one ansible-runner itself writes the environment to.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from awx_injector import MASK, inject, validate
from e2e_helpers import ROOT, job_events, needs_apply

from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import CONNECTION_ENV, connection_argspec

CREDENTIAL_TYPE = ROOT / "extensions" / "awx" / "credential_type.yml"
INVENTORY = {
    "all": {
        "children": {
            "firewalls": {
                "hosts": {"fw1": {}},  # no connection variables: they come from the credential only
                "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
            }
        }
    }
}
PLAY = [
    {
        "name": "A job with only the opnform credential",
        "hosts": "firewalls",
        "gather_facts": False,
        "tasks": [
            {
                "name": "A per-resource module (runs as a module process)",
                "opnform.opnsense.firewall_alias": {"name": "awx_module", "type": "host", "content": ["192.0.2.10"]},
            },
            {
                "name": "An apply (runs in the action plugin on the controller)",
                "opnform.opnsense.apply": {
                    "deployment": "awx",
                    "resources": [
                        {
                            "type": "firewall_alias",
                            "name": "awx_apply",
                            "properties": {"type": "network", "content": ["198.51.100.0/24"]},
                        }
                    ],
                },
            },
        ],
    }
]


def credential_type() -> dict:
    return yaml.safe_load(CREDENTIAL_TYPE.read_text())


def test_awx_accepts_the_credential_type():
    validate(credential_type())


@pytest.mark.parametrize(
    "change",
    [
        ("env", "ANSIBLE_CALLBACKS_ENABLED", "opnform.opnsense.progress"),  # AWX refuses ANSIBLE_* in credentials
        ("env", "OPNSENSE_URL", "{{ api_ulr }}"),  # a typo in a field name
        ("file", "template.second", "{{ ca_cert }}"),  # one unnamed file and a named one
    ],
)
def test_the_check_refuses_what_awx_refuses(change):
    ctype = credential_type()
    kind, key, template = change
    ctype["injectors"][kind][key] = template
    with pytest.raises(ValueError):
        validate(ctype)


def test_injectors_set_exactly_the_connection_fallbacks():
    """Every connection option with an environment fallback is injected under that variable."""
    env = credential_type()["injectors"]["env"]
    fallbacks = {
        name: spec["fallback"][1][0] for name, spec in connection_argspec().items() if "fallback" in spec
    }  # the argspec itself, not only its table
    assert fallbacks == CONNECTION_ENV
    # timeout is tuning, not identity: it goes in the job's environment (docs/awx.md), not the credential
    assert sorted(env) == sorted(v for k, v in fallbacks.items() if k != "timeout")
    assert set(connection_argspec()) == set(fallbacks)  # every connection option can come from the environment


def test_secret_is_masked_and_empty_ca_means_system_trust(tmp_path):
    inputs = {"api_url": "https://fw.example", "api_key": "k", "api_secret": "s3cret-value"}
    injection = inject(credential_type(), inputs, str(tmp_path))
    assert injection.env["OPNSENSE_API_SECRET"] == "s3cret-value"
    assert injection.safe_env["OPNSENSE_API_SECRET"] == MASK
    assert injection.env["OPNSENSE_CA_PATH"] == ""  # Client: ca_path "" -> verify with the system CAs
    assert injection.env["OPNSENSE_VALIDATE_CERTS"] == "False"  # AWX: a boolean left out is False


def files_holding(root: Path, text: str) -> list:
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and text in path.read_text(errors="replace")
    )


@needs_apply
def test_a_job_with_the_credential_changes_the_firewall(sim, project):
    inputs = {
        "api_url": sim.url,
        "api_key": sim.api_key,
        "api_secret": sim.api_secret,
        "ca_cert": Path(sim.ca_file).read_text(),
        "validate_certs": True,
    }
    pdd = project.tmp / "runner"
    injection = inject(credential_type(), copy.deepcopy(inputs), str(pdd))
    # What AWX hands ansible-runner for the connection, and nothing else.
    (pdd / "env" / "envvars").write_text(json.dumps(injection.env))
    (project.tmp / "inventory.yml").write_text(json.dumps(INVENTORY))
    (project.tmp / "play.yml").write_text(json.dumps(PLAY))

    artifacts = project.runner_run()

    stdout = (artifacts / "stdout").read_text()
    assert (artifacts / "rc").read_text().strip() == "0", stdout
    assert (artifacts / "status").read_text().strip() == "successful"
    assert "validate_certs is false" not in stdout  # certificates were verified, with the injected CA file
    for part in ("config", "running"):  # written and reloaded
        aliases = {item["name"]: item["content"] for item in sim.state()[part]["firewall.alias"].values()}
        assert aliases.get("awx_module") == "192.0.2.10"
        assert aliases.get("awx_apply") == "198.51.100.0/24"
    ca_file = Path(injection.env["OPNSENSE_CA_PATH"])
    assert ca_file.parent == pdd / "env" and ca_file.read_text() == inputs["ca_cert"]
    assert oct(ca_file.stat().st_mode & 0o777) == "0o600"

    # The secret: in the environment file we gave ansible-runner (AWX passes it in memory instead)
    # and in artifacts/<ident>/command, where ansible-runner 2.4 writes the whole environment of
    # ansible-playbook. Not in the output, the job events, the controller state, or anywhere else.
    secret = sim.api_secret
    assert secret not in stdout
    assert files_holding(pdd, secret) == [str((artifacts / "command").relative_to(pdd)), "env/envvars"]
    assert files_holding(project.state, secret) == []
    assert json.loads((artifacts / "command").read_text())["env"]["OPNSENSE_API_SECRET"] == secret
    module_ok = [
        e["event_data"]["res"]
        for e in job_events(artifacts)
        if e["event"] == "runner_on_ok" and "invocation" in e["event_data"]["res"]
    ]
    assert [r["invocation"]["module_args"]["api_secret"] for r in module_ok] == ["VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"]
