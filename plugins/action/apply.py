# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.apply: run the engine on the controller.

Thin by design (design.md 7.2): argument checks, warnings and errors are ``_action.ControllerAction``'s;
the work is ``plugin_utils._engine.Engine.apply``.
"""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import ControllerAction
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine, apply_argspec, options_from


class ActionModule(ControllerAction):
    def argspec(self):
        return apply_argspec(), {}

    def work(self, args, host):
        conn, opts = options_from(args, bool(self._task.check_mode), bool(self._task.diff))
        engine = Engine(conn, opts, self.live(args, host))
        self.redactor = engine.redactor  # also knows the resources' sensitive values
        return engine.apply(args.get("resources"))
