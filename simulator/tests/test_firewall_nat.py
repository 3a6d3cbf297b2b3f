"""NPTv6 and 1:1 NAT over HTTPS: /api/firewall/npt/, /api/firewall/one_to_one/ (services/firewall/FACTS.md "NAT rules")."""

from __future__ import annotations

import pytest

NPT = "/api/firewall/npt"
ONE = "/api/firewall/one_to_one"
TRACK = "A value is required when not using a track interface."


def add(api, base, **rule):
    return api.post(f"{base}/addRule", json={"rule": rule}).json()


def added(api, base, **rule) -> str:
    body = add(api, base, **rule)
    assert body["result"] == "saved", body
    return body["uuid"]


def test_npt_defaults_and_sequence(api):
    blank = api.get(f"{NPT}/getRule").json()["rule"]
    assert blank["enabled"] == "1" and blank["log"] == "0" and blank["sequence"] == "100"
    assert blank["interface"]["lan"]["selected"] == 1
    uuid = added(api, NPT, source_net="fd00:1::/64", destination_net="2001:db8:1::/64", description="v6")
    assert api.get(f"{NPT}/getRule").json()["rule"]["sequence"] == "200"
    row = api.get(f"{NPT}/searchRule").json()["rows"][0]
    assert row["uuid"] == uuid and row["sort_order"] == "400000.0000100" and row["prio_group"] == "400000"
    assert row["category_colors"] == []


def test_npt_validation(api):
    # destination_net's SetIfConstraint, referenced by trackif: both fields carry it.
    assert add(api, NPT, source_net="fd00:1::/64")["validations"] == {
        "rule.destination_net": TRACK,
        "rule.trackif": TRACK,
    }
    assert add(api, NPT, source_net="fd00:1::/64", destination_net="2001:db8::/48")["validations"] == {
        "rule.destination_net": "External subnet should match internal subnet."
    }
    # A literal without prefix counts as /128.
    assert add(api, NPT, source_net="fd00::1", destination_net="2001:db8::1")["result"] == "saved"
    body = add(api, NPT, source_net="fd00:1::/64", destination_net="2001:db8::/64", trackif="wan")
    assert body["validations"] == {"rule.trackif": "A track interface is only allowed without an external prefix."}
    body = add(api, NPT, source_net="fd00:1::/64", trackif="wan")
    assert body["validations"] == {"rule.trackif": "The rule interface is not in set to DHCPv6 mode."}
    assert "rule.source_net" in add(api, NPT, source_net="10.0.0.0/24", destination_net="2001:db8::/64")["validations"]


def test_onetoone_defaults_and_validation(api):
    blank = api.get(f"{ONE}/getRule").json()["rule"]
    assert blank["interface"]["wan"]["selected"] == 1 and blank["type"]["binat"]["selected"] == 1
    assert blank["destination_net"] == "any" and blank["natreflection"][""]["selected"] == 1
    assert add(api, ONE, source_net="10.0.0.0/24", external="198.51.100.0/25")["validations"] == {
        "rule.external": "External subnet should match internal subnet."
    }
    assert add(api, ONE, source_net="lan", external="198.51.100.1")["validations"] == {
        "rule.source_net": "For BINAT rules only addresses or subnets are allowed."
    }
    # Disabled or nat-type rules skip the binat checks; the families must still match.
    assert add(api, ONE, source_net="lan", external="198.51.100.1", type="nat")["result"] == "saved"
    assert add(api, ONE, source_net="lan", external="198.51.100.1", enabled="0")["result"] == "saved"
    assert add(api, ONE, source_net="10.0.0.1", external="2001:db8::1", type="nat")["validations"] == {
        "rule.source_net": "IP protocol families should match.",
        "rule.external": "IP protocol families should match.",
    }
    # An empty external is no subnet of the source's length either: both messages.
    assert add(api, ONE, source_net="10.0.0.1")["validations"] == {
        "rule.external": ["A value is required.", "External subnet should match internal subnet."]
    }


def test_onetoone_search_meta_and_categories(api):
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "nat", "color": "00ff00"}}).json()[
        "uuid"
    ]
    one = added(api, ONE, source_net="10.0.0.5", external="198.51.100.5", categories=cat, description="host")
    added(api, ONE, source_net="10.0.0.6", external="198.51.100.6", description="other")
    rows = api.get(f"{ONE}/searchRule", params={"category": cat}).json()["rows"]
    assert [r["uuid"] for r in rows] == [one]
    assert rows[0]["category_colors"] == [{"color": "#00ff00", "name": "nat", "uuid": cat}]
    assert rows[0]["alias_meta_source_net"] == [
        {"value": "10.0.0.5", "%value": "10.0.0.5", "isAlias": False, "description": ""}
    ]
    assert api.get(f"{ONE}/listCategories").json()["rows"] == [
        {"uuid": cat, "name": "nat", "color": "00ff00", "used": 1}
    ]


def test_rule_on_missing_interface_sorts_last(api, sim):
    uuid = added(api, ONE, source_net="10.0.0.5", external="198.51.100.5", interface="opt1")
    sim.app.env.interfaces = [i for i in sim.app.env.interfaces if i.key != "opt1"]
    row = api.get(f"{ONE}/searchRule").json()["rows"][0]
    assert row["uuid"] == uuid and row["prio_group"] == "600000"


def test_apply_reloads_the_filter(api, sim):
    added(api, NPT, source_net="fd00:1::/64", destination_net="2001:db8:1::/64")
    added(api, ONE, source_net="10.0.0.5", external="198.51.100.5")
    assert set(sim.state()["pending"]) >= {"firewall.npt_rule", "firewall.onetoone_rule"}
    assert api.get(f"{NPT}/apply").json() == {"status": "error"}
    assert api.post(f"{ONE}/apply").json() == {"status": "OK\n\n"}
    assert not {"firewall.npt_rule", "firewall.onetoone_rule"} & set(sim.state()["pending"])


def test_copy_sequence_and_move(api):
    first = added(api, ONE, source_net="10.0.0.5", external="198.51.100.5")
    second = added(api, ONE, source_net="10.0.0.6", external="198.51.100.6")
    copy = api.get(f"{ONE}/getRule/{first}", params={"fetchmode": "copy"}).json()["rule"]
    assert copy["sequence"] == 300
    assert api.post(f"{ONE}/moveRuleBefore/{second}/{first}").json() == {"status": "ok"}
    # (100 - 1) // 2 + 1: half way between the start and the target.
    assert api.get(f"{ONE}/getRule/{second}").json()["rule"]["sequence"] == "50"
    assert api.get(f"{ONE}/getRule/{first}").json()["rule"]["sequence"] == "100"
    answer = api.post(f"{ONE}/moveRuleBefore/{second}/nope")
    assert answer.status_code == 500
    assert answer.json()["errorMessage"] == "Either source or destination is not a rule managed with this component"
    assert api.post(f"{ONE}/toggleRuleLog/{first}/1").json() == {"status": "ok"}


@pytest.mark.parametrize("base", [NPT, ONE])
def test_26_1_has_the_dead_man_switch_and_no_copy_sequence(api, sim, base):
    sim.reset("26.1")
    saved = api.post(f"{base}/savepoint").json()
    assert saved["status"] == "ok" and "revision" in saved
    rule = {"source_net": "fd00:1::/64", "destination_net": "2001:db8:1::/64"} if base == NPT else {
        "source_net": "10.0.0.5", "external": "198.51.100.5"}  # fmt: skip
    uuid = added(api, base, **rule)
    assert api.get(f"{base}/getRule/{uuid}", params={"fetchmode": "copy"}).json()["rule"]["sequence"] == "100"
    assert api.post(f"{base}/cancelRollback/{saved['revision']}").json() == {"status": "Execute error\n\n"}
    sim.reset("26.7")
    assert api.post(f"{base}/savepoint").status_code == 404


def test_alias_used_by_a_onetoone_rule_cannot_be_deleted(api):
    """Alias::getAliasSource() lists onetoone.rule source_net and destination_net before the filter rules."""
    alias = api.post(
        "/api/firewall/alias/addItem",
        json={"alias": {"name": "partners", "type": "network", "content": "198.51.100.0/24"}},
    ).json()["uuid"]
    added(api, ONE, type="nat", source_net="lan", destination_net="partners", external="203.0.113.40", description="d")
    answer = api.post(f"/api/firewall/alias/delItem/{alias}")
    assert answer.status_code == 500
    assert answer.json()["errorMessage"] == (
        "Cannot delete alias partners. Currently in use by \n[OPNsense.Firewall.Filter.onetoone.rule.0/destination_net] "
    )


SNAT = "/api/firewall/source_nat"


def test_snat_rules_are_listed_only_in_hybrid_and_advanced_mode(api, sim):
    """SourceNatController::searchRule(): automatic mode (the default) shows no manual rules."""
    assert api.get(f"{SNAT}/get").json()["filter"]["general"]["snat_mode"]["automatic"]["selected"] == 1
    uuid = added(api, SNAT, interface="wan", source_net="lan", target="wanip", description="out")
    assert api.get(f"{SNAT}/searchRule").json()["rows"] == []
    assert api.get(f"{SNAT}/getRule/{uuid}").json()["rule"]["description"] == "out"  # still there
    assert api.post(f"{SNAT}/set", json={"filter": {"general": {"snat_mode": "advanced"}}}).json() == {
        "result": "saved"
    }
    (row,) = api.get(f"{SNAT}/searchRule").json()["rows"]
    assert row["uuid"] == uuid and row["prio_group"] == "400000" and row["%target"] == "WAN address"
    assert row["alias_meta_target"][0]["%value"] == "WAN address"
    assert "filter.settings" in sim.state()["pending"]
    assert api.post(f"{SNAT}/set", json={"filter": {"general": {"snat_mode": "bogus"}}}).json()["result"] == "failed"


def test_snat_automatic_rows_for_wan_like_interfaces(api, sim):
    wan = sim.app.env.interface("wan")
    wan.gateway = "WAN_GW"
    rows = api.get(f"{SNAT}/searchRule").json()["rows"]
    assert [(r["uuid"], r["source_net"], r["destination_port"], r["staticnatport"]) for r in rows] == [
        ("automatic_isakmp_wan", "lan,opt1", "500", "1"),
        ("automatic_wan", "lan,opt1", "", "0"),
    ]
    assert rows[0]["target"] == "wanip" and rows[0]["is_automatic"] is True and rows[0]["prio_group"] == "500000"
    sim.reset("26.1")
    sim.app.env.interface("wan").gateway = "WAN_GW"
    rows = api.get(f"{SNAT}/searchRule").json()["rows"]
    # 26.1: one pair of rules per source network.
    assert [r["uuid"] for r in rows] == [
        "automatic_isakmp_wan_lan",
        "automatic_wan_lan",
        "automatic_isakmp_wan_opt1",
        "automatic_wan_opt1",
    ]


def test_snat_validation(api):
    body = add(api, SNAT, target="any", protocol="ICMP", target_port="80", **{"endpoint-independent": "1"})
    assert body["validations"] == {
        "rule.target": "Target address cannot be any.",
        "rule.target_port": "Target ports are only valid for tcp or udp type rules.",
        "rule.endpoint-independent": "Endpoint Independent NAT is only available for UDP.",
    }
    body = add(api, SNAT, target="2001:db8::1", source_net="10.0.0.0/24,any")
    assert body["validations"] == {
        # a single-value NetworkAliasField takes no literal list, and Filter.php adds its own message
        "rule.source_net": [
            "10.0.0.0/24,any is not a valid source IP address or alias.",
            "Any can not be combined with other aliases",
        ],
        "rule.target": "Target address type should match selected TCP/IP protocol version.",
    }
    assert add(api, SNAT, target="198.51.100.1", protocol="UDP", **{"endpoint-independent": "1"})["result"] == "saved"


def test_snat_26_1_general_and_fields(api, sim):
    sim.reset("26.1")
    assert "endpoint-independent" not in api.get(f"{SNAT}/getRule").json()["rule"]
    assert api.post(f"{SNAT}/setGeneral", json={"filter": {"general": {"snat_mode": "hybrid"}}}).json() == {
        "result": "saved"
    }
    assert "rules" in api.get(f"{SNAT}/get").json()["filter"]  # the whole model's get
    sim.reset("26.7")
    assert api.post(f"{SNAT}/setGeneral", json={}).status_code == 404


def test_alias_used_by_a_snat_rule_cannot_be_deleted(api):
    """Alias::getAliasSource(): snatrules.rule source/destination nets and ports and target."""
    alias = api.post(
        "/api/firewall/alias/addItem", json={"alias": {"name": "pool", "type": "host", "content": "198.51.100.7"}}
    ).json()["uuid"]
    added(api, SNAT, target="pool", description="via pool")
    answer = api.post(f"/api/firewall/alias/delItem/{alias}")
    assert answer.json()["errorMessage"] == (
        "Cannot delete alias pool. Currently in use by \n[OPNsense.Firewall.Filter.snatrules.rule.0/target] "
    )


def test_snat_target_port_takes_no_alias(api):
    api.post("/api/firewall/alias/addItem", json={"alias": {"name": "ports", "type": "port", "content": "80"}})
    body = add(api, SNAT, target="wanip", protocol="TCP", target_port="ports")
    message = body["validations"]["rule.target_port"]
    assert message.startswith("Please specify a valid port number (1-65535). A service name is also possible (")
    assert add(api, SNAT, target="wanip", protocol="TCP", target_port="1024-2048")["result"] == "saved"
