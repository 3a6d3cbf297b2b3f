# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin opnform.opnsense.export: write what the firewall holds as the resource list
``apply`` takes. Reads only; the one file written is ``dest``, on the controller.

Thin by design (design.md 7.2): argument checks, warnings and errors are ``_action.ControllerAction``'s;
the work is ``plugin_utils._export.run_export``.
"""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import ControllerAction
from ansible_collections.opnform.opnsense.plugins.plugin_utils._export import export_argspec, run_export


class ActionModule(ControllerAction):
    def argspec(self):
        return export_argspec(), {}

    def work(self, args, host):
        del host
        # Relative to the playbook's directory, as apply's resources_file is: the same relative
        # path names the same file in both tasks.
        dest = self._loader.path_dwim(args["dest"]) if args.get("dest") else None
        return run_export(args, bool(self._task.check_mode), bool(self._task.diff), dest)
