"""ControllerAction: the frame every set-level action plugin runs in."""

from __future__ import annotations

import threading
import warnings
from unittest.mock import MagicMock

from ansible.playbook.task import Task

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import ControllerAction

SECRET = "Unit-Secret-Value-42"
SPEC = {
    "api_url": {"type": "str", "required": True},
    "api_key": {"type": "str", "required": True},
    "api_secret": {"type": "str", "required": True, "no_log": True},
    "validate_certs": {"type": "bool", "default": True},
    "fail": {"type": "bool", "default": False},
}


class Chatty(ControllerAction):
    """Does its work in a thread that warns, like a library would, then succeeds or fails."""

    def argspec(self):
        return SPEC, {}

    def work(self, args, host):
        def noisy():
            warnings.warn("from a worker thread, key %s" % SECRET, UserWarning, stacklevel=2)

        with warnings.catch_warnings():
            warnings.simplefilter("always")
            thread = threading.Thread(target=noisy)
            thread.start()
            thread.join(10)
        if args["fail"]:
            raise OpnError("it failed with %s" % SECRET)
        return {"changed": True, "host": host}


def run(**args):
    task = MagicMock(Task)
    task.args = dict({"api_url": "https://fw.example:8443", "api_key": "k", "api_secret": SECRET}, **args)
    task.check_mode = False
    task.diff = False
    task.async_val = 0
    action = Chatty(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={"inventory_hostname": "fw1"})


def test_thread_output_comes_back_as_a_warning_without_the_secret():
    result = run()
    assert result["changed"] and result["host"] == "fw1"
    assert len(result["warnings"]) == 1
    assert "UserWarning: from a worker thread, key ********" in result["warnings"][0]


def test_validate_certs_false_gives_one_warning_that_says_what_it_means():
    result = run(validate_certs=False)
    tls = [w for w in result["warnings"] if w.startswith("validate_certs is false")]
    assert len(tls) == 1
    assert "https://fw.example:8443 is not verified" in tls[0] and "ca_path" in tls[0]
    assert not [w for w in run()["warnings"] if "validate_certs" in w]


def test_errors_are_failed_results_and_keep_the_warnings():
    result = run(fail=True, validate_certs=False)
    assert result["failed"] and result["msg"] == "it failed with ********"
    assert len(result["warnings"]) == 2
