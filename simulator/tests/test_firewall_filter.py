"""Firewall filter rules over HTTPS: CRUD, defaults and every field rule (firewall.md 1.1, 1.3)."""

from __future__ import annotations

import pytest

BASE = "/api/firewall/filter"
FACTORY_RULES = {"0b5a5b1c-93e4-4b50-9f0c-2f6a3f3f0a01", "0b5a5b1c-93e4-4b50-9f0c-2f6a3f3f0a02"}


def add(api, **fields):
    r = api.post(f"{BASE}/addRule", json={"rule": fields})
    assert r.status_code == 200, r.text
    return r.json()


def add_ok(api, **fields) -> str:
    body = add(api, **fields)
    assert body["result"] == "saved", body
    return body["uuid"]


def fails(api, **fields) -> dict:
    body = add(api, **fields)
    assert body["result"] == "failed", body
    return body["validations"]


def stored(sim, uuid) -> dict:
    return sim.state()["config"]["firewall.filter_rule"][uuid]


def add_alias(api, **fields) -> str:
    body = api.post("/api/firewall/alias/addItem", json={"alias": fields}).json()
    assert body["result"] == "saved", body
    return body["uuid"]


# -- defaults --------------------------------------------------------------------------------------


def test_factory_state_has_the_default_lan_rules(sim):
    """config.xml.sample ships two LAN pass rules (sequence 1 and 11); they are live from the start."""
    state = sim.state()
    rules = state["config"]["firewall.filter_rule"]
    assert set(rules) == FACTORY_RULES
    assert {r["description"] for r in rules.values()} == {
        "Default allow LAN to any rule",
        "Default allow LAN IPv6 to any rule",
    }
    assert state["running"]["firewall.filter_rule"] == rules and "firewall.filter_rule" not in state["pending"]


def test_new_rule_defaults(api, sim):
    """firewall.md 1.3: defaults of every field; the sequence is the highest one + 100."""
    uuid = add_ok(api, description="defaults")
    rule = stored(sim, uuid)
    assert rule["sequence"] == "111"  # factory rules use 1 and 11
    expected = {
        "enabled": "1",
        "statetype": "keep",
        "state-policy": "",
        "action": "pass",
        "quick": "1",
        "interfacenot": "0",
        "interface": "",
        "direction": "in",
        "ipprotocol": "inet",
        "protocol": "any",
        "source_net": "any",
        "source_not": "0",
        "source_port": "",
        "destination_net": "any",
        "destination_not": "0",
        "destination_port": "",
        "log": "0",
        "disablereplyto": "0",
        "allowopts": "0",
        "nosync": "0",
        "nopfsync": "0",
        "tcpflags_any": "0",
        "categories": "",
        "max-pkt-rate-number": "",
        "max-pkt-rate-seconds": "",
    }
    assert {k: rule[k] for k in expected} == expected
    assert "sort_order" not in rule and "prio_group" not in rule  # volatile, never stored


def test_sequence_without_rules_is_100(api):
    """firewall.md 1.3 (FilterSequenceField.php reads AutoNumberField's private minimum_value: null, so 0 + 100)."""
    for uuid in FACTORY_RULES:
        assert api.post(f"{BASE}/delRule/{uuid}").json() == {"result": "deleted"}
    assert api.get(f"{BASE}/getRule").json()["rule"]["sequence"] == "100"
    uuid = add_ok(api)
    assert api.get(f"{BASE}/getRule/{uuid}").json()["rule"]["sequence"] == "100"
    assert api.get(f"{BASE}/getRule").json()["rule"]["sequence"] == "200"
    add_ok(api, sequence="5000")
    assert api.get(f"{BASE}/getRule").json()["rule"]["sequence"] == "5100"


def test_get_rule_shapes(api):
    """generic.md 7: option maps with selected ints; NetworkAliasField/PortField as plain strings plus %field."""
    uuid = add_ok(api, interface="lan,opt1", source_net="lan", protocol="tcp", destination_port="443", icmptype="")
    rule = api.get(f"{BASE}/getRule/{uuid}").json()["rule"]
    assert rule["source_net"] == "lan" and rule["%source_net"] == "LAN net"
    assert rule["destination_net"] == "any" and "%destination_net" not in rule
    assert rule["destination_port"] == "443"
    assert rule["interface"] == {
        "opt1": {"value": "DMZ", "selected": 1},
        "lan": {"value": "LAN", "selected": 1},
        "wan": {"value": "WAN", "selected": 0},
    }
    assert rule["protocol"]["TCP"] == {"value": "TCP", "selected": 1}
    assert list(rule["protocol"])[:4] == ["any", "TCP", "UDP", "TCP/UDP"]
    assert rule["icmptype"]["echoreq"] == {"value": "Echo Request", "optgroup": "Common", "selected": 0}
    assert rule["prio"][""] == {"value": "Any priority", "selected": 1}
    assert rule["tos"][""] == {"value": "Any", "selected": 1}
    assert rule["sort_order"] == "200000.0000111" and rule["prio_group"] == "200000"


def test_get_rule_unknown_and_copy_mode(api):
    """firewall.md 1.1: unknown uuid -> []; fetchmode=copy sets sequence to highest + 100 (a number)."""
    assert api.get(f"{BASE}/getRule/00000000-0000-4000-8000-000000000000").json() == []
    uuid = add_ok(api, sequence="700")
    copy = api.get(f"{BASE}/getRule/{uuid}", params={"fetchmode": "copy"}).json()["rule"]
    assert copy["sequence"] == 800
    assert api.get(f"{BASE}/getRule/{uuid}").json()["rule"]["sequence"] == "700"


# -- CRUD ------------------------------------------------------------------------------------------


def test_set_rule_update_and_upsert(api, sim):
    """firewall.md 1.1: setRule is an upsert under a new lowercase UUIDv4."""
    uuid = add_ok(api, description="one")
    assert api.post(f"{BASE}/setRule/{uuid}", json={"rule": {"description": "two", "log": True}}).json() == {
        "result": "saved"
    }
    assert stored(sim, uuid)["description"] == "two" and stored(sim, uuid)["log"] == "1"
    new = "9c1b2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e"
    assert api.post(f"{BASE}/set_rule/{new}", json={"rule": {"description": "upserted"}}).json() == {"result": "saved"}
    assert stored(sim, new)["sequence"] == "211"
    assert api.post(f"{BASE}/setRule/NOT-A-UUID", json={"rule": {}}).json() == {"result": "failed"}
    assert api.post(f"{BASE}/setRule/{uuid}", json={"other": {}}).json() == {"result": "failed"}


def test_del_and_toggle(api, sim):
    """firewall.md 1.1: delRule / toggleRule answers."""
    uuid = add_ok(api)
    assert api.post(f"{BASE}/toggleRule/{uuid}").json() == {"result": "Disabled", "changed": True}
    assert api.post(f"{BASE}/togglerule/{uuid}/1").json() == {"result": "Enabled", "changed": True}
    assert api.get(f"{BASE}/delRule/{uuid}").json() == {"result": "failed"}
    assert api.post(f"{BASE}/del_rule/{uuid}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delRule/{uuid}").json() == {"result": "not found"}


def test_toggle_rule_log(api, sim):
    """firewall.md 1.1: {"status":"ok"}; unknown uuid -> HTTP 500 "Rule not found"; GET -> error body."""
    uuid = add_ok(api)
    assert api.post(f"{BASE}/toggleRuleLog/{uuid}/1").json() == {"status": "ok"}
    assert stored(sim, uuid)["log"] == "1"
    assert api.post(f"{BASE}/toggle_rule_log/{uuid}/0").json() == {"status": "ok"}
    assert stored(sim, uuid)["log"] == "0"
    r = api.post(f"{BASE}/toggleRuleLog/00000000-0000-4000-8000-000000000000/1")
    assert r.status_code == 500 and r.json()["errorMessage"] == "Rule not found"
    assert api.get(f"{BASE}/toggleRuleLog/{uuid}/1").json() == {"status": "error", "message": "Invalid request method"}
    assert api.post(f"{BASE}/toggleRuleLog/{uuid}").status_code == 404  # the log value is a required parameter


def test_whole_model_get_and_set(api, sim):
    """generic.md 4: `filter` is the whole-model key; set creates unknown keys under server uuids."""
    uuid = add_ok(api, description="whole")
    model = api.get(f"{BASE}/get").json()
    assert uuid in model["filter"]["rules"]["rule"]
    body = api.post(
        f"{BASE}/set",
        json={
            "filter": {"rules": {"rule": {uuid: {"description": "changed"}, "client-key": {"description": "new one"}}}}
        },
    )
    assert body.json() == {"result": "saved"}
    rules = sim.state()["config"]["firewall.filter_rule"]
    assert rules[uuid]["description"] == "changed"
    assert "client-key" not in rules and any(r["description"] == "new one" for r in rules.values())


# -- field rules -----------------------------------------------------------------------------------


def test_protocol_is_upper_cased(api, sim):
    """firewall.md 1.3: input is upper-cased, `any` stays lower case, TCP/UDP is an option."""
    assert stored(sim, add_ok(api, protocol="tcp"))["protocol"] == "TCP"
    assert stored(sim, add_ok(api, protocol="ANY"))["protocol"] == "any"
    assert stored(sim, add_ok(api, protocol="tcp/udp"))["protocol"] == "TCP/UDP"
    assert stored(sim, add_ok(api, protocol="ipv6-icmp", ipprotocol="inet6"))["protocol"] == "IPV6-ICMP"
    assert fails(api, protocol="ipv6-frag") == {"rule.protocol": "Option [] not in list."}  # extension headers excluded


@pytest.mark.parametrize(
    "value",
    [
        "any",
        "(self)",
        "lan",
        "lanip",
        "wan,opt1",
        "opt1ip",
        "10.0.0.0/8",
        "192.0.2.1",
        "bogons",
        "__lan_network",
        "nets,lan",
    ],
)
def test_network_values_accepted(api, value):
    """firewall.md 1.3: any, (self), interface nets and addresses, non-port aliases, one literal address."""
    add_alias(api, name="nets", type="network", content="10.0.0.0/8")
    add_ok(api, source_net=value)


@pytest.mark.parametrize(
    "value,message",
    [
        ("10.0.0.1,10.0.0.2", "10.0.0.1,10.0.0.2 is not a valid source IP address or alias."),
        ("lan,10.0.0.1", "lan,10.0.0.1 is not a valid source IP address or alias."),
        ("ports", "ports is not a valid source IP address or alias."),
        ("nosuch", "nosuch is not a valid source IP address or alias."),
        ("any,lan", "Any can not be combined with other aliases"),
        ("2001:db8::/32", "Source address type should match selected TCP/IP protocol version."),
    ],
)
def test_network_values_rejected(api, value, message):
    """firewall.md 1.3: literal lists, port aliases, unknown names, `any` combined, family mismatch."""
    add_alias(api, name="ports", type="port", content="80")
    assert fails(api, source_net=value) == {"rule.source_net": message}


def test_literal_address_family(api):
    """firewall.md 1.3: the family must match ipprotocol; with inet46 a literal always fails (per code)."""
    add_ok(api, destination_net="2001:db8::1", ipprotocol="inet6")
    assert fails(api, destination_net="192.0.2.1", ipprotocol="inet6") == {
        "rule.destination_net": "Destination address type should match selected TCP/IP protocol version."
    }
    assert fails(api, source_net="192.0.2.0/24", ipprotocol="inet46") == {
        "rule.source_net": "Source address type should match selected TCP/IP protocol version."
    }
    add_ok(api, source_net="lan", ipprotocol="inet46")


def test_invert_only_for_single_targets(api):
    """firewall.md 1.3: the destination-side error is reported on destination_net."""
    assert fails(api, source_net="lan,wan", source_not="1") == {
        "rule.source_not": "Inverting sources is only allowed for single targets to avoid mis-interpretations"
    }
    assert fails(api, destination_net="lan,wan", destination_not="1") == {
        "rule.destination_net": "Inverting destinations is only allowed for single targets to avoid mis-interpretations"
    }
    add_ok(api, destination_net="lan", destination_not="1")


@pytest.mark.parametrize(
    "port,stored_as",
    [
        ("443", "443"),
        ("1000-2000", "1000-2000"),
        ("HTTPS", "https"),
        (" ssh ", "ssh"),
        ("webports", "webports"),
        ("any", "any"),
    ],
)
def test_ports_accepted(api, sim, port, stored_as):
    """firewall.md 1.3: number, lo-hi range, well-known name (lower-cased), port alias."""
    add_alias(api, name="webports", type="port", content="80\n443")
    uuid = add_ok(api, protocol="TCP", destination_port=port)
    assert stored(sim, uuid)["destination_port"] == stored_as


@pytest.mark.parametrize("port", ["0", "65536", "2000-1000", "80 - 90", "80,443", "afs3-fileserver", "netnet", "080"])
def test_ports_rejected(api, port):
    """firewall.md 1.3: one message for anything else (afs3-fileserver is lost to a PHP array union)."""
    add_alias(api, name="netnet", type="network", content="10.0.0.0/8")
    assert fails(api, protocol="UDP", source_port=port) == {
        "rule.source_port": "Please specify a valid portnumber, name, alias or range."
    }


def test_port_range_whitespace_by_version(api, sim):
    """firewall.md 1.3: 26.7 rejects spaces around range bounds; 26.1's PortField accepted them."""
    assert fails(api, protocol="TCP", destination_port="80- 90") == {
        "rule.destination_port": "Please specify a valid portnumber, name, alias or range."
    }
    sim.reset("26.1")
    add_ok(api, protocol="TCP", destination_port="80- 90")


def test_ports_only_for_tcp_or_udp(api):
    """firewall.md 1.3: ports need TCP, UDP or TCP/UDP."""
    assert fails(api, protocol="ICMP", source_port="80", destination_port="443") == {
        "rule.source_port": "Source ports are only valid for tcp or udp type rules.",
        "rule.destination_port": "Destination ports are only valid for tcp or udp type rules.",
    }
    add_ok(api, protocol="TCP/UDP", destination_port="53")


def test_icmp_types_need_their_protocol(api):
    """firewall.md 1.3: icmptype only with ICMP, icmp6type only with IPV6-ICMP."""
    add_ok(api, protocol="ICMP", icmptype="echoreq,unreach")
    assert fails(api, protocol="TCP", icmptype="echoreq") == {"rule.icmptype": "Option only applies to ICMP packets"}
    assert fails(api, protocol="ICMP", icmptype="echoreq,bogus") == {"rule.icmptype": "Option [bogus] not in list."}
    add_ok(api, protocol="IPV6-ICMP", ipprotocol="inet6", icmp6type="128,135")
    assert fails(api, protocol="ICMP", icmp6type="128") == {
        "rule.icmp6type": "Option only applies to IPV6-ICMP packets"
    }


def test_interface_rules(api, sim):
    """firewall.md 1.3: interface keys; inverting needs exactly one interface."""
    assert fails(api, interface="lan,nope") == {"rule.interface": "Option [nope] not in list."}
    assert fails(api, interface="lan,wan", interfacenot="1") == {
        "rule.interfacenot": "Inverting interfaces is only allowed for single targets to avoid mis-interpretations"
    }
    assert fails(api, interfacenot="1") == {
        "rule.interfacenot": "Inverting interfaces is only allowed for single targets to avoid mis-interpretations"
    }
    add_ok(api, interface="wan", interfacenot="1")


def test_state_none_forbids_state_options(api):
    """firewall.md 1.3: with statetype none the state limits must be empty."""
    assert fails(api, statetype="none", max="10", **{"max-src-nodes": "5"}) == {
        "rule.max": "Invalid option when statetype is none.",
        "rule.max-src-nodes": "Invalid option when statetype is none.",
    }


def test_tcp_only_options(api):
    """firewall.md 1.3: "Invalid option for other than TCP protocol choices." per field."""
    found = fails(api, protocol="UDP", statetimeout="60", **{"max-src-conn": "5"})
    assert found == {
        "rule.statetimeout": "Invalid option for other than TCP protocol choices.",
        "rule.max-src-conn": "Invalid option for other than TCP protocol choices.",
    }
    add_ok(api, protocol="TCP", statetimeout="60", **{"max-src-conn": "5"})


@pytest.mark.parametrize(
    "fields,expected",
    [
        (
            {"adaptivestart": "0", "adaptiveend": "0"},
            {
                "rule.max": 'Disabling adaptive timeouts is only supported in ".\n                                    "combination with a configured maximum number of states for the same rule.'
            },
        ),
        (
            {"adaptivestart": "0", "adaptiveend": "10", "max": "5"},
            {"rule.adaptivestart": "Adaptive timeouts must be disabled together."},
        ),
        ({"adaptivestart": "10"}, {"rule.adaptivestart": "The adaptive timouts values must be set together."}),
        (
            {"adaptivestart": "10", "adaptiveend": "20", "max": "50"},
            {"rule.adaptiveend": "The value of adaptive.end must be greater than the Max states value."},
        ),
        (
            {"adaptivestart": "30", "adaptiveend": "20"},
            {"rule.adaptiveend": "The value of adaptive.end must be greater than adaptive.start value."},
        ),
    ],
)
def test_adaptive_timeouts(api, fields, expected):
    """firewall.md 1.3: set together, end >= start and >= max, 0/0 needs max (upstream's odd literal text kept)."""
    assert fails(api, **fields) == expected


def test_adaptive_ok(api):
    add_ok(api, adaptivestart="0", adaptiveend="0", max="100")
    add_ok(api, adaptivestart="10", adaptiveend="200", max="100")


def test_connection_rate_pair(api):
    assert fails(api, protocol="TCP", **{"max-src-conn-rate": "10"}) == {
        "rule.max-src-conn-rates": "Need to specify both a number of connections and a time interval."
    }


def test_packet_rate_pair_26_7(api):
    """firewall.md 1.3: max-pkt-rate number and seconds are set together (26.7 addition)."""
    assert fails(api, **{"max-pkt-rate-number": "100"}) == {
        "rule.max-pkt-rate-seconds": "Packet rate number and seconds must either both be set or left empty."
    }
    assert fails(api, **{"max-pkt-rate-number": "4294968", "max-pkt-rate-seconds": "1"}) == {
        "rule.max-pkt-rate-number": "Invalid integer value."
    }
    add_ok(api, **{"max-pkt-rate-number": "100", "max-pkt-rate-seconds": "10"})


def test_packet_rate_fields_do_not_exist_in_26_1(api, sim):
    """firewall.md 1.3: the fields came with 26.7; 26.1 ignores them and does not show them."""
    sim.reset("26.1")
    uuid = add_ok(api, **{"max-pkt-rate-number": "100"})
    assert "max-pkt-rate-number" not in api.get(f"{BASE}/getRule/{uuid}").json()["rule"]
    assert stored(sim, uuid)["max-pkt-rate-number"] == ""


def test_priority_and_flag_dependencies(api):
    """firewall.md 1.3: set-prio-low requires set-prio; tcpflags1 requires tcpflags2; any excludes specific flags."""
    assert fails(api, **{"set-prio-low": "3"}) == {
        "rule.set-prio-low": "Set priority for low latency and acknowledgements requires a set priority for normal packets."
    }
    add_ok(api, **{"set-prio": "5", "set-prio-low": "3", "prio": "0"})
    assert fails(api, protocol="TCP", tcpflags1="syn") == {
        "rule.tcpflags2": "If you specify TCP flags that should be set you should specify out of which flags as well."
    }
    assert fails(api, protocol="TCP", tcpflags1="syn", tcpflags2="syn,ack", tcpflags_any="1") == {
        "rule.tcpflags_any": "If you select any TCP flags, you cannot also select specific ones."
    }
    add_ok(api, protocol="TCP", tcpflags1="syn", tcpflags2="syn,ack")


def test_categories_must_exist(api, sim):
    """firewall.md 1.3: category uuids, comma separated."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "web"}}).json()["uuid"]
    uuid = add_ok(api, categories=cat)
    assert stored(sim, uuid)["categories"] == cat
    assert fails(api, categories=f"{cat},00000000-0000-4000-8000-000000000000") == {
        "rule.categories": "Related category not found."
    }


def test_description_rules(api):
    """firewall.md 1.3: at most 255 characters, no control characters."""
    add_ok(api, description="x" * 255)
    msg = "Description should be a string between 1 and 255 characters."
    assert fails(api, description="x" * 256)["rule.description"] == msg


def test_overload_alias_relation(api, sim):
    """firewall.md 1.3: an enabled non-port alias uuid (built-ins by name); TCP only."""
    table = add_alias(api, name="abusers", type="external")
    ports = add_alias(api, name="p", type="port", content="80")
    off = add_alias(api, name="off", type="host", content="10.0.0.1", enabled="0")
    assert stored(sim, add_ok(api, protocol="TCP", overload=table))["overload"] == table
    add_ok(api, protocol="TCP", overload="virusprot")
    for bad in (ports, off, "nope"):
        assert fails(api, protocol="TCP", overload=bad) == {"rule.overload": "Alias not found."}
    assert fails(api, protocol="UDP", overload=table) == {
        "rule.overload": "Invalid option for other than TCP protocol choices."
    }


def test_misc_option_fields(api):
    """firewall.md 1.3: tag mask, tos values, gateway names, divert-to only for pass rules.

    A space in a tag breaks StrictTextField's character rule and its mask, two validators with
    a message each (TextField.php).
    """
    add_ok(api, tag="abc.1_2", tagged="x", tos="ef")
    assert fails(api, tag="a b") == {"rule.tag": ["Text may not contain spaces or tabs.", "Text does not validate."]}
    assert fails(api, tos="0x100") == {"rule.tos": "Option [] not in list."}
    add_ok(api, gateway="WAN_GW")
    assert fails(api, gateway="NOPE_GW") == {
        "rule.gateway": "Specify a valid gateway from the list matching the networks ip protocol."
    }
    assert fails(api, gateway="WAN_GW", replyto="WAN_GW") == {
        "rule.replyto": "You can not assign a reply-to destination to a rule that uses a gateway."
    }
    assert fails(api, **{"divert-to": "1"})["rule.divert-to"] == "Specify a valid divert-to target."
    assert fails(api, shaper2="x") == {
        "rule.shaper2": [
            "Related pipe or queue not found.",
            "A shaper is required when configuring one in the reverse direction.",
        ]
    }


def test_integer_ranges(api):
    """firewall.md 1.3: 1-2147483647 limits; IntegerValidator rejects leading zeros."""
    assert fails(api, protocol="TCP", statetimeout="0") == {"rule.statetimeout": "Invalid integer value."}
    assert fails(api, protocol="TCP", statetimeout="010") == {"rule.statetimeout": "Invalid integer value."}
    assert fails(api, sequence="1000000") == {"rule.sequence": "Sequence shall be between 1 and 999999."}
    add_ok(api, protocol="TCP", statetimeout=2147483647)


def test_client_styles(api, sim):
    """generic.md 2-4: JSON booleans and numbers, null, and form-encoded bodies."""
    uuid = add_ok(api, log=True, sequence=42, description=None)
    rule = stored(sim, uuid)
    assert rule["log"] == "1" and rule["sequence"] == "42" and rule["description"] == ""
    assert fails(api, enabled=False) == {"rule.enabled": "A value is required."}
    r = api.post(
        f"{BASE}/addRule", data={"rule[description]": "form", "rule[protocol]": "udp", "rule[destination_port]": "53"}
    )
    assert r.json()["result"] == "saved"
    assert stored(sim, r.json()["uuid"])["protocol"] == "UDP"
