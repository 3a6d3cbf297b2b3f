# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.plan: compute and save a plan on the controller; no write is sent.

Thin by design (design.md 7.2): the work is ``plugin_utils._engine.Engine.plan``.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine, options_from, plan_argspec


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_diff = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp, task_vars
        validation, args = self.validate_argument_spec(argument_spec=plan_argspec())
        del validation
        engine = None
        try:
            conn, opts = options_from(args, bool(self._task.check_mode), bool(self._task.diff))
            engine = Engine(conn, opts)
            result.update(engine.plan(args.get("resources")))
        except OpnError as exc:
            result.update(exc.to_result())
            text = str(exc)
            result.update(failed=True, msg=engine.redactor.text(text) if engine is not None else text)
        return result
