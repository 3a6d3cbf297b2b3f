# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.apply: plan and apply a deployment on the controller, with live progress.

Thin by design (design.md 7.2): everything around the work is ``_action.EngineAction``'s; the work
is ``plugin_utils._engine.Engine.apply``.
"""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import EngineAction
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import apply_argspec


class ActionModule(EngineAction):
    engine_step = "apply"
    live_progress = True

    def argspec(self):
        return apply_argspec(), self.one_input
