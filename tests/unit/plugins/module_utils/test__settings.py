"""Settings resources: one object per firewall, read and written through the whole-model get/set."""

from __future__ import annotations

import uuid as uuidlib

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ApiError, ValidationError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._resource import ResourceRun
from ansible_collections.opnform.opnsense.plugins.module_utils._service import ResourceService
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec, settings_uuid, text

HAPROXY = REGISTRY["haproxy_settings"]
UNBOUND = REGISTRY["unbound_settings"]
SETTINGS = [s for s in REGISTRY.values() if s.settings]

HAPROXY_GET = {
    "haproxy": {
        "general": {
            "enabled": "0",
            "peers": {"enabled": "0", "port1": "1024"},
            "tuning": {
                "maxConnections": "",
                "sslServerVerify": {
                    "ignore": {"value": "no preference", "selected": 1},
                    "required": {"value": "enforce verify", "selected": 0},
                },
            },
            "stats": {"users": {}, "allowedUsers": []},
        },
        "frontends": {"frontend": {}},
    }
}


def test_the_registry_has_both_settings_types_and_they_have_no_identity():
    assert sorted(s.type for s in SETTINGS) == ["haproxy_settings", "unbound_settings"]
    for spec in SETTINGS:
        assert spec.identity == ()
        assert spec.path("get") == "%s/%s/get" % (spec.module, spec.controller)
        assert spec.path("set") == "%s/%s/set" % (spec.module, spec.controller)
        uuidlib.UUID(spec.settings_uuid)  # a valid uuid, fixed per type
        assert spec.settings_uuid == settings_uuid(spec.type) != settings_uuid("other")


def test_a_settings_spec_refuses_identity_fields():
    with pytest.raises(ValueError, match="no identity"):
        ResourceSpec(
            type="x_settings", module="x", controller="settings", key="x.general", identity=("name",),
            fields=(text("name", "n"),), summary="s", settings=True,
        )  # fmt: skip


def test_list_is_one_row_with_sub_sections_flattened_and_option_maps_kept(fake_fw):
    fake_fw.answers["haproxy/settings/get"] = HAPROXY_GET
    rows = ResourceService(fake_fw, HAPROXY).list()
    assert fake_fw.calls == [("GET", "haproxy/settings/get", None)]
    assert len(rows) == 1
    row = rows[0]
    assert row["uuid"] == HAPROXY.settings_uuid
    assert row["enabled"] == "0" and row["peers.port1"] == "1024" and row["tuning.maxConnections"] == ""
    assert row["tuning.sslServerVerify"]["ignore"]["selected"] == 1
    assert row["stats.users"] == {} and row["stats.allowedUsers"] == []
    assert "frontends.frontend" not in row  # other nodes of the model are not part of the settings


def test_blank_is_the_node_without_uuid_and_get_answers_only_the_fixed_uuid(fake_fw):
    fake_fw.answers["haproxy/settings/get"] = HAPROXY_GET
    service = ResourceService(fake_fw, HAPROXY)
    blank = service.blank()
    assert "uuid" not in blank and "tuning.sslServerVerify" in blank
    assert service.get(HAPROXY.settings_uuid)["enabled"] == "0"
    assert service.get("00000000-0000-4000-8000-000000000001") is None


def test_a_missing_node_is_an_error_naming_it(fake_fw):
    fake_fw.answers["haproxy/settings/get"] = {"haproxy": {}}
    with pytest.raises(ApiError, match="haproxy.general"):
        ResourceService(fake_fw, HAPROXY).list_all()


def test_upsert_nests_dotted_names_under_the_node_and_posts_the_whole_model_set(fake_fw):
    ResourceService(fake_fw, HAPROXY).upsert(
        HAPROXY.settings_uuid, {"enabled": "1", "tuning.maxConnections": "100", "tuning.nbthread": "2"}
    )
    assert fake_fw.calls[-1] == (
        "POST",
        "haproxy/settings/set",
        {"haproxy": {"general": {"enabled": "1", "tuning": {"maxConnections": "100", "nbthread": "2"}}}},
    )
    row = ResourceService(fake_fw, HAPROXY).list()[0]
    assert (row["enabled"], row["tuning.maxConnections"]) == ("1", "100")


def test_upsert_under_another_uuid_is_refused(fake_fw):
    with pytest.raises(ApiError, match="one object"):
        ResourceService(fake_fw, UNBOUND).upsert("00000000-0000-4000-8000-000000000001", {"enabled": "1"})
    assert fake_fw.writes == []


def test_opnsense_validations_name_the_user_fields(fake_fw):
    fake_fw.validations = {"haproxy.general.tuning.maxConnections": "Please specify a value between 0 and 10000000."}
    with pytest.raises(ValidationError) as caught:
        ResourceService(fake_fw, HAPROXY).upsert(HAPROXY.settings_uuid, {"tuning.maxConnections": "x"})
    assert caught.value.errors == [("tuning_max_connections", "Please specify a value between 0 and 10000000.")]


@pytest.mark.parametrize("spec", SETTINGS, ids=[s.type for s in SETTINGS])
def test_settings_cannot_be_created_or_deleted(fake_fw, spec):
    service = ResourceService(fake_fw, spec)
    with pytest.raises(ApiError, match="%s: settings cannot be created or deleted" % spec.type):
        service.create({"enabled": "1"})
    with pytest.raises(ApiError, match="%s: settings cannot be created or deleted" % spec.type):
        service.delete(spec.settings_uuid)
    assert fake_fw.calls == []


def run(fake_fw, spec, check_mode=False, **params):
    """As the module runs it: options not given hold OPNsense's defaults (the argument spec's)."""
    full = dict((f.name, f.default) for f in spec.fields)
    full.update(params)
    return ResourceRun(spec, full, fake_fw, check_mode=check_mode).run()


def test_the_module_updates_the_one_object_and_reloads(fake_fw):
    result = run(fake_fw, UNBOUND, enabled=True, port=5353, active_interface=[])
    assert result["changed"] and result["uuid"] == UNBOUND.settings_uuid
    assert sorted(result["changed_fields"]) == ["enabled", "port"]
    writes = [c[1] for c in fake_fw.writes]
    assert writes == ["unbound/settings/set", "unbound/service/reconfigure"]
    assert fake_fw.writes[0][2]["unbound"]["general"]["port"] == "5353"
    again = run(fake_fw, UNBOUND, enabled=True, port=5353, active_interface=[])
    assert not again["changed"]


def test_the_module_in_check_mode_writes_nothing(fake_fw):
    result = run(fake_fw, HAPROXY, check_mode=True, enabled=True)
    assert result["changed"] and fake_fw.writes == []


def test_state_absent_is_refused_before_any_request(fake_fw):
    with pytest.raises(ValidationError, match="cannot be absent"):
        run(fake_fw, HAPROXY, state="absent")
    assert fake_fw.calls == []
