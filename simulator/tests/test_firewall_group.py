"""Interface groups over HTTPS: /api/firewall/group/ (services/firewall/FACTS.md "Interface groups")."""

from __future__ import annotations

BASE = "/api/firewall/group"
FILTER = "/api/firewall/filter"


def add(api, **group):
    return api.post(f"{BASE}/addItem", json={"group": group}).json()


def added(api, **group) -> str:
    body = add(api, **group)
    assert body["result"] == "saved", body
    return body["uuid"]


def test_search_lists_static_children_and_defaults(api):
    uuid = added(api, ifname="servers", members="lan,opt1", descr="Server nets")
    rows = {r["uuid"]: r for r in api.get(f"{BASE}/searchItem").json()["rows"]}
    assert set(rows) == {uuid, "openvpn", "enc0", "wireguard"}
    assert rows[uuid]["sequence"] == "0" and rows[uuid]["nogroup"] == "0"
    assert rows[uuid]["members"] == "lan,opt1"
    # Static children are cloned from the first group: they carry its members.
    assert rows["openvpn"]["sequence"] == "10" and rows["openvpn"]["members"] == "lan,opt1"
    assert api.get(f"{BASE}/getItem/enc0").json()["group"]["descr"] == "IPsec encapsulation"


def test_name_checks(api):
    body = add(api, ifname="1bad-name", members="lan")
    assert body["validations"]["group.ifname"] == [
        "Only letters, digits and underscores are allowed as the group name.",
        "The group name shall not start or end with a digit.",
    ]
    assert add(api, ifname="abcdefghijklmnop", members="lan")["validations"] == {
        "group.ifname": "The group name shall not be longer than 15 characters."
    }
    # `$cnf->$value`: a top-level config.xml section, not an interface key ("lan" is accepted).
    assert add(api, ifname="system", members="lan")["validations"] == {
        "group.ifname": "The specified group name is already used by an interface. Please choose another name."
    }
    assert add(api, ifname="lan", members="lan")["result"] == "saved"
    assert add(api, ifname="openvpn", members="lan")["validations"] == {"group.ifname": "Group name already exists."}
    body = add(api, ifname="", members="", sequence="10000")
    assert body["validations"] == {
        "group.ifname": "A value is required.",
        "group.members": "A value is required.",
        "group.sequence": "Provide a valid sequence number for sorting.",
    }


def test_group_usable_as_interface_after_reconfigure(api, sim):
    added(api, ifname="servers", members="lan,opt1")
    rule = {"rule": {"interface": "servers", "description": "on group"}}
    failed = api.post(f"{FILTER}/addRule", json=rule).json()
    assert failed["result"] == "failed" and "rule.interface" in failed["validations"]
    assert api.get(f"{BASE}/reconfigure").json() == {"status": "failed"}
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    body = api.post(f"{FILTER}/addRule", json=rule).json()
    assert body["result"] == "saved", body
    stored = api.get(f"{FILTER}/getRule/{body['uuid']}").json()["rule"]["interface"]
    assert stored["servers"] == {"value": "servers", "selected": 1}
    # reconfigure also reloads the filter (configd `filter reload skip_alias`).
    assert "firewall.group" not in sim.state()["pending"]
    groups = api.get(f"{FILTER}/getInterfaceList").json()["groups"]["items"]
    assert groups == [{"value": "servers", "label": "servers", "type": "group"}]
    row = next(r for r in api.get(f"{FILTER}/searchRule").json()["rows"] if r.get("uuid") == body["uuid"])
    assert row["prio_group"] == "300000"


def test_delete_in_use_and_rename_refactors_rules(api):
    uuid = added(api, ifname="servers", members="lan")
    api.post(f"{BASE}/reconfigure")
    rule = api.post(f"{FILTER}/addRule", json={"rule": {"interface": "servers", "description": "x"}}).json()["uuid"]
    answer = api.post(f"{BASE}/delItem/{uuid}")
    assert answer.status_code == 500
    assert answer.json()["errorTitle"] == "Group in use"
    assert answer.json()["errorMessage"] == (
        f"Cannot delete group. Currently in use by \n[OPNsense.Firewall.Filter.rules.rule.{rule}] "
    )
    assert api.post(f"{BASE}/setItem/{uuid}", json={"group": {"ifname": "farm"}}).json() == {"result": "saved"}
    assert "farm" in api.get(f"{FILTER}/getRule/{rule}").json()["rule"]["interface"]
    stored = api.get(f"{FILTER}/getRule/{rule}").json()["rule"]["interface"]
    assert stored["farm"]["selected"] == 1
    assert api.post(f"{FILTER}/delRule/{rule}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delItem/{uuid}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delItem/openvpn").json() == {"result": "not found"}


def test_registered_group_is_a_network(api):
    """NetworkAliasField.php and getNetworks() list every config.xml interface, registered groups too."""
    added(api, ifname="servers", members="lan")
    rule = {"rule": {"source_net": "servers", "description": "from group"}}
    assert api.post(f"{FILTER}/addRule", json=rule).json()["result"] == "failed"
    api.post(f"{BASE}/reconfigure")
    uuid = api.post(f"{FILTER}/addRule", json=rule).json()["uuid"]
    stored = api.get(f"{FILTER}/getRule/{uuid}").json()["rule"]
    assert stored["%source_net"] == "servers net"
    row = next(r for r in api.get(f"{FILTER}/searchRule").json()["rows"] if r.get("uuid") == uuid)
    assert row["alias_meta_source_net"][0]["%value"] == "servers network"


def test_port_forward_on_a_group(api):
    """Group::ruleIterator() walks the legacy nat/rule section, where port forwards live."""
    uuid = added(api, ifname="edge", members="wan")
    api.post(f"{BASE}/reconfigure")
    body = {"rule": {"interface": "edge", "descr": "fwd", "destination": {"network": "edge"}}}
    rule = api.post("/api/firewall/d_nat/addRule", json=body).json()["uuid"]
    answer = api.post(f"{BASE}/delItem/{uuid}")
    assert answer.json()["errorMessage"] == f"Cannot delete group. Currently in use by \n[nat.rule.{rule}] fwd"
    assert api.post(f"{BASE}/setItem/{uuid}", json={"group": {"ifname": "border"}}).json() == {"result": "saved"}
    stored = api.get(f"/api/firewall/d_nat/getRule/{rule}").json()["rule"]
    assert stored["interface"]["border"]["selected"] == 1 and stored["destination"]["network"] == "border"
