"""Firewall aliases over HTTPS: search, get, add/set/del/toggle, names, content and helper lists."""

from __future__ import annotations

import pytest

BASE = "/api/firewall/alias"


def add(api, **fields):
    r = api.post(f"{BASE}/addItem", json={"alias": fields})
    assert r.status_code == 200, r.text
    return r.json()


def add_ok(api, **fields) -> str:
    body = add(api, **fields)
    assert body["result"] == "saved", body
    return body["uuid"]


def add_rule(api, **fields) -> str:
    r = api.post("/api/firewall/filter/addRule", json={"rule": fields})
    assert r.json()["result"] == "saved", r.text
    return r.json()["uuid"]


def rows(api, **body):
    r = api.post(f"{BASE}/searchItem", json=body or {"current": 1})
    assert r.status_code == 200, r.text
    return r.json()["rows"]


# -- search ----------------------------------------------------------------------------------------


def test_search_lists_builtin_aliases_with_name_ids(api):
    """firewall.md 2.4: static aliases and one __<if>_network per interface, their uuid is their name."""
    by_id = {r["uuid"]: r for r in rows(api)}
    for name in ("bogons", "bogonsv6", "virusprot", "sshlockout"):
        assert by_id[name]["type"] == "external" and by_id[name]["name"] == name
    assert by_id["virusprot"]["expire"] == "3600"
    lan = by_id["__lan_network"]
    assert lan["type"] == "internal" and lan["description"] == "LAN net" and lan["%type"] == "Internal (automatic)"
    assert by_id["__opt1_network"]["description"] == "DMZ net"


def test_search_row_shape_and_default_sort(api):
    """firewall.md 2.1: rows carry categories_uuid; the default sort is by name."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "web"}}).json()["uuid"]
    add_ok(api, name="zz_last", type="host", content="10.0.0.1", categories=cat)
    add_ok(api, name="Aaa", type="network", content="10.0.0.0/8")
    found = rows(api)
    names = [r["name"] for r in found]
    assert names == sorted(names, key=str.lower) or names.index("Aaa") < names.index("zz_last")
    row = next(r for r in found if r["name"] == "zz_last")
    assert row["categories_uuid"] == [cat] and row["%categories"] == "web"
    assert next(r for r in found if r["name"] == "Aaa")["categories_uuid"] == []


def test_search_type_and_category_filters_are_arrays(api):
    """firewall.md 2.1: `type`/`category` are matched with in_array, so they must be arrays."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "c1"}}).json()["uuid"]
    add_ok(api, name="p1", type="port", content="443")
    add_ok(api, name="h1", type="host", content="10.0.0.1", categories=cat)
    assert {r["name"] for r in rows(api, type=["port"])} == {"p1"}
    assert {r["name"] for r in rows(api, type=["external"])} == {"bogons", "bogonsv6", "virusprot", "sshlockout"}
    assert [r["name"] for r in rows(api, category=[cat])] == ["h1"]
    # A client sending the form-encoded array style.
    r = api.post(f"{BASE}/searchItem", data={"type[]": "port"})
    assert [x["name"] for x in r.json()["rows"]] == ["p1"]


@pytest.mark.parametrize("body", [{"type": "host"}, {"category": "abc"}])
def test_search_plain_string_filter_is_http_500(api, body):
    """firewall.md 2.1: a plain string makes PHP's in_array()/array_intersect() throw."""
    r = api.post(f"{BASE}/searchItem", json=body)
    assert r.status_code == 500
    assert r.json()["errorMessage"] == "Unexpected error, check log for details"


def test_builtin_aliases_inherit_fields_of_the_first_alias(api):
    """firewall.md 2.4 (per code, AliasField/ArrayField): built-ins are cloned from the template node,
    which is the first configured alias, so fields their payload does not set carry its values."""
    cat = api.post("/api/firewall/category/addItem", json={"category": {"name": "first"}}).json()["uuid"]
    add_ok(api, name="first_alias", type="geoip", content="NL", proto="IPv4", categories=cat)
    add_ok(api, name="second", type="host", content="10.0.0.1")
    by_id = {r["uuid"]: r for r in rows(api)}
    assert by_id["bogons"]["proto"] == "IPv4" and by_id["bogons"]["categories_uuid"] == [cat]
    assert by_id["bogons"]["type"] == "external" and by_id["bogons"]["content"] == ""
    assert by_id["__lan_network"]["expire"] == ""  # not in its payload, and empty on the first alias
    assert next(r for r in by_id.values() if r["name"] == "second")["categories_uuid"] == []


def test_search_authgroup_content_shows_group_names(api):
    """firewall.md 2.1: authgroup content is shown as group names in search rows."""
    add_ok(api, name="vpn_admins", type="authgroup", content="1999")
    row = next(r for r in rows(api) if r["name"] == "vpn_admins")
    assert row["content"] == "admins"


# -- get -------------------------------------------------------------------------------------------


def test_get_item_content_lists_every_alias_name(api):
    """firewall.md 2.1: own entries selected:1, every other alias name selected:0, names get a description."""
    add_ok(api, name="inner", type="host", content="10.0.0.1", description="the inner one")
    uuid = add_ok(api, name="outer", type="host", content="inner\n192.0.2.1")
    content = api.get(f"{BASE}/getItem/{uuid}").json()["alias"]["content"]
    assert content["192.0.2.1"] == {"value": "192.0.2.1", "selected": 1}
    assert content["inner"] == {"value": "inner", "selected": 1, "description": "the inner one"}
    assert content["bogons"] == {"selected": 0, "value": "bogons", "description": "bogon networks (internal)"}
    assert content["outer"]["selected"] == 0


def test_get_item_renders_option_fields(api):
    """generic.md 7: list fields come back as option maps; type's key is selected."""
    uuid = add_ok(api, name="n1", type="network", content="10.0.0.0/8", proto="IPv4")
    alias = api.get(f"{BASE}/getItem/{uuid}").json()["alias"]
    assert alias["type"]["network"] == {"value": "Network(s)", "selected": 1}
    assert alias["proto"] == {"IPv4": {"value": "IPv4", "selected": 1}, "IPv6": {"value": "IPv6", "selected": 0}}
    assert alias["interface"][""] == {"value": "None", "selected": 1}
    assert alias["name"] == "n1" and alias["enabled"] == "1" and alias["counters"] == "0"


def test_get_item_unknown_uuid_still_lists_alias_names(api):
    """firewall.md 2.1: per code an unknown uuid gives {"alias":{"content":{...}}} instead of []."""
    body = api.get(f"{BASE}/getItem/00000000-0000-4000-8000-000000000000").json()
    assert list(body) == ["alias"] and list(body["alias"]) == ["content"]
    assert body["alias"]["content"]["bogons"]["selected"] == 0


def test_get_item_without_uuid_gives_defaults(api):
    """firewall.md 2.2: a new alias starts with type `alert` (not an option) and enabled 1."""
    alias = api.get(f"{BASE}/getItem").json()["alias"]
    assert alias["enabled"] == "1"
    assert all(opt["selected"] == 0 for opt in alias["type"].values())
    assert alias["content"][""] == {"value": "", "selected": 1}


def test_get_alias_uuid(api):
    """firewall.md 2.1: {"uuid": ...} or [] when the name is unknown; built-ins answer their name."""
    uuid = add_ok(api, name="findme", type="host", content="10.0.0.1")
    assert api.get(f"{BASE}/getAliasUUID/findme").json() == {"uuid": uuid}
    assert api.get(f"{BASE}/get_alias_u_u_i_d/nothere").json() == []
    assert api.get(f"{BASE}/getAliasUUID/bogons").json() == {"uuid": "bogons"}


# -- names and types -------------------------------------------------------------------------------

NAME_REGEX_MSG = (
    "The name must start with a letter or single underscore, be less than 32 characters and only consist of "
    "alphanumeric characters or underscores."
)


@pytest.mark.parametrize(
    "name,message",
    [
        ("1abc", NAME_REGEX_MSG),
        ("__x", NAME_REGEX_MSG),
        ("a" * 32, NAME_REGEX_MSG),
        ("my-alias", NAME_REGEX_MSG),
        ("table", 'The name cannot be the internally reserved keyword "%s".'),
        ("ssh", "Reserved protocol or service names may not be used"),
        ("https", "Reserved protocol or service names may not be used"),
        ("TCP", "Reserved protocol or service names may not be used"),
        ("bogons", "An alias with this name already exists."),
    ],
)
def test_name_rules(api, name, message):
    """firewall.md 2.2: name regex, pf reserved words (the %s is not filled in), service/protocol names, uniqueness."""
    body = add(api, name=name, type="host", content="10.0.0.1")
    assert body["result"] == "failed"
    got = body["validations"]["alias.name"]
    assert message in (got if isinstance(got, list) else [got])


def test_name_accepts_single_letter_and_underscore_prefix(api):
    """firewall.md 2.2: one letter, or a single leading underscore, up to 31 characters."""
    add_ok(api, name="a", type="host", content="10.0.0.1")
    add_ok(api, name="_x", type="host", content="10.0.0.1")
    add_ok(api, name="b" * 31, type="host", content="10.0.0.1")


def test_duplicate_name(api):
    """firewall.md 2.2: UniqueConstraint message."""
    add_ok(api, name="dup", type="host", content="10.0.0.1")
    assert add(api, name="dup", type="host", content="10.0.0.2")["validations"] == {
        "alias.name": "An alias with this name already exists."
    }


def test_type_is_effectively_required(api):
    """firewall.md 2.2: the default `alert` is not an option, so a missing type fails."""
    body = add(api, name="notype", content="10.0.0.1")
    assert body == {"result": "failed", "validations": {"alias.type": "Option [] not in list."}}


# -- content by type -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "type_,good,bad,message",
    [
        (
            "host",
            "10.0.0.1\n10.0.0.1-10.0.0.9\n!10.0.0.5\nwww.example.com\nbogons",
            "10.0.0.1-foo",
            'Entry "%s" is not a valid hostname, IP address or range.',
        ),
        (
            "network",
            "10.0.0.0/8\n!10.1.0.0/16\n10.0.0.1-10.0.0.9\n10.0.0.0/255.0.255.0\n2001:db8::/32",
            "10.0.0.0/33",
            'Entry "%s" is not a network.',
        ),
        ("port", "80\n1000:2000\nhttps\nwww", "80-90", 'Entry "%s" is not a valid port number.'),
        ("networkgroup", "bogons\n__lan_network", "nosuchalias", 'Entry "%s" is not a valid alias.'),
        ("geoip", "NL\nEU\nUS", "XX", 'Entry "%s" is not a valid country code.'),
        ("mac", "00:11:22:33:44:55\n00:11", "00", 'Entry "%s" is not a valid (partial) MAC address.'),
        ("asn", "1\n4294967296", "0", 'Entry "%s" is not a valid ASN.'),
        ("authgroup", "1999", "42", 'Entry "%s" is not a valid group id.'),
    ],
)
def test_content_validation_per_type(api, type_, good, bad, message):
    """firewall.md 2.2: each newline separated entry is checked by the alias type."""
    add_ok(api, name=f"ok_{type_}", type=type_, content=good)
    body = add(api, name=f"bad_{type_}", type=type_, content=bad)
    assert body["validations"] == {"alias.content": message % bad}


def test_content_several_bad_entries_give_a_list(api):
    """generic.md 4: several different messages on one field become an array."""
    body = add(api, name="twobad", type="port", content="80\nx1\nx2")
    assert body["validations"]["alias.content"] == [
        'Entry "x1" is not a valid port number.',
        'Entry "x2" is not a valid port number.',
    ]


@pytest.mark.parametrize("type_", ["url", "urltable", "urljson", "external"])
def test_content_unvalidated_types(api, type_):
    """firewall.md 2.2: url, urltable, urljson, internal and external content is not validated."""
    add_ok(api, name=f"x_{type_}", type=type_, content="anything goes here\n!!")


def test_dynipv6host_needs_interface_and_suffix(api):
    """firewall.md 2.2: dynipv6host requires an interface; entries are partial IPv6 addresses."""
    body = add(api, name="dyn", type="dynipv6host", content="::1000")
    assert body["validations"] == {"alias.interface": "IPv6 Dynamic Host require an interface to track."}
    add_ok(api, name="dyn", type="dynipv6host", content="::1000", interface="lan")
    bad = add(api, name="dyn2", type="dynipv6host", content="zz", interface="lan")
    assert bad["validations"] == {
        "alias.content": 'Entry "zz" is not a valid partial ipv6 address definition (e.g. ::1000).'
    }


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"authtype": "Basic", "username": "u"}, "Please provide a username and password when Basic auth is selected"),
        ({"authtype": "Bearer"}, "Please provide an API token when Bearer auth is selected"),
        ({"authtype": "Bearer", "password": "bad token"}, "Illegal characters in token"),
        ({"authtype": "Bearer", "password": "x" * 513}, "Invalid token length"),
        (
            {"authtype": "Header", "username": "X-Key"},
            "Please provide a header key and value when Header auth is selected",
        ),
        ({"authtype": "Header", "username": "k" * 256, "password": "v"}, "Invalid key length"),
        ({"authtype": "Header", "username": "X Key", "password": "v"}, "Illegal characters in key"),
        ({"authtype": "Header", "username": "X-Key", "password": "v/v"}, "Illegal characters in value"),
    ],
)
def test_authtype_rules(api, fields, message):
    """firewall.md 2.2: authtype errors are all reported on alias.authtype."""
    body = add(api, name="remote", type="urltable", content="https://example.com/list", **fields)
    assert body["validations"] == {"alias.authtype": message}


def test_authtype_basic_ok(api):
    add_ok(
        api,
        name="remote",
        type="urltable",
        content="https://example.com/list",
        authtype="Basic",
        username="u",
        password="p",
    )


@pytest.mark.parametrize(
    "fields,key,message",
    [
        ({"expire": "59"}, "alias.expire", "Invalid integer value."),
        ({"expire": "1000000000"}, "alias.expire", "Invalid integer value."),
        ({"updatefreq": "daily"}, "alias.updatefreq", "Days and hours should be numeric values or left empty."),
        ({"proto": "IPv4,IPv5"}, "alias.proto", "Option [IPv5] not in list."),
        ({"interface": "lan9"}, "alias.interface", "Option [] not in list."),
        ({"categories": "00000000-0000-4000-8000-000000000000"}, "alias.categories", "Related category not found."),
        (
            {"description": "x" * 256},
            "alias.description",
            "Description should be a string between 1 and 255 characters.",
        ),
    ],
)
def test_other_field_rules(api, fields, key, message):
    """firewall.md 2.2: expire 60-999999999, numeric updatefreq, proto options, existing categories."""
    body = add(api, name="other", type="geoip", content="NL", **fields)
    assert body["validations"] == {key: message}


def test_other_fields_accept_valid_values(api):
    uuid = add_ok(api, name="geo", type="geoip", content="NL", proto="IPv4,IPv6", expire=60, updatefreq="0.5")
    stored = api.get(f"{BASE}/getItem/{uuid}").json()["alias"]
    assert stored["expire"] == "60" and stored["updatefreq"] == "0.5"


# -- set, rename, delete, toggle -------------------------------------------------------------------


def test_set_item_partial_update_and_upsert(api):
    """generic.md 4: partial set; an unknown lowercase UUIDv4 creates the item under that uuid."""
    uuid = add_ok(api, name="upd", type="host", content="10.0.0.1", description="one")
    assert api.post(f"{BASE}/setItem/{uuid}", json={"alias": {"description": "two"}}).json() == {"result": "saved"}
    alias = api.get(f"{BASE}/getItem/{uuid}").json()["alias"]
    assert alias["description"] == "two" and "10.0.0.1" in alias["content"]
    new = "3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    assert api.post(
        f"{BASE}/set_item/{new}", json={"alias": {"name": "up2", "type": "host", "content": "10.0.0.2"}}
    ).json() == {"result": "saved"}
    assert api.get(f"{BASE}/getAliasUUID/up2").json() == {"uuid": new}
    assert api.post(f"{BASE}/setItem/not-a-uuid", json={"alias": {"name": "x"}}).json() == {"result": "failed"}


def test_rename_rewrites_rule_and_nested_references(api, sim):
    """firewall.md 2.1: a rename rewrites filter rule source/destination net/port and nested alias content."""
    net = add_ok(api, name="oldnet", type="network", content="10.0.0.0/8")
    ports = add_ok(api, name="oldports", type="port", content="80\n443")
    group = add_ok(api, name="grp", type="networkgroup", content="oldnet\nbogons")
    geo = add_ok(api, name="geo", type="geoip", content="NL")
    rule = add_rule(api, source_net="oldnet", destination_net="lan", protocol="TCP", destination_port="oldports")
    assert api.post(f"{BASE}/setItem/{net}", json={"alias": {"name": "newnet"}}).json() == {"result": "saved"}
    assert api.post(f"{BASE}/setItem/{ports}", json={"alias": {"name": "newports"}}).json() == {"result": "saved"}
    config = sim.state()["config"]
    stored = config["firewall.filter_rule"][rule]
    assert stored["source_net"] == "newnet" and stored["destination_port"] == "newports"
    assert config["firewall.alias"][group]["content"] == "newnet\nbogons"
    assert config["firewall.alias"][geo]["content"] == "NL"


def test_failed_rename_changes_nothing(api, sim):
    """firewall.md 2.1: the rewrite is part of the same save, so a failed validation keeps the references."""
    net = add_ok(api, name="keepnet", type="network", content="10.0.0.0/8")
    rule = add_rule(api, source_net="keepnet")
    body = api.post(f"{BASE}/setItem/{net}", json={"alias": {"name": "bad name"}}).json()
    assert body["result"] == "failed"
    assert sim.state()["config"]["firewall.filter_rule"][rule]["source_net"] == "keepnet"


def test_delete_in_use_by_rule_is_http_500(api):
    """firewall.md 2.1, 2.3: "Alias in use" with one "[<reference>] <description>" line per use."""
    used = add_ok(api, name="used", type="host", content="10.0.0.1", description="a host")
    add_rule(api, source_net="used", destination_net="used", description="my rule")
    add_ok(api, name="nest", type="networkgroup", content="used", description="nested")
    r = api.post(f"{BASE}/delItem/{used}")
    assert r.status_code == 500
    body = r.json()
    assert body["errorTitle"] == "Alias in use"
    index = 2  # the two factory LAN rules come first
    nest_uuid = api.get(f"{BASE}/getAliasUUID/nest").json()["uuid"]
    assert body["errorMessage"] == (
        "Cannot delete alias used. Currently in use by "
        f"\n[OPNsense.Firewall.Filter.rules.rule.{index}/source_net] "
        f"\n[OPNsense.Firewall.Filter.rules.rule.{index}/destination_net] "
        f"\n[aliases.alias.{nest_uuid}] nested"
    )
    # The usage check runs before the POST check.
    assert api.get(f"{BASE}/delItem/{used}").status_code == 500


def test_delete_geoip_and_urltable_content_does_not_count(api):
    """firewall.md 2.3: geoip and urltable aliases are not searched for nested names."""
    uuid = add_ok(api, name="plain", type="host", content="10.0.0.1")
    add_ok(api, name="tbl", type="urltable", content="plain")
    assert api.post(f"{BASE}/delItem/{uuid}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/delItem/{uuid}").json() == {"result": "not found"}


def test_delete_requires_post_and_lists(api):
    """generic.md 4: GET deletes nothing; a comma list deletes each (26.1.3+)."""
    a = add_ok(api, name="d1", type="host", content="10.0.0.1")
    b = add_ok(api, name="d2", type="host", content="10.0.0.2")
    assert api.get(f"{BASE}/delItem/{a}").json() == {"result": "failed"}
    assert api.post(f"{BASE}/delitem/{a},{b}").json() == {"result": "deleted"}
    assert api.get(f"{BASE}/getAliasUUID/d2").json() == []


def test_toggle_item(api):
    """generic.md 4: toggle flips enabled; an explicit value reports whether it changed."""
    uuid = add_ok(api, name="tog", type="host", content="10.0.0.1")
    assert api.post(f"{BASE}/toggleItem/{uuid}").json() == {"result": "Disabled", "changed": True}
    assert api.post(f"{BASE}/toggle_item/{uuid}/0").json() == {"result": "Disabled", "changed": False}
    assert api.post(f"{BASE}/toggleItem/{uuid}/1").json() == {"result": "Enabled", "changed": True}


# -- client styles ---------------------------------------------------------------------------------


def test_json_types_and_null_are_cast(api):
    """generic.md 3/4: true -> "1", numbers -> text, null leaves the default."""
    uuid = add_ok(
        api, name="typed", type="host", content="10.0.0.1", enabled=True, counters=False, expire=3600, description=None
    )
    alias = api.get(f"{BASE}/getItem/{uuid}").json()["alias"]
    assert alias["enabled"] == "1" and alias["expire"] == "3600" and alias["description"] == ""
    # false casts to "" and fails the required boolean
    body = add(api, name="typed2", type="host", content="10.0.0.1", enabled=False)
    assert body["validations"] == {"alias.enabled": "A value is required."}


def test_form_encoded_add(api):
    """generic.md 2: application/x-www-form-urlencoded bodies work too."""
    r = api.post(f"{BASE}/addItem", data={"alias[name]": "formed", "alias[type]": "host", "alias[content]": "10.0.0.1"})
    assert r.json()["result"] == "saved"
    assert api.get(f"{BASE}/getAliasUUID/formed").json()["uuid"] == r.json()["uuid"]


def test_list_value_for_single_field_is_http_500(api):
    """generic.md 4: a JSON array for a single-value field throws."""
    r = api.post(f"{BASE}/addItem", json={"alias": {"name": "arr", "type": "host", "content": ["10.0.0.1"]}})
    assert r.status_code == 500


# -- helper lists ----------------------------------------------------------------------------------


def test_list_categories_counts_aliases(api):
    """firewall.md 2.1: used counts aliases per category; rows sorted by name."""
    c1 = api.post("/api/firewall/category/addItem", json={"category": {"name": "zeta", "color": "ff0000"}}).json()[
        "uuid"
    ]
    c2 = api.post("/api/firewall/category/addItem", json={"category": {"name": "alpha"}}).json()["uuid"]
    add_ok(api, name="a0", type="host", content="10.0.0.9")  # first alias: built-ins copy its (empty) categories
    add_ok(api, name="a1", type="host", content="10.0.0.1", categories=f"{c1},{c2}")
    add_ok(api, name="a2", type="host", content="10.0.0.2", categories=c1)
    assert api.get(f"{BASE}/listCategories").json() == {
        "rows": [
            {"uuid": c2, "name": "alpha", "color": "", "used": 1},
            {"uuid": c1, "name": "zeta", "color": "ff0000", "used": 2},
        ]
    }


def test_list_network_aliases_skips_external_and_port(api):
    """firewall.md 2.1: every alias except external and port types."""
    add_ok(api, name="n1", type="network", content="10.0.0.0/8", description="nets")
    add_ok(api, name="p1", type="port", content="80")
    listed = api.get(f"{BASE}/listNetworkAliases").json()
    assert listed["n1"] == {"name": "n1", "description": "nets"}
    assert "p1" not in listed and "bogons" not in listed
    assert listed["__lan_network"] == {"name": "__lan_network", "description": "LAN net"}


def test_countries_and_groups(api):
    """firewall.md 2.1: ISO code -> {name, region}; gid -> {name, gid}."""
    countries = api.get(f"{BASE}/listCountries").json()
    assert countries["EU"] == {"name": "Unclassified", "region": "Europe"}
    assert countries["NL"] == {"name": "Netherlands", "region": "Europe"}
    assert api.get(f"{BASE}/listUserGroups").json() == {"1999": {"name": "admins", "gid": "1999"}}


def test_geoip_settings(api):
    """firewall.md 2.1: getGeoIP (GET) and the whole-model set of geoip.url."""
    assert api.get(f"{BASE}/getGeoIP").json()["alias"]["geoip"]["url"] == ""
    url = "https://example.com/GeoLite2.zip"
    assert api.post(f"{BASE}/set", json={"alias": {"geoip": {"url": url}}}).json() == {"result": "saved"}
    add_ok(api, name="geo", type="geoip", content="NL")
    geo = api.get(f"{BASE}/getGeoIP").json()["alias"]["geoip"]
    assert geo["url"] == url and geo["usages"] == 1
    assert api.post(f"{BASE}/set", json={"alias": {"geoip": {"url": "not a url"}}}).json() == {
        "result": "failed",
        "validations": {"alias.geoip.url": "Invalid URL."},
    }


def test_list_updates(api):
    """firewall.md 2.1: update/<geoip|bogons> (POST) answers with a status and message."""
    assert api.post(f"{BASE}/update/bogons").json() == {"status": "ok", "message": "Update completed"}
    assert api.post(f"{BASE}/update/other").json() == {"status": "failed", "message": "Error updating action"}
    assert api.get(f"{BASE}/update/geoip").json() == {"status": "failed", "message": "Error updating action"}


def test_whole_model_get_includes_builtins(api):
    uuid = add_ok(api, name="whole", type="host", content="10.0.0.1")
    model = api.get(f"{BASE}/get").json()["alias"]
    assert model["geoip"] == {"url": ""}
    assert uuid in model["aliases"]["alias"] and "bogons" in model["aliases"]["alias"]
    assert api.post(f"{BASE}/get").json() == []


# -- reconfigure -----------------------------------------------------------------------------------


def test_reconfigure_makes_aliases_and_rules_live(api, sim):
    """firewall.md 2.1: reconfigure runs a filter reload too, so both go live."""
    add_ok(api, name="live", type="host", content="10.0.0.1")
    add_rule(api, source_net="live")
    assert set(sim.state()["pending"]) >= {"firewall.alias", "firewall.filter_rule"}
    assert api.get(f"{BASE}/reconfigure").json() == {"status": "failed"}
    assert api.post(f"{BASE}/reconfigure").json() == {"status": "ok"}
    state = sim.state()
    assert state["running"]["firewall.alias"] == state["config"]["firewall.alias"]
    assert state["running"]["firewall.filter_rule"] == state["config"]["firewall.filter_rule"]
    assert "firewall.alias" not in state["pending"] and "firewall.filter_rule" not in state["pending"]
