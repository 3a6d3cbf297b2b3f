"""Routing, authentication order and the web root, over HTTPS (generic.md sections 1 and 2)."""

from __future__ import annotations

import pytest

pytest_plugins = ["_widgets"]  # the wsim/wapi fixtures

ENDPOINT_NOT_FOUND = {"errorMessage": "Endpoint not found"}


@pytest.mark.parametrize(
    "action", ["searchItem", "search_item", "searchitem", "SEARCHITEM", "Search_Item", "search__item_"]
)
def test_action_names_in_any_case_with_or_without_underscores(api, action):
    """generic.md 1: the command is ucwords-converted and PHP method lookup ignores case."""
    r = api.get(f"/api/firewall/category/{action}")
    assert r.status_code == 200
    assert r.json() == {"rows": [], "rowCount": 0, "total": 0, "current": 1}


def test_controller_names_must_match_the_file_name(api, wapi):
    """generic.md 1: like `vlan_settings` -> VlanSettingsController, `widget_group` and `widgetGroup`
    reach WidgetGroupController, while `widgetgroup` (no such file) is a 404."""
    assert wapi.get("/api/sim/widget_group/searchItem").status_code == 200
    assert wapi.get("/api/sim/widgetGroup/searchItem").status_code == 200
    r = wapi.get("/api/sim/widgetgroup/searchItem")
    assert r.status_code == 404
    assert r.json() == ENDPOINT_NOT_FOUND
    assert api.get("/api/firewall/CATEGORY/searchItem").status_code == 404


@pytest.mark.parametrize("namespace", ["firewall", "Firewall", "FIREWALL", "fireWall"])
def test_namespace_falls_back_to_a_case_insensitive_match(api, namespace):
    """generic.md 1: no folder with the exact case -> case-insensitive folder search."""
    assert api.get(f"/api/{namespace}/category/searchItem").status_code == 200


def test_empty_path_segments_are_dropped(api):
    """Router::parsePath filters out empty elements, so doubled slashes route the same."""
    uuid = api.post("/api/firewall/category/addItem", json={"category": {"name": "web"}}).json()["uuid"]
    assert api.get("/api//firewall///category//searchItem/").status_code == 200
    r = api.get(f"/api/firewall/category/getItem//{uuid}")
    assert r.json()["category"]["name"] == "web"


def test_query_string_is_not_part_of_routing(api):
    """generic.md 1: the query string is ignored for routing."""
    assert api.get("/api/firewall/category/searchItem?x=/y/z").status_code == 200


def test_default_action_is_index(api):
    """Router defaults the action to indexAction; category has none, so two segments give 404."""
    r = api.get("/api/firewall/category")
    assert r.status_code == 404
    assert r.json() == ENDPOINT_NOT_FOUND


@pytest.mark.parametrize(
    "path",
    [
        "/api/nosuchmodule/category/searchItem",
        "/api/firewall/nosuchcontroller/searchItem",
        "/api/firewall/category/noSuchAction",
        "/api/firewall/category/setItem",  # setItem($uuid) needs one path parameter
        "/api/firewall/category/del_item",
        "/api/firewall",
        "/api/x",
    ],
)
def test_unknown_endpoints_and_missing_parameters_are_404_before_authentication(sim, api, path):
    """generic.md 1: DispatchException -> 404 {"errorMessage":"Endpoint not found"}, even without credentials."""
    for auth in (None, ("wrong", "creds"), (sim.api_key, sim.api_secret)):
        r = api.post(path, auth=auth)
        assert r.status_code == 404
        assert r.text == '{"errorMessage":"Endpoint not found"}'
        assert r.headers["Content-Type"] == "application/json;charset=utf-8"


def test_surplus_path_parameters_are_ignored(api):
    """PHP passes extra arguments to the action, which ignores them."""
    assert api.get("/api/firewall/category/searchItem/0/extra/more").status_code == 200


def test_verb_does_not_affect_routing(api):
    """generic.md 1: each action checks the verb itself; PUT reaches addItem, which answers failed."""
    r = api.request("PUT", "/api/firewall/category/addItem", json={"category": {"name": "x"}})
    assert r.status_code == 200
    assert r.json() == {"result": "failed"}


def test_wrong_credentials_are_401_with_a_json_body(api):
    """generic.md 2: unknown key or wrong secret -> 401 {"status":401,"message":"Authentication Failed"}."""
    for auth in (("nope", "nope"), (api.sim.api_key, "wrong")):
        r = api.get("/api/firewall/category/searchItem", auth=auth)
        assert r.status_code == 401
        assert r.json() == {"status": 401, "message": "Authentication Failed"}


def test_no_authorization_header_takes_the_session_path(api):
    """generic.md 2: without an Authorization header there is no session: 401 and no JSON body."""
    r = api.get("/api/firewall/category/searchItem", auth=None)
    assert r.status_code == 401
    assert r.text == ""


def test_the_scheme_word_is_not_checked(sim, api):
    """generic.md 2: the header is split on a space and the second token base64-decoded."""
    import base64

    token = base64.b64encode(f"{sim.api_key}:{sim.api_secret}".encode()).decode()
    r = api.get("/api/firewall/category/searchItem", auth=None, headers={"Authorization": f"Whatever {token}"})
    assert r.status_code == 200
    r = api.get("/api/firewall/category/searchItem", auth=None, headers={"Authorization": token})
    assert r.status_code == 401
    assert r.json()["message"] == "Authentication Failed"


def test_web_root_is_the_html_login_page(api):
    """The web GUI answers / with its login page (authgui.inc), not JSON."""
    r = api.get("/", auth=None)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<title>Login | OPNsense</title>" in r.text
    assert 'name="usernamefld"' in r.text and 'name="passwordfld"' in r.text


def test_paths_outside_the_api_are_html_404(api):
    """lighttpd sends other paths to its 404 handler; /api/ alone is not rewritten to api.php."""
    for path in ("/nothing/here", "/api", "/api/", "/API/firewall/category/searchItem"):
        r = api.get(path)
        assert r.status_code == 404, path
        assert r.headers["Content-Type"].startswith("text/html")


def test_head_requests_get_headers_without_a_body(api):
    """HEAD is routed like any verb; the body is left out but Content-Length is kept."""
    get = api.get("/api/firewall/category/searchItem")
    head = api.request("HEAD", "/api/firewall/category/searchItem")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == str(len(get.content))
    assert api.request("HEAD", "/").status_code == 200


def test_whole_model_get_and_set_exist_on_every_mutable_controller(api):
    """ApiMutableModelControllerBase defines getAction and setAction for every subclass."""
    assert api.get("/api/firewall/category/get").json() == {"category": {"categories": {"category": []}}}
    assert api.post("/api/firewall/category/set", json={}).json() == {"result": "saved"}
