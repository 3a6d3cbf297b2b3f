"""Normalisation and field-level diff (pure functions)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._diff import (
    REDACTED,
    Change,
    apply_changes,
    diff,
    identity_key,
    normalise,
    redact,
    redact_changes,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

ALIAS = REGISTRY["firewall_alias"]
BACKEND = REGISTRY["haproxy_backend"]
FRONTEND = REGISTRY["haproxy_frontend"]


def test_order_of_unordered_lists_is_ignored():
    before = {"content": ["10.0.0.2", "10.0.0.1"], "categories": ["b", "a"]}
    after = {"content": ["10.0.0.1", "10.0.0.2"], "categories": ["a", "b"]}
    assert diff(ALIAS, before, after, ["content", "categories"]) == []


def test_order_of_ordered_lists_counts():
    changes = diff(BACKEND, {"linked_actions": ["a", "b"]}, {"linked_actions": ["b", "a"]}, ["linked_actions"])
    assert changes == [Change("linked_actions", ["a", "b"], ["b", "a"])]


def test_lower_cased_fields_compare_lower_cased():
    assert (
        diff(
            FRONTEND,
            {"bind": ["0.0.0.0:80"], "stickiness_expire": "30m"},
            {"bind": ["0.0.0.0:80"], "stickiness_expire": "30M"},
        )
        == []
    )


def test_empty_equals_unset():
    assert diff(ALIAS, {"description": "", "content": [], "expire": None}, {"description": None, "content": None}) == []


def test_ints_compare_as_ints_and_changes_are_reported_in_spec_order():
    changes = diff(ALIAS, {"expire": "60", "description": "a"}, {"expire": 60, "description": "b", "enabled": False})
    assert [c.field for c in changes] == ["enabled", "description"]


def test_normalise_lists_every_requested_field():
    record = normalise(ALIAS, {"name": "x", "content": "b\na"}, ["name", "content", "proto"])
    assert record == {"name": "x", "content": ["a", "b"], "proto": []}


def test_apply_changes_gives_the_expected_record():
    before = {"name": "x", "description": "old"}
    assert apply_changes(before, [Change("description", "old", "new")]) == {"name": "x", "description": "new"}


def test_sensitive_values_are_masked_but_changes_visible():
    assert redact(ALIAS, {"password": "s3cret", "username": "u"}) == {"password": REDACTED, "username": "u"}
    assert redact(ALIAS, {"password": None}) == {"password": None}
    masked = redact_changes(ALIAS, [Change("password", "old", "new"), Change("username", "a", "b")])
    assert masked[0] == Change("password", REDACTED, REDACTED) and masked[1].after == "b"


def test_identity_key_is_normalised():
    rule = REGISTRY["unbound_host_override"]
    assert identity_key(rule, {"hostname": "", "domain": "example.com", "rr": "A"}) == identity_key(
        rule, {"hostname": None, "domain": "example.com", "rr": "A"}
    )
    vlan = REGISTRY["interfaces_vlan"]
    assert identity_key(vlan, {"parent": "igb1", "tag": "100"}) == ("igb1", 100)
