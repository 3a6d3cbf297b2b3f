"""References to a type identified by several fields (an alias's host override): by display name,
by the first identity field when that is unique, or by resource name; the target is created first."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._fields import encode_payload
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Inventory
from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import PlanError, Planner
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources import parse_resources
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState

A_UUID = "11111111-1111-4111-8111-111111111111"
AAAA_UUID = "22222222-2222-4222-8222-222222222222"


def row(type_name, uuid, **values):
    spec = REGISTRY[type_name]
    full = dict((f.name, f.default) for f in spec.fields if not f.auto)
    full.update(values)
    out = encode_payload(spec, full)
    out["uuid"] = uuid
    return out


def inventory(rows):
    inv = Inventory(REGISTRY, version="26.7.2")
    for type_name in REGISTRY:
        inv.add(type_name, rows if type_name == "unbound_host_override" else [])
    return inv


def plan(resources, rows=()):
    counter = itertools.count(1)
    planner = Planner(
        REGISTRY,
        "dns",
        "fw_443",
        DeploymentState("dns"),
        None,
        uuid_factory=lambda: "00000000-0000-4000-8000-%012d" % next(counter),
    )
    return planner.plan(parse_resources(list(resources), REGISTRY, canonical_type), inventory(list(rows)))


def alias(host, hostname="docs"):
    return {"type": "unbound_host_alias", "name": hostname, "properties": {"host": host, "hostname": hostname}}


WWW = [
    row("unbound_host_override", A_UUID, hostname="www", domain="example.com", rr="A", server="192.0.2.1"),
    row("unbound_host_override", AAAA_UUID, hostname="www", domain="example.com", rr="AAAA", server="2001:db8::1"),
]


def test_an_existing_target_is_named_by_its_display_name():
    p = plan([alias("www.example.com AAAA")], WWW)
    assert p.by_id()["unbound_host_alias/docs"].payload["host"] == AAAA_UUID


def test_a_shared_first_identity_field_is_ambiguous():
    with pytest.raises(PlanError) as err:
        plan([alias("www")], WWW)
    assert "2 unbound_host_override objects are named 'www'" in str(err.value)


def test_a_desired_target_named_by_display_name_is_created_first():
    override = {
        "type": "unbound_host_override",
        "name": "files",
        "properties": {"hostname": "files", "domain": "example.org", "server": "192.0.2.30"},
    }
    p = plan([alias("files.example.org A", "share"), override])
    actions = p.by_id()
    created = actions["unbound_host_override/files"]
    assert actions["unbound_host_alias/share"].payload["host"] == created.uuid
    assert created.id in actions["unbound_host_alias/share"].requires
