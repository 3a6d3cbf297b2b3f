"""Contract tests over the whole registry: every spec is complete and consistent (design.md 7.5)."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.opnform.opnsense.plugins.module_utils import _argspec
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import (
    ALIASES,
    REGISTRY,
    canonical_type,
    get_spec,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import ORDER
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import INT, KINDS, REF_KINDS
from ansible_collections.opnform.opnsense.plugins.module_utils._validate import check_field

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
SPECS = sorted(REGISTRY.items())
FIELDS = [(name, f) for name, spec in SPECS for f in spec.fields]
ORDERED = [(name, spec) for name, spec in SPECS if spec.ordering is not None]
MENTIONS = [(name, f) for name, spec in SPECS for f in spec.mention_fields]
ENGINE_FILES = (
    "_argspec",
    "_client",
    "_diff",
    "_fields",
    "_resource",
    "_runner",
    "_service",
    "_validate",
    "_schema",
    "_spec",
)
# Controller-side engine files that used to consult per-type fallback data (ordering, mentions).
PLUGIN_ENGINE_FILES = ("_engine", "_executor", "_graph", "_plan", "_planner", "_rollback")


def test_registry_is_alphabetical_and_keyed_by_type():
    assert list(REGISTRY) == sorted(REGISTRY)
    for name, spec in REGISTRY.items():
        assert spec.type == name


@pytest.mark.parametrize(
    "alias,expected",
    [
        ("opnsense:firewall:alias", "firewall_alias"),
        ("opnsense:firewall:rule", "firewall_filter_rule"),
        ("opnsense:network:vlan", "interfaces_vlan"),
        ("opnsense:service:haproxy:backend", "haproxy_backend"),
        ("haproxy_server", "haproxy_server"),
    ],
)
def test_original_type_strings_are_accepted(alias, expected):
    assert canonical_type(alias) == expected
    assert get_spec(alias) is REGISTRY[expected]


def test_unknown_type_lists_known_types():
    with pytest.raises(KeyError, match="firewall_alias"):
        get_spec("opnsense:nope")


def test_aliases_are_unique_and_not_type_names():
    assert not set(ALIASES) & set(REGISTRY)


@pytest.mark.parametrize("name,spec", SPECS)
def test_spec_is_complete(name, spec):
    assert spec.summary and spec.description
    assert spec.identity or spec.settings, "every type but settings needs identity fields"
    assert spec.reload in ORDER or spec.reload is None
    for command in ("search", "get", "set") if spec.settings else ("search", "get", "set", "delete"):
        assert spec.path(command, "x").startswith("%s/%s/" % (spec.module, spec.controller))
    if spec.module == "haproxy":
        assert spec.plugin == "os-haproxy" and spec.reload == "haproxy"
    for ident in spec.identity:
        field = spec.field(ident)
        assert field.required or field.default is not None or not field.auto
    assert spec.display_name(dict((f.name, "x") for f in spec.fields))


@pytest.mark.parametrize("name,spec", SPECS)
def test_references_point_to_name_identified_types(name, spec):
    for field in spec.ref_fields:
        assert field.ref in REGISTRY, "%s.%s refers to unknown type %s" % (name, field.name, field.ref)
        assert REGISTRY[field.ref].identity, "references resolve by the target's identity"
    assert list(spec.references) == sorted(set(f.ref for f in spec.ref_fields))


@pytest.mark.parametrize("name,spec", ORDERED, ids=[pair[0] for pair in ORDERED])
def test_ordering_names_existing_fields(name, spec):
    rule = spec.ordering
    position = spec.field(rule.field)  # KeyError names the missing field
    assert position.kind == INT, "%s: ordering field %s must be an integer" % (name, rule.field)
    for group in rule.group:
        spec.field(group)
    assert rule.field not in rule.group
    assert 0 < rule.step and rule.minimum < rule.maximum
    assert rule.minimum - 1 + rule.step <= rule.maximum, "the first new position must fit"
    if position.minimum is not None:
        assert position.minimum <= rule.minimum
    if position.maximum is not None:
        assert rule.maximum <= position.maximum


@pytest.mark.parametrize("name,field", MENTIONS, ids=["%s.%s" % (n, f.name) for n, f in MENTIONS])
def test_mentions_target_a_registered_name_identified_type(name, field):
    assert field.mentions in REGISTRY, "%s.%s mentions unknown type %s" % (name, field.name, field.mentions)
    assert len(REGISTRY[field.mentions].identity) == 1, "mentions resolve by a single name field"
    assert field.kind not in REF_KINDS, "a reference field already makes the dependency"


@pytest.mark.parametrize("name,spec", SPECS)
def test_dependencies_are_references_and_mentions(name, spec):
    expected = set(spec.references) | set(f.mentions for f in spec.mention_fields)
    assert list(spec.dependencies) == sorted(expected)


def test_ordering_and_mentions_are_declared_where_the_api_needs_them():
    """The data that used to be a per-type fallback in the engine (opnsense-api/firewall.md 1.3, 1.4, 2.2)."""
    rule = REGISTRY["firewall_filter_rule"]
    assert (rule.ordering.field, rule.ordering.group, rule.ordering.step) == ("sequence", ("interface",), 100)
    assert (rule.ordering.minimum, rule.ordering.maximum) == (1, 999999)
    assert dict((f.name, f.mentions) for f in rule.mention_fields) == {
        "source_net": "firewall_alias",
        "destination_net": "firewall_alias",
        "source_port": "firewall_alias",
        "destination_port": "firewall_alias",
        "gateway": "routes_gateway",
        "replyto": "routes_gateway",
    }
    route = REGISTRY["routes_route"]
    assert dict((f.name, f.mentions) for f in route.mention_fields) == {"gateway": "routes_gateway"}
    alias = REGISTRY["firewall_alias"]
    assert dict((f.name, f.mentions) for f in alias.mention_fields) == {"content": "firewall_alias"}


@pytest.mark.parametrize("name,spec", SPECS)
def test_option_names_do_not_clash(name, spec):
    reserved = set(_argspec.RESERVED_OPTIONS) | set(_argspec.connection_argspec())
    seen = set()
    for field in spec.fields:
        names = [field.name] + _argspec.option_aliases(field)
        assert not set(names) & reserved, "%s.%s clashes with a module option" % (name, field.name)
        assert not set(names) & seen, "%s.%s: duplicate option name or alias" % (name, field.name)
        seen.update(names)
        assert re.match(r"^[a-z][a-z0-9_]*$", field.name), "user-facing names are snake_case"


@pytest.mark.parametrize("name,field", FIELDS, ids=["%s.%s" % (n, f.name) for n, f in FIELDS])
def test_field_is_consistent(name, field):
    assert field.kind in KINDS
    assert field.doc, "%s.%s needs a description" % (name, field.name)
    if field.kind in REF_KINDS:
        assert field.ref
    if field.pattern:
        assert field.pattern.startswith("^"), "patterns are anchored"
        re.compile(field.pattern)
    # OPNsense's default must pass our own validation, or every default task would fail.
    assert check_field(field, field.default) == []
    if field.sensitive:
        assert _argspec.field_argspec(field)["no_log"] is True


def test_every_type_has_a_module_and_is_in_the_action_group():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    group = runtime["action_groups"]["all"]
    modules = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "plugins", "modules")) if f.endswith(".py"))
    assert group == sorted(group), "action group is alphabetical"
    assert set(modules) <= set(group), "every module is in group/opnform.opnsense.all"
    assert set(REGISTRY) | {"reload", "system_info"} <= set(modules)
    assert runtime["requires_ansible"] == ">=2.16.0"


@pytest.mark.parametrize(
    "engine",
    ["module_utils/" + e for e in ENGINE_FILES] + ["plugin_utils/" + e for e in PLUGIN_ENGINE_FILES],
)
def test_engine_never_names_a_type(engine):
    """design.md 7.1: the engine never branches on a type's name (odd types use hooks)."""
    with open(os.path.join(ROOT, "plugins", engine + ".py")) as handle:
        source = handle.read()
    for type_name in list(REGISTRY) + list(ALIASES):
        assert '"%s"' % type_name not in source and "'%s'" % type_name not in source, (engine, type_name)
