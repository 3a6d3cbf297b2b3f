"""Endpoints that write many objects in one request (simulator/README.md, "Bulk endpoints"): what each
does to uuids, what one invalid item does to the others, and what they cost: per-item validation
and one config save."""

from __future__ import annotations

import time

RULES = "/api/firewall/filter"
UUIDS = ["%08x-0000-4000-8000-000000000000" % (n + 1) for n in range(4)]


def saves(sim) -> int:
    """Config saves so far (each adds a backup; the first save also lists the factory one)."""
    return len(sim.app.store.revisions)


def prime(api) -> None:
    """One save first, so that the next ones count one backup each."""
    api.post("/api/firewall/category/addItem", json={"category": {"name": "prime"}})


def csv(rows: list[tuple[str, str]]) -> str:
    return "@uuid;description;protocol;destination_port\n" + "".join(f"{u};{d};TCP;80\n" for u, d in rows)


def test_rule_import_creates_under_the_records_uuids_with_one_save(api, sim):
    prime(api)
    before = saves(sim)
    body = api.post(f"{RULES}/uploadRules", json={"payload": csv([(u, f"r{i}") for i, u in enumerate(UUIDS)])}).json()
    assert body["inserted"] == 4 and body["validations"] == [] and sorted(body["uuids"]) == sorted(UUIDS)
    rules = sim.state()["config"]["firewall.filter_rule"]
    assert all(rules[u]["description"] == f"r{i}" for i, u in enumerate(UUIDS))
    assert saves(sim) == before + 1
    # the same upload again updates: no duplicate, the uuids stay
    body = api.post(f"{RULES}/uploadRules", json={"payload": csv([(u, f"r{i}") for i, u in enumerate(UUIDS)])}).json()
    assert body["updated"] == 4 and body["inserted"] == 0
    assert len(sim.state()["config"]["firewall.filter_rule"]) == len(rules)


def test_rule_import_drops_refused_records_and_saves_the_rest(api, sim):
    prime(api)
    payload = "@uuid;description;protocol;source_port\n"
    payload += f"{UUIDS[0]};good;TCP;80\n{UUIDS[1]};bad;ICMP;80\n{UUIDS[2]};good too;UDP;53\n"
    before = saves(sim)
    body = api.post(f"{RULES}/uploadRules", json={"payload": payload}).json()
    assert [v["sequence"] for v in body["validations"]] == [1]
    rules = sim.state()["config"]["firewall.filter_rule"]
    assert UUIDS[0] in rules and UUIDS[2] in rules and UUIDS[1] not in rules
    assert saves(sim) == before + 1


def test_alias_import_matches_by_name_picks_new_uuids_and_is_all_or_nothing(api, sim):
    data = {"aliases": {"alias": {"k1": {"name": "imp_a", "type": "host", "content": "10.0.0.1"}}}}
    body = api.post("/api/firewall/alias/import", json={"data": data}).json()
    assert body == {"existing": 0, "new": 1, "status": "ok"}
    aliases = sim.state()["config"]["firewall.alias"]
    (uuid,) = [u for u, a in aliases.items() if a["name"] == "imp_a"]
    assert uuid != "k1"  # the client's key is not the new uuid
    prime(api)
    before = saves(sim)
    data = {
        "aliases": {
            "alias": {
                "k1": {"name": "imp_a", "type": "host", "content": "10.0.0.2"},
                "k2": {"name": "imp_b", "type": "host", "content": "not an address!"},
            }
        }
    }
    body = api.post("/api/firewall/alias/import", json={"data": data}).json()
    assert body["status"] == "failed" and list(body["validations"]) == ["k2.content"]
    assert sim.state()["config"]["firewall.alias"][uuid]["content"] == "10.0.0.1"  # nothing saved
    assert saves(sim) == before


def test_whole_model_set_creates_unknown_keys_under_server_uuids(api, sim):
    body = {"category": {"categories": {"category": {UUIDS[0]: {"name": "via_set", "color": "00ff00"}}}}}
    assert api.post("/api/firewall/category/set", json=body).json() == {"result": "saved"}
    cats = sim.state()["config"]["firewall.category"]
    (uuid,) = [u for u, c in cats.items() if c["name"] == "via_set"]
    assert uuid != UUIDS[0]


def test_a_bulk_request_costs_per_item_validation_and_one_save(api, sim):
    sim.set_profile(item_ms=40, write_ms=100)
    started = time.monotonic()
    api.post(f"{RULES}/uploadRules", json={"payload": csv([(u, f"c{i}") for i, u in enumerate(UUIDS)])})
    took = time.monotonic() - started
    assert took >= 4 * 0.040 + 0.100
    assert took < 4 * (0.040 + 0.100)  # one save, not one per item
