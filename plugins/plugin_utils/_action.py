# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way a set-level action plugin runs on the controller: :class:`ControllerAction`.

``apply``, ``plan``, ``checkpoint`` and ``checkpoint_info`` differ only in their options and in the
work they hand to ``plugin_utils``. Everything around that work is here, once: validating the task
arguments, keeping our threads from printing (``_captured_output``), the one warning for
``validate_certs: false``, turning errors into a failed result without the secret, and scrubbing the
result where the work does not redact it itself.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.opnform.opnsense.plugins.module_utils._client import unverified_tls_warning
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._captured_output import CapturedOutput
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import options_from
from ansible_collections.opnform.opnsense.plugins.plugin_utils._progress import listeners
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources_file import read_resources_file
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import RunFailed

display = Display()


class ControllerAction(ActionBase):
    """Base of the collection's action plugins: subclasses say :meth:`argspec` and :meth:`work`."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_diff = True
    # True where the work's result is not redacted by the engine already (checkpoints).
    scrub_result = False

    def argspec(self) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """The argument spec and the extra keywords of ``validate_argument_spec`` (``required_if``...)."""
        raise NotImplementedError

    def work(self, args: Dict[str, Any], host: str) -> Dict[str, Any]:
        """The task's result; raises ``OpnError`` (or ``RunFailed``) on failure."""
        raise NotImplementedError

    def live(self, args: Dict[str, Any], host: str) -> List[Any]:
        """Listeners that show this task's progress events live and write its progress file."""
        return listeners(host, display, args.get("progress_file"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        spec, extra = self.argspec()
        validation, args = self.validate_argument_spec(argument_spec=spec, **extra)
        del validation
        host = str((task_vars or {}).get("inventory_hostname") or "")
        self.redactor = Redactor([args.get("api_secret")])
        with CapturedOutput() as captured:
            try:
                result.update(self.work(args, host))
            except RunFailed as exc:
                result.update(exc.result)
                result.update(failed=True, msg=self.redactor.text(str(exc)), error_kind=exc.kind)
            except OpnError as exc:
                result.update(exc.to_result())
                result.update(failed=True, msg=self.redactor.text(str(exc)))
        notes = list(captured.warnings)
        if args.get("validate_certs") is False:
            notes.insert(0, unverified_tls_warning(str(args.get("api_url") or "")))
        if notes:
            result["warnings"] = list(result.get("warnings") or []) + [self.redactor.text(n) for n in notes]
        return self.redactor.scrub(result) if self.scrub_result else result


class EngineAction(ControllerAction):
    """An action plugin that runs one step of the engine (``apply`` or ``plan``) on the task's resources."""

    engine_step = ""  # the Engine method the task runs
    live_progress = False  # whether the task shows the engine's events as it runs
    # The resources come inline or from a file (``_resources_file``), never both.
    one_input = {"mutually_exclusive": [["resources", "resources_file"]]}

    def work(self, args: Dict[str, Any], host: str) -> Dict[str, Any]:
        conn, opts = options_from(args, bool(self._task.check_mode), bool(self._task.diff))
        engine = Engine(conn, opts, self.live(args, host) if self.live_progress else [])
        self.redactor = engine.redactor  # also knows the resources' sensitive values
        return getattr(engine, self.engine_step)(self.resources(args))

    def resources(self, args: Dict[str, Any]) -> Any:
        """``resources``, or the list in ``resources_file`` (relative to the playbook's directory)."""
        if args.get("resources_file") is None:
            return args.get("resources")
        return read_resources_file(self._loader.path_dwim(args["resources_file"]))
