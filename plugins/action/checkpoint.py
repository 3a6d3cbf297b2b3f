# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.checkpoint: take, delete or restore a checkpoint on the controller.

Thin by design (design.md 7.2): argument checks, warnings and errors are ``_action.ControllerAction``'s;
the work is ``plugin_utils._checkpoints_ops.run_checkpoint``, with live progress for a restore
(it reports like an apply).
"""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import ControllerAction
from ansible_collections.opnform.opnsense.plugins.plugin_utils._checkpoints_ops import (
    checkpoint_argspec,
    run_checkpoint,
)


class ActionModule(ControllerAction):
    scrub_result = True

    def argspec(self):
        required_if = [("state", "absent", ["id"]), ("state", "restored", ["id", "path"], True)]
        return checkpoint_argspec(), {"required_if": required_if}

    def work(self, args, host):
        live = self.live(args, host) if args.get("state") == "restored" else []
        return run_checkpoint(args, bool(self._task.check_mode), bool(self._task.diff), live)
