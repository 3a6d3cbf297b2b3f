# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type routes_gateway: gateways (opnsense-api/interfaces-and-services.md 3)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._php import filter_ip
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    Unique,
    boolean,
    integer,
    option,
    text,
)

NAME_PATTERN = r"^[a-zA-Z0-9_\-]{1,32}$"
NAME_MESSAGE = (
    'A valid gateway name must be specified. The name may only consist of the characters "a-zA-Z0-9_" and must '
    "be less than 32 characters long."
)
DYNAMIC_MESSAGE = (
    "Leave the gateway address empty for a dynamic gateway: OPNsense stores V(dynamic) as given, but lists every "
    "dynamic gateway with the address it learned, so it cannot be compared."
)
SAME_MONITOR_MESSAGE = (
    "Leave the monitor address empty to monitor the gateway address itself: OPNsense lists an empty monitor "
    "as the gateway address, so the two cannot be told apart."
)
# GatewayField::getDpingerDefaults() (core models/OPNsense/Routing/FieldTypes/GatewayField.php): the
# values an empty threshold stands for in Gateways::performValidation().
DPINGER_DEFAULTS = {
    "data_length": 1,
    "interval": 1,
    "latencyhigh": 500,
    "latencylow": 200,
    "loss_interval": 4,
    "losshigh": 20,
    "losslow": 10,
    "time_period": 60,
}


def adapt_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """searchGateway rows are the system's gateway list, not the stored items
    (controllers/OPNsense/Routing/Api/SettingsController.php): ``defaultgw`` there says whether the
    gateway is the active default one, and the stored flag is ``upstream``; a dynamic gateway shows
    the address it learned (or none), not the empty value stored."""
    if "upstream" in row:
        row["defaultgw"] = "1" if row.get("upstream") in (True, 1, "1", "true") else "0"
    if row.get("dynamic") in (True, 1, "1", "true"):
        row["gateway"] = ""
    # With monitoring on and no monitor address the list shows the gateway address as the monitor:
    # both mean "monitor the gateway", read as an empty monitor (an equal one is refused in validate).
    if row.get("monitor") not in (None, "") and row.get("monitor") == row.get("gateway"):
        row["monitor"] = ""
    return row


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Gateways::performValidation() (core models/OPNsense/Routing/Gateways.php) on one gateway's
    values: addresses of the chosen family and the dpinger thresholds, empty ones standing for
    dpinger's defaults. The monitor's uniqueness and the dynamic/static match need the firewall."""
    out: List[Tuple[str, str]] = []
    proto = str(values.get("ipprotocol") or "inet")
    if str(values.get("gateway") or "") == "dynamic":
        out.append(("gateway", DYNAMIC_MESSAGE))
    if values.get("monitor") not in (None, "") and values.get("monitor") == values.get("gateway"):
        out.append(("monitor", SAME_MONITOR_MESSAGE))
    for key in ("gateway", "monitor"):
        value = str(values.get(key) or "")
        if value in ("", "dynamic"):
            continue
        if proto == "inet" and not filter_ip(value, v6=False):
            out.append((key, "Invalid IPv4 address"))
        elif proto == "inet6" and not filter_ip(value, v4=False):
            out.append((key, "Invalid IPv6 address"))

    def current(name: str) -> int:
        value = values.get(name)
        try:
            return int(value) if value not in (None, "") else DPINGER_DEFAULTS[name]
        except (TypeError, ValueError):
            return DPINGER_DEFAULTS[name]  # a non-number fails its own field check

    if current("latencylow") > current("latencyhigh"):
        out.append(("latencyhigh", "The high latency threshold needs to be higher than the low latency threshold."))
    if current("losslow") > current("losshigh"):
        out.append(
            ("losshigh", "The high Packet Loss threshold needs to be higher than the low Packet Loss threshold.")
        )
    if current("time_period") < 2 * (current("interval") + current("loss_interval")):
        out.append(
            (
                "time_period",
                "The time period needs to be at least 2 times the sum of the probe interval and the loss interval.",
            )
        )
    return out


SPEC = ResourceSpec(
    type="routes_gateway",
    module="routing",
    controller="settings",
    key="gateway_item",
    identity=("name",),
    summary="Manage OPNsense gateways",
    description=(
        "Create, update or delete a gateway: a next hop on an interface that static routes "
        "(M(opnform.opnsense.routes_route)) and policy-routing filter rules (M(opnform.opnsense.firewall_filter_rule)) "
        "name.",
        "The gateway is identified by O(name), which OPNsense does not allow to change once created.",
        "By default the change is applied at once (C(routes/routes/reconfigure), the same C(interface routes "
        "configure) that C(routing/settings/reconfigure) runs); with O(reload=false) it is only saved, and "
        "M(opnform.opnsense.reload) with subsystem V(routes) applies it later.",
    ),
    notes=(
        "Dynamic gateways that OPNsense derives from an interface (for example V(WAN_DHCP)) and the loopback "
        "gateways V(Null4) and V(Null6) are not stored items: they can be named by routes and rules, not managed here.",
        "A gateway in use by an interface, a gateway group or a static route cannot be deleted; OPNsense does not "
        "check filter rules that route through it.",
        "With monitoring on and no O(monitor) OPNsense monitors the gateway address and lists it as the monitor; "
        "the module reads that as an empty O(monitor), and refuses a O(monitor) equal to O(gateway).",
    ),
    commands=Commands(
        search="searchGateway",
        get="getGateway",
        add="addGateway",
        set="setGateway",
        delete="delGateway",
        toggle="toggleGateway",
    ),
    reload="routes",
    fields=(
        text(
            "name",
            "Name of the gateway (letters, digits, C(_) and C(-), at most 32); part of the identity.",
            required=True,
            pattern=NAME_PATTERN,
            message=NAME_MESSAGE,
        ),
        boolean("disabled", False, "Whether the gateway is disabled."),
        text("descr", "Free text description.", name="description", max_length=255, ftype="DescriptionField"),
        text(
            "interface",
            "Interface key the gateway is reached on, for example V(wan) or V(opt1) (enabled, not virtual).",
            default="wan",
            ftype="InterfaceField",
        ),
        option("ipprotocol", ("inet", "inet6"), "inet", "Address family: V(inet) (IPv4) or V(inet6) (IPv6)."),
        text(
            "gateway",
            "Gateway address, of the family of O(ipprotocol); empty for a dynamic gateway (only on an interface "
            "without a static address of that family).",
        ),
        boolean("defaultgw", False, "Upstream gateway: a candidate for the default route."),
        boolean("fargw", False, "Far gateway: the address lies outside the interface's subnet."),
        boolean("monitor_disable", True, "Disable gateway monitoring (dpinger)."),
        boolean("monitor_noroute", False, "Do not add a static route for the monitor address."),
        boolean("monitor_killstates", False, "Kill states when the gateway goes down."),
        boolean("monitor_killstates_priority", False, "Kill states of lower-priority gateways when this one is back."),
        text(
            "monitor",
            "Address to monitor instead of the gateway address, of the family of O(ipprotocol); empty monitors "
            "the gateway address.",
        ),
        boolean("force_down", False, "Mark the gateway down, whatever monitoring says."),
        boolean("nosync", False, "Do not sync this gateway to an HA peer."),
        integer(
            "priority",
            "Priority, 0-255: the lowest wins as default gateway.",
            minimum=0,
            maximum=255,
            default=255,
            message="Priority must be a value between 1 and 255.",
        ),
        integer("weight", "Weight in a gateway group, 1-10.", minimum=1, maximum=10, default=1),
        integer("latencylow", "Low latency threshold in ms (empty: 200).", minimum=1),
        integer("latencyhigh", "High latency threshold in ms (empty: 500).", minimum=1),
        integer("losslow", "Low packet loss threshold in % (empty: 10).", minimum=1, maximum=99),
        integer("losshigh", "High packet loss threshold in % (empty: 20).", minimum=1, maximum=100),
        integer("interval", "Probe interval in seconds (empty: 1).", minimum=1),
        integer("time_period", "Time period over which results are averaged, in seconds (empty: 60).", minimum=1),
        integer("loss_interval", "Time after which a probe counts as lost, in seconds (empty: 4).", minimum=1),
        integer("data_length", "Payload size of the probes in bytes (empty: 1).", minimum=0),
    ),
    unique=(
        Unique(("name",), "Gateway with this name already exists."),
        Unique(("gateway",), "This gateway IP address already exists."),
    ),
    hooks=Hooks(validate=validate, adapt_row=adapt_row),
)
