"""The writes themselves: upsert under the plan's UUID, deletes (bulk and retried), what a failure
says about what was saved, and which firewalls take comma-separated deletes."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    InUseError,
    ServerError,
    TransportError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action
from ansible_collections.opnform.opnsense.plugins.plugin_utils._writer import (
    Writer,
    applied_after,
    one_at_a_time,
    server_computes,
    supports_bulk_delete,
    version_tuple,
)

ONE = "11111111-1111-4111-8111-111111111111"
TWO = "22222222-2222-4222-8222-222222222222"


def action(op, type_name, name, uuid, **more):
    return Action(id="%s/%s" % (type_name, name), op=op, type=type_name, name=name, uuid=uuid, **more)


class Pool(object):
    def __init__(self, client):
        self._client = client

    def service(self, spec):
        from ansible_collections.opnform.opnsense.plugins.module_utils._service import ResourceService

        return ResourceService(self._client, spec)


def test_versions_and_bulk_delete_support():
    assert version_tuple("26.1.3_2") == (26, 1, 3)
    assert version_tuple("25.7") == (25, 7)
    assert version_tuple(None) == ()
    assert supports_bulk_delete("26.1.3") and supports_bulk_delete("26.7.2") and not supports_bulk_delete("26.1.2")
    assert not supports_bulk_delete("") and not supports_bulk_delete("unknown")


def test_applied_after_tells_refused_writes_from_lost_answers():
    assert applied_after(ValidationError([("x", "rejected")])) is False
    assert applied_after(InUseError("in use")) is False
    assert applied_after(ApiError("OPNsense did not save it")) is False
    assert applied_after(TransportError("connection reset")) is None
    assert applied_after(ServerError("Unexpected error")) is None


def test_server_computes_only_creates_leaving_an_auto_field_open():
    vlan = REGISTRY["interfaces_vlan"]
    auto = [f for f in vlan.fields if f.auto]
    assert auto, "interfaces_vlan leaves its device name to OPNsense"
    assert server_computes(vlan, action("create", "interfaces_vlan", "v", ONE, payload={"tag": "10"}))
    assert not server_computes(vlan, action("update", "interfaces_vlan", "v", ONE, payload={"tag": "10"}))
    full = dict((f.api, "x") for f in auto)
    assert not server_computes(vlan, action("create", "interfaces_vlan", "v", ONE, payload=full))
    assert not server_computes(REGISTRY["firewall_alias"], action("create", "firewall_alias", "a", ONE))


def test_a_vlan_create_goes_one_at_a_time_only_where_the_controller_computes_without_the_lock():
    vlan = REGISTRY["interfaces_vlan"]
    create = action("create", "interfaces_vlan", "v", ONE, payload={"tag": "10"})
    assert one_at_a_time(vlan, create, (26, 1, 7)) and one_at_a_time(vlan, create, ())
    assert not one_at_a_time(vlan, create, (26, 1, 8)) and not one_at_a_time(vlan, create, (26, 7, 2))
    loopback = REGISTRY["interfaces_loopback"]  # no release known to lock first: always one at a time
    assert one_at_a_time(loopback, action("create", "interfaces_loopback", "l", ONE, payload={}), (26, 7, 2))


def test_upsert_goes_to_the_plans_uuid(fake_fw):
    writer = Writer(Pool(fake_fw), REGISTRY)
    writer.write([action("create", "firewall_category", "web", ONE, payload={"name": "web", "color": "00ff00"})])
    assert fake_fw.objects["firewall_category"][ONE]["name"] == "web"


def test_deletes_of_one_unit_go_out_as_one_call(fake_fw):
    fake_fw.add("firewall_category", ONE, name="a")
    fake_fw.add("firewall_category", TWO, name="b")
    writer = Writer(Pool(fake_fw), REGISTRY)
    writer.write([action("delete", "firewall_category", "a", ONE), action("delete", "firewall_category", "b", TWO)])
    deletes = [c for c in fake_fw.writes if "del" in c[1]]
    assert len(deletes) == 1 and deletes[0][1].endswith("%s,%s" % (ONE, TWO))


class Flaky(object):
    """A service whose delete loses its answer ``drops`` times."""

    def __init__(self, drops):
        self.drops = drops
        self.calls = []

    def delete(self, uuids):
        self.calls.append(uuids)
        if len(self.calls) <= self.drops:
            raise TransportError("connection reset")


class FlakyPool(object):
    def __init__(self, service):
        self._service = service

    def service(self, spec):
        return self._service


def test_a_lost_delete_answer_is_retried_then_given_up(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    service = Flaky(drops=2)
    Writer(FlakyPool(service), REGISTRY, delete_retries=2).write([action("delete", "firewall_alias", "a", ONE)])
    assert service.calls == [ONE] * 3
    service = Flaky(drops=3)
    with pytest.raises(TransportError) as err:
        Writer(FlakyPool(service), REGISTRY, delete_retries=2).write([action("delete", "firewall_alias", "a", ONE)])
    assert "firewall_alias" in str(err.value) and len(service.calls) == 3
