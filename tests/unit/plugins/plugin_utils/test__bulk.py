"""Bulk writes: which writes share a request, the CSV they go out as, and each action's outcome."""

from __future__ import annotations

import csv
import io

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._bulk import (
    BULK_WRITE_MAX,
    ENDPOINTS,
    csv_payload,
    endpoint_for,
    groupable,
    signature,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink
from ansible_collections.opnform.opnsense.plugins.plugin_utils._executor import ExecHooks, Executor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._graph import order_plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import Journal, load_run
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action, Plan
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import Throttle
from ansible_collections.opnform.opnsense.plugins.plugin_utils._run_hooks import JournalHook
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import Writer

RULES = REGISTRY["firewall_filter_rule"]
BULK = {
    "firewall_filter_rule": ENDPOINTS[("firewall", "filter")],
    "firewall_alias": ENDPOINTS[("firewall", "alias")],
    "firewall_category": ENDPOINTS[("firewall", "category")],
    "haproxy_server": ENDPOINTS[("haproxy", "settings")],
    "haproxy_backend": ENDPOINTS[("haproxy", "settings")],
}


class Pool(object):
    def __init__(self, client):
        self._client = client

    def service(self, spec):
        from ansible_collections.opnform.opnsense.plugins.module_utils._service import ResourceService

        return ResourceService(self._client, spec)


def uuid(n):
    return "00000000-0000-4000-8000-%012d" % n


def rule(n, op="create", after=(), **payload):
    payload = payload or {"description": "rule %d" % n, "interface": "lan", "protocol": "TCP"}
    return Action(
        id="firewall_filter_rule/r%d" % n,
        op=op,
        type="firewall_filter_rule",
        name="r%d" % n,
        uuid=uuid(n),
        payload=payload,
        after=list(after),
        order=n,
    )


def plan_of(actions):
    return Plan(id="p", deployment="d", firewall="fw", actions=actions, stages=order_plan(actions))


def run(fake_fw, actions, bulk=None, hooks=None, **kw):
    writer = Writer(Pool(fake_fw), REGISTRY, bulk=BULK if bulk is None else bulk)
    sink = EventSink("r")
    result = Executor(plan_of(actions), writer, Throttle(1), sink, hooks, parallelism=5, **kw).run()
    return result, sink.events


def uploads(fake_fw):
    return [c for c in fake_fw.calls if c[1].endswith("upload_rules")]


def records(call):
    rows = list(csv.reader(io.StringIO(call[2]["payload"]), delimiter=";", quotechar='"'))
    return [dict(zip(rows[0], r)) for r in rows[1:] if r]


def test_the_endpoint_depends_on_the_controller_and_the_release():
    assert endpoint_for(RULES, (26, 7, 2)) is not None and endpoint_for(RULES, (26, 1)) is not None
    assert endpoint_for(RULES, (25, 7)) is None and endpoint_for(RULES, ()) is None
    # the alias import matches by name and picks the uuids of what it creates
    aliases = endpoint_for(REGISTRY["firewall_alias"], (26, 7))
    assert aliases is not None and aliases.match == "name" and not aliases.keeps_uuid
    # the categories' upload (26.1.3 on) matches by name and creates under the record's @uuid
    categories = endpoint_for(REGISTRY["firewall_category"], (26, 1, 3))
    assert categories is not None and categories.match == "name" and categories.keeps_uuid
    assert endpoint_for(REGISTRY["firewall_category"], (26, 1, 2)) is None
    # HAProxy's objects go through the whole-model set; its settings are no list of objects
    assert endpoint_for(REGISTRY["haproxy_server"], (25, 7)).container("server") == "servers.server"
    assert endpoint_for(REGISTRY["haproxy_settings"], (26, 7)) is None


def test_ready_writes_of_one_type_and_shape_go_out_as_one_import_under_the_plans_uuids(fake_fw):
    result, _events = run(fake_fw, [rule(n) for n in range(5)])
    assert len(uploads(fake_fw)) == 1 and not [c for c in fake_fw.calls if "setRule" in c[1]]
    sent = records(uploads(fake_fw)[0])
    assert [r["@uuid"] for r in sent] == [uuid(n) for n in range(5)]
    assert sent[0]["description"] == "rule 0"
    assert set(fake_fw.objects["firewall_filter_rule"]) == set(uuid(n) for n in range(5))
    assert all(o.status == "ok" for o in result.outcomes.values()) and len(result.completion) == 5


def test_bulk_off_sends_one_request_per_object(fake_fw):
    run(fake_fw, [rule(n) for n in range(3)], bulk={})
    assert not uploads(fake_fw)
    assert len([c for c in fake_fw.calls if "setRule" in c[1]]) == 3


def test_grouping_refuses_other_shapes_types_backslashes_and_stays_bounded(fake_fw):
    endpoint = BULK["firewall_filter_rule"]
    assert not groupable(endpoint, rule(1, description="a\\b"))
    assert not groupable(endpoint, rule(1, op="delete"))
    assert groupable(endpoint, rule(1, description='a;b "c", d'))
    actions = [rule(n) for n in range(3)] + [rule(10, description="other shape")]
    run(fake_fw, actions)
    assert [len(records(c)) for c in uploads(fake_fw)] == [3]
    assert [c[1] for c in fake_fw.calls if "setRule" in c[1]] == ["firewall/filter/setRule/" + uuid(10)]
    fake_fw.calls.clear()
    run(fake_fw, [rule(n) for n in range(BULK_WRITE_MAX + 5)])
    assert [len(records(c)) for c in uploads(fake_fw)] == [BULK_WRITE_MAX, 5]


def test_a_write_waits_for_its_dependencies_even_in_bulk(fake_fw):
    actions = [rule(0), rule(1), rule(2, after=["firewall_filter_rule/r0"])]
    run(fake_fw, actions)
    assert [r["@uuid"] for r in records(uploads(fake_fw)[0])] == [uuid(0), uuid(1)]
    assert uuid(2) in fake_fw.objects["firewall_filter_rule"]


def test_categories_travel_as_names(fake_fw):
    cat = fake_fw.add("firewall_category", uuid(90), name="web", color="00ff00")
    actions = [rule(n, description="r%d" % n, categories=cat) for n in range(2)]
    run(fake_fw, actions)
    assert [r["categories"] for r in records(uploads(fake_fw)[0])] == ["web", "web"]
    # a name the endpoint could not map back (a comma in it) sends the unit one object at a time
    fake_fw.objects["firewall_category"][cat]["name"] = "a,b"
    fake_fw.calls.clear()
    run(fake_fw, [rule(n + 5, description="s%d" % n, categories=cat) for n in range(2)])
    assert not uploads(fake_fw) and len([c for c in fake_fw.calls if "setRule" in c[1]]) == 2


def test_refused_records_fail_alone_and_the_rest_is_written_with_continue_on_error(fake_fw, tmp_path):
    fake_fw.csv_refuse = [uuid(1)]
    journal = Journal(str(tmp_path / "j.jsonl"))
    journal.append("begin", actions=[{"id": "firewall_filter_rule/r%d" % n} for n in range(4)])
    hook = JournalHook.__new__(JournalHook)
    hook.journal = journal
    actions = [rule(n) for n in range(3)] + [rule(3, after=["firewall_filter_rule/r1"])]
    result, events = run(fake_fw, actions, hooks=hook, continue_on_error=True)
    statuses = dict((i, o.status) for i, o in result.outcomes.items())
    assert statuses == {
        "firewall_filter_rule/r0": "ok",
        "firewall_filter_rule/r1": "failed",
        "firewall_filter_rule/r2": "ok",
        "firewall_filter_rule/r3": "skipped",
    }
    failed = result.outcomes["firewall_filter_rule/r1"]
    assert failed.applied is False and "refused" in failed.error and "r1" in failed.error
    assert result.outcomes["firewall_filter_rule/r3"].reason == "upstream failed: firewall_filter_rule/r1"
    # the others are sent again one by one (whether the import saved them, its answer does not say)
    assert [c[1].rsplit("/", 1)[1] for c in fake_fw.calls if "setRule" in c[1]] == [uuid(0), uuid(2)]
    assert uuid(1) not in fake_fw.objects["firewall_filter_rule"]
    assert [e["event"] for e in events if e.get("action", {}).get("name") == "r1"] == ["action_start", "action_failed"]
    # one intent for the unit, and the journal knows each action's outcome
    status = load_run(str(tmp_path / "j.jsonl")).action_status()
    assert status["firewall_filter_rule/r0"] == "done" and status["firewall_filter_rule/r2"] == "done"
    assert status["firewall_filter_rule/r1"] == "not_applied" and status["firewall_filter_rule/r3"] == "pending"


def test_without_continue_on_error_a_refused_record_stops_the_rest(fake_fw):
    fake_fw.csv_refuse = [uuid(0)]
    result, _events = run(fake_fw, [rule(0), rule(1), rule(2, after=["firewall_filter_rule/r1"])])
    assert result.stopped
    assert result.outcomes["firewall_filter_rule/r1"].status == "ok"
    assert result.outcomes["firewall_filter_rule/r2"].status == "skipped"
    assert result.maybe_applied() == ["firewall_filter_rule/r1"]


def test_a_lost_answer_is_one_uncertain_unit_and_a_retry_duplicates_nothing(fake_fw, tmp_path):
    from ansible_collections.opnform.opnsense.plugins.module_utils._errors import TransportError

    fake_fw.answers["firewall/filter/upload_rules"] = TransportError("connection reset")
    journal = Journal(str(tmp_path / "j.jsonl"))
    journal.append("begin", actions=[{"id": "firewall_filter_rule/r%d" % n} for n in range(3)])
    hook = JournalHook.__new__(JournalHook)
    hook.journal = journal
    result, _events = run(fake_fw, [rule(n) for n in range(3)], hooks=hook)
    assert all(o.status == "failed" and o.applied is None for o in result.outcomes.values())
    assert result.maybe_applied() == ["firewall_filter_rule/r%d" % n for n in range(3)]
    assert set(load_run(str(tmp_path / "j.jsonl")).action_status().values()) == {"uncertain"}
    del fake_fw.answers["firewall/filter/upload_rules"]
    run(fake_fw, [rule(n) for n in range(3)])
    run(fake_fw, [rule(n) for n in range(3)])  # the same import again: updates, no second object
    assert sorted(fake_fw.objects["firewall_filter_rule"]) == [uuid(n) for n in range(3)]


def test_the_csv_quotes_what_needs_it():
    text = csv_payload([rule(1, description='a;b "c"', interface="lan,wan")], {}, BULK["firewall_filter_rule"])
    rows = list(csv.reader(io.StringIO(text), delimiter=";", quotechar='"'))
    assert rows[0][0] == "@uuid" and rows[1][rows[0].index("description")] == 'a;b "c"'
    assert rows[1][rows[0].index("interface")] == "lan,wan"


def test_exec_hooks_default_does_nothing():
    assert ExecHooks().before_write([rule(1)]) == 0


def alias(n):
    return Action(
        id="firewall_alias/a%d" % n,
        op="create",
        type="firewall_alias",
        name="a%d" % n,
        uuid=uuid(50 + n),
        identity={"name": "a%d" % n},
        payload={"name": "a%d" % n, "type": "host"},
        order=n,
    )


def test_writes_about_to_be_ready_wait_for_each_other_while_others_are_in_flight(fake_fw):
    # each rule waits for its own alias; the aliases go out one by one, so without waiting the
    # rules would go out in small requests as their aliases end
    actions = [alias(n) for n in range(5)] + [rule(n, after=["firewall_alias/a%d" % n]) for n in range(5)]
    result, _events = run(fake_fw, actions)
    assert [len(records(c)) for c in uploads(fake_fw)] == [5]
    assert all(o.status == "ok" for o in result.outcomes.values())
    # nothing else in flight: a ready write never waits
    fake_fw.calls.clear()
    result, _events = run(fake_fw, [rule(n + 10) for n in range(2)] + [rule(20, after=["firewall_filter_rule/r10"])])
    assert [len(records(c)) for c in uploads(fake_fw)] == [2]
    assert result.outcomes["firewall_filter_rule/r20"].status == "ok"


def alias_update(fake_fw, n, content, name=None):
    current = fake_fw.add("firewall_alias", uuid(70 + n), name="al%d" % n, type="host", content="10.0.0.1")
    return Action(
        id="firewall_alias/al%d" % n,
        op="update",
        type="firewall_alias",
        name="al%d" % n,
        uuid=current,
        payload={"name": name or "al%d" % n, "content": content},
        before=dict(fake_fw.objects["firewall_alias"][current]),
        order=n,
    )


def imports(fake_fw):
    return [c for c in fake_fw.calls if c[1] == "firewall/alias/import"]


def test_alias_updates_that_keep_their_names_go_out_as_one_import(fake_fw):
    actions = [alias_update(fake_fw, n, "10.1.0.%d" % n) for n in range(3)]
    rename = alias_update(fake_fw, 3, "10.1.0.3", name="renamed")
    result, _events = run(fake_fw, actions + [rename])
    assert len(imports(fake_fw)) == 1
    assert sorted(imports(fake_fw)[0][2]["data"]["aliases"]["alias"]) == [uuid(70 + n) for n in range(3)]
    assert [fake_fw.objects["firewall_alias"][uuid(70 + n)]["content"] for n in range(3)] == [
        "10.1.0.%d" % n for n in range(3)
    ]
    # the rename goes alone (setItem also rewrites references); creates never share with updates
    assert [c[1] for c in fake_fw.calls if "setItem" in c[1]] == ["firewall/alias/setItem/" + uuid(73)]
    assert signature(BULK["firewall_alias"], alias(9)) != signature(BULK["firewall_alias"], actions[0])
    assert all(o.status == "ok" for o in result.outcomes.values())
    assert len(fake_fw.objects["firewall_alias"]) == 4


def test_a_refused_alias_fails_alone_and_nothing_else_of_the_import_is_lost(fake_fw):
    actions = [alias_update(fake_fw, n, "10.1.0.%d" % n) for n in range(3)]
    fake_fw.csv_refuse = [uuid(71)]
    result, _events = run(fake_fw, actions, continue_on_error=True)
    statuses = dict((i, (o.status, o.applied)) for i, o in result.outcomes.items())
    assert statuses == {
        "firewall_alias/al0": ("ok", True),
        "firewall_alias/al1": ("failed", False),
        "firewall_alias/al2": ("ok", True),
    }
    assert "refused" in result.outcomes["firewall_alias/al1"].error
    # nothing was saved by the import: the two others went one by one
    assert [c[1].rsplit("/", 1)[1] for c in fake_fw.calls if "setItem" in c[1]] == [uuid(70), uuid(72)]
    assert fake_fw.objects["firewall_alias"][uuid(71)]["content"] == "10.0.0.1"


def test_an_import_that_created_an_alias_deletes_it_and_writes_one_by_one(fake_fw):
    actions = [alias_update(fake_fw, n, "10.1.0.%d" % n) for n in range(2)]
    del fake_fw.objects["firewall_alias"][uuid(71)]  # deleted by someone else since the plan
    run(fake_fw, actions)
    names = sorted(a["name"] for a in fake_fw.objects["firewall_alias"].values())
    assert names == ["al0", "al1"]
    assert uuid(71) in fake_fw.objects["firewall_alias"]  # set<Item>/<uuid> re-created it, as without bulk


# -- creates under uuids the firewall picks ----------------------------------------------------


def journaled(tmp_path, actions):
    journal = Journal(str(tmp_path / "j.jsonl"))
    journal.append("begin", actions=[{"id": a.id} for a in actions])
    hook = JournalHook.__new__(JournalHook)
    hook.journal = journal
    return hook


def run_plan(fake_fw, plan, hooks=None, **kw):
    writer = Writer(Pool(fake_fw), REGISTRY, bulk=BULK)
    return Executor(plan, writer, Throttle(1), EventSink("r"), hooks, parallelism=5, **kw).run()


def by_name(fake_fw, type_name):
    return dict((o["name"], u) for u, o in fake_fw.objects[type_name].items())


def test_alias_creates_go_out_as_one_import_and_the_plan_takes_the_uuids_the_firewall_picked(fake_fw, tmp_path):
    aliases = [alias(n) for n in range(3)]
    # a rule naming alias a0 by uuid (overload) is written after it, with the firewall's uuid
    overload = rule(9, after=["firewall_alias/a0"], description="r9", interface="lan", overload=uuid(50))
    overload.expected = {"overload": uuid(50)}
    plan = plan_of(aliases + [overload])
    plan.new_state = [{"type": "firewall_alias", "name": "a0", "uuid": uuid(50)}]
    hook = journaled(tmp_path, plan.actions)
    result = run_plan(fake_fw, plan, hooks=hook)
    assert all(o.status == "ok" for o in result.outcomes.values())
    assert len(imports(fake_fw)) == 1 and not [c for c in fake_fw.calls if "alias/setItem" in c[1]]
    landed = by_name(fake_fw, "firewall_alias")
    assert sorted(landed) == ["a0", "a1", "a2"] and uuid(50) not in fake_fw.objects["firewall_alias"]
    assert [a.uuid for a in aliases] == [landed["a%d" % n] for n in range(3)]
    assert all(a.located for a in aliases)
    assert plan.rekeyed == dict((uuid(50 + n), landed["a%d" % n]) for n in range(3))
    # everything that named the planned uuid names the firewall's
    assert fake_fw.objects["firewall_filter_rule"][uuid(9)]["overload"] == landed["a0"]
    assert overload.expected == {"overload": landed["a0"]} and plan.new_state[0]["uuid"] == landed["a0"]
    # the journal: the intent says they are to be found by identity, the done where they are
    run_record = load_run(str(tmp_path / "j.jsonl"))
    assert run_record.located() == ["firewall_alias/a%d" % n for n in range(3)]
    assert run_record.rekeyed() == dict(("firewall_alias/a%d" % n, landed["a%d" % n]) for n in range(3))


def test_a_plan_that_keeps_its_uuids_sends_no_create_where_the_firewall_picks_them(fake_fw):
    plan = plan_of([alias(n) for n in range(3)] + [server(n) for n in range(2)] + [category(n) for n in range(2)])
    plan.keep_uuids = True  # a checkpoint restore
    result = run_plan(fake_fw, plan)
    assert all(o.status == "ok" for o in result.outcomes.values())
    assert not imports(fake_fw) and not model_sets(fake_fw) and len(uploads_of_categories(fake_fw)) == 1
    assert sorted(fake_fw.objects["firewall_alias"]) == [uuid(50 + n) for n in range(3)]
    assert sorted(fake_fw.objects["haproxy_server"]) == [uuid(10 + n) for n in range(2)]
    assert plan.rekeyed == {}


def test_a_create_whose_name_is_taken_goes_alone_and_the_others_in_the_import(fake_fw):
    taken = fake_fw.add("firewall_alias", uuid(99), name="a1", type="host")
    result, _events = run(fake_fw, [alias(n) for n in range(4)])
    sent = sorted(
        c[2]["data"]["aliases"]["alias"][k]["name"] for c in imports(fake_fw) for k in c[2]["data"]["aliases"]["alias"]
    )
    assert sent == ["a0", "a2", "a3"]
    # set<Item> under the plan's uuid: OPNsense refuses the duplicate name with its own message
    assert [c[1] for c in fake_fw.calls if "alias/setItem" in c[1]] == ["firewall/alias/setItem/" + uuid(51)]
    assert fake_fw.objects["firewall_alias"][taken]["type"] == "host"
    assert all(o.status == "ok" for o in result.outcomes.values())


def test_a_refused_create_fails_alone_and_the_others_go_one_by_one_under_the_plans_uuids(fake_fw):
    fake_fw.csv_refuse = [uuid(51)]
    result, _events = run(fake_fw, [alias(n) for n in range(3)], continue_on_error=True)
    assert (result.outcomes["firewall_alias/a1"].status, result.outcomes["firewall_alias/a1"].applied) == (
        "failed",
        False,
    )
    assert sorted(fake_fw.objects["firewall_alias"]) == [uuid(50), uuid(52)]  # nothing of the import was saved


def test_a_located_create_whose_answer_was_lost_is_found_by_name_and_undone(fake_fw):
    from ansible_collections.opnform.opnsense.plugins.module_utils._errors import TransportError
    from ansible_collections.opnform.opnsense.plugins.plugin_utils._rollback import Rollback, undo_step

    plain = fake_fw._dispatch

    def saved_then_lost(method, path, body):
        answer = plain(method, path, body)
        if path == "firewall/alias/import":
            raise TransportError("connection reset")
        return answer

    fake_fw._dispatch = saved_then_lost
    kept = fake_fw.add("firewall_alias", uuid(98), name="kept", type="host")
    aliases = [alias(n) for n in range(2)]
    result = run_plan(fake_fw, plan_of(aliases))
    assert all(o.status == "failed" and o.applied is None for o in result.outcomes.values())
    assert sorted(by_name(fake_fw, "firewall_alias")) == ["a0", "a1", "kept"]
    steps = [undo_step(a) for a in reversed(aliases)]
    assert steps[0].locate == {"name": "a1"}
    undone = Rollback(Writer(Pool(fake_fw), REGISTRY), REGISTRY, EventSink("r")).run(steps)
    assert undone.ok and list(fake_fw.objects["firewall_alias"]) == [kept]


def made(type_name, name, number, payload, op="create", before=None):
    """An action on one object named ``name`` (its identity), under ``uuid(number)``."""
    return Action(
        id="%s/%s" % (type_name, name),
        op=op,
        type=type_name,
        name=name,
        uuid=uuid(number),
        identity={"name": name},
        payload=payload,
        before=before if op == "update" else None,
        order=number,
    )


def category(n, op="create", **payload):
    name = "c%d" % n
    return made(
        "firewall_category",
        name,
        30 + n,
        payload or {"name": name, "color": "00ff00"},
        op,
        {"name": name, "color": "ffffff"},
    )


def uploads_of_categories(fake_fw):
    return [c for c in fake_fw.calls if c[1] == "firewall/category/upload"]


def test_categories_go_out_as_one_upload_keyed_on_name_under_the_plans_uuids(fake_fw):
    fake_fw.add("firewall_category", uuid(39), name="c9", color="ffffff")
    actions = [category(n) for n in range(3)] + [category(9, op="update", name="c9", color="0000ff")]
    plan = plan_of(actions)
    result = run_plan(fake_fw, plan)
    assert all(o.status == "ok" for o in result.outcomes.values())
    (call,) = uploads_of_categories(fake_fw)
    # creates carry the plan's uuid; the update is found by its name (no @uuid)
    assert [(r["@uuid"], r["name"]) for r in records(call)] == [
        (uuid(30), "c0"),
        (uuid(31), "c1"),
        (uuid(32), "c2"),
        ("", "c9"),
    ]
    assert sorted(fake_fw.objects["firewall_category"]) == [uuid(30), uuid(31), uuid(32), uuid(39)]
    assert fake_fw.objects["firewall_category"][uuid(39)]["color"] == "0000ff"
    assert plan.rekeyed == {} and not any(a.located for a in actions)
    # a rename is not grouped: keyed on the name, it would not find its object
    assert not groupable(BULK["firewall_category"], category(5, op="update", name="other", color="0000ff"))


def test_a_category_that_takes_a_name_while_the_upload_is_written_is_put_back(fake_fw, monkeypatch):
    actions = [category(n) for n in range(2)]
    writer = Writer(Pool(fake_fw), REGISTRY, bulk=BULK)
    monkeypatch.setattr(writer, "rows", lambda spec: {})  # read before the other client renamed it
    other = fake_fw.add("firewall_category", uuid(97), name="c1", color="ffffff")
    result = Executor(plan_of(actions), writer, Throttle(1), EventSink("r"), continue_on_error=True).run()
    assert result.outcomes["firewall_category/c0"].status == "ok"
    failed = result.outcomes["firewall_category/c1"]
    assert failed.status == "failed" and failed.applied is False and "took the name" in failed.error
    assert sorted(fake_fw.objects["firewall_category"]) == [uuid(30), other]


# -- the whole-model set (HAProxy) ---------------------------------------------------------------


def server(n, op="create", **payload):
    name = "s%d" % n
    return made(
        "haproxy_server",
        name,
        10 + n,
        payload or {"name": name, "address": "10.0.0.%d" % n},
        op,
        {"name": name, "address": "10.9.9.9"},
    )


def model_sets(fake_fw):
    return [c for c in fake_fw.calls if c[1] == "haproxy/settings/set"]


def test_haproxy_creates_go_out_as_one_model_set_and_their_dependents_name_the_firewalls_uuids(fake_fw, tmp_path):
    servers = [server(n) for n in range(3)]
    backend = Action(
        id="haproxy_backend/b",
        op="create",
        type="haproxy_backend",
        name="b",
        uuid=uuid(20),
        identity={"name": "b"},
        payload={"name": "b", "linkedServers": "%s,%s" % (uuid(10), uuid(12))},
        expected={"linkedServers": [uuid(10), uuid(12)]},
        after=["haproxy_server/s0", "haproxy_server/s2"],
        order=5,
    )
    plan = plan_of(servers + [backend])
    hook = journaled(tmp_path, plan.actions)
    result = run_plan(fake_fw, plan, hooks=hook)
    assert all(o.status == "ok" for o in result.outcomes.values())
    (call,) = model_sets(fake_fw)  # the backend alone is one object: set<Item> under its planned uuid
    assert sorted(call[2]["haproxy"]["servers"]["server"]) == [uuid(10), uuid(11), uuid(12)]
    landed = by_name(fake_fw, "haproxy_server")
    assert sorted(landed) == ["s0", "s1", "s2"] and not set(landed.values()) & {uuid(10), uuid(11), uuid(12)}
    assert [s.uuid for s in servers] == [landed["s%d" % n] for n in range(3)]
    stored = fake_fw.objects["haproxy_backend"][uuid(20)]
    assert stored["linkedServers"] == "%s,%s" % (landed["s0"], landed["s2"])
    assert backend.expected == {"linkedServers": [landed["s0"], landed["s2"]]}
    assert load_run(str(tmp_path / "j.jsonl")).located() == ["haproxy_server/s%d" % n for n in range(3)]


def test_a_refused_model_set_of_creates_goes_one_by_one_each_with_its_outcome(fake_fw):
    fake_fw.csv_refuse = [uuid(11)]
    fake_fw.prefix_answers["haproxy/settings/setServer/" + uuid(11)] = {
        "result": "failed",
        "validations": {"server.name": "refused"},
    }
    result, _events = run(fake_fw, [server(n) for n in range(3)], continue_on_error=True)
    statuses = dict((i, (o.status, o.applied)) for i, o in result.outcomes.items())
    assert statuses == {
        "haproxy_server/s0": ("ok", True),
        "haproxy_server/s1": ("failed", False),
        "haproxy_server/s2": ("ok", True),
    }
    assert sorted(fake_fw.objects["haproxy_server"]) == [uuid(10), uuid(12)]  # the set saved nothing


def test_haproxy_updates_share_a_model_set_keyed_on_their_uuids_and_a_refused_one_fails_alone(fake_fw):
    for n in range(3):
        fake_fw.add("haproxy_server", uuid(10 + n), name="s%d" % n, address="10.9.9.9")
    updates = [server(n, op="update", name="renamed%d" % n, address="10.1.1.%d" % n) for n in range(3)]
    assert groupable(BULK["haproxy_server"], updates[0])  # keyed on the uuid: a rename is fine
    fake_fw.csv_refuse = [uuid(12)]
    result, _events = run(fake_fw, updates, continue_on_error=True)
    assert [o.status for o in result.outcomes.values()] == ["ok", "ok", "failed"]
    assert "refused" in result.outcomes["haproxy_server/s2"].error
    assert [fake_fw.objects["haproxy_server"][uuid(10 + n)]["name"] for n in range(3)] == ["renamed0", "renamed1", "s2"]


@pytest.mark.parametrize("saved", [True, False])
def test_a_model_set_of_creates_whose_answer_was_lost_is_checked_by_name_not_sent_blindly(fake_fw, saved):
    from ansible_collections.opnform.opnsense.plugins.module_utils._errors import TransportError

    plain = fake_fw._dispatch
    lost = []

    def lose_the_first(method, path, body):
        if path == "haproxy/settings/set" and not lost:
            lost.append(True)
            if saved:
                plain(method, path, body)
            raise TransportError("connection reset")
        return plain(method, path, body)

    fake_fw._dispatch = lose_the_first
    sent = []
    original = fake_fw.post
    fake_fw.post = lambda path, body=None, retry=False: sent.append((path, retry)) or original(path, body, retry)
    servers = [server(0), server(1)]
    rekeyed = Writer(Pool(fake_fw), REGISTRY, bulk=BULK).write(servers)
    # never retried by the client (it would create again): sent a second time only when nothing landed
    assert [r for p, r in sent if p == "haproxy/settings/set"] == [False] * (1 if saved else 2)
    landed = by_name(fake_fw, "haproxy_server")
    assert sorted(landed) == ["s0", "s1"] and rekeyed == {
        "haproxy_server/s0": landed["s0"],
        "haproxy_server/s1": landed["s1"],
    }


def test_a_located_create_is_never_guessed(fake_fw):
    from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError

    writer = Writer(Pool(fake_fw), REGISTRY, bulk=BULK)
    # two objects with the identity of a create whose uuid is not there: nothing is deleted
    fake_fw.add("haproxy_server", uuid(90), name="twin")
    fake_fw.add("haproxy_server", uuid(91), name="twin")
    with pytest.raises(OpnError, match="2 haproxy_server objects"):
        writer.locate(REGISTRY["haproxy_server"], uuid(92), {"name": "twin"})
    assert writer.locate(REGISTRY["haproxy_server"], uuid(90), {"name": "twin"}) == uuid(90)


def test_a_model_set_create_missing_after_a_saved_answer_fails_unknown_and_touches_nothing_else(fake_fw):
    # keyed on uuids, the whole-model set never updates another object: a server named like the
    # create that was there before is left alone, and the create's outcome is unknown
    before = {uuid(80): {"uuid": uuid(80), "name": "s0", "address": "10.9.9.9"}}
    fake_fw.add("haproxy_server", uuid(80), name="s0", address="10.9.9.9")
    failures, rekeyed = {}, {}
    writer = Writer(Pool(fake_fw), REGISTRY, bulk=BULK)
    writer._find_created(REGISTRY["haproxy_server"], "name", [server(0)], before, False, failures, rekeyed)
    assert rekeyed == {} and "0 new haproxy_server objects" in str(failures["haproxy_server/s0"])
    assert not [c for c in fake_fw.calls if "setServer" in c[1]]
    # an import that matches by name did update it: its values are put back
    failures = {}
    fake_fw.objects["haproxy_server"][uuid(80)]["address"] = "10.0.0.0"
    writer._find_created(REGISTRY["haproxy_server"], "name", [server(0)], before, True, failures, rekeyed)
    assert "its values were put back" in str(failures["haproxy_server/s0"])
    assert fake_fw.objects["haproxy_server"][uuid(80)]["address"] == "10.9.9.9"
