"""Request bodies: JSON, form-urlencoded, other types, and how posted values become strings
(generic.md sections 2, 3 and 4; ApiControllerBase::parseJsonBodyData, BaseField::setNodes)."""

from __future__ import annotations

import pytest

pytest_plugins = ["_widgets"]  # the wsim/wapi fixtures

JSON = {"Content-Type": "application/json"}
INVALID_JSON = {"status": 400, "message": "Invalid JSON syntax"}
GENERIC_500 = {"errorMessage": "Unexpected error, check log for details"}


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "PUT"])
@pytest.mark.parametrize("body", [b"", b"0"])
def test_json_content_type_with_empty_body_is_400_for_any_verb(api, method, body):
    """generic.md 2: Content-Type application/json and an empty body (PHP empty(): "" or "0") -> 400."""
    r = api.request(method, "/api/firewall/category/searchItem", data=body, headers=JSON)
    assert r.status_code == 400
    assert r.json() == INVALID_JSON


@pytest.mark.parametrize("ctype", ["application/json; charset=UTF-8", "Application/JSON;Charset=utf-8"])
def test_json_content_type_variants(api, ctype):
    """The header is lower-cased and stripped of spaces before the comparison."""
    r = api.get("/api/firewall/category/searchItem", data=b"", headers={"Content-Type": ctype})
    assert r.status_code == 400


def test_other_json_content_types_are_not_json(api):
    """Only application/json[;charset=utf-8] is parsed: a JSON body sent as text/plain is ignored."""
    r = api.post(
        "/api/firewall/category/addItem", data=b'{"category":{"name":"x"}}', headers={"Content-Type": "text/plain"}
    )
    assert r.json() == {"result": "failed"}
    r = api.post(
        "/api/firewall/category/addItem", data=b"", headers={"Content-Type": "application/json; charset=latin1"}
    )
    assert r.status_code == 200


def test_body_empty_object_is_fine(api):
    """generic.md 2: the workaround for body-less calls is the body {}."""
    r = api.post("/api/firewall/category/searchItem", data=b"{}", headers=JSON)
    assert r.status_code == 200


@pytest.mark.parametrize("body", [b"not json", b"{bad", b"NaN", b"\xff\xfe"])
def test_non_json_body_with_json_type_is_treated_as_no_data(api, body):
    """generic.md 2: a non-empty body that is not valid JSON makes $_POST empty, silently."""
    r = api.post("/api/firewall/category/addItem", data=body, headers=JSON)
    assert r.status_code == 200
    assert r.json() == {"result": "failed"}


def test_json_scalar_or_list_body_is_no_data(api):
    """A JSON body that is not an object gives no usable post fields."""
    for body in (b'"text"', b"[1,2]", b"false", b"12"):
        r = api.post("/api/firewall/category/addItem", data=body, headers=JSON)
        assert r.json() == {"result": "failed"}


def test_form_urlencoded_bodies_are_parsed_php_style(api):
    """generic.md 2: PHP parses form bodies natively, brackets included (category[name]=x)."""
    r = api.post("/api/firewall/category/addItem", data={"category[name]": "db", "category[color]": "00ff00"})
    assert r.json()["result"] == "saved"
    item = api.get(f"/api/firewall/category/getItem/{r.json()['uuid']}").json()["category"]
    assert item == {"name": "db", "auto": "0", "color": "00ff00"}


def test_form_bodies_are_parsed_only_for_post(api):
    """PHP fills $_POST from a form body only for POST requests."""
    api.post("/api/firewall/category/addItem", json={"category": {"name": "web"}})
    r = api.request("PUT", "/api/firewall/category/searchItem", data={"searchPhrase": "nomatch"})
    assert r.json()["total"] == 1
    r = api.post("/api/firewall/category/searchItem", data={"searchPhrase": "nomatch"})
    assert r.json()["total"] == 0


def test_multipart_form_fields_are_parsed(api):
    """PHP parses multipart/form-data POST fields natively too."""
    r = api.post("/api/firewall/category/addItem", files={"category[name]": (None, "mp")})
    assert r.json()["result"] == "saved"


def test_json_booleans_numbers_and_null(wapi):
    """generic.md 3/4: values are cast like PHP's (string): true -> "1", 2.0 -> "2", null is skipped."""
    r = wapi.post(
        "/api/sim/widget/addItem", json={"widget": {"name": "w", "enabled": True, "count": 2.0, "descr": 1.5}}
    )
    uuid = r.json()["uuid"]
    row = wapi.get("/api/sim/widget/searchItem").json()["rows"][0]
    assert (row["enabled"], row["count"], row["descr"]) == ("1", "2", "1.5")
    r = wapi.post(f"/api/sim/widget/setItem/{uuid}", json={"widget": {"count": None, "descr": 10**20}})
    assert r.json() == {"result": "saved"}
    row = wapi.get("/api/sim/widget/searchItem").json()["rows"][0]
    assert row["count"] == "2"  # null kept the old value
    assert row["descr"] == "1.0E+20"  # beyond PHP_INT_MAX json_decode gives a float


def test_json_false_is_an_empty_string(wapi):
    """BaseField::setValue casts with (string): false -> "", which Required then rejects on a boolean."""
    r = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "enabled": False}})
    assert r.json() == {"result": "failed", "validations": {"widget.enabled": "A value is required."}}


def test_string_flags_and_numbers_as_strings(wapi):
    """ "1"/"0" strings are stored as sent; every value comes back as a string (generic.md 3)."""
    r = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "enabled": "0", "count": "7"}})
    assert r.json()["result"] == "saved"
    row = wapi.get("/api/sim/widget/searchItem").json()["rows"][0]
    assert all(isinstance(v, str) for v in row.values())
    assert (row["enabled"], row["count"]) == ("0", "7")


@pytest.mark.parametrize("value", [["a", "b"], {"a": 1}])
def test_list_or_object_for_a_single_value_field_is_http_500(wapi, value):
    """generic.md 4: "Invalid input type ... expected a single value" reaches the client as the generic 500."""
    r = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": value}})
    assert r.status_code == 500
    assert r.json() == GENERIC_500
    assert wapi.get("/api/sim/widget/searchItem").json()["total"] == 0


def test_option_map_sent_back_is_http_500(wapi):
    """generic.md 7: sending get's option dict back instead of keys triggers the same 500."""
    blank = wapi.get("/api/sim/widget/getItem").json()["widget"]
    r = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "tags": blank["tags"]}})
    assert r.status_code == 500


def test_scalar_for_a_container_is_http_500(wapi):
    """BaseField::setNodes: a scalar where a container (opts) is expected -> "expected a list" -> 500."""
    r = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "opts": "x"}})
    assert r.status_code == 500
    r = wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w", "opts": {"level": "4"}}})
    assert r.json()["result"] == "saved"


def test_item_key_that_is_not_an_object_sets_nothing(wapi):
    """isset() on a string offset is false: the item is validated with nothing set."""
    r = wapi.post("/api/sim/widget/addItem", json={"widget": "name"})
    assert r.json() == {"result": "failed", "validations": {"widget.name": "A value is required."}}


def test_unknown_keys_are_ignored(api):
    """generic.md 4: unknown keys are ignored without error."""
    r = api.post("/api/firewall/category/addItem", json={"category": {"name": "x", "nosuch": "1"}, "other": 1})
    assert r.json()["result"] == "saved"
    assert "nosuch" not in api.get(f"/api/firewall/category/getItem/{r.json()['uuid']}").json()["category"]


def test_chunked_request_bodies_are_read(api):
    """lighttpd accepts chunked request bodies; the JSON inside is parsed as usual."""
    body = iter([b'{"category":', b' {"name": "chunked"}}'])
    r = api.post("/api/firewall/category/addItem", data=body, headers={"Content-Type": "application/json"})
    assert r.json()["result"] == "saved"
