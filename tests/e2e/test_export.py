"""``opnform.opnsense.export`` through real ``ansible-playbook`` runs (issue 12: bring a firewall
configured by hand under management).

A simulated firewall is configured through the raw API (requests over HTTPS, not the collection)
with objects referring to each other, and one object of every other type of the registry (the
raw objects of ``test_adoption.MINIMAL``, where a new type gets its entry). Exporting it to a file and
applying that file with ``opnform.opnsense.apply`` must adopt everything with no change: the plan
has no create, update or delete and no write reaches the firewall. Exporting again leaves the file
as it is. No secret is ever in the file.
"""

from __future__ import annotations

import json

import pytest
import yaml
from apply_helpers import RELOAD, api, enable_haproxy, writes
from e2e_helpers import needs_apply
from test_adoption import MINIMAL, create_raw

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

pytestmark = needs_apply

PASSWORD = "Feed-Token-4711"
DEST = "exports/fw1.yml"


def add(sim, path, key, body):
    """One object through the raw API; its uuid."""
    answer = api(sim, "POST", path, {key: body})
    assert answer.get("result") == "saved", (path, body, answer)
    return answer["uuid"]


def configure_by_hand(sim):
    """Objects of every type, as someone would make them in the web UI: API field names and strings."""
    enable_haproxy(sim)
    made = {}
    web = add(sim, "firewall/category/addItem", "category", {"name": "web", "color": "ff0000"})
    add(sim, "firewall/category/addItem", "category", {"name": "ops"})
    made["firewall_category"] = ["ops", "web"]
    alias = "firewall/alias/addItem"
    add(
        sim,
        alias,
        "alias",
        {"name": "web_hosts", "type": "host", "content": "192.0.2.10\n192.0.2.11", "categories": web},
    )
    add(sim, alias, "alias", {"name": "web_ports", "type": "port", "content": "80\n443", "description": "Web"})
    add(sim, alias, "alias", {"name": "all_hosts", "type": "host", "content": "web_hosts\n192.0.2.99"})
    add(
        sim,
        alias,
        "alias",
        {
            "name": "feed",
            "type": "urltable",
            "content": "https://example.com/list.txt",
            "authtype": "Basic",
            "username": "reader",
            "password": PASSWORD,
        },
    )
    made["firewall_alias"] = ["all_hosts", "web_hosts", "web_ports"]  # feed holds a secret: withheld
    rule = "firewall/filter/addRule"
    add(
        sim,
        rule,
        "rule",
        {
            "description": "allow web",
            "sequence": "20",
            "interface": "wan",
            "protocol": "TCP",
            "destination_net": "web_hosts",
            "destination_port": "web_ports",
            "categories": web,
        },
    )
    add(sim, rule, "rule", {"description": "block bad", "sequence": "10", "interface": "wan", "action": "block"})
    add(sim, rule, "rule", {"description": "allow lan", "interface": "lan", "log": "1"})
    made["firewall_filter_rule"] = ["block bad", "allow web", "allow lan"]
    add(sim, "firewall/group/addItem", "group", {"ifname": "dmzs", "members": "opt1", "descr": "DMZ"})
    made["firewall_group"] = ["dmzs"]
    npt = "firewall/npt/addRule"
    add(
        sim,
        npt,
        "rule",
        {"description": "ula", "interface": "wan", "source_net": "fd00:1::/64", "destination_net": "2001:db8:1::/64"},
    )
    made["firewall_nat_npt"] = ["ula"]
    one = "firewall/one_to_one/addRule"
    add(
        sim,
        one,
        "rule",
        {"description": "mail", "source_net": "10.0.0.25", "external": "203.0.113.25", "categories": web},
    )
    add(
        sim,
        one,
        "rule",
        {
            "description": "partners",
            "type": "nat",
            "source_net": "lan",
            "destination_net": "web_hosts",
            "external": "203.0.113.40",
            "sequence": "50",
        },
    )
    made["firewall_nat_one_to_one"] = ["partners", "mail"]
    snat = "firewall/source_nat/addRule"
    add(sim, snat, "rule", {"description": "lan out", "interface": "wan", "source_net": "lan", "target": "wanip"})
    add(
        sim,
        snat,
        "rule",
        {"description": "no nat", "interface": "wan", "nonat": "1", "destination_net": "web_hosts", "sequence": "10"},
    )
    made["firewall_nat_source"] = ["no nat", "lan out"]
    dnat = "firewall/d_nat/addRule"
    forward = {"interface": "wan", "protocol": "tcp", "destination": {"network": "wanip", "port": "443"}}
    add(sim, dnat, "rule", {**forward, "descr": "https in", "target": "web_hosts", "local-port": "443"})
    add(sim, dnat, "rule", {**forward, "descr": "ssh in", "target": "192.0.2.30", "local-port": "22", "sequence": "5"})
    made["firewall_nat_destination"] = ["ssh in", "https in"]
    add(sim, "interfaces/vlan_settings/addItem", "vlan", {"if": "igb1", "tag": "100", "descr": "Servers"})
    made["interfaces_vlan"] = ["igb1.100"]
    add(sim, "routes/routes/addroute", "route", {"network": "10.50.0.0/16", "gateway": "Null4", "descr": "Branch"})
    made["routes_route"] = ["10.50.0.0/16 via Null4"]
    add(
        sim,
        "unbound/settings/add_host_override",
        "host",
        {"hostname": "intranet", "domain": "example.com", "server": "192.0.2.20"},
    )
    made["unbound_host_override"] = ["intranet.example.com A"]
    haproxy = "haproxy/settings/"
    check = add(sim, haproxy + "addHealthcheck", "healthcheck", {"name": "hc", "interval": "5s"})
    s1 = add(sim, haproxy + "addServer", "server", {"name": "s1", "address": "192.0.2.10", "port": "80"})
    s2 = add(sim, haproxy + "addServer", "server", {"name": "s2", "address": "192.0.2.11", "port": "80"})
    pool = add(
        sim, haproxy + "addBackend", "backend", {"name": "pool", "linkedServers": s1 + "," + s2, "healthCheck": check}
    )
    acl = add(sim, haproxy + "addAcl", "acl", {"name": "is_api", "expression": "path_beg", "path_beg": "/api"})
    action = add(
        sim,
        haproxy + "addAction",
        "action",
        {"name": "to_pool", "type": "use_backend", "linkedAcls": acl, "use_backend": pool},
    )
    add(
        sim,
        haproxy + "addFrontend",
        "frontend",
        {"name": "public", "bind": "0.0.0.0:80", "defaultBackend": pool, "linkedActions": action},
    )
    made.update(
        haproxy_healthcheck=["hc"],
        haproxy_server=["s1", "s2"],
        haproxy_backend=["pool"],
        haproxy_acl=["is_api"],
        haproxy_action=["to_pool"],
        haproxy_frontend=["public"],
    )
    for type_name in sorted(set(REGISTRY) - set(made)):
        if type_name in MINIMAL:  # test_adoption's coverage test names a type without an entry
            create_raw(sim, type_name)
            # a type with one identity field is named by its value; others by their display name
            spec = REGISTRY[type_name]
            if spec.settings:  # no identity: exported under the type's display name
                made[type_name] = [spec.display_name({})]
                continue
            identity = MINIMAL[type_name][0].get(spec.field(spec.identity[0]).api)
            made[type_name] = [identity] if len(spec.identity) == 1 else []
    return made


def run_task(project, sim, module, args, *extra):
    """A playbook with one task of ``module``; its outcome and saved result."""
    project.inventory({"fw1": sim})
    path = project.playbook({})
    play = json.loads(path.read_text())
    play[0]["tasks"][0]["block"][0] = {"name": module, "opnform.opnsense." + module: args, "register": "applied"}
    play[0]["tasks"][0]["always"][0]["check_mode"] = False
    path.write_text(json.dumps(play))
    outcome = project.playbook_run(*extra)
    assert outcome.rc == 0, outcome.stdout
    return outcome, project.result("fw1")


@pytest.mark.parametrize("release", ["current", "26.1"])
def test_exporting_a_hand_made_firewall_and_applying_the_export_writes_nothing(project, sim, release):
    if release != "current":
        sim.reset(release)  # the older series the collection supports
    made = configure_by_hand(sim)
    (project.tmp / "exports").mkdir()
    sim.clear_log()

    outcome, exported = run_task(project, sim, "export", {"dest": DEST})
    dest = project.tmp / DEST
    text = dest.read_text()
    assert exported["changed"] and exported["dest"] == str(dest)
    assert writes(sim.log()) == []
    # everything made by hand, in file order: referenced types first, names, rules as evaluated
    listed = yaml.safe_load(text)
    assert listed == exported["resources"]
    for type_name, names in made.items():  # the factory's own rules are exported too
        assert [r["name"] for r in listed if r["type"] == type_name and r["name"] in names] == names, type_name
        assert any(r["type"] == type_name for r in listed), type_name
    order = exported["types"]
    for before, after in (
        ("firewall_category", "firewall_alias"),
        ("firewall_alias", "firewall_filter_rule"),
        ("haproxy_server", "haproxy_backend"),
        ("haproxy_healthcheck", "haproxy_backend"),
        ("haproxy_backend", "haproxy_action"),
        ("haproxy_acl", "haproxy_action"),
        ("haproxy_action", "haproxy_frontend"),
    ):
        assert order.index(before) < order.index(after), (before, after)
    by = dict(((r["type"], r["name"]), r["properties"]) for r in listed)
    assert by[("firewall_alias", "web_hosts")]["categories"] == ["web"]
    assert by[("haproxy_frontend", "public")]["default_backend"] == "pool"
    assert by[("haproxy_frontend", "public")]["linked_actions"] == ["to_pool"]
    assert by[("haproxy_backend", "pool")]["linked_servers"] == ["s1", "s2"]
    assert "sequence" not in by[("firewall_filter_rule", "allow web")]
    # no secret: the alias holding one is a commented-out entry with a vault placeholder
    assert PASSWORD not in text and PASSWORD not in outcome.stdout
    assert exported["withheld"] == [{"type": "firewall_alias", "name": "feed", "fields": ["password"]}]
    assert "#     password: '{{ vault_firewall_alias_feed_password }}'" in text
    for secret in project.secrets:
        assert secret not in text

    sim.clear_log()
    config = sim.state()["config"]
    outcome, applied = run_task(project, sim, "apply", {"deployment": "adopted", "resources_file": DEST})
    summary = applied["plan"]["summary"]
    assert (summary["create"], summary["update"], summary["delete"]) == (0, 0, 0), applied["plan"]["lines"]
    assert summary["noop"] == summary["adopt"] == len(listed)
    assert not applied["changed"]
    log = sim.log()
    assert writes(log) == [] and [e for e in log if RELOAD.search(e["path"])] == [], [e["path"] for e in log]
    assert sim.state()["config"] == config

    sim.clear_log()
    outcome, again = run_task(project, sim, "export", {"dest": DEST})
    assert again["changed"] is False and dest.read_text() == text
    assert writes(sim.log()) == []


def test_check_mode_shows_the_file_diff_and_writes_nothing(project, sim):
    add(sim, "firewall/category/addItem", "category", {"name": "web", "color": "ff0000"})
    outcome, preview = run_task(
        project, sim, "export", {"dest": "fw1.yml", "types": ["firewall_category"]}, "--check", "--diff"
    )
    assert preview["changed"] and not (project.tmp / "fw1.yml").exists()
    assert "name: web" in preview["diff"]["after"] and "name: web" in outcome.stdout
