# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type routes_route: static routes (opnsense-api/interfaces-and-services.md 2)."""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    boolean,
    text,
)


def adapt_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """Up to OPNsense 26.1.9 a route has ``disabled`` instead of ``enabled``: present it as ``enabled``."""
    if "enabled" not in row and "disabled" in row:
        row["enabled"] = "0" if str(row.get("disabled")).strip() == "1" else "1"
    return row


def adapt_payload(payload: Dict[str, Any], sample_row: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Send ``disabled`` to a firewall whose routes still use it (seen from any of its rows)."""
    if sample_row is not None and "enabled" not in sample_row and "disabled" in sample_row and "enabled" in payload:
        payload = dict(payload)
        payload["disabled"] = "0" if payload.pop("enabled") == "1" else "1"
    return payload


def validate(values: Dict[str, Any]) -> List[Tuple[str, str]]:
    network = values.get("network")
    if network:
        try:
            ipaddress.ip_network(str(network), strict=False)
        except ValueError:
            return [("network", "%r is not a valid network in CIDR notation" % network)]
    return []


SPEC = ResourceSpec(
    type="routes_route",
    module="routes",
    controller="routes",
    key="route",
    identity=("network", "gateway"),
    display="{network} via {gateway}",
    summary="Manage OPNsense static routes",
    description=(
        "Create, update or delete a static route.",
        "The route is identified by its destination O(network) and O(gateway) together; changing the "
        "gateway therefore means a different route (remove the old one with O(state=absent)).",
        "By default the change is applied at once (C(routes/routes/reconfigure)); with O(reload=false) it "
        "is only saved, and M(opnform.opnsense.reload) with subsystem V(routes) applies it later.",
    ),
    notes=(
        "On OPNsense up to 26.1.9 routes have a C(disabled) flag instead of C(enabled); the module "
        "translates O(enabled) for those releases.",
    ),
    commands=Commands(
        search="searchroute", get="getroute", add="addroute", set="setroute", delete="delroute", toggle="toggleroute"
    ),
    reload="routes",
    fields=(
        text(
            "network",
            "Destination network in CIDR notation, for example V(10.20.0.0/16); part of the identity.",
            required=True,
            pattern=r"^[0-9A-Fa-f:.]+/[0-9]{1,3}$",
            pattern_message="must be a network with a prefix length, e.g. 10.0.0.0/8",
        ),
        text(
            "gateway",
            "Name of the gateway, for example V(WAN_GW) (groups are not allowed); part of the identity.",
            required=True,
        ),
        text("descr", "Free text description.", name="description", max_length=255),
        boolean("enabled", True, "Whether the route is active."),
    ),
    hooks=Hooks(validate=validate, adapt_row=adapt_row, adapt_payload=adapt_payload),
)
