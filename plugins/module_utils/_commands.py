# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two modules that manage no resource: ``reload`` and ``system_info`` (logic only).

``reload`` applies named subsystems once each, in dependency order (see ``_reload``), which is how a
series of tasks with ``reload: false`` goes live in one step. ``system_info`` reads the firmware
status (version; a GET, because POST starts an update check, opnsense-api/interfaces-and-services.md
7), the host name, and which plugins the registry's types need are installed.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    NotFoundError,
    OpnError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import ordered, reload_many
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec


def run_reload(client: Any, subsystems: Iterable[str], check_mode: bool = False) -> Dict[str, Any]:
    """Reload the subsystems (in reload order); in check mode only say what would be reloaded."""
    names = ordered(subsystems)
    if check_mode:
        return {"changed": bool(names), "reloaded": [], "would_reload": names, "results": [], "warnings": []}
    results = reload_many(client, names)
    warnings: List[str] = []
    for item in results:
        warnings.extend(item.pop("warnings", []))
    return {"changed": bool(names), "reloaded": names, "would_reload": names, "results": results, "warnings": warnings}


def _installed_plugins(client: Any) -> Optional[List[str]]:
    """Names of installed ``os-*`` plugins from ``core/firmware/info``, or None if unavailable."""
    try:
        info = client.get("core/firmware/info")
    except (NotFoundError, ApiError, AuthError):
        return None
    if not isinstance(info, dict) or not isinstance(info.get("plugin"), list):
        return None
    names = []
    for plugin in info["plugin"]:
        if isinstance(plugin, dict) and str(plugin.get("installed", "0")) == "1" and plugin.get("name"):
            names.append(str(plugin["name"]))
    return sorted(set(names))


def _probe_plugins(client: Any, registry: Dict[str, ResourceSpec]) -> Dict[str, bool]:
    """For every plugin a registered type needs: does its API answer (404 means not installed)?"""
    found: Dict[str, bool] = {}
    for spec in registry.values():
        if not spec.plugin or spec.plugin in found:
            continue
        try:
            client.get(spec.path("search"))
            found[spec.plugin] = True
        except NotFoundError:
            found[spec.plugin] = False
    return found


def system_info(client: Any, registry: Optional[Dict[str, ResourceSpec]] = None) -> Dict[str, Any]:
    """Version, host name and plugins of the firewall; raises if it cannot be reached or logged into."""
    registry = registry if registry is not None else REGISTRY
    status = client.get("core/firmware/status")
    product = status.get("product") if isinstance(status, dict) else None
    if not isinstance(product, dict):
        raise ApiError("core/firmware/status did not return product information: %r" % (status,))
    result: Dict[str, Any] = {
        "changed": False,
        "reachable": True,
        "authenticated": True,
        "api_url": client.base_url,
        "version": product.get("product_version"),
        "product": product,
        "hostname": None,
        "versions": [],
    }
    try:
        info = client.get("diagnostics/system/system_information")
        if isinstance(info, dict):
            result["hostname"] = info.get("name")
            result["versions"] = info.get("versions") or []
    except (NotFoundError, AuthError):
        pass  # an older release or a narrow privilege: the version above is enough
    probed = _probe_plugins(client, registry)
    installed = _installed_plugins(client)
    if installed is None:
        installed = sorted(name for name, present in probed.items() if present)
    result["plugins"] = probed
    result["installed_plugins"] = installed
    return result


def unreachable_result(client_url: Optional[str], error: OpnError) -> Dict[str, Any]:
    """The ``system_info`` result when the firewall cannot be used (``fail_unreachable: false``)."""
    return {
        "changed": False,
        "reachable": error.kind not in ("transport", "tls"),
        "authenticated": False,
        "api_url": client_url,
        "version": None,
        "product": {},
        "hostname": None,
        "versions": [],
        "plugins": {},
        "installed_plugins": [],
        "error": str(error),
    }
