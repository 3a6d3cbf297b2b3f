"""The checkpoint store: file format, verification, identity, listing, retention, config.xml masking."""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ForbiddenError, TransportError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints import (
    FORMAT_VERSION,
    CheckpointDamaged,
    CheckpointNotFound,
    compute_checksum,
    delete_checkpoint,
    firewall_identity,
    get_checkpoint,
    identity_differences,
    list_checkpoints,
    load_checkpoint,
    mask_config_xml,
    read_checkpoint,
    retention,
    save_checkpoint,
    secret_tags,
    summary,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import DeploymentState, ManagedResource, StateDir

RULE = {"description": "allow-ssh", "destination_port": "22", "protocol": "TCP", "interface": "lan"}
IDENTITY = {"endpoint": "fw_443", "hostname": "fw.example.com", "product_id": "opnsense", "version": "26.7.2"}


def state_dir(tmp_path, url="https://fw"):
    return StateDir(str(tmp_path), url).ensure()


def save(sd, checkpoint_id="cp-1", deployment="web", objects=None, **kw):
    objects = objects if objects is not None else {"firewall_filter_rule": {"u1": dict(RULE)}}
    kw.setdefault("identity", dict(IDENTITY, endpoint=sd.firewall))
    kw.setdefault("origin", "checkpoint")
    return save_checkpoint(sd, checkpoint_id, None, deployment, objects, REGISTRY, **kw)


class FakeClient(object):
    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def get(self, path):
        self.calls.append(path)
        answer = self.answers[path]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_file_is_0600_self_describing_and_verifies(tmp_path):
    sd = state_dir(tmp_path)
    path = save(sd, description="Before changes")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(os.path.dirname(path)) == ["cp-1.json"]  # atomic: no temp file left
    raw = json.loads(open(path).read())
    assert raw["format"] == "opnform-checkpoint" and raw["format_version"] == FORMAT_VERSION
    assert raw["checksum"] == compute_checksum(raw) and raw["checksum"].startswith("sha256:")
    data = get_checkpoint(sd, "cp-1")
    assert data["objects"]["firewall_filter_rule"]["u1"] == RULE
    assert (data["description"], data["deployment"], data["origin"]) == ("Before changes", "web", "checkpoint")
    assert data["scope"] == ["firewall_filter_rule"] and data["counts"] == {"firewall_filter_rule": 1}
    assert data["firewall"]["hostname"] == "fw.example.com"


def test_the_checksum_covers_every_value(tmp_path):
    sd = state_dir(tmp_path)
    path = save(sd)
    data = json.loads(open(path).read())
    data["objects"]["firewall_filter_rule"]["u1"]["destination_port"] = "23"
    with open(path, "w") as handle:
        json.dump(data, handle, indent=2)
    with pytest.raises(CheckpointDamaged, match="modified after it was written: its checksum does not match"):
        get_checkpoint(sd, "cp-1")
    data["objects"]["firewall_filter_rule"]["u1"]["destination_port"] = "22"
    with open(path, "w") as handle:
        json.dump(data, handle)  # other whitespace, same content: still valid
    assert get_checkpoint(sd, "cp-1")["objects"]["firewall_filter_rule"]["u1"]["destination_port"] == "22"


@pytest.mark.parametrize("cut", [1, 10, 100, -1])
def test_a_truncated_file_is_refused(tmp_path, cut):
    sd = state_dir(tmp_path)
    path = save(sd)
    raw = open(path, "rb").read()
    open(path, "wb").write(raw[:cut] if cut > 0 else raw[:-3])
    with pytest.raises(CheckpointDamaged, match="is damaged: it is not complete JSON .* truncated"):
        get_checkpoint(sd, "cp-1")


def test_foreign_old_newer_and_renamed_files_are_refused(tmp_path):
    sd = state_dir(tmp_path)
    path = save(sd)
    data = json.loads(open(path).read())
    folder = os.path.dirname(path)

    def write(name, content):
        with open(os.path.join(folder, name + ".json"), "w") as handle:
            json.dump(content, handle)

    write("other", {"hello": "world"})
    write("legacy", {"id": "legacy", "objects": {}, "withheld": {}})
    newer = dict(data, id="newer", format_version=FORMAT_VERSION + 1)
    newer["checksum"] = compute_checksum(newer)
    write("newer", newer)
    write("renamed", data)  # a copy of cp-1 under another name
    with pytest.raises(CheckpointDamaged, match="not an opnform checkpoint"):
        get_checkpoint(sd, "other")
    with pytest.raises(CheckpointDamaged, match="no format version or checksum"):
        get_checkpoint(sd, "legacy")
    with pytest.raises(CheckpointDamaged, match="format version 2; this opnform.opnsense reads version 1"):
        get_checkpoint(sd, "newer")
    with pytest.raises(CheckpointDamaged, match="holds checkpoint 'cp-1', not 'renamed'"):
        get_checkpoint(sd, "renamed")
    valid, damaged = list_checkpoints(sd)
    assert [v["id"] for v in valid] == ["cp-1"]
    assert sorted(d["id"] for d in damaged) == ["legacy", "newer", "other", "renamed"]


def test_missing_checkpoint_names_the_folder_and_known_ids(tmp_path):
    sd = state_dir(tmp_path)
    save(sd)
    with pytest.raises(CheckpointNotFound, match=r"no checkpoint 'cp-9' for firewall fw_443 .*known: cp-1"):
        get_checkpoint(sd, "cp-9")
    assert load_checkpoint(sd, "cp-9") is None
    with pytest.raises(CheckpointNotFound):
        read_checkpoint(str(tmp_path / "nope.json"))


def test_no_secret_reaches_the_file(tmp_path):
    sd = state_dir(tmp_path)
    api_secret = "API-secret-value-123"
    objects = {"firewall_alias": {"a1": {"name": "feed", "type": "urltable", "password": "pw-secret-9"}}}
    backup = {"xml": "<opnsense><x>%s</x></opnsense>" % api_secret, "filename": "config.xml"}
    path = save(
        sd,
        objects=objects,
        description="made with %s" % api_secret,
        redactor=Redactor([api_secret]),
        config_backup=backup,
    )
    text = open(path).read()
    assert "pw-secret-9" not in text and api_secret not in text
    data = get_checkpoint(sd, "cp-1")
    assert data["objects"]["firewall_alias"]["a1"] == {"name": "feed", "type": "urltable"}
    assert data["withheld"] == {"firewall_alias/a1": ["password"]}
    assert "xml" not in summary(data)["config_backup"]


def test_apply_checkpoints_record_identity_from_the_client_and_the_deployment_states(tmp_path):
    sd = state_dir(tmp_path)
    managed = DeploymentState("web")
    managed.resources["firewall_filter_rule/allow-ssh"] = ManagedResource("firewall_filter_rule", "allow-ssh", "u1")
    sd.save_deployment(managed)
    client = FakeClient({"diagnostics/system/system_information": {"name": "fw.example.com"}})
    path = save_checkpoint(
        sd, "cp-r1", "r1", "web", {"firewall_filter_rule": {}}, REGISTRY, None, "26.7.2", client=client
    )
    data = read_checkpoint(path, "cp-r1")
    assert client.calls == ["diagnostics/system/system_information"]  # the version was known: no status read
    assert data["firewall"] == dict(IDENTITY, product_id=None, product_name=None, arch=None, endpoint="fw_443")
    assert data["origin"] == "apply" and data["run_id"] == "r1" and "r1" in data["description"]
    assert data["deployments"]["web"]["resources"][0]["uuid"] == "u1"


def test_firewall_identity_strict_and_lenient():
    status = {
        "product": {
            "product_id": "opnsense",
            "product_name": "OPNsense",
            "product_arch": "amd64",
            "product_version": "26.7.2",
        }
    }
    client = FakeClient({"diagnostics/system/system_information": {"name": "fw.lan"}, "core/firmware/status": status})
    identity = firewall_identity(client, "fw_443")
    assert identity == {
        "endpoint": "fw_443",
        "hostname": "fw.lan",
        "product_id": "opnsense",
        "product_name": "OPNsense",
        "arch": "amd64",
        "version": "26.7.2",
    }
    narrow = FakeClient({"diagnostics/system/system_information": ForbiddenError("no"), "core/firmware/status": status})
    identity = firewall_identity(narrow, "fw_443")
    assert identity["hostname"] is None and identity["product_id"] == "opnsense" and identity["notes"]
    down = FakeClient({"diagnostics/system/system_information": TransportError("down")})
    with pytest.raises(TransportError):
        firewall_identity(down, "fw_443", "26.7.2")
    assert firewall_identity(down, "fw_443", "26.7.2", strict=False)["hostname"] is None


def test_identity_differences_compare_what_both_sides_know():
    live = dict(IDENTITY, product_name="OPNsense", arch="amd64")
    assert identity_differences(dict(IDENTITY), live) == []
    assert identity_differences(dict(IDENTITY, version="25.1"), live) == []  # an upgrade is the same firewall
    assert identity_differences(dict(IDENTITY, hostname=None), live) == []  # unknown is not different
    moved = identity_differences(dict(IDENTITY, endpoint="other_443"), live)
    assert moved == ["API endpoint is 'fw_443' here but 'other_443' in the checkpoint"]
    assert len(identity_differences(dict(IDENTITY, hostname="b.example.com", product_id="x"), live)) == 2
    assert identity_differences("fw_443", live) == ["the checkpoint records no firewall identity"]


def test_listing_is_newest_first_and_retention_keeps_the_newest_per_deployment(tmp_path, monkeypatch):
    sd = state_dir(tmp_path)
    clock = [1000.0]
    monkeypatch.setattr("time.time", lambda: clock[0])
    for number, deployment in ((1, "web"), (2, "web"), (3, "other"), (4, "web")):
        clock[0] += 1
        save(sd, "cp-%d" % number, deployment)
    assert [c["id"] for c in list_checkpoints(sd)[0]] == ["cp-4", "cp-3", "cp-2", "cp-1"]
    assert [c["id"] for c in list_checkpoints(sd, "web")[0]] == ["cp-4", "cp-2", "cp-1"]
    assert retention(sd, 2, "web") == ["cp-1"]
    assert retention(sd, 1, "web", protect=["cp-2"]) == ["cp-1"]
    assert retention(sd, 2) == ["cp-2", "cp-1"]
    assert delete_checkpoint(sd, "cp-1") and not delete_checkpoint(sd, "cp-1")
    with pytest.raises(Exception, match="at least 1"):
        retention(sd, 0)


def test_config_xml_secrets_are_masked_and_the_rest_kept():
    xml = (
        '<?xml version="1.0"?>\n<opnsense>\n  <alias uuid="u1">\n    <name>feed</name>\n'
        "    <password>pw-secret</password>\n    <username>u</username>\n  </alias>\n"
        "  <apikeys><item><key>K</key><secret>$6$hash</secret></item></apikeys>\n"
        "  <ldap><ldap_bindpw_token>tok</ldap_bindpw_token><descr>API-secret-here</descr></ldap>\n"
        "  <empty><password/></empty><blank><password></password></blank>\n</opnsense>\n"
    )
    masked, count = mask_config_xml(xml, secret_tags(REGISTRY), Redactor(["API-secret-here"]))
    assert count == 3
    assert "pw-secret" not in masked and "$6$hash" not in masked and ">tok<" not in masked
    assert "<password>********</password>" in masked and "<secret>********</secret>" in masked
    assert "<name>feed</name>" in masked and "<username>u</username>" in masked and '<alias uuid="u1">' in masked
    assert "API-secret-here" not in masked and "<password/>" in masked
    assert "password" in secret_tags(REGISTRY)
