"""The checkpoint operations without a firewall: options, scope, listing, deleting, refusing early."""

from __future__ import annotations

import ast
import json
import os
import socket

import pytest
import yaml

from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import connection_argspec
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints import (
    CheckpointDamaged,
    CheckpointError,
    save_checkpoint,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import (
    checkpoint_argspec,
    checkpoint_info_argspec,
    resolve_scope,
    run_checkpoint,
    run_checkpoint_info,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import state_argspec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import StateDir

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def closed_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return "https://127.0.0.1:%d" % port


def args(tmp_path, url, **more):
    base = {"api_url": url, "api_key": "k", "api_secret": "s3cret-value", "state_dir": str(tmp_path), "timeout": 1}
    base.update(more)
    return base


def seed(tmp_path, url, checkpoint_id, deployment="web"):
    state = StateDir(str(tmp_path), url).ensure()
    objects = {"firewall_filter_rule": {"00000000-0000-4000-8000-000000000001": {"description": "r"}}}
    identity = {"endpoint": state.firewall, "hostname": "fw"}
    return save_checkpoint(
        state, checkpoint_id, None, deployment, objects, REGISTRY, identity=identity, origin="checkpoint"
    )


def docs(module):
    with open(os.path.join(ROOT, "plugins", "modules", module + ".py")) as handle:
        tree = ast.parse(handle.read())
    return dict(
        (n.targets[0].id, yaml.safe_load(n.value.value))
        for n in tree.body
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
    )


@pytest.mark.parametrize(
    "module,argspec", [("checkpoint", checkpoint_argspec), ("checkpoint_info", checkpoint_info_argspec)]
)
def test_module_docs_match_the_argument_spec(module, argspec):
    documented = docs(module)
    options = documented["DOCUMENTATION"]["options"]
    spec = argspec()
    own = set(spec) - set(connection_argspec()) - set(state_argspec())
    assert set(options) == own
    for name, doc in options.items():
        assert doc["type"] == spec[name]["type"], name
        assert doc.get("default") == spec[name].get("default"), name
        assert doc.get("choices") == spec[name].get("choices"), name
        assert doc.get("aliases") == spec[name].get("aliases"), name
        assert doc.get("elements") == spec[name].get("elements"), name
    assert documented["DOCUMENTATION"]["extends_documentation_fragment"] == [
        "opnform.opnsense.connection",
        "opnform.opnsense.state",
    ]
    assert all("opnform.opnsense.%s" % module in task for task in documented["EXAMPLES"] if "debug" not in str(task))
    assert spec.get("secrets", {}).get("no_log", True) is True


def test_scope_defaults_to_every_type_with_plugin_types_optional_and_accepts_aliases():
    required, optional = resolve_scope(None, REGISTRY)
    assert sorted(required + optional) == sorted(REGISTRY)
    assert optional and all(REGISTRY[t].plugin for t in optional) and not any(REGISTRY[t].plugin for t in required)
    assert resolve_scope(["opnsense:firewall:rule", "firewall_filter_rule", "firewall_alias"], REGISTRY) == (
        ["firewall_alias", "firewall_filter_rule"],
        [],
    )
    with pytest.raises(CheckpointError, match="scope: unknown resource type 'firewall_widget'"):
        resolve_scope(["firewall_widget"], REGISTRY)


def test_listing_needs_no_firewall(tmp_path):
    url = closed_url()  # nothing answers there: a listing must not send any request
    seed(tmp_path, url, "cp-a", "web")
    seed(tmp_path, url, "cp-b", "other")
    listed = run_checkpoint_info(args(tmp_path, url))
    assert listed["count"] == 2 and set(c["id"] for c in listed["checkpoints"]) == {"cp-a", "cp-b"}
    assert [c["id"] for c in run_checkpoint_info(args(tmp_path, url, deployment="web"))["checkpoints"]] == ["cp-a"]
    shown = run_checkpoint_info(args(tmp_path, url, id="cp-a", restore_preview=False, show_objects=True))
    assert shown["checkpoint"]["id"] == "cp-a" and "restore" not in shown
    assert shown["objects"]["firewall_filter_rule"][0]["name"] == "r"


def test_a_damaged_checkpoint_is_refused_before_any_request(tmp_path):
    url = closed_url()
    path = seed(tmp_path, url, "cp-a")
    data = json.loads(open(path).read())
    data["objects"]["firewall_filter_rule"]["00000000-0000-4000-8000-000000000001"]["description"] = "edited"
    with open(path, "w") as handle:
        json.dump(data, handle)
    with pytest.raises(CheckpointDamaged, match="modified after it was written"):
        run_checkpoint(args(tmp_path, url, state="restored", id="cp-a"))
    with pytest.raises(CheckpointDamaged):
        run_checkpoint_info(args(tmp_path, url, id="cp-a"))


def test_absent_deletes_once_and_check_mode_deletes_nothing(tmp_path):
    url = closed_url()
    path = seed(tmp_path, url, "cp-a")
    assert run_checkpoint(args(tmp_path, url, state="absent", id="cp-a"), check_mode=True)["changed"]
    assert os.path.exists(path)
    assert run_checkpoint(args(tmp_path, url, state="absent", id="cp-a"))["deleted"] == ["cp-a"]
    assert not os.path.exists(path)
    assert run_checkpoint(args(tmp_path, url, state="absent", id="cp-a"))["changed"] is False
    with pytest.raises(CheckpointError, match="id is required"):
        run_checkpoint(args(tmp_path, url, state="absent"))


def test_bad_ids_and_retain_fail_before_any_request(tmp_path):
    url = closed_url()
    with pytest.raises(Exception, match="checkpoint name '../x' is not allowed"):
        run_checkpoint(args(tmp_path, url, id="../x"))
    with pytest.raises(CheckpointError, match="retain must be at least 1"):
        run_checkpoint(args(tmp_path, url, retain=0))
    with pytest.raises(Exception, match="not a sensitive field"):
        seed(tmp_path, url, "cp-a")
        run_checkpoint(args(tmp_path, url, state="restored", id="cp-a", secrets={"firewall_alias/a": {"name": "x"}}))
