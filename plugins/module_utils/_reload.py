# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reload subsystems: the endpoints that make saved configuration live.

OPNsense saves every write to config.xml at once but applies it only on the module's
reconfigure/apply call (opnsense-api/generic.md 4, 9). Each subsystem is data here, in the order
in which several subsystems must be reloaded (design.md 2): aliases before the filter that uses
them, HAProxy last and only after its configtest passed (opnsense-api/haproxy.md 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    NotFoundError,
    PluginMissingError,
    ReloadError,
    ServerError,
)


@dataclass(frozen=True)
class Subsystem:
    """One reloadable subsystem. ``precheck`` is an endpoint whose ``result`` must hold no ALERT."""

    name: str
    path: str
    description: str
    precheck: Optional[str] = None
    plugin: Optional[str] = None


SUBSYSTEMS: Tuple[Subsystem, ...] = (
    Subsystem("aliases", "firewall/alias/reconfigure", "firewall aliases (pf tables)"),
    # LAGG devices (configd `interface lagg configure`): before the VLANs that may sit on them.
    Subsystem("laggs", "interfaces/lagg_settings/reconfigure", "LAGG devices"),
    Subsystem("vlans", "interfaces/vlan_settings/reconfigure", "VLAN devices"),
    # Loopback and VXLAN devices (configd `interface loopback|vxlan configure`): after VLANs, whose
    # devices a VXLAN may use, and before routes over them.
    Subsystem("loopbacks", "interfaces/loopback_settings/reconfigure", "loopback devices"),
    Subsystem("vxlans", "interfaces/vxlan_settings/reconfigure", "VXLAN devices"),
    # Virtual IPs (configd `interface vip configure`), on interfaces of the devices above.
    Subsystem("vips", "interfaces/vip_settings/reconfigure", "virtual IPs (IP alias, CARP, Proxy ARP)"),
    # GIF and GRE tunnels (configd `interface gif|gre configure`): their local address may be an
    # interface on any of the devices above, or a virtual IP.
    Subsystem("gifs", "interfaces/gif_settings/reconfigure", "GIF tunnels"),
    Subsystem("gres", "interfaces/gre_settings/reconfigure", "GRE tunnels"),
    Subsystem("routes", "routes/routes/reconfigure", "static routes"),
    # Registers the groups as interfaces, then runs the filter reload itself (GroupController.php).
    Subsystem("groups", "firewall/group/reconfigure", "firewall interface groups (and the filter)"),
    Subsystem("filter", "firewall/filter/apply", "firewall filter rules"),
    Subsystem("unbound", "unbound/service/reconfigure", "Unbound DNS"),
    # Kea's ServiceController restarts kea (DHCPv4 and DHCPv6 share it); Dnsmasq's reloads the
    # filter itself before it restarts (invokeFirewallReload), so both come after the filter.
    Subsystem("kea", "kea/service/reconfigure", "Kea DHCP"),
    Subsystem("dnsmasq", "dnsmasq/service/reconfigure", "Dnsmasq DNS/DHCP"),
    Subsystem(
        "haproxy",
        "haproxy/service/reconfigure",
        "HAProxy (after a passing configtest)",
        precheck="haproxy/service/configtest",
        plugin="os-haproxy",
    ),
)
ORDER: Tuple[str, ...] = tuple(s.name for s in SUBSYSTEMS)
BY_NAME: Dict[str, Subsystem] = dict((s.name, s) for s in SUBSYSTEMS)


def ordered(names: Iterable[str]) -> List[str]:
    """The given subsystem names, unique, in reload order; unknown names raise ValueError."""
    wanted = set(names)
    unknown = sorted(wanted - set(ORDER))
    if unknown:
        raise ValueError("unknown reload subsystem(s): %s (known: %s)" % (", ".join(unknown), ", ".join(ORDER)))
    return [name for name in ORDER if name in wanted]


def _status_text(answer: Any) -> str:
    if isinstance(answer, dict):
        value = answer.get("status", answer.get("result", ""))
    else:
        value = answer
    # Raw configd output keeps trailing newlines, e.g. "OK\n\n" (opnsense-api/generic.md 9).
    return str(value if value is not None else "").strip()


def _post(client: Any, subsystem: Subsystem, path: str) -> Any:
    try:
        return client.post(path)
    except NotFoundError:
        if subsystem.plugin:
            raise PluginMissingError(
                "cannot reload %s: the OPNsense plugin %s is not installed (HTTP 404 on /api/%s)"
                % (subsystem.name, subsystem.plugin, path)
            ) from None
        raise
    except ServerError as exc:
        raise ReloadError("reloading %s failed: %s" % (subsystem.name, exc.message), details=exc.details) from None


def reload_subsystem(client: Any, name: str) -> Dict[str, Any]:
    """Apply one subsystem; raise ReloadError unless OPNsense reports success."""
    subsystem = BY_NAME[name]
    result: Dict[str, Any] = {"subsystem": name, "warnings": []}
    if subsystem.precheck:
        answer = _post(client, subsystem, subsystem.precheck)
        text = _status_text(answer)
        result["configtest"] = text
        # The plugin's own UI refuses to apply on ALERT and shows WARNING as a minor error.
        if "ALERT" in text:
            raise ReloadError(
                "%s configtest failed, configuration not applied (reconfigure was not called): %s" % (name, text),
                details={"configtest": text},
            )
        if "WARNING" in text:
            result["warnings"].append("%s configtest reported warnings: %s" % (name, text))
    answer = _post(client, subsystem, subsystem.path)
    status = _status_text(answer)
    result["status"] = status
    if status.lower() != "ok":
        raise ReloadError(
            "reloading %s (POST /api/%s) failed: OPNsense answered %r" % (name, subsystem.path, status),
            details={"status": status},
        )
    return result


def reload_many(client: Any, names: Iterable[str]) -> List[Dict[str, Any]]:
    """Apply several subsystems once each, in reload order; stop at the first failure."""
    return [reload_subsystem(client, name) for name in ordered(names)]
