"""Generic CRUD over the fake firewall: the quirks of search, get, set-upsert and del."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    InUseError,
    NotFoundError,
    PluginMissingError,
    ServerError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._service import (
    UUID4_RE,
    ResourceService,
    is_managed_row,
    validation_errors,
)

ALIAS = REGISTRY["firewall_alias"]
RULE = REGISTRY["firewall_filter_rule"]


def test_list_is_one_post_search_for_all_rows(fake_fw):
    fake_fw.add("firewall_alias", name="a")
    rows = ResourceService(fake_fw, ALIAS).list()
    assert [r["name"] for r in rows] == ["a"]
    assert fake_fw.calls == [("POST", "firewall/alias/searchItem", {"current": 1, "rowCount": -1})]


def test_list_skips_builtin_and_legacy_rows(fake_fw):
    """firewall.md 1.4 and 2.4: such rows cannot be managed through set/del."""
    fake_fw.extra_rows["firewall_alias"] = [
        {"uuid": "bogons", "name": "bogons"},
        {"uuid": "__wan_network", "name": "__wan_network"},
    ]
    fake_fw.extra_rows["firewall_filter_rule"] = [
        {"uuid": "0b4c3c3f-6f73-4d2c-9d3e-2a3f6f0a9b11", "legacy": True, "description": "auto"}
    ]
    assert ResourceService(fake_fw, ALIAS).list() == []
    assert ResourceService(fake_fw, RULE).list() == []
    assert is_managed_row({"uuid": "0b4c3c3f-6f73-4d2c-9d3e-2a3f6f0a9b11"})


def test_get_treats_empty_array_and_identityless_item_as_missing(fake_fw):
    service = ResourceService(fake_fw, ALIAS)
    assert service.get("0b4c3c3f-6f73-4d2c-9d3e-2a3f6f0a9b11") is None  # [] answer
    fake_fw.answers["firewall/alias/getItem/u"] = {"alias": {"content": {"other": {"value": "other", "selected": 0}}}}
    assert service.get("u") is None  # firewall.md 2.1: unknown alias uuid
    uuid = fake_fw.add("firewall_alias", name="a")
    assert service.get(uuid)["name"] == "a"


def test_create_is_an_upsert_under_a_client_uuid4(fake_fw):
    uuid = ResourceService(fake_fw, ALIAS).create({"name": "a", "type": "host"})
    assert UUID4_RE.match(uuid)
    assert fake_fw.calls == [("POST", "firewall/alias/setItem/" + uuid, {"alias": {"name": "a", "type": "host"}})]
    assert fake_fw.objects["firewall_alias"][uuid]["name"] == "a"


def test_create_refuses_a_non_uuid4(fake_fw):
    with pytest.raises(ValueError):
        ResourceService(fake_fw, ALIAS).create({}, uuid="not-a-uuid")


def test_validation_messages_name_user_fields(fake_fw):
    fake_fw.validations = {
        "alias.content": 'Entry "x" is not a valid hostname or IP address.',
        "alias.name": ["a", "b"],
    }
    with pytest.raises(ValidationError) as err:
        ResourceService(fake_fw, ALIAS).create({"name": "x"})
    err.value.with_context("firewall_alias", "web_servers")
    text = str(err.value)
    assert 'firewall_alias/web_servers: content: Entry "x" is not a valid hostname or IP address.' in text
    assert "firewall_alias/web_servers: name: a; firewall_alias/web_servers: name: b" in text


def test_validation_keys_map_api_names_to_option_names():
    vlan = REGISTRY["interfaces_vlan"]
    assert validation_errors(vlan, {"vlan.if": "bad", "vlan.vlanif": "dup"}) == [("parent", "bad"), ("device", "dup")]


def test_failed_without_validations_is_an_api_error(fake_fw):
    fake_fw.answers["firewall/alias/setItem/u"] = {"result": "failed"}
    with pytest.raises(ApiError, match="did not save"):
        ResourceService(fake_fw, ALIAS).update("u", {})


def test_delete_results(fake_fw):
    service = ResourceService(fake_fw, ALIAS)
    uuid = fake_fw.add("firewall_alias", name="a")
    assert service.delete(uuid) is True
    assert service.delete(uuid) is False


def test_delete_in_use_is_reported_with_opnsense_text(fake_fw):
    fake_fw.answers["firewall/alias/delItem/u"] = ServerError(
        "HTTP 500",
        details={"error_title": "Alias in use", "error_message": "Cannot delete alias a. Currently in use by [rule] x"},
    )
    with pytest.raises(InUseError, match="Alias in use: Cannot delete alias a"):
        ResourceService(fake_fw, ALIAS).delete("u")


def test_plugin_404_says_the_plugin_is_missing(fake_fw):
    spec = REGISTRY["haproxy_backend"]
    fake_fw.answers["haproxy/settings/searchBackends"] = NotFoundError(
        "404", details={"url": "https://fw/api/haproxy/settings/searchBackends"}
    )
    fake_fw.answers["core/firmware/status"] = {"product": {"product_version": "26.7.2"}}
    with pytest.raises(PluginMissingError, match="plugin os-haproxy is not installed"):
        ResourceService(fake_fw, spec).list()


def test_404_everywhere_means_a_wrong_api_url_not_a_missing_plugin(fake_fw):
    spec = REGISTRY["haproxy_backend"]
    fake_fw.answers["haproxy/settings/searchBackends"] = NotFoundError("404", details={"url": "https://fw/x/api/h"})
    fake_fw.answers["core/firmware/status"] = NotFoundError("404")
    with pytest.raises(NotFoundError, match="api_url does not point at the OPNsense API") as err:
        ResourceService(fake_fw, spec).list()
    assert not isinstance(err.value, PluginMissingError)


def test_core_404_stays_a_plain_not_found(fake_fw):
    fake_fw.answers["firewall/alias/searchItem"] = NotFoundError("404")
    with pytest.raises(NotFoundError) as err:
        ResourceService(fake_fw, ALIAS).list()
    assert not isinstance(err.value, PluginMissingError)


def test_reload_uses_the_spec_subsystem(fake_fw):
    assert ResourceService(fake_fw, REGISTRY["firewall_category"]).reload() is None
    assert ResourceService(fake_fw, RULE).reload()["status"] == "OK"
    assert fake_fw.calls[-1] == ("POST", "firewall/filter/apply", None)


def test_list_from_reads_every_object_from_a_whole_model_get(fake_fw):
    """``list_from``: source NAT rules come from the filter model's ``get``, which holds them in every
    outbound NAT mode (the search lists them in hybrid and advanced mode only)."""
    snat = REGISTRY["firewall_nat_source"]
    uuid = "0b4c3c3f-6f73-4d2c-9d3e-2a3f6f0a9b12"
    fake_fw.answers["firewall/filter/get"] = {
        "filter": {
            "snatrules": {"rule": {uuid: {"description": "out", "interface": {"wan": {"value": "WAN", "selected": 1}}}}}
        }
    }
    rows = ResourceService(fake_fw, snat).list()
    assert rows == [{"uuid": uuid, "description": "out", "interface": {"wan": {"value": "WAN", "selected": 1}}}]
    assert fake_fw.calls == [("GET", "firewall/filter/get", None)]
    fake_fw.answers["firewall/filter/get"] = {"filter": {"snatrules": {"rule": []}}}
    assert ResourceService(fake_fw, snat).list() == []
    fake_fw.answers["firewall/filter/get"] = {"filter": {}}
    with pytest.raises(ApiError, match="no filter.snatrules.rule"):
        ResourceService(fake_fw, snat).list()
