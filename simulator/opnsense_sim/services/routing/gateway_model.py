"""The Gateways model, mounted on //OPNsense/Gateways (Gateways.xml, Gateways.php; interfaces-and-services.md 3).

Fields are data, Gateways.json (generated from Gateways.xml; the container is a GatewayField, an
ArrayField whose extra behaviour is not simulated). Stored under the state key `routing.gateway`,
container path `gateway_item`.

The monitoring thresholds carry ComparedToFieldConstraint blocks in Gateways.xml, but they are not
wrapped in a named check, so BaseField never instantiates them; the only threshold rules that run
are the model's own: high must not be lower than low (equal passes, message on the `high` field)
and time_period >= 2 x (interval + loss_interval), each compared on the effective ("current_")
values with dpinger's defaults filling the empty ones.
"""

from __future__ import annotations

from pathlib import Path

from ...core.fields import FieldContext
from ...core.modeldata import load_model
from ...core.php import filter_ip, intval

# GatewayField::getDpingerDefaults()
DPINGER_DEFAULTS = {
    "data_length": "1",
    "interval": "1",
    "latencyhigh": "500",
    "latencylow": "200",
    "loss_interval": "4",
    "losshigh": "20",
    "losslow": "10",
    "time_period": "60",
}


MODEL = load_model(Path(__file__).with_name("Gateways.json"), name="gateways", subsystem="routes", title="Gateways")
GATEWAY = MODEL.item("gateway_item")
GATEWAY.label = ("descr", "name")


def validate(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """Gateways::performValidation() for one item, plus the two UniqueConstraints of the XML."""
    msgs: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        msgs.setdefault(name, []).append(text)

    others = {u: i for u, i in ctx.view.items(GATEWAY.key).items() if u != ctx.uuid}
    if item.get("name") and any(o.get("name") == item["name"] for o in others.values()):
        add("name", "Gateway with this name already exists.")
    if item.get("gateway") and any(o.get("gateway") == item["gateway"] for o in others.values()):
        add("gateway", "This gateway IP address already exists.")

    # validateNameChange(): the name as committed before this request may not change.
    before = ctx.loaded.items(GATEWAY.key) if ctx.loaded is not None else None
    old = before.get(ctx.uuid) if before is not None and ctx.uuid else None
    if old is not None and old.get("name", "") != item.get("name", ""):
        add("name", "Changing name on a gateway is not allowed.")

    proto = item.get("ipprotocol", "inet")
    # validateDynamicMatch(): no address (or "dynamic") on an interface with a static address.
    if not filter_ip(item.get("gateway", "")):
        iface = ctx.env.interface(item.get("interface", ""))
        static = (iface.ipaddr if proto == "inet" else iface.ipaddrv6) if iface is not None else ""
        if static and filter_ip(static):
            family = "IPv4" if proto == "inet" else "IPv6"
            add(
                "gateway",
                f"Dynamic gateway values cannot be specified for interfaces with a static {family} configuration.",
            )

    monitors = {
        u: ("unique:" if i.get("monitor_noroute", "0") in ("", "0") else "") + i["monitor"]
        for u, i in others.items()
        if i.get("monitor")
    }
    for key in ("gateway", "monitor"):
        value = item.get(key, "")
        if value in ("", "dynamic"):
            continue
        if proto == "inet" and not filter_ip(value, v6=False):
            add(key, "Invalid IPv4 address")
        elif proto == "inet6" and not filter_ip(value, v4=False):
            add(key, "Invalid IPv6 address")
        elif key == "monitor":
            noroute_empty = item.get("monitor_noroute", "0") in ("", "0")
            if f"unique:{value}" in monitors.values() or (noroute_empty and value in monitors.values()):
                add(key, "This monitor IP address already exists.")

    cur = {k: item.get(k) or d for k, d in DPINGER_DEFAULTS.items()}
    if intval(cur["latencylow"]) > intval(cur["latencyhigh"]):
        add("latencyhigh", "The high latency threshold needs to be higher than the low latency threshold.")
    if intval(cur["losslow"]) > intval(cur["losshigh"]):
        add("losshigh", "The high Packet Loss threshold needs to be higher than the low Packet Loss threshold.")
    if intval(cur["time_period"]) < 2 * (intval(cur["interval"]) + intval(cur["loss_interval"])):
        add(
            "time_period",
            "The time period needs to be at least 2 times the sum of the probe interval and the loss interval.",
        )
    return msgs


GATEWAY.validate = validate
