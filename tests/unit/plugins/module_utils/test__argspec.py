"""Argument specs: connection options with env fallbacks, per-type options from the spec."""

from __future__ import annotations

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.opnform.opnsense.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.opnform.opnsense.plugins.module_utils import _argspec
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

CONNECTION = {"api_url": "https://fw", "api_key": "k", "api_secret": "s"}


def identity(spec):
    values = {}
    for name in spec.identity:
        field = spec.field(name)
        values[name] = 1 if field.kind == "int" else (field.choices[0] if field.choices else "x")
    return values


@pytest.mark.parametrize("name,spec", sorted(REGISTRY.items()))
def test_minimal_task_validates_and_gets_opnsense_defaults(name, spec):
    params = dict(CONNECTION, **identity(spec))
    result = ArgumentSpecValidator(_argspec.resource_argspec(spec)).validate(params)
    assert not result.error_messages, result.error_messages
    for field in spec.fields:
        if field.default is not None:
            assert result.validated_parameters[field.name] == field.default
    assert result.validated_parameters["state"] == "present" and result.validated_parameters["reload"] is True
    assert "s" in result._no_log_values


def test_api_name_aliases_work():
    spec = REGISTRY["haproxy_backend"]
    params = dict(CONNECTION, name="pool", linkedServers=["web01"])
    result = ArgumentSpecValidator(_argspec.resource_argspec(spec)).validate(params)
    assert not result.error_messages and result.validated_parameters["linked_servers"] == ["web01"]


@pytest.mark.parametrize(
    "option,env,value,expected",
    [
        ("api_url", "OPNSENSE_URL", "https://env-fw", "https://env-fw"),
        ("api_key", "OPNSENSE_API_KEY", "envkey", "envkey"),
        ("api_secret", "OPNSENSE_API_SECRET", "envsecret", "envsecret"),
        ("validate_certs", "OPNSENSE_VALIDATE_CERTS", "false", False),
        ("ca_path", "OPNSENSE_CA_PATH", "/etc/ssl/fw-ca.pem", "/etc/ssl/fw-ca.pem"),
        ("timeout", "OPNSENSE_TIMEOUT", "12.5", 12.5),
    ],
)
def test_connection_env_fallbacks(monkeypatch, option, env, value, expected):
    monkeypatch.setenv(env, value)
    params = dict(CONNECTION)
    params.pop(option, None)
    result = ArgumentSpecValidator(_argspec.connection_argspec()).validate(params)
    assert not result.error_messages, result.error_messages
    assert result.validated_parameters[option] == expected


def test_missing_secret_is_reported(monkeypatch):
    monkeypatch.delenv("OPNSENSE_API_SECRET", raising=False)
    result = ArgumentSpecValidator(_argspec.connection_argspec()).validate({"api_url": "u", "api_key": "k"})
    assert "api_secret" in " ".join(result.error_messages)


def test_secret_is_no_log_and_certs_verified_by_default():
    spec = _argspec.connection_argspec()
    assert spec["api_secret"]["no_log"] is True
    assert spec["validate_certs"]["default"] is True


def test_doc_fragment_matches_connection_argspec():
    doc = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    spec = _argspec.connection_argspec()
    assert sorted(doc) == sorted(spec)
    for name, option in spec.items():
        assert doc[name]["type"] == option["type"], name
        assert doc[name].get("default") == option.get("default"), name
        assert bool(doc[name].get("required")) == bool(option.get("required")), name
        env = _argspec.CONNECTION_ENV.get(name)
        if env:
            assert "E(%s)" % env in " ".join(doc[name]["description"]), name


def test_reload_argspec_lists_the_subsystems():
    from ansible_collections.opnform.opnsense.plugins.module_utils._reload import ORDER

    choices = _argspec.reload_argspec()["subsystems"]["choices"]
    assert choices == list(ORDER)
    assert choices[0] == "aliases" and choices[-1] == "haproxy"
