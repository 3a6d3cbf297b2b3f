"""HAProxy settings CRUD: endpoint names, defaults, validation texts and the upstream quirks (haproxy.md 1, 3, 5)."""

from __future__ import annotations

import uuid as uuidlib

import pytest

BASE = "/api/haproxy/settings"


def add(api, kind: str, body: dict, command: str | None = None) -> str:
    r = api.post(f"{BASE}/{command or 'add' + kind.capitalize()}", json={kind: body})
    assert r.status_code == 200, r.text
    assert r.json()["result"] == "saved", r.json()
    return r.json()["uuid"]


def get(api, kind: str, uuid: str) -> dict:
    return api.get(f"{BASE}/get{kind.capitalize()}/{uuid}").json()[kind]


def selected(options: dict) -> list[str]:
    return [key for key, opt in options.items() if opt["selected"] == 1]


# -- endpoint names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,plural",
    [
        ("frontend", "Frontends"),
        ("backend", "Backends"),
        ("server", "Servers"),
        ("acl", "Acls"),
        ("action", "Actions"),
        ("healthcheck", "Healthchecks"),
        ("lua", "Luas"),
        ("fcgi", "Fcgis"),
        ("errorfile", "Errorfiles"),
        ("mapfile", "Mapfiles"),
        ("cpu", "Cpus"),
        ("group", "Groups"),
        ("user", "Users"),
        ("resolver", "resolvers"),
        ("mailer", "mailers"),
    ],
)
def test_every_object_has_get_and_search(api, kind, plural):
    """haproxy.md 1.1: get<Object> without uuid returns a template item, search<Objects> a grid."""
    template = api.get(f"{BASE}/get{kind}").json()
    assert kind in template and isinstance(template[kind], dict)
    grid = api.get(f"{BASE}/search{plural}").json()
    assert grid == {"rows": [], "rowCount": 0, "total": 0, "current": 1}


@pytest.mark.parametrize(
    "command", ["toggleAcl", "toggleHealthcheck", "toggleFcgi", "toggleErrorfile", "toggleMapfile"]
)
def test_objects_without_enabled_have_no_toggle(api, command):
    """haproxy.md 1.1: these toggle names do not exist, so dispatch fails with 404."""
    r = api.post(f"{BASE}/{command}/{uuidlib.uuid4()}")
    assert r.status_code == 404
    assert r.json() == {"errorMessage": "Endpoint not found"}


def test_resolver_methods_answer_in_any_case(api):
    """haproxy.md 1.1: SC spells getresolverAction in lower case; PHP method lookup ignores case."""
    assert "resolver" in api.get(f"{BASE}/getResolver").json()
    assert "resolver" in api.get(f"{BASE}/getresolver").json()
    assert "mailer" in api.get(f"{BASE}/get_mailer").json()


def test_set_del_toggle_need_the_uuid_segment(api):
    """haproxy.md 1.2: the uuid parameter is required, so calls without it are a 404."""
    for command in ("setBackend", "delBackend", "toggleBackend"):
        assert api.post(f"{BASE}/{command}", json={"backend": {}}).status_code == 404


# -- defaults and rendering --------------------------------------------------------------------------


def test_backend_template_defaults(api):
    """haproxy.md 3.2: defaults of a new backend, options rendered as {key: {value, selected}}."""
    backend = api.get(f"{BASE}/getBackend").json()["backend"]
    assert backend["enabled"] == "1"
    assert backend["random_draws"] == "2"
    assert backend["stickiness_expire"] == "30m" and backend["stickiness_size"] == "50k"
    assert backend["persistence_cookiename"] == "SRVCOOKIE"
    assert selected(backend["mode"]) == ["http"]
    assert selected(backend["algorithm"]) == ["source"]
    assert selected(backend["ba_advertised_protocols"]) == ["h2", "http11"]
    assert backend["mode"]["tcp"] == {"value": "TCP (Layer 4)", "selected": 0}
    # a non-required single select has a "" option labelled None
    assert backend["proxyProtocol"][""] == {"value": "None", "selected": 1}
    assert "" not in backend["mode"]


def test_frontend_template_defaults_and_bind_rendering(api):
    """haproxy.md 1.2/3.3: bind (CSVListField) renders each stored entry; an empty one renders a "" entry."""
    frontend = api.get(f"{BASE}/getFrontend").json()["frontend"]
    assert frontend["bind"] == {"": {"value": "", "selected": 1}}
    assert frontend["ssl_hstsMaxAge"] == "15768000"
    assert frontend["prometheus_path"] == "/metrics"
    assert frontend["stickiness_counter_key"] == "src"
    assert selected(frontend["ssl_bindOptions"]) == ["prefer-client-ciphers"]
    assert selected(frontend["ssl_minVersion"]) == ["TLSv1.2"]
    assert frontend["id"] != ""  # the template item already carries a uniqid
    uuid = add(api, "frontend", {"name": "web", "bind": "0.0.0.0:80,[::]:443"})
    assert get(api, "frontend", uuid)["bind"] == {
        "0.0.0.0:80": {"value": "0.0.0.0:80", "selected": 1},
        "[::]:443": {"value": "[::]:443", "selected": 1},
    }


def test_get_unknown_uuid_is_an_empty_array(api):
    """haproxy.md 1.2: get with an unknown uuid returns [] (an empty PHP array)."""
    r = api.get(f"{BASE}/getServer/{uuidlib.uuid4()}")
    assert r.status_code == 200 and r.text == "[]"


def test_id_is_generated_and_never_changed_by_posts(api):
    """haproxy.md 1.2: UniqueIdField `id` is filled on add with uniqid(); posted values are ignored."""
    uuid = add(api, "server", {"name": "web1", "address": "10.0.0.1", "id": "chosen"})
    first = get(api, "server", uuid)["id"]
    assert first not in ("", "chosen") and "." in first
    r = api.post(f"{BASE}/setServer/{uuid}", json={"server": {"id": "other", "port": "8080"}})
    assert r.json() == {"result": "saved"}
    after = get(api, "server", uuid)
    assert after["id"] == first and after["port"] == "8080"
    assert uuid != first  # the id is not the item uuid


# -- add / set / upsert ------------------------------------------------------------------------------


def test_add_and_set_replies(api):
    """haproxy.md 1.2: add answers saved + uuid, set answers saved without uuid."""
    r = api.post(f"{BASE}/addBackend", json={"backend": {"name": "pool"}})
    body = r.json()
    assert body["result"] == "saved" and uuidlib.UUID(body["uuid"]).version == 4
    r = api.post(f"{BASE}/setBackend/{body['uuid']}", json={"backend": {"description": "web pool"}})
    assert r.json() == {"result": "saved"}


def test_add_without_body_key_fails_without_validations(api):
    """haproxy.md 1.2: the body must contain the body key, else {"result":"failed"}."""
    assert api.post(f"{BASE}/addBackend", json={"pool": {"name": "x"}}).json() == {"result": "failed"}
    assert api.get(f"{BASE}/addBackend").json() == {"result": "failed"}


def test_set_is_a_partial_update(api):
    """haproxy.md 1.2: only fields present in the body change."""
    uuid = add(api, "server", {"name": "web1", "address": "10.0.0.1", "port": "80", "description": "first"})
    api.post(f"{BASE}/setServer/{uuid}", json={"server": {"port": "8080"}})
    server = get(api, "server", uuid)
    assert (server["name"], server["address"], server["port"], server["description"]) == (
        "web1",
        "10.0.0.1",
        "8080",
        "first",
    )


def test_set_with_an_unknown_uuid_upserts(api):
    """haproxy.md 1.2: an unknown but valid UUID creates the item under exactly that uuid."""
    wanted = str(uuidlib.uuid4())
    r = api.post(f"{BASE}/setBackend/{wanted}", json={"backend": {"name": "pool"}})
    assert r.json() == {"result": "saved"}
    backend = get(api, "backend", wanted)
    assert backend["name"] == "pool" and backend["enabled"] == "1" and backend["id"] != ""


def test_set_with_a_non_uuid_fails(api):
    """haproxy.md 1.2: an unknown non-UUID id gives {"result":"failed"}."""
    r = api.post(f"{BASE}/setBackend/not-a-uuid", json={"backend": {"name": "pool"}})
    assert r.json() == {"result": "failed"}


def test_required_fields_and_their_messages(api):
    """haproxy.md 3.3: frontend name and bind are required; "A value is required." per field key."""
    r = api.post(f"{BASE}/addFrontend", json={"frontend": {"description": "x"}})
    assert r.json() == {
        "result": "failed",
        "validations": {"frontend.name": "A value is required.", "frontend.bind": "A value is required."},
    }


def test_mask_messages_from_the_model(api):
    """haproxy.md 3 and 5: XML ValidationMessages for names, timeouts, ports and bind."""
    r = api.post(
        f"{BASE}/addFrontend",
        json={
            "frontend": {"name": "has space", "bind": "0.0.0.0", "tuning_timeoutClient": "30x", "ssl_hstsMaxAge": "0"}
        },
    )
    v = r.json()["validations"]
    assert v["frontend.name"] == "Should be a string between 1 and 255 characters."
    assert v["frontend.bind"].startswith("Please provide a valid listen address, i.e. 127.0.0.1:8080, [::1]:8080,")
    assert v["frontend.tuning_timeoutClient"] == (
        'Should be a number between 1 and 8 characters, optionally followed by either "d", "h", "m", "s", "ms" or "us".'
    )
    assert v["frontend.ssl_hstsMaxAge"] == "Please specify a value between 1 and 1000000000."
    r = api.post(f"{BASE}/addServer", json={"server": {"name": "s", "port": "70000", "address": "a b"}})
    assert r.json()["validations"] == {
        "server.port": "Please specify a value between 1 and 65535.",
        "server.address": "Please specify a valid servername or IP address.",
    }


def test_acl_names_allow_spaces_but_not_separators(api):
    """haproxy.md 5: ACL/action/healthcheck names allow spaces but not , ; . [ ] { } or tab."""
    add(api, "acl", {"name": "host is example", "expression": "hdr", "hdr": "example.com"})
    r = api.post(f"{BASE}/addAcl", json={"acl": {"name": "a.b", "expression": "hdr"}})
    assert r.json()["validations"] == {"acl.name": "Should be a string between 1 and 255 characters."}


def test_names_are_not_unique(api):
    """haproxy.md 5: no uniqueness is enforced; two backends named web both save."""
    first = add(api, "backend", {"name": "web"})
    second = add(api, "backend", {"name": "web"})
    assert first != second
    assert api.get(f"{BASE}/searchBackends").json()["total"] == 2


def test_masks_match_the_whole_value(api):
    """haproxy.md 1.2: a mask without `$` still has to match the whole value (stickiness_size needs a unit)."""
    r = api.post(f"{BASE}/addBackend", json={"backend": {"name": "b", "stickiness_size": "50"}})
    assert r.json()["validations"] == {
        "backend.stickiness_size": 'Should be a number between 1 and 5 characters followed by either "k", "m" or "g".'
    }


def test_type_specific_server_requirements_are_not_enforced(api):
    """haproxy.md 3.1: a static server without address or a unix server without socket saves fine."""
    add(api, "server", {"name": "s1"})
    add(api, "server", {"name": "s2", "type": "unix"})
    add(api, "server", {"name": "s3", "type": "template"})


# -- option and relation validation -------------------------------------------------------------------


def test_option_not_in_list(api):
    """haproxy.md 3.5: "Option [%s] not in list." with the bad item for multi-selects, empty for singles."""
    r = api.post(
        f"{BASE}/addBackend",
        json={
            "backend": {"name": "b", "mode": "udp", "resolverOpts": "allow-dup-ip,bogus", "stickiness_dataTypes": "x,y"}
        },
    )
    assert r.json()["validations"] == {
        "backend.mode": "Option [] not in list.",
        "backend.resolverOpts": "Option [bogus] not in list.",
        "backend.stickiness_dataTypes": ["Option [x] not in list.", "Option [y] not in list."],
    }


def test_relation_fields_check_that_the_target_exists(api):
    """haproxy.md 3.5: each referenced uuid must exist, with the field's own message."""
    missing = str(uuidlib.uuid4())
    r = api.post(
        f"{BASE}/addBackend",
        json={"backend": {"name": "b", "linkedServers": missing, "healthCheck": missing, "linkedResolver": missing}},
    )
    assert r.json()["validations"] == {
        "backend.linkedServers": "Related server item not found",
        "backend.healthCheck": "Related health check item not found",
        "backend.linkedResolver": "Related resolver not found",
    }
    r = api.post(f"{BASE}/addFrontend", json={"frontend": {"name": "f", "bind": "*:80", "defaultBackend": missing}})
    assert r.json()["validations"] == {"frontend.defaultBackend": "Related backend item not found"}
    r = api.post(f"{BASE}/addAction", json={"action": {"name": "a", "type": "use_backend", "use_backend": missing}})
    assert r.json()["validations"] == {"action.use_backend": "Related backend item not found"}


def test_unix_socket_accepts_only_frontends_binding_unix(api):
    """haproxy.md 3.1: unix_socket options are frontends whose bind matches unix@."""
    tcp = add(api, "frontend", {"name": "public", "bind": "0.0.0.0:443"})
    sock = add(api, "frontend", {"name": "inner", "bind": "unix@inner"})
    r = api.post(f"{BASE}/addServer", json={"server": {"name": "s", "type": "unix", "unix_socket": tcp}})
    assert r.json()["validations"] == {"server.unix_socket": "Related frontend item not found"}
    uuid = add(api, "server", {"name": "s", "type": "unix", "unix_socket": sock})
    options = get(api, "server", uuid)["unix_socket"]
    assert list(options) == ["", sock] and options[sock] == {"value": "inner", "selected": 1}


def test_fcgi_linked_actions_only_offer_fcgi_actions(api):
    """HAProxy.xml fcgi.linkedActions filters actions by type /fcgi/ (haproxy.md 3.5 reference checks)."""
    plain = add(api, "action", {"name": "route", "type": "custom", "custom": "x"})
    fcgi = add(api, "action", {"name": "param", "type": "fcgi_set_param", "fcgi_set_param": "a b"})
    r = api.post(f"{BASE}/addFcgi", json={"fcgi": {"name": "php", "docroot": "/www", "linkedActions": plain}})
    assert r.json()["validations"] == {"fcgi.linkedActions": "Related action item not found"}
    uuid = add(api, "fcgi", {"name": "php", "docroot": "/www", "linkedActions": fcgi})
    assert list(get(api, "fcgi", uuid)["linkedActions"]) == [fcgi]


def test_certificate_fields_take_trust_store_refids(api):
    """haproxy.md 3: cert fields hold refids of the (simulated) trust store, not uuids."""
    r = api.post(
        f"{BASE}/addFrontend",
        json={
            "frontend": {
                "name": "f",
                "bind": "*:443",
                "ssl_certificates": "64e8c2a1f0b12,nope",
                "ssl_clientAuthCAs": "x",
            }
        },
    )
    assert r.json()["validations"] == {
        "frontend.ssl_certificates": "Please select a valid certificate from the list.",
        "frontend.ssl_clientAuthCAs": "Please select a valid CA from the list.",
    }
    uuid = add(
        api,
        "frontend",
        {"name": "f", "bind": "*:443", "ssl_certificates": "64e8c2a1f0b12", "ssl_clientAuthCAs": "64e8c2a1f0c21"},
    )
    frontend = get(api, "frontend", uuid)
    assert selected(frontend["ssl_certificates"]) == ["64e8c2a1f0b12"]
    assert frontend["ssl_certificates"]["64e8c2a1f0b12"]["value"] == "www.example.com"
    # CAs made for OCSP signing are not offered
    assert "64e8c2a1f0c29" not in frontend["ssl_clientAuthCAs"]
    assert list(frontend["ssl_clientAuthCRLs"]) == ["64e8c2a1f0d31"]


def test_sorted_relation_keeps_stored_order_and_lists_selected_first(api):
    """haproxy.md 1.2: linkedActions (Sorted) lists selected actions first, in stored order."""
    a = add(api, "action", {"name": "a-first", "type": "custom", "custom": "x"})
    b = add(api, "action", {"name": "b-second", "type": "custom", "custom": "x"})
    c = add(api, "action", {"name": "c-third", "type": "custom", "custom": "x"})
    uuid = add(api, "frontend", {"name": "f", "bind": "*:80", "linkedActions": f"{c},{a}"})
    options = get(api, "frontend", uuid)["linkedActions"]
    assert list(options) == [c, a, b]
    assert [options[k]["selected"] for k in (c, a, b)] == [1, 1, 0]


def test_other_relations_are_ordered_by_name(api):
    """haproxy.md 1.2: linkedServers is ordered by the servers' names (natural, case-insensitive)."""
    s10 = add(api, "server", {"name": "web10", "address": "10.0.0.10"})
    s2 = add(api, "server", {"name": "Web2", "address": "10.0.0.2"})
    s1 = add(api, "server", {"name": "web1", "address": "10.0.0.1"})
    uuid = add(api, "backend", {"name": "pool", "linkedServers": f"{s10},{s1}"})
    options = get(api, "backend", uuid)["linkedServers"]
    assert list(options) == [s1, s2, s10]
    assert selected(options) == [s1, s10]
    assert api.get(f"{BASE}/getBackend/{uuid}").json()["backend"]["linkedServers"][s2]["value"] == "Web2"


# -- ChangeCase ---------------------------------------------------------------------------------------


def test_change_case_lower(api):
    """haproxy.md 1.2: bind, stickiness_expire/size and source are lower-cased before validation and storage."""
    f = add(
        api,
        "frontend",
        {"name": "F", "bind": "WWW.Example.COM:443", "stickiness_expire": "30M", "stickiness_size": "1G"},
    )
    frontend = get(api, "frontend", f)
    assert list(frontend["bind"]) == ["www.example.com:443"]
    assert (frontend["stickiness_expire"], frontend["stickiness_size"], frontend["name"]) == ("30m", "1g", "F")
    b = add(api, "backend", {"name": "B", "source": "LB.Example.COM"})
    assert get(api, "backend", b)["source"] == "lb.example.com"
    s = add(api, "server", {"name": "S", "address": "Host.Example", "source": "10.0.0.1:*"})
    assert get(api, "server", s)["address"] == "Host.Example"  # address has no ChangeCase


def test_hostname_fields_follow_the_core_type(api):
    """HAProxy.xml's HostnameFields are plain core ones (HostnameField.php): stored trimmed, one
    trailing dot accepted (FILTER_VALIDATE_DOMAIN), and no list, so a comma fails the whole value."""
    m = add(
        api,
        "mailer",
        {
            "name": "m",
            "mailservers": "10.0.0.1:25",
            "sender": "a@example.org",
            "recipient": "b@example.org",
            "hostname": " mail.example.com. ",
        },
    )
    assert get(api, "mailer", m)["hostname"] == "mail.example.com."
    r = api.post(f"{BASE}/setMailer/{m}", json={"mailer": {"hostname": "a.example.com,b.example.com"}})
    assert r.json()["validations"] == {
        "mailer.hostname": "[a.example.com,b.example.com] is not a valid IP address or hostname."
    }


def test_empty_multi_relation_renders_as_an_empty_list(api):
    """BaseListField.php getNodeOptions() with no options is an empty PHP array: json_encode() gives []."""
    f = add(api, "frontend", {"name": "F", "bind": "0.0.0.0:80"})
    assert get(api, "frontend", f)["basicAuthUsers"] == []


# -- toggle --------------------------------------------------------------------------------------------


def test_toggle_flips_even_with_an_explicit_state(api):
    """haproxy.md 1.3: $enabled is never passed on, so toggleBackend/<uuid>/1 still flips."""
    uuid = add(api, "backend", {"name": "pool"})
    r = api.post(f"{BASE}/toggleBackend/{uuid}/1")
    assert r.json() == {"result": "Disabled", "changed": True}
    assert get(api, "backend", uuid)["enabled"] == "0"
    r = api.post(f"{BASE}/toggleBackend/{uuid}/0")
    assert r.json() == {"result": "Enabled", "changed": True}
    r = api.post(f"{BASE}/toggleFrontend/{add(api, 'frontend', {'name': 'f', 'bind': '*:80'})}/1")
    assert r.json() == {"result": "Disabled", "changed": True}


def test_toggle_with_several_uuids_is_a_user_exception(api):
    """haproxy.md 1.3: a uuid list needs an explicit 0/1, which SC never passes: HTTP 500 UserException."""
    a = add(api, "server", {"name": "a"})
    b = add(api, "server", {"name": "b"})
    r = api.post(f"{BASE}/toggleServer/{a},{b}/0")
    assert r.status_code == 500
    assert r.json() == {
        "errorMessage": "Toggle with a list of items in only supported for explicit actions [0,1]",
        "errorTitle": "Toggle",
        "errorLevel": "error",
    }
    assert get(api, "server", a)["enabled"] == "1" and get(api, "server", b)["enabled"] == "1"


def test_toggle_needs_post(api):
    """haproxy.md 1.2 (toggleBase): not POST gives {"result":"failed"} and changes nothing."""
    uuid = add(api, "action", {"name": "r", "type": "custom", "custom": "x"})
    assert api.get(f"{BASE}/toggleAction/{uuid}").json() == {"result": "failed"}
    assert get(api, "action", uuid)["enabled"] == "1"


def test_set_enabled_explicitly(api):
    """haproxy.md 1.3: a definite state is set with set* and {"enabled": "0|1"}."""
    uuid = add(api, "user", {"name": "alice", "password": "secret"})
    api.post(f"{BASE}/setUser/{uuid}", json={"user": {"enabled": "0"}})
    api.post(f"{BASE}/setUser/{uuid}", json={"user": {"enabled": "0"}})
    assert get(api, "user", uuid)["enabled"] == "0"


# -- search ---------------------------------------------------------------------------------------------


def test_search_rows_hold_every_field_and_descriptions(api):
    """haproxy.md 1.2: rows hold uuid, every raw field and %field display texts (names of references)."""
    s1 = add(api, "server", {"name": "web1", "address": "10.0.0.1"})
    s2 = add(api, "server", {"name": "web2", "address": "10.0.0.2"})
    add(api, "backend", {"name": "pool", "linkedServers": f"{s1},{s2}", "description": "main"})
    row = api.get(f"{BASE}/searchBackends").json()["rows"][0]
    assert row["linkedServers"] == f"{s1},{s2}"
    assert row["%linkedServers"] == "web1, web2"
    assert row["algorithm"] == "source" and row["%algorithm"] == "Source-IP Hash [default]"
    assert row["stickiness_expire"] == "30m" and "%stickiness_expire" not in row
    assert row["id"] != ""


def test_search_phrase_uses_the_controller_field_list(api):
    """haproxy.md 1.2: searchPhrase only matches the fields SC lists (servers: name, address, ...)."""
    add(api, "server", {"name": "web1", "address": "10.0.0.1", "advanced": "check-sni needle"})
    add(api, "server", {"name": "db1", "address": "10.0.9.1", "description": "needle here"})
    found = api.post(f"{BASE}/searchServers", json={"searchPhrase": "needle"}).json()
    assert [r["name"] for r in found["rows"]] == ["db1"]
    assert api.get(f"{BASE}/searchServers?searchPhrase=10.0.0").json()["total"] == 1


def test_search_default_sort_is_by_name(api):
    """haproxy.md 1.2: the default sort is name."""
    for name in ("zeta", "alpha", "Mid"):
        add(api, "backend", {"name": name})
    rows = api.get(f"{BASE}/searchBackends").json()["rows"]
    assert [r["name"] for r in rows] == ["alpha", "Mid", "zeta"]


# -- whole model -------------------------------------------------------------------------------------------


def test_whole_model_get_and_set_general_enabled(api):
    """haproxy.md 1.1: GET settings/get returns {"haproxy": ...}; POST settings/set changes general.enabled."""
    model = api.get(f"{BASE}/get").json()["haproxy"]
    assert model["general"]["enabled"] == "0"
    assert list(model)[:3] == ["general", "frontends", "backends"] and list(model)[-1] == "maintenance"
    assert model["frontends"]["frontend"] == []
    assert model["general"]["stats"]["port"] == "8822"
    r = api.post(f"{BASE}/set", json={"haproxy": {"general": {"enabled": 1}}})
    assert r.json() == {"result": "saved"}
    assert api.get(f"{BASE}/get").json()["haproxy"]["general"]["enabled"] == "1"
    r = api.post(f"{BASE}/set", json={"haproxy": {"general": {"enabled": "2"}}})
    assert r.json() == {
        "result": "failed",
        "validations": {"haproxy.general.enabled": "Value should be a boolean (0,1)."},
    }


def test_whole_model_get_needs_get(api):
    """haproxy.md 1.1: get returns [] when not called with GET."""
    r = api.post(f"{BASE}/get", json={})
    assert r.status_code == 200 and r.text == "[]"


def test_whole_model_lists_items(api):
    """haproxy.md 1.1: the whole model includes every item, keyed by uuid, rendered like get<Object>."""
    uuid = add(api, "server", {"name": "web1", "address": "10.0.0.1"})
    servers = api.get(f"{BASE}/get").json()["haproxy"]["servers"]["server"]
    assert servers[uuid]["name"] == "web1" and selected(servers[uuid]["type"]) == ["static"]


def test_errorfile_default_code_is_not_an_option(api):
    """haproxy.md 3.4/3.5 (HAProxy.xml): errorfile `code` defaults to "503" while its option keys are
    x200..x504, so an error file added without a code fails the option check."""
    r = api.post(f"{BASE}/addErrorfile", json={"errorfile": {"name": "maintenance", "content": "HTTP/1.0 503"}})
    assert r.json() == {"result": "failed", "validations": {"errorfile.code": "Option [] not in list."}}
    add(api, "errorfile", {"name": "maintenance", "content": "HTTP/1.0 503", "code": "x503"})


def test_relation_options_follow_later_writes(api):
    """haproxy.md 1.2: get lists every referenced-type item as an option; a new or renamed server shows up."""
    backend = add(api, "backend", {"name": "pool"})
    assert get(api, "backend", backend)["linkedServers"] == []
    server = add(api, "server", {"name": "web1"})
    assert get(api, "backend", backend)["linkedServers"] == {server: {"value": "web1", "selected": 0}}
    api.post(f"{BASE}/setServer/{server}", json={"server": {"name": "web-renamed"}})
    assert get(api, "backend", backend)["linkedServers"][server]["value"] == "web-renamed"
