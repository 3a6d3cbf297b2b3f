"""Unbound host overrides and aliases over HTTPS: /api/unbound/ (interfaces-and-services.md 4)."""

from __future__ import annotations

import pytest

BASE = "/api/unbound/settings"
UNKNOWN = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"


def add_host(api, **host):
    return api.post(f"{BASE}/add_host_override", json={"host": host}).json()


def host_uuid(api, **host) -> str:
    body = add_host(api, **{"domain": "example.com", "server": "192.0.2.10", **host})
    assert body["result"] == "saved", body
    return body["uuid"]


def add_alias(api, **alias):
    return api.post(f"{BASE}/add_host_alias", json={"alias": alias}).json()


def test_add_get_and_search_a_host_override(api):
    """interfaces-and-services.md 4: defaults enabled=1, rr=A, addptr=1; search rows carry isAlias false."""
    uuid = host_uuid(api, hostname="www")
    host = api.get(f"{BASE}/get_host_override/{uuid}").json()["host"]
    assert (host["enabled"], host["addptr"], host["hostname"], host["server"]) == ("1", "1", "www", "192.0.2.10")
    assert host["rr"]["A"] == {"value": "A (IPv4 address)", "selected": 1}
    (row,) = api.get(f"{BASE}/search_host_override").json()["rows"]
    assert row["uuid"] == uuid and row["isAlias"] is False and "_children" not in row
    assert row["%rr"] == "A (IPv4 address)"


@pytest.mark.parametrize(
    "fields,errors",
    [
        ({"domain": ""}, {"host.domain": "A value is required."}),
        ({"domain": "bad_domain.com"}, {"host.domain": "A valid domain must be specified."}),
        ({"domain": "-x.com"}, {"host.domain": "A valid domain must be specified."}),
        ({"hostname": "www."}, {"host.hostname": "A valid hostname must be specified."}),
        ({"hostname": "192.0.2.1"}, {"host.hostname": "A valid hostname must be specified."}),
        ({"hostname": "a b"}, {"host.hostname": "A valid hostname must be specified."}),
        ({"hostname": "*.www"}, {"host.hostname": "A valid hostname must be specified."}),
        ({"server": ""}, {"host.server": "The field IP address is required."}),
        ({"rr": "AAAA", "server": ""}, {"host.server": "The field IP address is required."}),
        ({"server": "192.0.2.1/24"}, {"host.server": "Please specify a valid network segment or IP address."}),
        ({"server": "not-an-ip"}, {"host.server": "Please specify a valid network segment or IP address."}),
        (
            {"rr": "MX", "server": ""},
            {"host.mxprio": "The field MX Priority is required.", "host.mx": "The field MX Host is required."},
        ),
        ({"rr": "TXT", "server": ""}, {"host.txtdata": "The field TXT Data is required."}),
        ({"rr": "SRV"}, {"host.rr": "Option [] not in list."}),
        ({"ttl": -1}, {"host.ttl": "Invalid integer value."}),
        (
            {"rr": "MX", "mxprio": 10, "mx": "mail_1.example.com"},
            {"host.mx": "[mail_1.example.com] is not a valid IP address or hostname."},
        ),
    ],
)
def test_host_override_rules(api, fields, errors):
    """interfaces-and-services.md 4: field rules and their exact messages."""
    body = add_host(api, **{"hostname": "www", "domain": "example.com", "server": "192.0.2.10", **fields})
    assert body == {"result": "failed", "validations": errors}


@pytest.mark.parametrize(
    "fields",
    [
        {"hostname": "*"},
        {"hostname": ""},
        {"hostname": "under_score"},  # RFC 2181 names (IsDNSName) allow more than letters and digits
        {"domain": "Example.COM"},
        {"rr": "AAAA", "server": "2001:db8::10"},
        {"rr": "MX", "server": "", "mxprio": 10, "mx": "mail.example.com."},
        {"rr": "TXT", "server": "", "txtdata": "v=spf1 -all"},
        {"ttl": 2147483647},
    ],
)
def test_host_override_accepts(api, fields):
    """interfaces-and-services.md 4: wildcard and empty hostnames, each record type with its data."""
    assert (
        add_host(api, **{"hostname": "www", "domain": "example.com", "server": "192.0.2.10", **fields})["result"]
        == "saved"
    )


def test_server_mask_is_allowed_on_26_1(api, sim):
    """interfaces-and-services.md 4: NetMaskAllowed=N on `server` arrived with 26.7 (26.1.11 accepts a mask)."""
    sim.reset("26.1")
    assert add_host(api, hostname="net", domain="example.com", server="192.0.2.0/24")["result"] == "saved"


def test_aliases_nest_under_their_host_and_go_with_it(api):
    """interfaces-and-services.md 4: `_children` with isAlias true; deleting a host deletes its aliases."""
    uuid = host_uuid(api, hostname="www")
    other = host_uuid(api, hostname="db")
    a1 = add_alias(api, host=uuid, hostname="web")["uuid"]
    add_alias(api, host=uuid, hostname="", domain="example.org")
    kept = add_alias(api, host=other, hostname="sql")["uuid"]
    rows = {r["uuid"]: r for r in api.get(f"{BASE}/search_host_override").json()["rows"]}
    children = rows[uuid]["_children"]
    assert [c["isAlias"] for c in children] == [True, True]
    assert children[0]["uuid"] == a1 and children[0]["hostname"] == "web" and "aliases" not in children[0]
    assert children[0]["server"] == "192.0.2.10"  # a child repeats its host's other fields
    assert rows[uuid]["aliases"] == "web.example.com,example.org"
    assert api.post(f"{BASE}/del_host_override/{uuid}").json() == {"result": "deleted"}
    left = api.get(f"{BASE}/search_host_alias").json()["rows"]
    assert [r["uuid"] for r in left] == [kept]


def test_host_alias_rules(api):
    """interfaces-and-services.md 4: alias `host` is a host uuid; hostname or domain is required."""
    uuid = host_uuid(api, hostname="www")
    body = add_alias(api, host=uuid)
    assert body["validations"] == {
        "alias.hostname": "The host field is required if a domain has not been specified.",
        "alias.domain": "The domain field is required if a host has not been specified.",
    }
    assert add_alias(api, host=UNKNOWN, hostname="x")["validations"] == {"alias.host": "Option [] not in list."}
    assert add_alias(api, hostname="x")["validations"] == {"alias.host": "A value is required."}
    assert add_alias(api, host=uuid, domain="bad_domain")["validations"] == {
        "alias.domain": "A valid domain must be specified."
    }


def test_host_alias_crud_and_filter(api):
    uuid = host_uuid(api, hostname="www")
    other = host_uuid(api, hostname="db")
    alias = add_alias(api, host=uuid, hostname="web", description="first")["uuid"]
    add_alias(api, host=other, hostname="sql")
    got = api.get(f"{BASE}/get_host_alias/{alias}").json()["alias"]
    assert got["host"][uuid] == {"value": "www.example.com", "selected": 1}
    assert api.get(f"{BASE}/search_host_alias?host={uuid}").json()["total"] == 1
    row = api.get(f"{BASE}/search_host_alias?host={uuid}").json()["rows"][0]
    assert row["%host"] == "www.example.com"
    blank = api.get(f"{BASE}/get_host_alias?host={other}").json()["alias"]
    assert blank["host"][other]["selected"] == 1 and blank["host"][uuid]["selected"] == 0
    assert api.post(f"{BASE}/set_host_alias/{alias}", json={"alias": {"hostname": "web2"}}).json() == {
        "result": "saved"
    }
    assert api.post(f"{BASE}/toggle_host_alias/{alias}").json() == {"result": "Disabled", "changed": True}
    assert api.post(f"{BASE}/del_host_alias/{alias}").json() == {"result": "deleted"}


def test_aliases_field_of_a_host_adds_and_removes_linked_aliases(api):
    """Unbound.xml `aliases` (AliasReflector): a comma list; a domain equal to the host's is stored empty."""
    uuid = host_uuid(api, hostname="www", aliases="a.example.com,b.example.org")
    aliases = api.get(f"{BASE}/search_host_alias").json()["rows"]
    assert [(a["hostname"], a["domain"]) for a in aliases] == [("a", ""), ("b", "example.org")]
    host = api.get(f"{BASE}/get_host_override/{uuid}").json()["host"]
    assert host["aliases"] == {
        "a.example.com": {"value": "a.example.com", "selected": 1},
        "b.example.org": {"value": "b.example.org", "selected": 1},
    }
    r = api.post(f"{BASE}/set_host_override/{uuid}", json={"host": {"aliases": "b.example.org,c.example.com"}})
    assert r.json() == {"result": "saved"}
    aliases = api.get(f"{BASE}/search_host_alias").json()["rows"]
    assert sorted(a["hostname"] for a in aliases) == ["b", "c"]
    bad = api.post(f"{BASE}/set_host_override/{uuid}", json={"host": {"aliases": "ok.example.com,bad name"}})
    assert bad.json() == {
        "result": "failed",
        "validations": {"host.aliases": "[bad name] is not a valid host/domain name."},
    }
    blank = api.get(f"{BASE}/get_host_override").json()["host"]
    assert blank["aliases"] == {"": {"value": "", "selected": 1}}


def test_toggle_host_override(api):
    uuid = host_uuid(api, hostname="www")
    assert api.post(f"{BASE}/toggle_host_override/{uuid}").json() == {"result": "Disabled", "changed": True}
    assert api.post(f"{BASE}/toggle_host_override/{uuid}/1").json() == {"result": "Enabled", "changed": True}
    assert api.get(f"{BASE}/get_host_override/{uuid}").json()["host"]["enabled"] == "1"


def test_unknown_actions_answer_an_empty_200(api):
    """interfaces-and-services.md 4 / generic.md 1: the controller's __call accepts any action name."""
    for path in (f"{BASE}/no_such_action", f"{BASE}/searchdot", f"{BASE}/x/y/z"):
        r = api.get(path)
        assert (r.status_code, r.text) == (200, "")
    assert api.get("/api/unbound/service/no_such_action").status_code == 404
    r = api.get(f"{BASE}/no_such_action", auth=("bad", "key"))
    assert r.status_code == 401  # still authenticated first


def test_service_reconfigure_and_status(api, sim):
    """interfaces-and-services.md 4: POST /api/unbound/service/reconfigure -> {"status":"ok"}."""
    uuid = host_uuid(api, hostname="www")
    assert "unbound.host" in sim.state()["pending"]
    assert api.get("/api/unbound/service/reconfigure").json() == {"status": "failed"}
    assert api.post("/api/unbound/service/reconfigure").json() == {"status": "ok"}
    state = sim.state()
    assert uuid in state["running"]["unbound.host"] and "unbound.host" not in state["pending"]
    assert api.get("/api/unbound/service/status").json()["status"] == "running"


def test_whole_model_get_and_enabled_flag(api):
    """generic.md 4: whole-model get; the resolver is enabled on a fresh install."""
    uuid = host_uuid(api, hostname="www")
    tree = api.get(f"{BASE}/get").json()["unbound"]
    assert tree["general"]["enabled"] == "1"
    assert tree["hosts"]["host"][uuid]["hostname"] == "www"
    r = api.post(f"{BASE}/set", json={"unbound": {"general": {"enabled": "0"}}})
    assert r.json() == {"result": "saved"}
    api.post("/api/unbound/service/reconfigure")
    assert api.get("/api/unbound/service/status").json()["status"] == "disabled"


@pytest.mark.parametrize("action", ["addHostOverride", "add_host_override", "addhostoverride"])
def test_action_name_styles(api, action):
    """interfaces-and-services.md 4: narrow ACLs use snake_case; the router accepts every style."""
    body = {"host": {"hostname": "x", "domain": "example.com", "server": "192.0.2.1"}}
    assert api.post(f"{BASE}/{action}", json=body).json()["result"] == "saved"


def test_client_value_styles(api):
    """generic.md 2-3: form bodies, JSON numbers and booleans."""
    r = api.request(
        "POST",
        f"{BASE}/addHostOverride",
        data={
            "host[hostname]": "mail",
            "host[domain]": "example.com",
            "host[rr]": "MX",
            "host[mxprio]": "5",
            "host[mx]": "mx.example.com",
        },
    )
    uuid = r.json()["uuid"]
    r = api.post(f"{BASE}/setHostOverride/{uuid}", json={"host": {"mxprio": 20, "addptr": True, "ttl": None}})
    assert r.json() == {"result": "saved"}
    host = api.get(f"{BASE}/getHostOverride/{uuid}").json()["host"]
    assert (host["mxprio"], host["addptr"], host["ttl"]) == ("20", "1", "")
