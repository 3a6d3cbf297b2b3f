"""The per-resource flow (ensure present/absent) against the in-memory fake firewall."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import resource_argspec
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    AmbiguousError,
    ReloadError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._resource import ResourceRun
from ansible_collections.opnform.opnsense.plugins.module_utils._service import UUID4_RE

CONNECTION = {"api_url": "https://fw.test", "api_key": "k", "api_secret": "s"}


def params(type_name, **values):
    result = ArgumentSpecValidator(resource_argspec(REGISTRY[type_name])).validate(dict(CONNECTION, **values))
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def run(fake, type_name, check=False, diff=False, **values):
    return ResourceRun(REGISTRY[type_name], params(type_name, **values), fake, check_mode=check, want_diff=diff).run()


WEB = {"name": "web_servers", "type": "host", "content": ["10.0.0.1", "10.0.0.2"], "description": "Web"}


def web(**changes):
    """The web_servers alias task, with some options changed."""
    values = dict(WEB)
    values.update(changes)
    return values


class TestAliasLifecycle:
    def test_create_writes_once_and_reloads(self, fake_fw):
        result = run(fake_fw, "firewall_alias", **WEB)
        assert result["changed"] and UUID4_RE.match(result["uuid"])
        assert [c[1] for c in fake_fw.writes] == [
            "firewall/alias/setItem/" + result["uuid"],
            "firewall/alias/reconfigure",
        ]
        body = fake_fw.writes[0][2]["alias"]
        assert body["content"] == "10.0.0.1\n10.0.0.2" and body["enabled"] == "1" and body["type"] == "host"
        assert result["reloaded"] == ["aliases"]
        assert result["resource"]["content"] == ["10.0.0.1", "10.0.0.2"]

    def test_second_run_changes_nothing(self, fake_fw):
        run(fake_fw, "firewall_alias", **WEB)
        del fake_fw.calls[:]
        again = run(fake_fw, "firewall_alias", **web(content=["10.0.0.2", "10.0.0.1"]))
        assert not again["changed"] and again["changed_fields"] == []
        assert fake_fw.writes == []

    def test_update_reports_fields_and_diff(self, fake_fw):
        uuid = run(fake_fw, "firewall_alias", **WEB)["uuid"]
        result = run(fake_fw, "firewall_alias", diff=True, **web(description="Web tier"))
        assert result["changed"] and result["uuid"] == uuid and result["changed_fields"] == ["description"]
        assert result["diff"]["before"]["description"] == "Web" and result["diff"]["after"]["description"] == "Web tier"
        assert result["diff"]["before_header"] == "firewall_alias/web_servers"
        assert fake_fw.objects["firewall_alias"][uuid]["description"] == "Web tier"

    def test_check_mode_sends_no_write(self, fake_fw):
        run(fake_fw, "firewall_alias", **WEB)
        del fake_fw.calls[:]
        result = run(fake_fw, "firewall_alias", check=True, diff=True, **web(content=["10.0.0.3"]))
        assert result["changed"] and result["diff"]["after"]["content"] == ["10.0.0.3"]
        assert fake_fw.writes == [] and result["reloaded"] == []

    def test_check_mode_create_has_no_uuid(self, fake_fw):
        result = run(fake_fw, "firewall_alias", check=True, diff=True, **WEB)
        assert result["changed"] and result["uuid"] is None and result["diff"]["before"] == {}
        assert fake_fw.writes == [] and fake_fw.objects["firewall_alias"] == {}

    def test_absent_deletes_then_is_idempotent(self, fake_fw):
        uuid = run(fake_fw, "firewall_alias", **WEB)["uuid"]
        gone = run(fake_fw, "firewall_alias", diff=True, name="web_servers", state="absent")
        assert gone["changed"] and gone["uuid"] == uuid and gone["diff"]["after"] == {}
        assert ("POST", "firewall/alias/delItem/" + uuid, None) in fake_fw.calls
        del fake_fw.calls[:]
        assert not run(fake_fw, "firewall_alias", name="web_servers", state="absent")["changed"]
        assert fake_fw.writes == []

    def test_absent_in_check_mode_keeps_the_object(self, fake_fw):
        uuid = run(fake_fw, "firewall_alias", **WEB)["uuid"]
        del fake_fw.calls[:]
        assert run(fake_fw, "firewall_alias", check=True, name="web_servers", state="absent")["changed"]
        assert fake_fw.writes == [] and uuid in fake_fw.objects["firewall_alias"]

    def test_reload_false_only_saves(self, fake_fw):
        result = run(fake_fw, "firewall_alias", reload=False, **WEB)
        assert result["reloaded"] == [] and [c[1] for c in fake_fw.writes] == [
            "firewall/alias/setItem/" + result["uuid"]
        ]

    def test_sensitive_values_never_returned(self, fake_fw):
        result = run(
            fake_fw,
            "firewall_alias",
            diff=True,
            name="feed",
            type="urltable",
            content=["https://x"],
            authtype="Basic",
            username="u",
            password="hunter2",
        )
        assert result["resource"]["password"] == "********"
        assert "hunter2" not in repr(result)


def test_local_validation_fails_before_any_write(fake_fw):
    with pytest.raises(ValidationError) as err:
        run(fake_fw, "firewall_alias", name="web", type="port", content=["8000-8080"], categories=["nope"])
    assert str(err.value).startswith("firewall_alias/web: content: ")
    assert "categories: no firewall_category named 'nope'" in str(err.value), "reported together"
    assert err.value.kind == "validation" and fake_fw.writes == []


def test_wrong_types_are_named_not_crashed_on(fake_fw):
    # Ansible's argument spec converts types before a module runs; the flow must not crash without it.
    values = dict(params("firewall_alias", name="web", type="host"), content=7, categories=7)
    with pytest.raises(ValidationError) as err:
        ResourceRun(REGISTRY["firewall_alias"], values, fake_fw).run()
    assert "firewall_alias/web: content: must be a list of strings, got int 7" in str(err.value)
    assert "categories: must be a list of strings, got int 7" in str(err.value)
    assert fake_fw.writes == []


def test_absent_checks_only_the_identity_and_reads_nothing_when_it_is_bad(fake_fw):
    with pytest.raises(ValidationError):
        run(fake_fw, "firewall_alias", name="9bad", state="absent")
    assert fake_fw.calls == []


def test_opnsense_validation_names_resource_and_field(fake_fw):
    fake_fw.validations = {"alias.content": 'Entry "nope" is not a valid hostname or IP address.'}
    with pytest.raises(ValidationError) as err:
        run(fake_fw, "firewall_alias", **web(content=["nope"]))
    assert str(err.value) == 'firewall_alias/web_servers: content: Entry "nope" is not a valid hostname or IP address.'


def test_categories_have_no_reload(fake_fw):
    result = run(fake_fw, "firewall_category", name="web", color="ff0000")
    assert result["reloaded"] == [] and len(fake_fw.writes) == 1


class TestReferences:
    def setup_servers(self, fake):
        return fake.add("haproxy_server", name="web01"), fake.add("haproxy_server", name="web02")

    def test_names_are_sent_as_uuids_and_returned_as_names(self, fake_fw):
        web01, web02 = self.setup_servers(fake_fw)
        check = fake_fw.add("haproxy_healthcheck", name="http_health")
        result = run(
            fake_fw, "haproxy_backend", name="pool", linked_servers=["web02", "web01"], health_check="http_health"
        )
        body = [c for c in fake_fw.writes if "setBackend" in c[1]][0][2]["backend"]
        assert body["linkedServers"] == "%s,%s" % (web02, web01) and body["healthCheck"] == check
        assert result["resource"]["linked_servers"] == ["web01", "web02"]
        assert result["resource"]["health_check"] == "http_health"
        assert [c[1] for c in fake_fw.writes][-2:] == ["haproxy/service/configtest", "haproxy/service/reconfigure"]
        del fake_fw.calls[:]
        assert not run(
            fake_fw, "haproxy_backend", name="pool", linked_servers=["web01", "web02"], health_check="http_health"
        )["changed"]

    def test_ordered_references_keep_their_order(self, fake_fw):
        first = fake_fw.add("haproxy_action", name="a1", type="use_backend")
        second = fake_fw.add("haproxy_action", name="a2", type="use_backend")
        run(fake_fw, "haproxy_frontend", name="fe", bind=["0.0.0.0:80"], linked_actions=["a2", "a1"])
        stored = list(fake_fw.objects["haproxy_frontend"].values())[0]["linkedActions"]
        assert stored == "%s,%s" % (second, first)
        assert run(fake_fw, "haproxy_frontend", name="fe", bind=["0.0.0.0:80"], linked_actions=["a1", "a2"])["changed"]

    def test_unknown_name_fails_without_writing(self, fake_fw):
        self.setup_servers(fake_fw)
        with pytest.raises(ValidationError) as err:
            run(fake_fw, "haproxy_backend", name="pool", linked_servers=["web03", "web04"])
        assert str(err.value).startswith("haproxy_backend/pool: linked_servers: no haproxy_server named 'web03'")
        assert "no haproxy_server named 'web04'" in str(err.value), "every missing name is reported"
        assert err.value.kind == "reference" and fake_fw.writes == []

    def test_check_mode_assumes_an_earlier_task_creates_a_missing_reference(self, fake_fw):
        # --check of a chain of tasks: the server task before this one wrote nothing.
        self.setup_servers(fake_fw)
        result = run(fake_fw, "haproxy_backend", check=True, diff=True, name="pool", linked_servers=["web01", "m_srv"])
        assert result["changed"] and fake_fw.writes == []
        assert result["warnings"] == [
            "haproxy_backend/pool: linked_servers: no haproxy_server named 'm_srv' exists yet; "
            "check mode assumes an earlier task creates it"
        ]
        assert result["diff"]["after"]["linked_servers"] == ["m_srv", "web01"]

    def test_check_mode_update_with_a_missing_reference_is_a_change(self, fake_fw):
        self.setup_servers(fake_fw)
        run(fake_fw, "haproxy_backend", name="pool", linked_servers=["web01"])
        del fake_fw.calls[:]
        result = run(fake_fw, "haproxy_backend", check=True, name="pool", linked_servers=["m_srv"])
        assert result["changed"] and result["changed_fields"] == ["linked_servers"] and fake_fw.writes == []
        assert "no haproxy_server named 'm_srv' exists yet" in result["warnings"][0]

    def test_rule_net_alias_names_stay_names(self, fake_fw):
        cat = fake_fw.add("firewall_category", name="web")
        run(
            fake_fw,
            "firewall_filter_rule",
            description="Allow web",
            protocol="tcp",
            destination_net=["web_servers"],
            destination_port="https",
            categories=["web"],
        )
        body = fake_fw.writes[0][2]["rule"]
        assert body["destination_net"] == "web_servers" and body["categories"] == cat and body["protocol"] == "tcp"
        assert "sequence" not in body, "sequence is left to OPNsense unless given"


def test_duplicate_identity_is_ambiguous(fake_fw):
    fake_fw.add("haproxy_server", name="dup")
    fake_fw.add("haproxy_server", name="dup")
    with pytest.raises(AmbiguousError, match="2 objects on the firewall match"):
        run(fake_fw, "haproxy_server", name="dup")
    assert fake_fw.writes == []


def test_fields_the_firewall_lacks_are_not_compared_but_warned(fake_fw):
    fake_fw.add("haproxy_healthcheck", name="hc")
    fake_fw.hidden_fields["haproxy_healthcheck"] = ["mysql_post41", "http_host"]
    quiet = run(fake_fw, "haproxy_healthcheck", name="hc")
    assert not quiet["changed"] and quiet["warnings"] == []
    loud = run(fake_fw, "haproxy_healthcheck", name="hc", mysql_post41=True)
    assert not loud["changed"] and "mysql_post41: this firewall's API has no such field" in loud["warnings"][0]


def test_case_folded_fields_are_idempotent(fake_fw):
    fake_fw.add("haproxy_frontend", name="fe", bind="0.0.0.0:80", stickiness_expire="30m")
    result = run(fake_fw, "haproxy_frontend", name="fe", bind=["0.0.0.0:80"], stickiness_expire="30M")
    assert not result["changed"]


def test_auto_fields_are_kept_on_update(fake_fw):
    """VLAN setItem recomputes the device name from what is posted: send the current one."""
    uuid = fake_fw.add("interfaces_vlan", vlanif="vlan01", **{"if": "igb1", "tag": "100"})
    result = run(fake_fw, "interfaces_vlan", parent="igb1", tag=100, description="Servers")
    assert result["changed"] and result["uuid"] == uuid and result["changed_fields"] == ["description"]
    body = fake_fw.writes[0][2]["vlan"]
    assert body["vlanif"] == "vlan01" and body["if"] == "igb1" and body["tag"] == "100"
    assert fake_fw.writes[1][1] == "interfaces/vlan_settings/reconfigure"


def test_reload_failure_says_the_change_was_saved(fake_fw):
    fake_fw.answers["haproxy/service/configtest"] = {"result": "[ALERT] broken"}
    with pytest.raises(ReloadError) as err:
        run(fake_fw, "haproxy_server", name="web01", address="10.0.0.1")
    assert "haproxy_server/web01: " in str(err.value) and "the change itself was saved" in str(err.value)
    assert ("POST", "haproxy/service/reconfigure", None) not in fake_fw.calls
