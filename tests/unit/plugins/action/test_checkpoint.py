"""The checkpoint action plugins as Ansible calls them: option checks and errors as failed results."""

from __future__ import annotations

import json
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail
from ansible.playbook.task import Task

from ansible_collections.opnform.opnsense.plugins.action.checkpoint import ActionModule as Checkpoint
from ansible_collections.opnform.opnsense.plugins.action.checkpoint_info import ActionModule as CheckpointInfo

SECRET = "Action-Secret-Value-99"


def run(plugin, args, check_mode=False):
    task = MagicMock(Task)
    task.args = dict({"api_url": "https://127.0.0.1:9", "api_key": "k", "api_secret": SECRET}, **args)
    task.check_mode = check_mode
    task.diff = False
    task.async_val = 0
    task.action = "opnform.opnsense.checkpoint"
    action = plugin(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={"inventory_hostname": "fw1"})


def test_restored_needs_an_id_or_a_path(tmp_path):
    # Ansible turns AnsibleActionFail into a failed task naming the missing options
    with pytest.raises(AnsibleActionFail, match="state is restored but any of the following are missing: id, path"):
        run(Checkpoint, {"state": "restored", "state_dir": str(tmp_path)})
    with pytest.raises(AnsibleActionFail, match="state is absent but all of the following are missing: id"):
        run(Checkpoint, {"state": "absent", "state_dir": str(tmp_path)})
    with pytest.raises(AnsibleActionFail, match="value of state must be one of: present, absent, restored"):
        run(Checkpoint, {"state": "gone", "state_dir": str(tmp_path)})


def test_errors_become_failed_results_without_the_secret(tmp_path):
    result = run(Checkpoint, {"state": "restored", "id": "nope", "state_dir": str(tmp_path)})
    assert (
        result["failed"] and result["error_kind"] == "checkpoint_not_found" and "no checkpoint 'nope'" in result["msg"]
    )
    assert SECRET not in json.dumps(result)


def test_info_lists_an_empty_folder(tmp_path):
    result = run(CheckpointInfo, {"state_dir": str(tmp_path)})
    assert not result.get("failed") and result["count"] == 0 and result["checkpoints"] == []
    assert result["firewall"] == "127.0.0.1_9" and result["changed"] is False
