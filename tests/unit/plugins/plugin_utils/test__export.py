"""Export (``_export``): the firewall as the resource list apply takes. References come out by name,
defaults and computed fields are left out, built-in and automatic objects are skipped, no secret is
written, the order is stable, and planning the export against the firewall it came from changes
nothing."""

from __future__ import annotations

import json

import pytest
import yaml
from engine_helpers import API_SECRET, API_URL

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError, PluginMissingError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._export import (
    DATE_PREFIX,
    export_types,
    firewall_label,
    run_export,
    same_export,
    type_order,
)

ARGS = {"api_url": API_URL, "api_key": "key", "api_secret": API_SECRET}
PASSWORD = "feed-token-Secret-42"


def export(fw, dest=None, check_mode=False, diff=False, **args):
    return run_export(dict(ARGS, **args), check_mode, diff, str(dest) if dest else None, client_factory=lambda: fw)


def by_key(result):
    return dict(("%s/%s" % (r["type"], r["name"]), r) for r in result["resources"])


@pytest.fixture
def web(fw):
    """A small hand-made firewall: a category, aliases (one holding a password), rules, a VLAN and an
    HAProxy pool, plus built-in and automatic rows."""
    ids = {}
    ids["web"] = fw.add("firewall_category", name="web", color="ff0000")
    fw.add("firewall_category", name="zz_auto", auto="1")  # created by OPNsense itself
    ids["web_hosts"] = fw.add(
        "firewall_alias", name="web_hosts", type="host", content="192.0.2.10\n192.0.2.11", categories=ids["web"]
    )
    fw.add("firewall_alias", name="admins", type="network", content="10.0.0.0/24", description="Admins")
    fw.add(
        "firewall_alias",
        name="feed",
        type="urltable",
        content="https://example.com/list.txt",
        authtype="Basic",
        username="reader",
        password=PASSWORD,
    )
    fw.extra_rows["firewall_alias"] = [{"uuid": "bogons", "name": "bogons", "type": "external"}]
    fw.add(
        "firewall_filter_rule",
        description="allow web",
        sequence="200",
        interface="wan",
        protocol="TCP",
        destination_net="web_hosts",
        destination_port="443",
        categories=ids["web"],
    )
    fw.add("firewall_filter_rule", description="block admins", sequence="100", interface="wan", action="block")
    fw.add("firewall_filter_rule", description="allow lan", sequence="100", interface="lan")
    fw.extra_rows["firewall_filter_rule"] = [
        {"uuid": "rule-anti-lockout", "legacy": True, "description": "Anti-Lockout Rule", "is_automatic": True}
    ]
    fw.add("interfaces_vlan", **{"if": "igb1", "tag": "100", "descr": "Servers", "vlanif": "vlan0.100"})
    ids["s1"] = fw.add("haproxy_server", name="s1", address="192.0.2.10", port="80")
    ids["s2"] = fw.add("haproxy_server", name="s2", address="192.0.2.11", port="80")
    ids["hc"] = fw.add("haproxy_healthcheck", name="hc", interval="5s")
    ids["pool"] = fw.add(
        "haproxy_backend",
        name="pool",
        linkedServers="%s,%s" % (ids["s2"], ids["s1"]),
        healthCheck=ids["hc"],
        persistence="",  # emptied in the UI: its default is not empty
        healthCheckEnabled="",
    )
    fw.add("haproxy_frontend", name="public", bind="0.0.0.0:80", defaultBackend=ids["pool"])
    return ids


def test_references_come_out_as_names(fw, web):
    result = export(fw)
    found = by_key(result)
    assert found["firewall_alias/web_hosts"]["properties"]["categories"] == ["web"]
    assert found["firewall_filter_rule/allow web"]["properties"]["categories"] == ["web"]
    assert found["haproxy_backend/pool"]["properties"]["linked_servers"] == ["s2", "s1"]  # as the firewall lists them
    assert found["haproxy_backend/pool"]["properties"]["health_check"] == "hc"
    assert found["haproxy_frontend/public"]["properties"]["default_backend"] == "pool"
    text = json.dumps(result["resources"])
    assert not any(uuid in text for uuid in web.values())


def test_defaults_identity_and_computed_fields_are_left_out(fw, web):
    found = by_key(export(fw))
    assert found["firewall_alias/admins"]["properties"] == {
        "type": "network",
        "content": ["10.0.0.0/24"],
        "description": "Admins",
    }
    assert found["firewall_category/web"]["properties"] == {"color": "ff0000"}
    rule = found["firewall_filter_rule/allow web"]["properties"]
    assert "sequence" not in rule and "action" not in rule and "description" not in rule
    assert rule["protocol"] == "TCP" and rule["destination_port"] == "443"
    # several identity fields: written out; the name is the type's display name; device is computed
    assert found["interfaces_vlan/igb1.100"]["properties"] == {"parent": "igb1", "tag": 100, "description": "Servers"}
    assert found["haproxy_healthcheck/hc"]["properties"] == {"interval": "5s"}
    # a value emptied although its default is not: written as the empty value of its kind
    assert found["haproxy_backend/pool"]["properties"]["persistence"] == ""
    assert found["haproxy_backend/pool"]["properties"]["health_check_enabled"] is None


def test_builtin_legacy_and_automatic_objects_are_skipped(fw, web):
    result = export(fw)
    names = [r["name"] for r in result["resources"]]
    assert "bogons" not in names and "zz_auto" not in names and "Anti-Lockout Rule" not in names
    assert result["builtin"]["firewall_alias"] == 1
    assert result["builtin"]["firewall_category"] == 1 and result["builtin"]["firewall_filter_rule"] == 1


def test_no_secret_is_written_and_the_object_holding_one_is_shown_commented_out(fw, web, tmp_path):
    dest = tmp_path / "fw.yml"
    result = export(fw, dest, diff=True)
    text = dest.read_text()
    assert PASSWORD not in text and PASSWORD not in json.dumps(result)
    assert "firewall_alias/feed" not in by_key(result)
    assert result["withheld"] == [{"type": "firewall_alias", "name": "feed", "fields": ["password"]}]
    assert any("firewall_alias/feed holds a secret (password)" in w for w in result["warnings"])
    block = [line for line in text.splitlines() if line.startswith("#") and "feed" in line]
    assert "#   name: feed" in block
    assert "#     password: '{{ vault_firewall_alias_feed_password }}'" in block
    assert "feed" not in [r["name"] for r in yaml.safe_load(text)]


def test_the_file_is_block_style_yaml_with_a_header_in_a_stable_order(fw, web, tmp_path):
    dest = tmp_path / "fw.yml"
    result = export(fw, dest)
    text = dest.read_text()
    lines = text.splitlines()
    assert lines[0] == "---" and lines[1] == "# opnform.opnsense.export of https://fw.test (OPNsense 26.7.2)"
    assert lines[2].startswith(DATE_PREFIX)
    header = " ".join(line.lstrip("# ") for line in lines if line.startswith("#"))
    listed = header.split("Types: ", 1)[1].replace(",", " ").split()
    # referenced types first: categories and aliases (and gateways) before the rules that name them
    assert listed.index("firewall_category") < listed.index("firewall_alias") < listed.index("firewall_filter_rule")
    assert listed.index("routes_gateway") < listed.index("firewall_filter_rule")
    assert yaml.safe_load(text) == result["resources"]
    assert "{" not in text.replace("{{", "").replace("properties: {}", "")  # block style
    order = [(r["type"], r["name"]) for r in result["resources"]]
    types = [t for t, _n in order]
    assert types == sorted(types, key=result["types"].index)
    assert result["types"].index("haproxy_server") < result["types"].index("haproxy_backend")
    assert result["types"].index("haproxy_backend") < result["types"].index("haproxy_frontend")
    assert [n for t, n in order if t == "firewall_alias"] == ["admins", "web_hosts"]
    # rules in evaluation order: by sequence, as the firewall lists them for equal numbers
    assert [n for t, n in order if t == "firewall_filter_rule"] == ["block admins", "allow lan", "allow web"]


def test_exporting_again_changes_nothing_and_check_mode_writes_nothing(fw, web, tmp_path):
    dest = tmp_path / "fw.yml"
    preview = export(fw, dest, check_mode=True, diff=True)
    assert preview["changed"] and not dest.exists()
    assert preview["diff"]["before"] == "" and preview["diff"]["after"].startswith("---\n")
    first = export(fw, dest)
    written = dest.read_text()
    assert first["changed"]
    again = export(fw, dest, diff=True)
    assert again["changed"] is False and "diff" not in again and dest.read_text() == written
    assert again["resources"] == first["resources"]
    fw.add("firewall_category", name="new", color="00ff00")
    changed = export(fw, dest, check_mode=True, diff=True)
    assert changed["changed"] and dest.read_text() == written
    assert "name: new" in changed["diff"]["after"] and "name: new" not in changed["diff"]["before"]
    assert fw.writes == []


def test_only_the_date_may_differ_between_two_equal_exports():
    old = "---\n# x\n%s2026-01-01T00:00:00Z\n- a\n" % DATE_PREFIX
    assert same_export(old, old.replace("2026-01-01", "2027-02-02"))
    assert not same_export(old, old.replace("- a", "- b")) and not same_export(None, old)


def test_planning_the_export_on_its_firewall_changes_nothing(fw, web, run):
    result = export(fw)
    plan = run("plan", result["resources"], deployment="adopt", check_mode=True)
    summary = plan["plan"]["summary"]
    assert summary["create"] == summary["update"] == summary["delete"] == 0, plan["plan"]["lines"]
    assert summary["noop"] == len(result["resources"]) == summary["adopt"]
    assert fw.writes == []


def test_rules_sharing_a_sequence_keep_it_written_out_so_nothing_moves(fw, run):
    fw.add("firewall_filter_rule", description="first", sequence="100", interface="lan")
    fw.add("firewall_filter_rule", description="second", sequence="100", interface="lan")
    fw.add("firewall_filter_rule", description="on wan", sequence="5", interface="wan")
    result = export(fw, types=["firewall_filter_rule"])
    found = by_key(result)
    assert found["firewall_filter_rule/first"]["properties"]["sequence"] == 100
    assert found["firewall_filter_rule/second"]["properties"]["sequence"] == 100
    assert "sequence" not in found["firewall_filter_rule/on wan"]["properties"]  # its group has no tie
    summary = run("plan", result["resources"], check_mode=True)["plan"]["summary"]
    assert summary["update"] == 0 and summary["move"] == 0


def test_objects_apply_could_not_match_are_skipped_with_a_warning(fw):
    fw.add("firewall_filter_rule", description="", interface="lan")
    fw.add("firewall_alias", name="twin", type="host", content="192.0.2.1")
    fw.add("firewall_alias", name="twin", type="host", content="192.0.2.2")
    result = export(fw, types=["firewall_alias", "firewall_filter_rule"])
    assert result["resources"] == []
    reasons = sorted(s["reason"] for s in result["skipped"])
    assert reasons == ["duplicate identity", "duplicate identity", "no description"]
    assert any("2 objects share this identity" in w for w in result["warnings"])
    assert any("has no description" in w for w in result["warnings"])


def test_types_accept_aliases_and_referenced_types_are_read_for_their_names(fw, web):
    result = export(fw, types=["opnsense:firewall:rule"])
    assert result["types"] == ["firewall_filter_rule"]
    assert set(r["type"] for r in result["resources"]) == {"firewall_filter_rule"}
    assert by_key(result)["firewall_filter_rule/allow web"]["properties"]["categories"] == ["web"]
    with pytest.raises(OpnError, match="types: unknown resource type firewall_nope"):
        export(fw, types=["firewall_nope"])


def test_a_missing_plugin_skips_its_types_unless_they_were_asked_for(fw, web):
    for spec in REGISTRY.values():
        if spec.plugin:
            fw.prefix_answers[spec.path("search")] = PluginMissingError("no " + spec.plugin)
    result = export(fw)
    assert "haproxy_backend" in result["missing_types"] and "haproxy_backend" not in result["types"]
    assert by_key(result)["firewall_alias/web_hosts"]
    with pytest.raises(PluginMissingError):
        export(fw, types=["haproxy_backend"])


def test_type_order_puts_referenced_types_first():
    order = type_order(REGISTRY, REGISTRY)
    assert order.index("firewall_category") < order.index("firewall_alias") < order.index("firewall_filter_rule")
    assert order == type_order(reversed(list(REGISTRY)), REGISTRY)  # whatever order they come in
    # HAProxy's types may refer to each other: the references the objects hold decide
    used = [
        ("haproxy_server", "haproxy_backend"),
        ("haproxy_healthcheck", "haproxy_backend"),
        ("haproxy_acl", "haproxy_action"),
        ("haproxy_backend", "haproxy_action"),
        ("haproxy_backend", "haproxy_frontend"),
        ("haproxy_action", "haproxy_frontend"),
    ]
    order = type_order(REGISTRY, REGISTRY, used)
    for before, after in used:
        assert order.index(before) < order.index(after), (before, after)
    assert export_types(None, REGISTRY)[0] == sorted(REGISTRY)


def test_firewall_label_has_no_credentials_or_path():
    assert firewall_label("https://user:pw@fw.example.com:8443/api/") == "https://fw.example.com:8443"
    assert firewall_label("fw.example.com") == "https://fw.example.com"


def test_the_action_plugin_writes_dest_relative_to_the_playbook(fw, web, tmp_path, monkeypatch):
    from unittest.mock import MagicMock

    from ansible.playbook.task import Task

    from ansible_collections.opnform.opnsense.plugins.action import export as action
    from ansible_collections.opnform.opnsense.plugins.plugin_utils import _export

    real = _export.run_export
    monkeypatch.setattr(action, "run_export", lambda *a, **kw: real(*a, client_factory=lambda: fw, **kw))
    task = MagicMock(Task)
    task.args = dict(ARGS, dest="fw.yml", types=["firewall_category"])
    task.check_mode, task.diff, task.async_val, task.action = False, False, 0, "opnform.opnsense.export"
    loader = MagicMock()
    loader.path_dwim.side_effect = lambda path: str(tmp_path / path)
    plugin = action.ActionModule(task, MagicMock(), MagicMock(), loader=loader, templar=None, shared_loader_obj=None)
    result = plugin.run(task_vars={"inventory_hostname": "fw1"})
    assert not result.get("failed"), result
    assert result["changed"] and result["dest"] == str(tmp_path / "fw.yml")
    assert "name: web" in (tmp_path / "fw.yml").read_text() and API_SECRET not in json.dumps(result)


def test_rules_follow_the_firewalls_evaluation_order_where_it_gives_one(fw):
    # OPNsense's rows carry sort_order: priority group, then sequence (floating rules come first)
    fw.add("firewall_filter_rule", description="on lan", sequence="100", interface="lan", sort_order="400000.0000100")
    fw.add("firewall_filter_rule", description="floating", sequence="500", interface="", sort_order="200000.0000500")
    result = export(fw, types=["firewall_filter_rule"])
    assert [r["name"] for r in result["resources"]] == ["floating", "on lan"]


def test_two_identities_with_one_display_name_get_distinct_names(fw, run):
    fw.add("unbound_host_override", hostname="a.b", domain="c", server="192.0.2.1")
    fw.add("unbound_host_override", hostname="a", domain="b.c", server="192.0.2.2")
    result = export(fw, types=["unbound_host_override"])
    assert [r["name"] for r in result["resources"]] == ["a.b.c A", "a.b.c A (2)"]
    summary = run("plan", result["resources"], check_mode=True)["plan"]["summary"]
    assert (summary["create"], summary["update"], summary["noop"]) == (0, 0, 2)
