"""Request styles of real API clients against the HAProxy endpoints (haproxy.md 1.1, 1.2)."""

from __future__ import annotations

import pytest

BASE = "/api/haproxy/settings"


def backend(api, uuid: str) -> dict:
    return api.get(f"{BASE}/getBackend/{uuid}").json()["backend"]


@pytest.mark.parametrize("command", ["addBackend", "add_backend", "addbackend", "AddBackend"])
def test_action_name_spellings(api, command):
    """haproxy.md 1.1: the router turns add_backend into addBackend; PHP method lookup ignores case."""
    r = api.post(f"{BASE}/{command}", json={"backend": {"name": "pool"}})
    assert r.json()["result"] == "saved"


def test_snake_case_for_every_verb(api):
    """haproxy.md 1.1: snake_case names reach the same actions (get_backend, search_backends, ...)."""
    uuid = api.post(f"{BASE}/add_backend", json={"backend": {"name": "pool"}}).json()["uuid"]
    assert api.get(f"{BASE}/get_backend/{uuid}").json()["backend"]["name"] == "pool"
    assert api.post(f"{BASE}/set_backend/{uuid}", json={"backend": {"description": "d"}}).json() == {"result": "saved"}
    assert api.get(f"{BASE}/search_backends").json()["total"] == 1
    assert api.post(f"{BASE}/toggle_backend/{uuid}").json()["result"] == "Disabled"
    assert api.post(f"{BASE}/del_backend/{uuid}").json() == {"result": "deleted"}


def test_json_numbers_and_booleans(api):
    """haproxy.md 1.2: leaves are cast to strings: 8080 -> "8080", true -> "1"."""
    uuid = api.post(
        f"{BASE}/addServer",
        json={"server": {"name": "web1", "address": "10.0.0.1", "port": 8080, "ssl": True, "weight": 10}},
    ).json()["uuid"]
    server = api.get(f"{BASE}/getServer/{uuid}").json()["server"]
    assert (server["port"], server["ssl"], server["weight"]) == ("8080", "1", "10")


def test_json_false_is_empty_and_fails_required(api):
    """haproxy.md 1.2: JSON false becomes "" and fails Required on enabled; send "0" or 0 instead."""
    r = api.post(f"{BASE}/addBackend", json={"backend": {"name": "pool", "enabled": False}})
    assert r.json() == {"result": "failed", "validations": {"backend.enabled": "A value is required."}}
    uuid = api.post(f"{BASE}/addBackend", json={"backend": {"name": "pool", "enabled": 0}}).json()["uuid"]
    assert backend(api, uuid)["enabled"] == "0"


def test_null_does_not_clear_but_empty_string_does(api):
    """haproxy.md 1.2: a null value is skipped (isset is false); "" clears the field."""
    uuid = api.post(f"{BASE}/addBackend", json={"backend": {"name": "pool", "description": "keep"}}).json()["uuid"]
    api.post(f"{BASE}/setBackend/{uuid}", json={"backend": {"description": None}})
    assert backend(api, uuid)["description"] == "keep"
    api.post(f"{BASE}/setBackend/{uuid}", json={"backend": {"description": ""}})
    assert backend(api, uuid)["description"] == ""


def test_unknown_keys_are_ignored(api):
    """haproxy.md 1.2: unknown keys are ignored silently."""
    r = api.post(f"{BASE}/addBackend", json={"backend": {"name": "pool", "colour": "blue"}})
    assert r.json()["result"] == "saved"


def test_multi_values_as_one_comma_separated_string(api):
    """haproxy.md 1.2: linked uuid lists are one comma-separated string; a JSON list is an HTTP 500."""
    s1 = api.post(f"{BASE}/addServer", json={"server": {"name": "a"}}).json()["uuid"]
    s2 = api.post(f"{BASE}/addServer", json={"server": {"name": "b"}}).json()["uuid"]
    uuid = api.post(f"{BASE}/addBackend", json={"backend": {"name": "pool", "linkedServers": f"{s1},{s2}"}}).json()[
        "uuid"
    ]
    assert [k for k, v in backend(api, uuid)["linkedServers"].items() if v["selected"]] == [s1, s2]
    r = api.post(f"{BASE}/setBackend/{uuid}", json={"backend": {"linkedServers": [s1, s2]}})
    assert r.status_code == 500
    assert r.json() == {"errorMessage": "Unexpected error, check log for details"}


def test_sending_back_the_rendered_options_is_an_error(api):
    """haproxy.md 1.2: get renders option maps; posting such a map back throws (HTTP 500)."""
    uuid = api.post(f"{BASE}/addBackend", json={"backend": {"name": "pool"}}).json()["uuid"]
    rendered = backend(api, uuid)
    r = api.post(f"{BASE}/setBackend/{uuid}", json={"backend": {"mode": rendered["mode"]}})
    assert r.status_code == 500


def test_form_encoded_body(api):
    """generic.md 2: application/x-www-form-urlencoded bodies work like JSON ones."""
    r = api.post(f"{BASE}/addBackend", data={"backend[name]": "pool", "backend[mode]": "tcp"})
    uuid = r.json()["uuid"]
    assert [k for k, v in backend(api, uuid)["mode"].items() if v["selected"]] == ["tcp"]


def test_json_body_without_json_content_type_is_ignored(api):
    """generic.md 2: a body without a JSON (or form) content type is not parsed: add fails."""
    r = api.post(f"{BASE}/addBackend", data='{"backend": {"name": "pool"}}', headers={"Content-Type": "text/plain"})
    assert r.json() == {"result": "failed"}


def test_bind_needs_a_host_part(api):
    """haproxy.md 3.3: the bind mask needs at least one host character before ':'; use *:80 or 0.0.0.0:80."""
    r = api.post(f"{BASE}/addFrontend", json={"frontend": {"name": "web", "bind": ":80"}})
    assert list(r.json()["validations"]) == ["frontend.bind"]
    r = api.post(f"{BASE}/addFrontend", json={"frontend": {"name": "web", "bind": "*:80,quic4@*:443,unix@local"}})
    assert r.json()["result"] == "saved"


def test_whole_model_set_with_form_body(api):
    """haproxy.md 1.1 with generic.md 2: haproxy[general][enabled]=1 as a form body."""
    assert api.post(f"{BASE}/set", data={"haproxy[general][enabled]": "1"}).json() == {"result": "saved"}
    assert api.get(f"{BASE}/get").json()["haproxy"]["general"]["enabled"] == "1"


def test_service_names_in_snake_and_lower_case(api):
    """haproxy.md 2 with generic.md 1: service commands resolve the same way (configtest, re_configure, ...)."""
    assert api.get("/api/haproxy/service/configtest").status_code == 200
    assert api.get("/api/haproxy/service/config_test").status_code == 200
    assert api.post("/api/haproxy/service/reconfigure").json() == {"status": "ok"}
    assert api.get("/api/haproxy/service/Status").json()["status"] == "disabled"
