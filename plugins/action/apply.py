# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.apply: parse the task's options and run the engine on the controller.

Thin by design (design.md 7.2): everything happens in ``plugin_utils._engine``; this file only turns
task arguments into engine options, wires the live progress listeners, and turns errors into a
failed task result.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import (
    Engine,
    RunFailed,
    apply_argspec,
    options_from,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._progress import listeners

display = Display()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_diff = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        validation, args = self.validate_argument_spec(argument_spec=apply_argspec())
        del validation
        host = str((task_vars or {}).get("inventory_hostname") or "")
        engine = None
        try:
            conn, opts = options_from(args, bool(self._task.check_mode), bool(self._task.diff))
            engine = Engine(conn, opts, listeners(host, display, args.get("progress_file")))
            result.update(engine.apply(args.get("resources")))
        except RunFailed as exc:
            result.update(exc.result)
            result.update(failed=True, msg=_scrub(engine, str(exc)), error_kind=exc.kind)
        except OpnError as exc:
            result.update(exc.to_result())
            result.update(failed=True, msg=_scrub(engine, str(exc)))
        return result


def _scrub(engine, text):
    return engine.redactor.text(text) if engine is not None else text
