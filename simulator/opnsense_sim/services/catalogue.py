"""The explicit list of simulated API modules. Each service module exposes MODELS, CONTROLLERS and
optionally install(app) for reload hooks and runtime state."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..app import App

SERVICE_MODULES = [
    "opnsense_sim.services.core.backup",
    "opnsense_sim.services.core.status",
    "opnsense_sim.services.dnsmasq.settings",
    "opnsense_sim.services.firewall.alias",
    "opnsense_sim.services.firewall.category",
    "opnsense_sim.services.firewall.dnat",
    "opnsense_sim.services.firewall.filter",
    "opnsense_sim.services.firewall.group",
    "opnsense_sim.services.firewall.nat",
    "opnsense_sim.services.haproxy.service",
    "opnsense_sim.services.haproxy.settings",
    "opnsense_sim.services.interfaces.lagg",
    "opnsense_sim.services.interfaces.loopback",
    "opnsense_sim.services.interfaces.tunnels",
    "opnsense_sim.services.interfaces.vip",
    "opnsense_sim.services.interfaces.vlan",
    "opnsense_sim.services.kea.dhcpv4",
    "opnsense_sim.services.interfaces.vxlan",
    "opnsense_sim.services.routes.routes",
    "opnsense_sim.services.routing.gateways",
    "opnsense_sim.services.unbound.settings",
]


def _loaded() -> list[ModuleType]:
    return [importlib.import_module(name) for name in SERVICE_MODULES]


def models() -> list:
    return [m for mod in _loaded() for m in getattr(mod, "MODELS", [])]


def controllers() -> list:
    return [c for mod in _loaded() for c in getattr(mod, "CONTROLLERS", [])]


def install(app: "App") -> None:
    for mod in _loaded():
        hook = getattr(mod, "install", None)
        if hook is not None:
            hook(app)
