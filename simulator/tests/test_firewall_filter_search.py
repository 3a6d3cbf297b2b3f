"""filter/searchRule, ordering, apply and the helper lists over HTTPS (firewall.md 1.1, 1.4)."""

from __future__ import annotations

BASE = "/api/firewall/filter"


def add_ok(api, **fields) -> str:
    body = api.post(f"{BASE}/addRule", json={"rule": fields}).json()
    assert body["result"] == "saved", body
    return body["uuid"]


def search(api, **body) -> dict:
    r = api.post(f"{BASE}/searchRule", json=body or {"current": 1})
    assert r.status_code == 200, r.text
    return r.json()


def mvc(rows):
    return [r for r in rows if not r.get("legacy")]


# -- rows ------------------------------------------------------------------------------------------


def test_search_mixes_automatic_legacy_rows(api):
    """firewall.md 1.4: non-MVC rows have legacy true, is_automatic, a label as uuid and "<prio>.1<n>" order."""
    rows = search(api)["rows"]
    legacy = [r for r in rows if r.get("legacy")]
    assert legacy and all(r["is_automatic"] is True for r in legacy)
    deny = next(r for r in legacy if r["description"] == "Default deny / state violation rule")
    assert deny["sort_order"] == "000001.1000001" and deny["action"] == "block" and deny["%action"] == "Block"
    assert len(deny["uuid"]) == 32 and "-" not in deny["uuid"]
    lockout = [r for r in legacy if r["description"] == "anti-lockout rule"]
    assert [r["destination_port"] for r in lockout] == ["80", "443"]
    assert lockout[0]["interface"] == "LAN"  # legacy rows show the interface description
    assert lockout[0]["alias_meta_destination_net"] == [
        {"value": "(self)", "%value": "This Firewall", "isAlias": False, "description": ""}
    ]
    ssh = next(r for r in legacy if r["description"] == "sshlockout")
    assert ssh["source_net"] == "sshlockout" and ssh["destination_port"] == "22"
    assert ssh["alias_meta_source_net"][0]["isAlias"] is True


def test_search_mvc_row_shape(api):
    """firewall.md 1.4: uuid, raw fields, %fields, category_colors, computed sort_order/prio_group."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "web", "color": "00ff00"}}).json()[
        "uuid"
    ]
    api.post(
        "/api/firewall/alias/addItem",
        json={"alias": {"name": "webservers", "type": "host", "content": "10.0.0.1\n10.0.0.2", "description": "Web"}},
    )
    uuid = add_ok(
        api,
        interface="wan",
        protocol="TCP",
        destination_net="webservers",
        destination_port="https",
        categories=cat,
        description="web in",
    )
    row = next(r for r in search(api)["rows"] if r["uuid"] == uuid)
    assert row["sort_order"] == "400000.0000111" and row["prio_group"] == "400000"
    assert row["action"] == "pass" and row["%action"] == "Pass"
    assert row["interface"] == "wan" and row["%interface"] == "WAN"
    assert row["ipprotocol"] == "inet" and row["%ipprotocol"] == "IPv4"
    assert row["categories"] == cat and row["%categories"] == "web"
    assert row["category_colors"] == [{"color": "#00ff00", "name": "web", "uuid": cat}]
    assert row["alias_meta_destination_net"] == [
        {
            "summary": "<strong>Web</strong><br/>10.0.0.1<br/>10.0.0.2",
            "description": "Web",
            "value": "webservers",
            "%value": "webservers",
            "isAlias": True,
        }
    ]
    assert row["alias_meta_source_net"] == [{"value": "any", "%value": "any", "isAlias": False, "description": ""}]
    assert "alias_meta_source_port" not in row


def test_search_default_sort_and_groups(api):
    """firewall.md 1.4: automatic rows, then floating (200000), then interface rules (400000) by sequence."""
    a = add_ok(api, interface="lan", sequence="50")
    b = add_ok(api, interface="lan,wan", sequence="10")
    c = add_ok(api, sequence="5")
    order = [r["uuid"] for r in mvc(search(api)["rows"])]
    assert order.index(c) < order.index(b) < order.index(a)
    rows = search(api)["rows"]
    assert rows[0].get("legacy") is True
    assert next(r for r in rows if r["uuid"] == b)["prio_group"] == "200000"


def test_search_interface_filter(api):
    """firewall.md 1.1: `interface` list; floating rules without interface show everywhere; "" is the floating view."""
    lan = add_ok(api, interface="lan")
    wan = add_ok(api, interface="wan")
    multi = add_ok(api, interface="lan,wan")
    floating = add_ok(api)
    inverted = add_ok(api, interface="wan", interfacenot="1")
    lan_view = {r["uuid"] for r in mvc(search(api, interface="lan")["rows"])}
    assert {lan, multi, floating, inverted} <= lan_view and wan not in lan_view
    floating_view = {r["uuid"] for r in mvc(search(api, interface="")["rows"])}
    assert {multi, floating} <= floating_view and lan not in floating_view and wan not in floating_view
    all_view = {r["uuid"] for r in mvc(search(api)["rows"])}
    assert {lan, wan, multi, floating, inverted} <= all_view


def test_search_category_filter_must_be_an_array(api):
    """firewall.md 1.1: `category` is an array of uuids; a string makes array_intersect() throw."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "c"}}).json()["uuid"]
    tagged = add_ok(api, categories=cat)
    add_ok(api)
    assert [r["uuid"] for r in search(api, category=[cat])["rows"]] == [tagged]
    r = api.post(f"{BASE}/searchRule", json={"category": cat})
    assert r.status_code == 500


def test_search_paging_reads_only_the_post_body(api):
    """firewall.md 1.1 / generic.md 6 B: rowCount defaults to 9999; query-string paging is ignored."""
    for i in range(3):
        add_ok(api, description=f"r{i}")
    total = search(api)["total"]
    assert search(api)["rowCount"] == total
    paged = search(api, rowCount=2, current=2)
    assert paged["rowCount"] == 2 and paged["current"] == 2 and paged["total"] == total
    via_query = api.get(f"{BASE}/searchRule", params={"rowCount": 1}).json()
    assert via_query["rowCount"] == total
    assert search(api, searchPhrase="r1")["total"] == 1
    assert search(api, rowCount=-1)["rowCount"] == total


def test_search_sort_from_body(api):
    a = add_ok(api, description="b-rule", sequence="10")
    b = add_ok(api, description="a-rule", sequence="20")
    rows = mvc(search(api, sort={"description": "asc"}, searchPhrase="-rule")["rows"])
    assert [r["uuid"] for r in rows] == [b, a]


# -- ordering --------------------------------------------------------------------------------------


def _seq(sim, uuid):
    return sim.state()["config"]["firewall.filter_rule"][uuid]["sequence"]


def _drop_factory_rules(api):
    for uuid in ("0b5a5b1c-93e4-4b50-9f0c-2f6a3f3f0a01", "0b5a5b1c-93e4-4b50-9f0c-2f6a3f3f0a02"):
        assert api.post(f"{BASE}/delRule/{uuid}").json() == {"result": "deleted"}


def test_move_rule_before_into_a_gap(api, sim):
    """firewall.md 1.1: the selected rule gets a sequence just below the target; others untouched."""
    a = add_ok(api, interface="wan", sequence="100")
    b = add_ok(api, interface="wan", sequence="200")
    c = add_ok(api, interface="wan", sequence="300")
    assert api.post(f"{BASE}/moveRuleBefore/{c}/{b}").json() == {"status": "ok"}
    assert (_seq(sim, a), _seq(sim, b), _seq(sim, c)) == ("100", "200", "150")


def test_move_rule_before_renumbers_in_steps_of_50(api, sim):
    """firewall.md 1.1: without a gap the target and the following rules move up in steps of 50."""
    _drop_factory_rules(api)
    a = add_ok(api, interface="wan", sequence="10")
    b = add_ok(api, interface="wan", sequence="11")
    c = add_ok(api, interface="wan", sequence="12")
    d = add_ok(api, interface="wan", sequence="13")
    assert api.post(f"{BASE}/move_rule_before/{d}/{b}").json() == {"status": "ok"}
    assert (_seq(sim, a), _seq(sim, d), _seq(sim, b), _seq(sim, c)) == ("10", "60", "110", "160")


def test_move_rule_before_first_of_group(api, sim):
    _drop_factory_rules(api)
    a = add_ok(api, interface="opt1", sequence="2")
    b = add_ok(api, interface="opt1", sequence="40")
    assert api.post(f"{BASE}/moveRuleBefore/{b}/{a}").json() == {"status": "ok"}
    assert (_seq(sim, b), _seq(sim, a)) == ("1", "51")


def test_interface_rules_share_one_prio_group(api, sim):
    """firewall.md 1.4: every single-interface rule is in group 400000, so renumbering also moves the
    (factory) LAN rules when WAN rules are reordered."""
    a = add_ok(api, interface="wan", sequence="2")
    b = add_ok(api, interface="wan", sequence="40")
    assert api.post(f"{BASE}/moveRuleBefore/{b}/{a}").json() == {"status": "ok"}
    rules = sim.state()["config"]["firewall.filter_rule"]
    # lan(1), a(2), lan(11), b(40): a follows lan(1) with no gap, so a=101, lan(11)=151, b=51.
    assert (rules[b]["sequence"], rules[a]["sequence"]) == ("51", "101")
    assert rules["0b5a5b1c-93e4-4b50-9f0c-2f6a3f3f0a02"]["sequence"] == "151"


def test_move_rule_errors_are_warnings_in_26_7(api):
    """firewall.md 1.1: UserWarningException -> HTTP 500 with the generic text, title Filter, level warning."""
    floating = add_ok(api)
    iface = add_ok(api, interface="wan")
    for path in (f"{floating}/{iface}", f"{iface}/{iface}", f"{iface}/00000000-0000-4000-8000-000000000000"):
        r = api.post(f"{BASE}/moveRuleBefore/{path}")
        assert r.status_code == 500
        assert r.json() == {
            "errorMessage": "Unexpected error, check log for details",
            "errorTitle": "Filter",
            "errorLevel": "warning",
        }
    assert api.get(f"{BASE}/moveRuleBefore/{iface}/{floating}").json() == {
        "status": "error",
        "message": "Invalid request method",
    }


def test_move_rule_errors_carry_text_in_26_1(api, sim):
    """firewall.md 1.1: in 26.1 they were UserExceptions with the real text."""
    sim.reset("26.1")
    floating = add_ok(api)
    iface = add_ok(api, interface="wan")
    r = api.post(f"{BASE}/moveRuleBefore/{floating}/{iface}")
    assert r.status_code == 500
    assert r.json() == {"errorMessage": "Cannot move 'Floating Rule' before 'Interface Rule'.", "errorTitle": "Filter"}
    r = api.post(f"{BASE}/moveRuleBefore/{iface}/{iface}")
    assert r.json()["errorMessage"] == "Cannot move to the same spot."
    r = api.post(f"{BASE}/moveRuleBefore/{iface}/nope")
    assert r.json()["errorMessage"] == "Either source or destination is not a rule managed with this component"


# -- apply -----------------------------------------------------------------------------------------


def test_apply(api, sim):
    """firewall.md 1.1: POST -> {"status":"OK\\n\\n"} and the running rules equal config; GET -> error."""
    add_ok(api, description="goes live")
    assert "firewall.filter_rule" in sim.state()["pending"]
    assert api.get(f"{BASE}/apply").json() == {"status": "error"}
    assert api.post(f"{BASE}/apply").json() == {"status": "OK\n\n"}
    state = sim.state()
    assert state["running"]["firewall.filter_rule"] == state["config"]["firewall.filter_rule"]
    assert "firewall.filter_rule" not in state["pending"]


def test_apply_does_not_reload_aliases(api, sim):
    """firewall.md 1.1: `filter reload skip_alias` leaves alias changes pending."""
    api.post("/api/firewall/alias/addItem", json={"alias": {"name": "pending", "type": "host", "content": "10.0.0.1"}})
    api.post(f"{BASE}/apply")
    assert "firewall.alias" in sim.state()["pending"]


# -- helper lists ----------------------------------------------------------------------------------


def test_list_categories_counts_rules(api):
    """firewall.md 1.1: `used` counts the filter rules that use the category."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "rules"}}).json()["uuid"]
    add_ok(api, categories=cat)
    add_ok(api, categories=cat)
    assert api.get(f"{BASE}/listCategories").json() == {
        "rows": [{"uuid": cat, "name": "rules", "color": "", "used": 2}]
    }


def test_category_in_use_by_rule_cannot_be_deleted(api):
    """firewall.md 3: the generic safe delete finds the uuid in a filter rule's categories."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "busy"}}).json()["uuid"]
    rule = add_ok(api, categories=cat, description="uses busy")
    r = api.post(f"/api/firewall/category/delItem/{cat}")
    assert r.status_code == 500
    assert r.json()["errorTitle"] == "Item categories.category {busy} in use by:"
    assert f"Filter - uses busy {{Filter.rules.rule.{rule}}}" in r.json()["errorMessage"]
    api.post(f"{BASE}/delRule/{rule}")
    assert api.post(f"/api/firewall/category/delItem/{cat}").json() == {"result": "deleted"}


def test_select_option_lists(api):
    """firewall.md 1.1: UI helper lists."""
    api.post("/api/firewall/alias/addItem", json={"alias": {"name": "hosts", "type": "host", "content": "10.0.0.1"}})
    api.post("/api/firewall/alias/addItem", json={"alias": {"name": "ports", "type": "port", "content": "80"}})
    nets = api.get(f"{BASE}/listNetworkSelectOptions").json()
    assert nets["networks"]["items"]["any"] == "any" and nets["networks"]["items"]["lanip"] == "LAN address"
    assert "hosts" in nets["aliases"]["items"] and "ports" not in nets["aliases"]["items"]
    assert "bogons" in nets["aliases"]["items"] and "__lan_network" not in nets["aliases"]["items"]
    ports = api.get(f"{BASE}/listPortSelectOptions").json()
    assert ports["ports"]["items"]["https"] == "HTTPS (443)" and ports["aliases"]["items"] == {"ports": "ports"}
    ifaces = api.get(f"{BASE}/getInterfaceList").json()
    assert [i["value"] for i in ifaces["interfaces"]["items"]] == ["opt1", "lan", "wan"]
    assert ifaces["floating"]["items"] == [{"value": "__floating", "label": "Floating", "type": "floating"}]
    assert api.post(f"{BASE}/flushInspectCache").json() == {"status": "ok"}
    assert api.get(f"{BASE}/flushInspectCache").json() == {"status": "error", "message": "Invalid request method"}


# -- CSV -------------------------------------------------------------------------------------------


def test_download_and_upload_rules(api, sim):
    """firewall.md 1.1: `;` separated CSV, categories by name, `@uuid` as the import key."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "csvcat"}}).json()["uuid"]
    uuid = add_ok(api, categories=cat, description="csv rule", protocol="TCP", destination_port="22")
    r = api.get(f"{BASE}/downloadRules")
    assert r.headers["Content-Type"] == "text/csv"
    header, *lines = r.text.splitlines()
    assert header.startswith("@uuid;enabled;statetype;state-policy;sequence;action;")
    line = next(line for line in lines if line.startswith(uuid))
    assert ";csvcat;" in line and '"csv rule"' in line
    edited = r.text.replace('"csv rule"', '"csv edited"')
    body = api.post(f"{BASE}/uploadRules", json={"payload": edited}).json()
    assert body["validations"] == [] and body["updated"] == len(lines) and body["inserted"] == 0
    assert body["fieldnames"][0] == "@uuid"
    assert sim.state()["config"]["firewall.filter_rule"][uuid]["description"] == "csv edited"
    assert sim.state()["config"]["firewall.filter_rule"][uuid]["categories"] == cat
    assert api.post(f"{BASE}/uploadRules", json={}).json() == {"status": "failed"}


def test_upload_rules_reports_and_skips_bad_records(api, sim):
    new_uuid = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
    payload = f"@uuid;description;protocol;source_port\n{new_uuid};ok one;TCP;80\n;bad one;ICMP;80\nnot-a-uuid;x;TCP;\n"
    body = api.post(f"{BASE}/uploadRules", json={"payload": payload}).json()
    assert {"sequence": 2, "field": "@uuid", "message": "Invalid UUID offered (not-a-uuid)"} in body["validations"]
    assert {
        "sequence": 1,
        "message": "Source ports are only valid for tcp or udp type rules.",
        "field": "source_port",
    } in body["validations"]
    rules = sim.state()["config"]["firewall.filter_rule"]
    assert rules[new_uuid]["description"] == "ok one"
    assert not any(r["description"] == "bad one" for r in rules.values())
