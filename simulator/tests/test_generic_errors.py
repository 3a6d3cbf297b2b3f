"""Error bodies and JSON encoding (generic.md sections 3 and 5; api.php, Mvc/Response.php)."""

from __future__ import annotations

from _widgets import reset_with_widgets

pytest_plugins = ["_widgets"]  # the wsim/wapi fixtures

ERROR_TYPE = "application/json;charset=utf-8"


def test_user_exception_carries_message_title_and_level_in_26_7(wapi):
    """generic.md 5: UserException -> 500 with the real text; errorLevel "error" (26.7+). The body is
    encoded with JSON_UNESCAPED_SLASHES, then htmlspecialchars(ENT_NOQUOTES)."""
    r = wapi.get("/api/sim/errors/user")
    assert r.status_code == 500
    assert r.headers["Content-Type"] == ERROR_TYPE
    assert r.text == '{"errorMessage":"Bad &lt;thing&gt; &amp; more/less","errorTitle":"A title","errorLevel":"error"}'


def test_user_exception_in_26_1_has_no_level_and_no_html_escaping(wsim, wapi):
    """generic.md 5: 26.1 sends only message and title; its api.php did not run htmlspecialchars."""
    reset_with_widgets(wsim, "26.1")
    r = wapi.get("/api/sim/errors/user")
    assert r.status_code == 500
    assert r.text == '{"errorMessage":"Bad <thing> & more/less","errorTitle":"A title"}'


def test_warning_and_informational_exceptions_are_generic_500_with_title_and_level(wapi):
    """generic.md 5: not UserException subclasses in 26.7 -> generic text, but title and level kept."""
    r = wapi.get("/api/sim/errors/warning")
    assert r.status_code == 500
    assert r.json() == {
        "errorMessage": "Unexpected error, check log for details",
        "errorTitle": "Filter",
        "errorLevel": "warning",
    }
    assert wapi.get("/api/sim/errors/info").json()["errorLevel"] == "info"


def test_warning_exception_in_26_1_was_a_user_exception(wsim, wapi):
    """firewall.md 1 / generic.md 5: in 26.1 the same errors were UserExceptions with the real text."""
    reset_with_widgets(wsim, "26.1")
    assert wapi.get("/api/sim/errors/warning").json() == {
        "errorMessage": "Cannot move to the same spot.",
        "errorTitle": "Filter",
    }


def test_any_other_exception_is_the_generic_500(wapi):
    """api.php: \\Error | \\Exception -> 500 {"errorMessage":"Unexpected error, check log for details"}."""
    r = wapi.get("/api/sim/errors/crash")
    assert r.status_code == 500
    assert r.text == '{"errorMessage":"Unexpected error, check log for details"}'


def test_string_results_go_out_as_html(wapi):
    """afterExecuteRoute: a string is sent as is with PHP's default content type."""
    r = wapi.get("/api/sim/errors/text")
    assert (r.status_code, r.text, r.headers["Content-Type"]) == (200, "plain", "text/html; charset=UTF-8")


def test_json_escapes_slashes_and_non_ascii(api):
    """generic.md 3: json_encode escapes "/" as "\\/" and non-ASCII as \\uXXXX; no HTML escaping for API keys."""
    uuid = api.post("/api/firewall/category/addItem", json={"category": {"name": "a/b é <x> & \u20ac"}}).json()["uuid"]
    r = api.get(f"/api/firewall/category/getItem/{uuid}")
    assert r.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert '"name":"a\\/b \\u00e9 <x> & \\u20ac"' in r.text
    assert r.json()["category"]["name"] == "a/b é <x> & €"


def test_empty_maps_are_encoded_as_empty_arrays(api):
    """generic.md 3: an empty PHP array is [] even where an object is meant."""
    r = api.get("/api/firewall/category/get")
    assert r.text == '{"category":{"categories":{"category":[]}}}'
