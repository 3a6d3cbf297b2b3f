# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.checkpoint_info: list checkpoints, or show one with what restoring it
would change now. Reads only.

Thin by design (design.md 7.2): argument checks, warnings and errors are ``_action.ControllerAction``'s;
the work is ``plugin_utils._checkpoints_ops.run_checkpoint_info``.
"""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import ControllerAction
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import (
    checkpoint_info_argspec,
    run_checkpoint_info,
)


class ActionModule(ControllerAction):
    scrub_result = True

    def argspec(self):
        return checkpoint_info_argspec(), {}

    def work(self, args, host):
        del host
        return run_checkpoint_info(args, bool(self._task.check_mode), bool(self._task.diff))
