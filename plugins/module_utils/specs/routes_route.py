# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type routes_route: static routes (opnsense-api/interfaces-and-services.md 2)."""

from __future__ import annotations

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


GATEWAY_MESSAGE = "Specify a valid gateway from the list matching the networks ip protocol."


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Route::performValidation() (core models/OPNsense/Routes/Route.php): the network's family must
    match the gateway's, except an IPv4 network over an IPv6 gateway (RFC 5549). The gateway's
    address is the end of its option label ("WAN_GW - 192.0.2.1"), so this needs the firewall's list."""
    options = facts.options("routes_route", "gateway") if facts is not None else None
    name = str(values.get("gateway") or "")
    label = (options or {}).get(name)
    network = str(values.get("network") or "")
    if label is None or not network:
        return []  # an unknown gateway fails its option check already
    address = label.split("-")[-1].strip()
    if label == name:
        # A gateway the same task creates (``options_also``): its family is its own ``ipprotocol``.
        gateway = ((facts.names("routes_gateway") if facts is not None else None) or {}).get(name) or {}
        address = str(gateway.get("gateway") or gateway.get("ipprotocol") or "inet")
    gateway_family = address if address in ("inet", "inet6") else ("inet6" if ":" in address else "inet")
    network_family = "inet6" if ":" in network else "inet"
    if gateway_family == "inet6" and network_family == "inet":
        return []
    if not address or gateway_family != network_family:
        return [("gateway", GATEWAY_MESSAGE)]
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
            ftype="NetworkField",
            xml=(("NetMaskRequired", "Y"),),
            message="Specify a valid network matching the gateways ip protocol.",
        ),
        text(
            "gateway",
            "Name of the gateway, for example V(WAN_GW) (groups are not allowed); part of the identity. A "
            "gateway of M(opnform.opnsense.routes_gateway) in the same apply is created before the route.",
            required=True,
            ftype="JsonKeyValueStoreField",
            message=GATEWAY_MESSAGE,
            mentions="routes_gateway",
            options_also=("routes_gateway", "name"),
        ),
        text("descr", "Free text description.", name="description", max_length=255, ftype="DescriptionField"),
        boolean("enabled", True, "Whether the route is active."),
    ),
    hooks=Hooks(validate=validate, adapt_row=adapt_row, adapt_payload=adapt_payload),
)
