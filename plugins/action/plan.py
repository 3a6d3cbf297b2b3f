# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.plan: compute and save a plan on the controller; no write is sent.

Thin by design (design.md 7.2): everything around the work is ``_action.EngineAction``'s; the work
is ``plugin_utils._engine.Engine.plan``.
"""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import EngineAction
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import plan_argspec


class ActionModule(EngineAction):
    engine_step = "plan"

    def argspec(self):
        return plan_argspec(), self.one_input
