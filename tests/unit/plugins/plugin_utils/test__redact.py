"""Secrets never leave the engine: spec-sensitive values, known secret strings, secret-looking keys."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import get_spec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import (
    REDACTED,
    Redactor,
    redact_values,
    strip_sensitive,
)

ALIAS = get_spec("firewall_alias")


def test_redact_values_masks_only_non_empty_sensitive_fields():
    out = redact_values(ALIAS, {"name": "a", "password": "hunter22", "username": "u"})
    assert out == {"name": "a", "password": REDACTED, "username": "u"}
    assert redact_values(ALIAS, {"password": ""})["password"] == ""


def test_strip_sensitive_withholds_instead_of_masking():
    payload, withheld = strip_sensitive(ALIAS, {"name": "a", "password": "hunter22"})
    assert payload == {"name": "a"}
    assert withheld == ["password"]
    payload, withheld = strip_sensitive(ALIAS, {"name": "a", "password": ""})
    assert payload == {"name": "a"} and withheld == []


def test_redactor_scrubs_strings_keys_and_nested_structures():
    red = Redactor(["s3cr3t-value"])
    red.add_record(ALIAS, {"password": "alias-pass"})
    data = {
        "msg": "POST failed with body s3cr3t-value and alias-pass",
        "api_secret": "whatever",
        "nested": [{"password": "x" * 8}, ("keep", "alias-pass")],
        "count": 3,
    }
    out = red.scrub(data)
    assert "s3cr3t-value" not in str(out) and "alias-pass" not in str(out)
    assert out["api_secret"] == REDACTED
    assert out["nested"][0]["password"] == REDACTED
    assert out["count"] == 3
    assert data["api_secret"] == "whatever"  # the input is not modified


def test_short_values_are_not_treated_as_secrets():
    red = Redactor(["1", "ab"])
    assert red.text("a 1 ab") == "a 1 ab"


def test_scrub_handles_subclassed_strings_tuples_and_keys_of_any_type_like_before():
    class Tagged(str):
        pass

    redactor = Redactor(["Sekrit-Value"])
    value = {
        1: ("x Sekrit-Value", Tagged("Sekrit-Value!"), None, 2.5, True),
        "api_token": 0,
        "nested": [{"password": Tagged("p"), "note": Tagged("has Sekrit-Value")}],
    }
    assert redactor.scrub(value) == {
        1: ["x ********", "********!", None, 2.5, True],
        "api_token": "********",
        "nested": [{"password": "********", "note": "has ********"}],
    }


def test_scrub_new_keeps_a_clean_value_and_scrubs_anything_else():
    redactor = Redactor(["s3cr3t-value", 'quo"te\\back'])
    clean = {"actions": [{"id": "firewall_alias/a", "changes": [{"field": "content", "after": ["10.0.0.1"]}]}]}
    assert redactor.scrub_new(clean) is clean  # nothing to scrub: no copy, no walk
    leaked = {"actions": [{"name": "x s3cr3t-value y"}]}
    assert redactor.scrub_new(leaked) == {"actions": [{"name": "x ******** y"}]}
    escaped = {"lines": ['say quo"te\\back now']}  # JSON escapes it: found all the same
    assert redactor.scrub_new(escaped) == {"lines": ["say ******** now"]}
    keyed = {"settings": {"api_secret": "whatever it is"}}
    assert redactor.scrub_new(keyed) == {"settings": {"api_secret": "********"}}
