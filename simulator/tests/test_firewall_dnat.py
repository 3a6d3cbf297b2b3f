"""Port forwards over HTTPS: /api/firewall/d_nat/ (services/firewall/FACTS.md "Port forwards")."""

from __future__ import annotations

D = "/api/firewall/d_nat"
WEB = {
    "interface": "wan",
    "protocol": "TCP",
    "destination": {"network": "wanip", "port": "443"},
    "target": "10.0.0.5",
    "local-port": "8443",
    "descr": "web",
}


def add(api, **rule):
    return api.post(f"{D}/addRule", json={"rule": rule}).json()


def added(api, **rule) -> str:
    body = add(api, **rule)
    assert body["result"] == "saved", body
    return body["uuid"]


def test_blank_and_stored_rule(api, sim):
    blank = api.get(f"{D}/getRule").json()["rule"]
    assert blank["sequence"] == "100" and blank["disabled"] == "0"
    assert blank["protocol"][""] == {"value": "any", "selected": 1}  # BlankDesc, not required
    assert blank["protocol"]["tcp"] == {"value": "TCP", "selected": 0}  # ChangeCase lower
    uuid = added(api, **WEB, created={"time": "1", "username": "forged"})
    rule = api.get(f"{D}/getRule/{uuid}").json()["rule"]
    assert rule["protocol"]["tcp"]["selected"] == 1 and rule["destination"]["port"] == "443"
    # setBaseHook(): created is dropped from the post and stamped with updated's values
    assert rule["created"]["username"] == rule["updated"]["username"] != "forged"
    assert rule["created"]["time"] == rule["updated"]["time"] != "1"
    assert rule["created"]["description"] == "/api.php made changes"
    assert sim.state()["pending"] == ["firewall.dnat_rule"]
    assert api.post(f"{D}/apply").json() == {"status": "OK\n\n"}
    assert sim.state()["pending"] == []


def test_search_rows_lockout_first(api):
    uuid = added(api, **WEB)
    body = api.get(f"{D}/searchRule").json()
    assert [r["uuid"] for r in body["rows"]] == ["lockout_1", "lockout_0", uuid]
    assert body["rowCount"] == 1 and body["total"] == 1  # prepended after paging
    lockout = body["rows"][0]
    assert (lockout["interface"], lockout["%interface"], lockout["destination.port"]) == ("lan", "LAN", "443")
    row = body["rows"][2]
    assert row["sort_order"] == "400000.0000100" and row["prio_group"] == "400000"
    assert row["alias_meta_destination.network"][0]["%value"] == "WAN address"


def test_validation(api):
    body = add(api, protocol="icmp", source={"port": "80"}, nordr="1", target="1.2.3.4", ipprotocol="inet6", descr="x")
    assert body["validations"] == {
        "rule.source.port": "Ports are only valid for TCP or UDP type rules.",
        "rule.target": [
            "Address type should match selected TCP/IP protocol version.",
            "Target must be empty when No RDR is set.",
        ],
    }
    # local-port: well-known names and aliases, no ranges
    assert add(api, **{**WEB, "local-port": "8000-8080"})["validations"] == {
        "rule.local-port": "Please specify a valid port number or alias."
    }
    assert add(api, **{**WEB, "local-port": "https"})["result"] == "saved"


def test_categories_are_names(api):
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "fwd", "color": "ff0000"}}).json()
    uuid = added(api, **WEB, category="fwd")
    rule = api.get(f"{D}/getRule/{uuid}").json()["rule"]
    assert rule["category"]["fwd"]["selected"] == 1 and rule["categories"] == cat["uuid"]
    assert add(api, **WEB, category=cat["uuid"])["validations"] == {
        "rule.category": f"Option [{cat['uuid']}] not in list."
    }
    rows = api.get(f"{D}/searchRule", params={"category": cat["uuid"]}).json()["rows"]
    assert [r["uuid"] for r in rows if not r.get("is_automatic")] == [uuid]
    assert rows[-1]["category_colors"] == [{"color": "#ff0000", "name": "fwd", "uuid": cat["uuid"]}]
    assert api.get(f"{D}/listCategories").json()["rows"] == [
        {"uuid": cat["uuid"], "name": "fwd", "color": "ff0000", "used": 1}
    ]


def test_copy_sequence_and_missing_interface(api, sim):
    uuid = added(api, **WEB)
    assert api.get(f"{D}/getRule/{uuid}", params={"fetchmode": "copy"}).json()["rule"]["sequence"] == 200
    sim.app.env.interfaces = [i for i in sim.app.env.interfaces if i.key != "wan"]
    row = api.get(f"{D}/searchRule").json()["rows"][-1]
    assert row["uuid"] == uuid and row["prio_group"] == "600000"


def test_toggle_works_on_disabled(api):
    uuid = added(api, **WEB)
    assert api.post(f"{D}/toggleRule/{uuid}").json() == {"result": "Disabled"}
    assert api.get(f"{D}/getRule/{uuid}").json()["rule"]["disabled"] == "1"
    assert api.post(f"{D}/toggleRule/{uuid}/0").json() == {"result": "Enabled"}
    assert api.post(f"{D}/toggleRule/{uuid}/1").json() == {"result": "Disabled"}
    assert api.get(f"{D}/toggleRule/{uuid}").json() == {"result": "failed"}


def test_26_1(api, sim):
    sim.reset("26.1")
    uuid = added(api, **WEB)
    copy = api.get(f"{D}/getRule/{uuid}", params={"fetchmode": "copy"}).json()["rule"]
    assert copy["sequence"] == "100"  # no setCopySequence() on 26.1
    saved = api.post(f"{D}/savepoint").json()
    assert saved["status"] == "ok"


def test_acl_spelling_of_the_controller():
    """Core ACL.xml grants `api/firewall/d_nat/*`: the route list spells DNatController d_nat."""
    from opnsense_sim.routes import snake

    assert (snake("DNat"), snake("OneToOne"), snake("SourceNat"), snake("VlanSettings")) == (
        "d_nat",
        "one_to_one",
        "source_nat",
        "vlan_settings",
    )


def test_alias_used_by_a_port_forward_cannot_be_deleted(api):
    """Alias::getAliasSource(): the legacy nat/rule paths match the model, the text is its descr."""
    alias = api.post(
        "/api/firewall/alias/addItem", json={"alias": {"name": "srv", "type": "host", "content": "10.0.0.5"}}
    ).json()["uuid"]
    added(api, **{**WEB, "target": "srv"})
    answer = api.post(f"/api/firewall/alias/delItem/{alias}")
    assert answer.json()["errorMessage"] == "Cannot delete alias srv. Currently in use by \n[nat.rule.0/target] web"
