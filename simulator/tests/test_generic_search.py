"""Model grid search (UIModelGrid): paging, phrase, sort, uuid search, row shape (generic.md 6 A)."""

from __future__ import annotations

import uuid as uuidlib

import pytest
from opnsense_sim.core.controller import natcase_key

pytest_plugins = ["_widgets"]  # the wsim/wapi fixtures


@pytest.fixture
def cats(api):
    out = {}
    for name, color in [("web10", "ff0000"), ("Web2", "00ff00"), ("db", "0000ff"), ("mail", ""), ("web1", "")]:
        out[name] = api.post(
            "/api/firewall/category/addItem", json={"category": {"name": name, "color": color}}
        ).json()["uuid"]
    return out


def search(api, *, query="", body=None):
    path = "/api/firewall/category/searchItem" + (f"?{query}" if query else "")
    r = api.post(path, json=body) if body is not None else api.get(path)
    assert r.status_code == 200
    return r.json()


def test_response_keys_and_counters_are_ints(api, cats):
    """generic.md 6: {"rows","rowCount","total","current"}; counters are integers, values strings."""
    res = search(api)
    assert list(res) == ["rows", "rowCount", "total", "current"]
    assert (res["rowCount"], res["total"], res["current"]) == (5, 5, 1)
    assert list(res["rows"][0]) == ["uuid", "name", "auto", "color"]


def test_default_sort_is_natural_and_case_insensitive(api, cats):
    """searchBase(..., "name"): SORT_NATURAL | SORT_FLAG_CASE on the name."""
    assert [r["name"] for r in search(api)["rows"]] == ["db", "mail", "web1", "Web2", "web10"]


def test_sort_from_post_body_only(api, cats):
    """generic.md 6: sort is read only from the POST body; the query string one is ignored."""
    desc = [r["name"] for r in search(api, body={"sort": {"name": "desc"}})["rows"]]
    assert desc == ["web10", "Web2", "web1", "mail", "db"]
    ignored = [r["name"] for r in search(api, query="sort[name]=desc")["rows"]]
    assert ignored == ["db", "mail", "web1", "Web2", "web10"]


def test_sort_direction_must_be_exactly_desc(api, cats):
    """UIModelGrid compares with == "desc"; anything else sorts ascending."""
    assert search(api, body={"sort": {"name": "DESC"}})["rows"][0]["name"] == "db"


def test_sort_by_unknown_field_orders_by_uuid(api, cats):
    """ArrayField::sortedBy appends the uuid to the key; an unknown field leaves only the uuid."""
    rows = search(api, body={"sort": {"nosuch": "asc"}})["rows"]
    assert [r["uuid"] for r in rows] == sorted(cats.values(), key=natcase_key)


def test_paging_from_query_or_post(api, cats):
    """generic.md 6: current/rowCount from POST or the query string; rowCount -1 means all."""
    res = search(api, query="rowCount=2&current=2")
    assert ([r["name"] for r in res["rows"]], res["rowCount"], res["total"], res["current"]) == (
        ["web1", "Web2"],
        2,
        5,
        2,
    )
    res = search(api, body={"rowCount": 2, "current": 3})
    assert [r["name"] for r in res["rows"]] == ["web10"]
    assert search(api, body={"rowCount": -1})["rowCount"] == 5
    res = search(api, query="rowCount=2&current=9")
    assert (res["rows"], res["total"], res["current"]) == ([], 5, 9)


def test_post_overrides_query(api, cats):
    """$_REQUEST: POST values win over query-string values."""
    assert search(api, query="rowCount=1", body={"rowCount": 3})["rowCount"] == 3


def test_rowcount_zero_returns_no_rows(api, cats):
    """Only -1 means "all"; 0 selects nothing, total still counts matches."""
    res = search(api, body={"rowCount": 0})
    assert (res["rows"], res["total"]) == ([], 5)


def test_search_phrase_tokens_and_case_insensitive(api, cats):
    """generic.md 6: split on spaces; every token must match (AND), case-insensitive substring."""
    assert sorted(r["name"] for r in search(api, query="searchPhrase=WEB")["rows"]) == ["Web2", "web1", "web10"]
    assert [r["name"] for r in search(api, body={"searchPhrase": "web ff0000"})["rows"]] == ["web10"]
    assert search(api, body={"searchPhrase": "web nomatch"})["total"] == 0


def test_search_phrase_is_html_escaped_first(api):
    """Request::get('searchPhrase', 'string') runs htmlspecialchars, so "&" never matches a stored "&"."""
    api.post("/api/firewall/category/addItem", json={"category": {"name": "a&b"}})
    assert search(api, body={"searchPhrase": "a&b"})["total"] == 0
    assert search(api, body={"searchPhrase": "a"})["total"] == 1


def test_uuid_token_searches_the_uuid(api, cats):
    """generic.md 6: a (lowercase v4) uuid token adds the uuid column to the searched fields."""
    res = search(api, body={"searchPhrase": cats["db"]})
    assert [r["name"] for r in res["rows"]] == ["db"]
    assert search(api, body={"searchPhrase": cats["db"].upper()})["total"] == 0


def test_percent_display_text_is_preferred_for_search(wapi):
    """generic.md 6: the %field description is searched instead of the raw value."""
    wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w1", "kind": "a", "tags": "x,y"}})
    wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w2", "kind": "b"}})
    rows = wapi.get("/api/sim/widget/searchItem?searchPhrase=kind%20a").json()["rows"]
    assert [r["name"] for r in rows] == ["w1"]
    row = rows[0]
    assert (row["kind"], row["%kind"], row["tags"], row["%tags"]) == ("a", "Kind A", "x,y", "Tag X, Tag Y")
    assert row["opts.level"] == "5"  # nested fields use dotted names
    assert "%name" not in row  # plain values have no display key
    assert wapi.get("/api/sim/widget/searchItem?searchPhrase=round").json()["total"] == 2


def test_search_phrase_in_26_1_skips_nested_fields(wsim, wapi):
    """26.1 searched only direct children by default; 26.7 every leaf (ApiMutableModelControllerBase diff)."""
    wapi.post("/api/sim/widget/addItem", json={"widget": {"name": "w1", "opts": {"level": "777"}}})
    assert wapi.get("/api/sim/widget/searchItem?searchPhrase=777").json()["total"] == 1
    wsim.app.env.version = "26.1"
    assert wapi.get("/api/sim/widget/searchItem?searchPhrase=777").json()["total"] == 0


def test_add_empty_row_on_category_search(api, cats):
    """firewall.md 3: searchItem/1 puts a "(No Category)" row first; counters are not adjusted."""
    res = api.get("/api/firewall/category/searchItem/1").json()
    assert res["rows"][0] == {"uuid": "", "name": "(No Category)", "auto": "", "color": ""}
    assert (len(res["rows"]), res["rowCount"], res["total"]) == (6, 5, 5)


def test_unknown_uuid_search_finds_nothing(api, cats):
    assert search(api, body={"searchPhrase": str(uuidlib.uuid4())})["rows"] == []
