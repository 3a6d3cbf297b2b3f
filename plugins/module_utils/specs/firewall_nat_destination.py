# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_nat_destination: port forwards, the MVC destination NAT of 26.1 and later
(opnsense-api/firewall.md 4; core models/OPNsense/Firewall/DNat.xml, DNat.php and
controllers/OPNsense/Firewall/Api/DNatController.php; simulator services/firewall/FACTS.md)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._php import filter_ip, is_subnet
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    Ordering,
    ResourceSpec,
    boolean,
    integer,
    multi,
    option,
    text,
)

PORT_PROTOCOLS = ("tcp", "udp", "tcp/udp")
POOL_OPTIONS = (
    "round-robin",
    "round-robin sticky-address",
    "random",
    "random sticky-address",
    "source-hash",
    "bitmask",
)


def _given(value: Any) -> bool:
    return value not in (None, "", "0", 0, False, [])


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """DNat::performValidation(), in its order."""
    out: List[Tuple[str, str]] = []
    protocol = str(values.get("protocol") or "").lower()
    for field in ("source_port", "destination_port", "local_port"):
        if _given(values.get(field)) and protocol not in PORT_PROTOCOLS:
            out.append((field, "Ports are only valid for TCP or UDP type rules."))
    family = values.get("ipprotocol") or ""
    for field in ("source_net", "destination_net", "target"):
        value = str(values.get(field) or "")
        proto = "inet6" if ":" in value else "inet"
        if (is_subnet(value) or filter_ip(value)) and family in ("inet", "inet6") and family != proto:
            out.append((field, "Address type should match selected TCP/IP protocol version."))
    if _given(values.get("nordr")) and _given(values.get("target")):
        out.append(("target", "Target must be empty when No RDR is set."))
    if _given(values.get("nordr")) and _given(values.get("local_port")):
        out.append(("local_port", "Port must be empty when No RDR is set."))
    return out


def _option_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, dict) and "selected" in v for v in value.values())


def adapt_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """``getRule`` nests ``source`` and ``destination`` (search rows name them ``source.network``):
    one dotted name per leaf, option maps kept."""
    out: Dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict) and value and not _option_map(value):
            for sub, leaf in value.items():
                out["%s.%s" % (key, sub)] = leaf
        else:
            out[key] = value
    return out


def adapt_payload(payload: Dict[str, Any], sample_row: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The dotted names back into the nested objects ``setRule`` reads."""
    out: Dict[str, Any] = {}
    for key, value in payload.items():
        if "." in key:
            head, tail = key.split(".", 1)
            out.setdefault(head, {})[tail] = value
        else:
            out[key] = value
    return out


SPEC = ResourceSpec(
    type="firewall_nat_destination",
    module="firewall",
    controller="d_nat",
    key="rule",
    identity=("description",),
    display="{description}",
    summary="Manage OPNsense port forwards (destination NAT)",
    description=(
        "Create, update or delete a port forward (Firewall > NAT > Destination NAT; OPNsense 26.1 and "
        "later): traffic to O(destination_net) and O(destination_port) on the interfaces is redirected "
        "to O(target) and O(local_port).",
        "The rule is identified by its O(description), which must therefore be unique among the port forwards.",
        "Networks, ports and the target may name aliases, and O(category) names categories: all stay names "
        "in OPNsense.",
        "By default the change is applied at once with the filter reload (C(firewall/filter/apply), which "
        "port forwards share); with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with "
        "subsystem V(filter) applies it later.",
    ),
    notes=(
        "O(sequence) is only managed when given; otherwise OPNsense numbers a new rule after the last one.",
        "The API user needs the privilege Firewall: Rules [new] (C(api/firewall/filter/*)) as well: the change is applied through C(firewall/filter/apply).",
        "The anti-lockout rows OPNsense shows first are never matched or changed; OPNsense stamps the "
        "C(created) and C(updated) metadata itself.",
        "A rule is active unless O(disabled); OPNsense's O(pass) decides whether a filter rule lets the "
        "forwarded traffic in (empty: a rule of your own must).",
    ),
    commands=Commands(
        search="searchRule",
        get="getRule",
        add="addRule",
        set="setRule",
        delete="delRule",
        # toggleRule works on `disabled`, with the inverse meaning of the other toggles.
        toggle=None,
    ),
    reload="filter",
    ordering=Ordering(field="sequence", step=100, minimum=1, maximum=999999),
    fields=(
        integer(
            "sequence",
            "Order of the rule (1-999999). Only managed when given.",
            minimum=1,
            maximum=999999,
            auto=True,
            message="Sequence shall be between 1 and 999999.",
        ),
        boolean("disabled", False, "Whether the rule is disabled."),
        boolean("nordr", False, "No redirection: an exception to the port forwards after it (no O(target))."),
        multi(
            "interface",
            doc="Interface keys the traffic arrives on (V(wan), V(lan), V(opt1), groups).",
            ftype="InterfaceField",
        ),
        option("ipprotocol", ("inet", "inet6", "inet46"), None, "Address family; empty means any."),
        text(
            "protocol",
            "Protocol in lower case (V(tcp), V(udp), V(tcp/udp), V(icmp), ...); empty means any. OPNsense lower-cases names.",
            case="lower",
            ftype="ProtocolField",
        ),
        text(
            "source.network",
            "Source: V(any), an interface key (V(lan)), V(<if>ip), an alias name, or one address or network.",
            name="source_net",
            mentions="firewall_alias",
            ftype="NetworkAliasField",
        ),
        text(
            "source.port",
            "Source port, V(lo-hi) range, service name or port alias name (TCP/UDP only).",
            name="source_port",
            mentions="firewall_alias",
            ftype="PortField",
            message="Please specify a valid port number, well-known name, alias or range.",
        ),
        boolean("source.not", False, "Invert the source match.", name="source_not"),
        text(
            "destination.network",
            "Destination, same forms as O(source_net); usually V(wanip).",
            name="destination_net",
            mentions="firewall_alias",
            ftype="NetworkAliasField",
        ),
        text(
            "destination.port",
            "Destination port, V(lo-hi) range, service name or port alias name (TCP/UDP only).",
            name="destination_port",
            mentions="firewall_alias",
            ftype="PortField",
            message="Please specify a valid port number, well-known name, alias or range.",
        ),
        boolean("destination.not", False, "Invert the destination match.", name="destination_not"),
        text(
            "target",
            "Redirect target: an address or a host alias name; empty with O(nordr).",
            mentions="firewall_alias",
            ftype="NetworkAliasField",
        ),
        text(
            "local-port",
            "Port on the target: a number, service name or port alias name (no range; TCP/UDP only).",
            mentions="firewall_alias",
            ftype="PortField",
            message="Please specify a valid port number or alias.",
            xml=(("EnableRanges", "N"),),
        ),
        option(
            "poolopts",
            POOL_OPTIONS,
            None,
            "Pool option for an alias target with several addresses; empty is the default.",
        ),
        boolean("log", False, "Log packets matched by the rule."),
        multi(
            "category",
            doc="Names of firewall categories (M(opnform.opnsense.firewall_category)); stored as names.",
            mentions="firewall_category",
            ftype="CategoryField",
            # A category of the same apply is created before the rule.
            options_also=("firewall_category", "name"),
        ),
        text(
            "descr",
            "Description of the rule; identifies it, so it must be unique. At most 255 characters, no newlines.",
            name="description",
            required=True,
            max_length=255,
            ftype="DescriptionField",
        ),
        text("tag", "Tag matched packets.", ftype="StrictTextField"),
        text("tagged", "Match packets carrying this tag.", ftype="StrictTextField"),
        boolean("nosync", False, "Do not sync this rule to an HA peer."),
        option("natreflection", ("purenat", "disable"), None, "NAT reflection; empty uses the system default."),
        option(
            "pass",
            ("pass", "rule"),
            None,
            "Filter rule: V(pass) lets the forwarded traffic in, V(rule) registers a rule; empty leaves it to you.",
        ),
    ),
    hooks=Hooks(validate=validate, adapt_row=adapt_row, adapt_payload=adapt_payload),
)
