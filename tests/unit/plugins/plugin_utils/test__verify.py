"""Read-back after the writes: one read per type, and every difference between what OPNsense holds
and what the plan expected named as ``type/name.field``."""

from __future__ import annotations

from test__planner import ALIAS, CAT, plan

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import ClientPool
from ansible_collections.opnform.opnsense.plugins.plugin_utils._verify import read_types, verify


def store(fw, action, **override):
    """Put on the fake firewall what ``action`` wrote, with ``override`` (API names) changed."""
    fw.add(action.type, action.uuid, **dict(action.payload, **override))


def test_read_types_reads_each_type_once(fake_fw):
    fake_fw.add("firewall_category", name="web")
    rows = read_types(ClientPool(lambda: fake_fw), REGISTRY, ["firewall_category", "firewall_category"], 4)
    assert list(rows) == ["firewall_category"] and [r["name"] for r in rows["firewall_category"]] == ["web"]
    assert read_types(ClientPool(lambda: fake_fw), REGISTRY, [], 4) == {}


def test_what_was_written_verifies(fake_fw):
    actions = plan([CAT, ALIAS]).writes
    for action in actions:
        store(fake_fw, action)
    rows = read_types(ClientPool(lambda: fake_fw), REGISTRY, [a.type for a in actions], 2)
    assert verify(actions, rows, REGISTRY) == []


def test_every_difference_is_named(fake_fw):
    cat, alias = plan([CAT, ALIAS]).writes
    store(fake_fw, cat, color="ff0000")
    rows = read_types(ClientPool(lambda: fake_fw), REGISTRY, ["firewall_category", "firewall_alias"], 2)
    problems = verify([cat, alias], rows, REGISTRY)
    assert problems == [
        "firewall_category/web.color: OPNsense holds 'ff0000', expected '00ff00'",
        "firewall_alias/web_hosts: not on the firewall after its create (uuid %s)" % alias.uuid,
    ]


def test_a_delete_verifies_when_the_object_is_gone(fake_fw):
    uuid = fake_fw.add("firewall_category", name="old")
    gone = Action(id="firewall_category/old", op="delete", type="firewall_category", name="old", uuid=uuid)
    rows = read_types(ClientPool(lambda: fake_fw), REGISTRY, ["firewall_category"], 1)
    assert verify([gone], rows, REGISTRY) == [
        "firewall_category/old: still on the firewall after its delete (uuid %s)" % uuid
    ]
    assert verify([gone], {"firewall_category": []}, REGISTRY) == []
