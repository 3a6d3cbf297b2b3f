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
BULK = {"firewall_filter_rule": ENDPOINTS[("firewall", "filter")], "firewall_alias": ENDPOINTS[("firewall", "alias")]}


def csv_import(fw, name, body):
    """importCsv keyed on @uuid: update, else create under the record's uuid; records whose uuid is
    in ``fw.csv_refuse`` get a message and are dropped, the rest saved; refused ones are named by
    their index."""
    reader = csv.reader(io.StringIO(body["payload"]), delimiter=";", quotechar='"')
    heading = next(reader)
    result = {"validations": [], "inserted": 0, "updated": 0, "uuids": {}, "fieldnames": heading}
    store = fw.objects[name]
    for idx, line in enumerate(r for r in reader if r):
        record = dict(zip(heading, line))
        uuid = record.pop("@uuid")
        if uuid in fw.csv_refuse:
            result["validations"].append({"sequence": idx, "field": "description", "message": "refused"})
            continue
        result["updated" if uuid in store else "inserted"] += 1
        result["uuids"][uuid] = idx
        store.setdefault(uuid, {}).update(record)
    return result


def alias_import(fw, body):
    """AliasController::importAction: match by name (else create under a new uuid), set the given
    properties, save only when nothing failed; messages keyed "<client key>.<field>"."""
    store = fw.objects["firewall_alias"]
    work = dict((u, dict(a)) for u, a in store.items())
    result = {"existing": 0, "new": 0, "status": "failed"}
    validations = {}
    for key, content in body["data"]["aliases"]["alias"].items():
        found = [u for u, a in work.items() if a.get("name") == content["name"]]
        if found:
            result["existing"] += 1
            work[found[0]].update(content)
        else:
            result["new"] += 1
            work["00000000-0000-4000-a000-%012d" % len(work)] = dict(content)
        if key in fw.csv_refuse:
            validations[key + ".content"] = "refused"
    if validations:
        result["validations"] = validations
        return result
    store.clear()
    store.update(work)
    result["status"] = "ok"
    return result


@pytest.fixture
def fake_fw(fake_fw):
    """The fake firewall (tests/unit/plugins/conftest.py) with the filter rules' CSV import."""
    plain = fake_fw._dispatch
    fake_fw.csv_refuse = []

    def dispatch(method, path, body):
        if path == "firewall/filter/upload_rules" and path not in fake_fw.answers:
            return csv_import(fake_fw, "firewall_filter_rule", body)
        if path == "firewall/alias/import" and path not in fake_fw.answers:
            return alias_import(fake_fw, body)
        return plain(method, path, body)

    fake_fw._dispatch = dispatch
    return fake_fw


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
    # the alias import takes updates only; categories have no endpoint that keeps uuids
    aliases = endpoint_for(REGISTRY["firewall_alias"], (26, 7))
    assert aliases is not None and aliases.match == "name"
    assert endpoint_for(REGISTRY["firewall_category"], (26, 7)) is None


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
    text = csv_payload([rule(1, description='a;b "c"', interface="lan,wan")], {})
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
    # the rename goes alone (setItem also rewrites references), and creates never use the import
    assert [c[1] for c in fake_fw.calls if "setItem" in c[1]] == ["firewall/alias/setItem/" + uuid(73)]
    assert not groupable(BULK["firewall_alias"], alias(9))
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
