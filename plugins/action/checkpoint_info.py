# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.checkpoint_info: list checkpoints, or show one with what restoring it
would change now. Reads only.

Thin by design (design.md 7.2): the work is ``plugin_utils._checkpoints_ops.run_checkpoint_info``.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import (
    checkpoint_info_argspec,
    run_checkpoint_info,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_diff = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp, task_vars
        validation, args = self.validate_argument_spec(argument_spec=checkpoint_info_argspec())
        del validation
        redactor = Redactor([args.get("api_secret")])
        try:
            result.update(run_checkpoint_info(args, bool(self._task.check_mode), bool(self._task.diff)))
        except OpnError as exc:
            result.update(exc.to_result())
            result.update(failed=True, msg=redactor.text(str(exc)))
        return redactor.scrub(result)
