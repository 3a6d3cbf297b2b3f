# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module entry points: build the AnsibleModule, run the logic, turn errors into ``fail_json``.

Module files stay thin (docs plus ``main()`` calling one of these). This is the only place where
exceptions become Ansible failures (design.md 7.2).
"""

from __future__ import annotations

from typing import Any, Callable, Dict

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import (
    DEFAULT_TIMEOUT,
    reload_argspec,
    resource_argspec,
    system_info_argspec,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    Client,
    unverified_tls_warning,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._commands import (
    run_reload,
    system_info,
    unreachable_result,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import AuthError, OpnError, TransportError
from ansible_collections.opnform.opnsense.plugins.module_utils._resource import ResourceRun
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec


def client_from_params(params: Dict[str, Any]) -> Client:
    """A client for the connection options of a module."""
    return Client(
        params["api_url"],
        params["api_key"],
        params["api_secret"],
        validate_certs=params.get("validate_certs", True),
        ca_path=params.get("ca_path"),
        timeout=params.get("timeout") or DEFAULT_TIMEOUT,
    )


def _finish(module: AnsibleModule, work: Callable[[Client], Dict[str, Any]]) -> None:
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    client = None
    try:
        client = client_from_params(module.params)
        if not client.validate_certs:
            module.warn(unverified_tls_warning(module.params["api_url"]))
        result = work(client)
    except OpnError as exc:
        if client is not None:
            client.close()
        module.fail_json(msg=str(exc), **exc.to_result())
        return
    client.close()
    for warning in result.pop("warnings", []):
        module.warn(warning)
    module.exit_json(**result)


def run_resource_module(spec: ResourceSpec) -> None:
    """The whole per-resource module: ensure one object of ``spec``'s type is present or absent."""
    module = AnsibleModule(argument_spec=resource_argspec(spec), supports_check_mode=True)

    def work(client: Client) -> Dict[str, Any]:
        return ResourceRun(spec, module.params, client, check_mode=module.check_mode, want_diff=module._diff).run()

    _finish(module, work)


def run_reload_module() -> None:
    """The ``reload`` module."""
    module = AnsibleModule(argument_spec=reload_argspec(), supports_check_mode=True)
    _finish(module, lambda client: run_reload(client, module.params["subsystems"], module.check_mode))


def run_system_info_module() -> None:
    """The ``system_info`` module."""
    module = AnsibleModule(argument_spec=system_info_argspec(), supports_check_mode=True)

    def work(client: Client) -> Dict[str, Any]:
        try:
            return system_info(client)
        except (TransportError, AuthError) as exc:
            if module.params["fail_unreachable"]:
                raise
            return unreachable_result(client.base_url, exc)

    _finish(module, work)
