"""The module entry points, run like Ansible runs them (arguments in, JSON out)."""

from __future__ import annotations

import importlib
import json
import socket

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

SECRET = "TOP-secret-value-42"
MODULES = sorted(list(REGISTRY) + ["reload", "system_info"])


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def run_module(name, args, capsys):
    module = importlib.import_module("ansible_collections.opnform.opnsense.plugins.modules.%s" % name)
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", MODULES)
def test_missing_credentials_are_reported(name, capsys, monkeypatch):
    for env in ("OPNSENSE_URL", "OPNSENSE_API_KEY", "OPNSENSE_API_SECRET"):
        monkeypatch.delenv(env, raising=False)
    result = run_module(name, {}, capsys)
    assert result["failed"] and "api_secret" in result["msg"] and "api_url" in result["msg"]


def test_env_fallbacks_reach_the_module_and_the_secret_stays_hidden(capsys, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # skip the retry backoff
    monkeypatch.setenv("OPNSENSE_URL", "https://127.0.0.1:%d" % closed_port())
    monkeypatch.setenv("OPNSENSE_API_KEY", "envkey")
    monkeypatch.setenv("OPNSENSE_API_SECRET", SECRET)
    result = run_module("firewall_category", {"name": "web", "timeout": 2}, capsys)
    assert result["failed"] and "cannot connect to https://127.0.0.1:" in result["msg"]
    assert result["msg"].startswith("firewall_category/web: ")
    assert SECRET not in json.dumps(result)


def test_system_info_can_report_unreachable_instead_of_failing(capsys, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    args = {
        "api_url": "https://127.0.0.1:%d" % closed_port(),
        "api_key": "k",
        "api_secret": SECRET,
        "fail_unreachable": False,
        "timeout": 2,
    }
    result = run_module("system_info", args, capsys)
    assert not result.get("failed") and result["reachable"] is False and "cannot connect" in result["error"]
    assert SECRET not in json.dumps(result)


def test_reload_check_mode_touches_nothing(capsys):
    args = {
        "api_url": "https://127.0.0.1:%d" % closed_port(),
        "api_key": "k",
        "api_secret": SECRET,
        "subsystems": ["haproxy", "aliases"],
        "_ansible_check_mode": True,
    }
    result = run_module("reload", args, capsys)
    assert result["changed"] and result["would_reload"] == ["aliases", "haproxy"] and result["reloaded"] == []


def test_bad_option_value_names_the_option(capsys):
    args = {"api_url": "https://fw", "api_key": "k", "api_secret": SECRET, "name": "web", "type": "nonsense"}
    result = run_module("firewall_alias", args, capsys)
    assert result["failed"] and "type" in result["msg"] and "nonsense" in result["msg"]
