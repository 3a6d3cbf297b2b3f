# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.checkpoint: take, delete or restore a checkpoint on the controller.

Thin by design (design.md 7.2): the work is ``plugin_utils._checkpoints_ops.run_checkpoint``; this
file only validates the task's options, wires the live progress listeners (a restore reports like
an apply) and turns errors into a failed task result.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import (
    checkpoint_argspec,
    run_checkpoint,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import RunFailed
from ansible_collections.opnform.opnsense.plugins.plugin_utils._progress import listeners
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor

display = Display()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_diff = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        validation, args = self.validate_argument_spec(
            argument_spec=checkpoint_argspec(),
            required_if=[("state", "absent", ["id"]), ("state", "restored", ["id", "path"], True)],
        )
        del validation
        host = str((task_vars or {}).get("inventory_hostname") or "")
        redactor = Redactor([args.get("api_secret")])
        try:
            live = listeners(host, display, args.get("progress_file")) if args.get("state") == "restored" else []
            result.update(run_checkpoint(args, bool(self._task.check_mode), bool(self._task.diff), live))
        except RunFailed as exc:
            result.update(exc.result)
            result.update(failed=True, msg=redactor.text(str(exc)), error_kind=exc.kind)
        except OpnError as exc:
            result.update(exc.to_result())
            result.update(failed=True, msg=redactor.text(str(exc)))
        return redactor.scrub(result)
