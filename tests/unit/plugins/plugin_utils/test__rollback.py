"""Undoing writes against the fake firewall: how each operation is undone (create -> delete, update ->
original fields, delete -> upsert under the original UUID), reverse completion order, undo failures
reported and not hidden, secrets that cannot come back, the hooks, and the read-back check."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ApiError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import ClientPool
from ansible_collections.opnform.opnsense.plugins.plugin_utils._rollback import (
    Rollback,
    UndoHooks,
    undo_step,
    verify_undone,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import Writer

WEB = "11111111-1111-4111-8111-111111111111"
OLD = "22222222-2222-4222-8222-222222222222"
NEW = "33333333-3333-4333-8333-333333333333"


def path(type_name, word, uuid):
    return REGISTRY[type_name].path(word, uuid)


def action(op, type_name, name, uuid, **more):
    return Action(id="%s/%s" % (type_name, name), op=op, type=type_name, name=name, uuid=uuid, **more)


CREATED = action("create", "firewall_category", "new", NEW, payload={"name": "new", "color": "0000ff"})
UPDATED = action(
    "update",
    "firewall_category",
    "web",
    WEB,
    payload={"color": "ff0000"},
    before={"name": "web", "color": "00ff00"},
    undo_fields=["color"],
)
DELETED = action(
    "delete",
    "firewall_alias",
    "old",
    OLD,
    subsystem="aliases",
    before={"name": "old", "type": "host", "content": "10.0.0.9"},
)
COMPLETION = [DELETED, UPDATED, CREATED]


class RecordingHooks(UndoHooks):
    def __init__(self):
        self.calls = []

    def before_undo(self, step):
        self.calls.append(("before", step.action_id))

    def after_undo(self, step, ok, error):
        self.calls.append(("after", step.action_id, ok, error))


@pytest.fixture
def applied_fw(fake_fw):
    """The fake firewall after ``COMPLETION`` ran: ``new`` created, ``web`` recoloured, ``old`` gone."""
    fake_fw.add("firewall_category", NEW, name="new", color="0000ff")
    fake_fw.add("firewall_category", WEB, name="web", color="ff0000")
    return fake_fw


def steps_for(completed):
    return [undo_step(a) for a in reversed(completed)]


def roll_back(fw, steps, hooks=None):
    events = EventSink("r")
    result = Rollback(Writer(ClientPool(lambda: fw), REGISTRY, delete_retries=0), REGISTRY, events, hooks).run(
        steps, "failed"
    )
    return result, events.events


def test_each_operation_has_its_undo():
    created, updated, deleted = undo_step(CREATED), undo_step(UPDATED), undo_step(DELETED)
    assert (created.kind, created.payload) == ("delete", {})
    assert (updated.kind, updated.payload) == ("revert", {"color": "00ff00"})
    assert (deleted.kind, deleted.payload, deleted.uuid) == ("restore", DELETED.before, OLD)


def test_an_update_without_undo_fields_reverts_what_it_sent():
    step = undo_step(action("update", "firewall_category", "web", WEB, payload={"color": "1"}, before=UPDATED.before))
    assert step.payload == {"color": "00ff00"}


def test_a_noop_has_nothing_to_undo():
    with pytest.raises(ValueError):
        undo_step(action("noop", "firewall_category", "web", WEB))


def test_rollback_undoes_in_reverse_completion_order_and_restores_the_firewall(applied_fw):
    result, events = roll_back(applied_fw, steps_for(COMPLETION))
    assert result.ok and [r["id"] for r in result.rolled_back] == [a.id for a in reversed(COMPLETION)]
    assert [c[1] for c in applied_fw.writes] == [
        path("firewall_category", "delete", NEW),
        path("firewall_category", "set", WEB),
        path("firewall_alias", "set", OLD),
    ]
    assert NEW not in applied_fw.objects["firewall_category"]
    assert applied_fw.objects["firewall_category"][WEB]["color"] == "00ff00"
    assert applied_fw.objects["firewall_alias"][OLD]["content"] == "10.0.0.9"
    assert applied_fw.writes[1][2] == {"category": {"color": "00ff00"}}  # only the fields the update sent
    assert result.subsystems == ["aliases"]
    assert [e["event"] for e in events] == ["rollback_start"] + ["rollback_action"] * 3
    assert [e["undo"] for e in events[1:]] == ["delete", "revert", "restore"]


def test_a_create_that_never_landed_counts_as_undone(fake_fw):
    result, _events = roll_back(fake_fw, steps_for([CREATED]))
    assert result.ok and result.rolled_back[0]["undo"] == "delete"


def test_undo_failures_are_reported_and_the_other_undos_still_run(applied_fw):
    applied_fw.answers[path("firewall_category", "set", WEB)] = ApiError("boom")
    applied_fw.answers[path("firewall_alias", "set", OLD)] = RuntimeError("socket gone")
    result, events = roll_back(applied_fw, steps_for(COMPLETION))
    assert not result.ok and [r["id"] for r in result.rolled_back] == ["firewall_category/new"]
    errors = dict((f["id"], f["error"]) for f in result.failed)
    assert errors == {
        "firewall_category/web": "firewall_category/web: boom",
        "firewall_alias/old": "RuntimeError: socket gone",
    }
    assert [e["status"] for e in events[1:]] == ["ok", "failed", "failed"]


def test_a_secret_left_out_of_the_journal_is_reported_as_not_restored(fake_fw):
    feed = action(
        "update",
        "firewall_alias",
        "feed",
        OLD,
        payload={"username": "v", "password": "new-secret"},
        before={"username": "u"},
        before_withheld=["password"],
    )
    result, _events = roll_back(fake_fw, steps_for([feed]))
    assert result.rolled_back[0]["not_restored"] == ["password"]
    assert "password could not be restored" in result.failed[0]["error"] and not result.ok
    assert fake_fw.objects["firewall_alias"][OLD] == {"username": "u"}


def test_hooks_are_called_around_every_undo(applied_fw):
    applied_fw.answers[path("firewall_category", "set", WEB)] = ApiError("boom")
    hooks = RecordingHooks()
    roll_back(applied_fw, steps_for(COMPLETION), hooks)
    assert hooks.calls == [
        ("before", "firewall_category/new"),
        ("after", "firewall_category/new", True, None),
        ("before", "firewall_category/web"),
        ("after", "firewall_category/web", False, "firewall_category/web: boom"),
        ("before", "firewall_alias/old"),
        ("after", "firewall_alias/old", True, None),
    ]


def test_verify_undone_finds_nothing_when_the_pre_apply_state_is_back(applied_fw):
    steps = steps_for(COMPLETION)
    roll_back(applied_fw, steps)
    rows = dict((t, [dict(r, uuid=u) for u, r in applied_fw.objects[t].items()]) for t in applied_fw.objects)
    assert verify_undone(steps, rows, REGISTRY) == []


def test_verify_undone_names_every_object_not_as_it_was():
    rows = {
        "firewall_category": [{"uuid": NEW, "name": "new"}, {"uuid": WEB, "name": "web", "color": "ff0000"}],
        "firewall_alias": [],
    }
    problems = verify_undone(steps_for(COMPLETION), rows, REGISTRY)
    assert [(p["id"], p["error"]) for p in problems] == [
        ("firewall_category/new", "still on the firewall after the rollback"),
        ("firewall_category/web", "field color was not restored"),
        ("firewall_alias/old", "missing after the rollback"),
    ]
