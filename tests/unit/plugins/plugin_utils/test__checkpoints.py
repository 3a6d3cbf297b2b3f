"""The minimal checkpoint store keeps a pre-apply snapshot without secrets."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints import load_checkpoint, save_checkpoint
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import StateDir


def test_checkpoint_withholds_sensitive_fields(tmp_path):
    sd = StateDir(str(tmp_path), "https://fw").ensure()
    objects = {"firewall_alias": {"u1": {"name": "a", "type": "url", "password": "pw-secret"}}}
    path = save_checkpoint(sd, "cp-r1", "r1", "web", objects, REGISTRY)
    assert "pw-secret" not in open(path).read()
    data = load_checkpoint(sd, "cp-r1")
    assert data["objects"]["firewall_alias"]["u1"] == {"name": "a", "type": "url"}
    assert data["withheld"] == {"firewall_alias/u1": ["password"]}
