# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.plan: compute and save a plan on the controller; no write is sent.

Thin by design (design.md 7.2): argument checks, warnings and errors are ``_action.ControllerAction``'s;
the work is ``plugin_utils._engine.Engine.plan``.
"""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import ControllerAction
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine, options_from, plan_argspec


class ActionModule(ControllerAction):
    def argspec(self):
        return plan_argspec(), {}

    def work(self, args, host):
        conn, opts = options_from(args, bool(self._task.check_mode), bool(self._task.diff))
        engine = Engine(conn, opts)
        self.redactor = engine.redactor  # also knows the resources' sensitive values
        return engine.plan(args.get("resources"))
