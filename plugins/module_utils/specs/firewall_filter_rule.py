# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_filter_rule: MVC firewall filter rules (opnsense-api/firewall.md 1)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

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
    ref,
    refs,
    text,
)

PORT_PROTOCOLS = ("TCP", "UDP", "TCP/UDP")
TCP_PROTOCOLS = ("TCP", "TCP/UDP")
ICMP_TYPES = (
    "echoreq", "echorep", "unreach", "redir", "routeradv", "routersol", "timex", "paramprob", "timereq",
    "timerep", "photuris", "squench", "althost", "inforeq", "inforep", "maskreq", "maskrep", "trace",
    "dataconv", "mobredir", "ipv6-where", "ipv6-here", "mobregreq", "mobregrep", "skip",
)  # fmt: skip
ICMP6_TYPES = ("1", "2", "3", "4") + tuple(str(n) for n in range(128, 141)) + ("200", "201")
TCP_FLAGS = ("syn", "ack", "fin", "rst", "psh", "urg", "ece", "cwr")
PRIOS = tuple(str(n) for n in range(8))
TOS = (
    "lowdelay", "critical", "inetcontrol", "netcontrol", "throughput", "reliability", "ef",
    "af11", "af12", "af13", "af21", "af22", "af23", "af31", "af32", "af33", "af41", "af42", "af43",
    "cs0", "cs1", "cs2", "cs3", "cs4", "cs5", "cs6", "cs7",
)  # fmt: skip
TAG_PATTERN = r"^[0-9a-zA-Z.,_-]{0,512}$"
PORT_MESSAGE = "Please specify a valid portnumber, name, alias or range."
TCP_ONLY = (
    "statetimeout",
    "max_src_conn",
    "tcpflags1",
    "tcpflags2",
    "tcpflags_any",
    "max_src_conn_rate",
    "max_src_conn_rates",
    "overload",
)
STATELESS = ("statetimeout", "max", "max_src_states", "max_src_nodes", "adaptivestart", "adaptiveend", "max_src_conn")
GATEWAY_MESSAGE = "Specify a valid gateway from the list matching the networks ip protocol."
# Upstream concatenates two strings inside one gettext() literal: the quote and dot are part of it.
ADAPTIVE_MAX_MESSAGE = (
    'Disabling adaptive timeouts is only supported in ".\n'
    '                                    "combination with a configured maximum number of states for the same rule.'
)


def _given(value: Any) -> bool:
    """PHP's ``!empty()`` of the stored string: "" and "0" are empty."""
    if value is None or value is False or value == [] or value == "":
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0
    return str(value) != "0"


def _items(value: Any) -> List[str]:
    if value in (None, "", []):
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value).split(",")


def _is_address(items: List[str]) -> bool:
    """``Util::isSubnet() || Util::isIpAddress()`` of the whole (comma-joined) value."""
    value = ",".join(items)
    return filter_ip(value) or is_subnet(value)


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Filter::performValidation() for one rule (core models/OPNsense/Firewall/Filter.php), in its order."""
    out: List[Tuple[str, str]] = []
    protocol = str(values.get("protocol") or "any")
    protocol = protocol if protocol.lower() == "any" else protocol.upper()
    for a, b in (("max_pkt_rate_number", "max_pkt_rate_seconds"), ("max_pkt_rate_seconds", "max_pkt_rate_number")):
        if not _given(values.get(a)) and _given(values.get(b)):
            out.append((a, "Packet rate number and seconds must either both be set or left empty."))
    for side, label in (("source", "Source"), ("destination", "Destination")):
        if _given(values.get(side + "_port")) and protocol not in PORT_PROTOCOLS:
            out.append((side + "_port", "%s ports are only valid for tcp or udp type rules." % label))
    for side, label in (("destination", "Destination"), ("source", "Source")):
        nets = _items(values.get(side + "_net"))
        family = "inet6" if ":" in ",".join(nets) else "inet"
        if _is_address(nets) and family != (values.get("ipprotocol") or "inet"):
            out.append((side + "_net", "%s address type should match selected TCP/IP protocol version." % label))
    for side in ("source", "destination"):
        nets = _items(values.get(side + "_net"))
        if len(nets) > 1 and "any" in nets:
            out.append((side + "_net", "Any can not be combined with other aliases"))
    if _items(values.get("icmptype")) and protocol != "ICMP":
        out.append(("icmptype", "Option only applies to ICMP packets"))
    if _items(values.get("icmp6type")) and protocol != "IPV6-ICMP":
        out.append(("icmp6type", "Option only applies to IPV6-ICMP packets"))
    if len(_items(values.get("source_net"))) > 1 and _given(values.get("source_not")):
        out.append(("source_not", "Inverting sources is only allowed for single targets to avoid mis-interpretations"))
    if len(_items(values.get("destination_net"))) > 1 and _given(values.get("destination_not")):
        # Reported on destination_net, not destination_not (firewall.md 1.3).
        out.append(
            (
                "destination_net",
                "Inverting destinations is only allowed for single targets to avoid mis-interpretations",
            )
        )
    if _given(values.get("interfacenot")) and len(_items(values.get("interface"))) != 1:
        out.append(
            ("interfacenot", "Inverting interfaces is only allowed for single targets to avoid mis-interpretations")
        )
    if protocol not in TCP_PROTOCOLS:
        for name in TCP_ONLY:
            if _given(values.get(name)):
                out.append((name, "Invalid option for other than TCP protocol choices."))
    return out + _options(values)


def _options(values: Dict[str, Any]) -> List[Tuple[str, str]]:
    """The second half of Filter::performValidation(): state, adaptive timeouts, flags, priorities."""
    out: List[Tuple[str, str]] = []
    start, end, most = values.get("adaptivestart"), values.get("adaptiveend"), values.get("max")
    if not _given(most) and (start == 0 or end == 0):
        out.append(("max", ADAPTIVE_MAX_MESSAGE))
    elif (start == 0) != (end == 0):
        out.append(("adaptivestart", "Adaptive timeouts must be disabled together."))
    elif _given(start) != _given(end):
        out.append(("adaptivestart", "The adaptive timouts values must be set together."))
    elif _given(most) and _given(end) and int(most) > int(end):
        out.append(("adaptiveend", "The value of adaptive.end must be greater than the Max states value."))
    elif _given(start) and _given(end) and int(start) > int(end):
        out.append(("adaptiveend", "The value of adaptive.end must be greater than adaptive.start value."))
    if values.get("statetype") == "none":
        for name in STATELESS:
            if _given(values.get(name)):
                out.append((name, "Invalid option when statetype is none."))
    rate, rates = _given(values.get("max_src_conn_rate")), _given(values.get("max_src_conn_rates"))
    if rate != rates:
        missing = "max_src_conn_rates" if rate else "max_src_conn_rate"
        out.append((missing, "Need to specify both a number of connections and a time interval."))
    flags1, flags2 = _items(values.get("tcpflags1")), _items(values.get("tcpflags2"))
    if flags1 and not flags2:
        out.append(
            ("tcpflags2", "If you specify TCP flags that should be set you should specify out of which flags as well.")
        )
    if flags1 and flags2 and _given(values.get("tcpflags_any")):
        out.append(("tcpflags_any", "If you select any TCP flags, you cannot also select specific ones."))
    if values.get("set_prio") in (None, "") and values.get("set_prio_low") not in (None, ""):
        out.append(
            (
                "set_prio_low",
                "Set priority for low latency and acknowledgements requires a set priority for normal packets.",
            )
        )
    if _given(values.get("shaper2")) and not _given(values.get("shaper1")):
        out.append(("shaper2", "A shaper is required when configuring one in the reverse direction."))
    if _given(values.get("divert_to")) and (values.get("action") or "pass") != "pass":
        out.append(("divert_to", "Divert-to is only valid for pass rules."))
    if _given(values.get("gateway")) and _given(values.get("replyto")):
        out.append(("replyto", "You can not assign a reply-to destination to a rule that uses a gateway."))
    return out


SPEC = ResourceSpec(
    type="firewall_filter_rule",
    module="firewall",
    controller="filter",
    key="rule",
    identity=("description",),
    display="{description}",
    aliases=("opnsense:firewall:rule",),
    summary="Manage OPNsense firewall filter rules",
    description=(
        "Create, update or delete a firewall filter rule of the MVC rule set (Firewall > Rules in 26.x).",
        "The rule is identified by its O(description), which must therefore be unique among the rules.",
        "Source and destination may name aliases (they stay names in OPNsense); O(categories) and "
        "O(overload) name categories and aliases and are stored as their uuids.",
        "By default the change is applied at once (C(firewall/filter/apply)); with O(reload=false) it is "
        "only saved, and M(opnform.opnsense.reload) with subsystem V(filter) applies it later.",
    ),
    notes=(
        "Legacy and automatic rules shown by OPNsense's search are never matched or changed.",
        "O(sequence) is only managed when given; otherwise OPNsense numbers a new rule after the last one.",
    ),
    commands=Commands(
        search="searchRule", get="getRule", add="addRule", set="setRule", delete="delRule", toggle="toggleRule"
    ),
    reload="filter",
    # pf evaluates rules in sequence inside a priority group; a rule's group follows its interface
    # set (opnsense-api/firewall.md 1.4). Source/destination may be alias names, ports may be port
    # alias names (firewall.md 1.3): those fields mention firewall_alias.
    ordering=Ordering(field="sequence", group=("interface",), step=100, minimum=1, maximum=999999),
    fields=(
        boolean("enabled", True, "Whether the rule is active."),
        integer(
            "sequence",
            "Order of the rule inside its priority group (1-999999). Only managed when given.",
            minimum=1,
            maximum=999999,
            auto=True,
            message="Sequence shall be between 1 and 999999.",
        ),
        option("action", ("pass", "block", "reject"), "pass", "What to do with matching packets."),
        boolean("quick", True, "Apply the action on first match."),
        multi(
            "interface",
            doc="Interface keys (V(lan), V(wan), V(opt1), groups). None or several make a floating rule.",
            ftype="InterfaceField",
        ),
        boolean("interfacenot", False, "Invert the interface match; only with exactly one interface."),
        option("direction", ("in", "out", "any"), "in", "Direction of the traffic (V(any) is 'both')."),
        option("ipprotocol", ("inet", "inet6", "inet46"), "inet", "Address family."),
        text(
            "protocol",
            "V(any), or a protocol name such as V(TCP), V(UDP), V(TCP/UDP), V(ICMP). OPNsense upper-cases names.",
            default="any",
            case="upper",
            keep_case=("any",),
            ftype="ProtocolField",
        ),
        multi(
            "source_net",
            default=["any"],
            mentions="firewall_alias",
            doc="Sources: V(any), V((self)), interface keys (V(lan)), V(<if>ip), alias names, or one literal address or network.",
            ftype="NetworkAliasField",
        ),
        boolean("source_not", False, "Invert the source match."),
        text(
            "source_port",
            "Source port, V(lo-hi) range, service name or port alias name (TCP/UDP only).",
            mentions="firewall_alias",
            ftype="PortField",
            message=PORT_MESSAGE,
        ),
        multi(
            "destination_net",
            default=["any"],
            mentions="firewall_alias",
            doc="Destinations, same forms as O(source_net).",
            ftype="NetworkAliasField",
        ),
        boolean("destination_not", False, "Invert the destination match."),
        text(
            "destination_port",
            "Destination port, V(lo-hi) range, service name or port alias name (TCP/UDP only).",
            mentions="firewall_alias",
            ftype="PortField",
            message=PORT_MESSAGE,
        ),
        multi("icmptype", ICMP_TYPES, doc="ICMP types, only with O(protocol=ICMP)."),
        multi("icmp6type", ICMP6_TYPES, doc="ICMPv6 type numbers, only with O(protocol=IPV6-ICMP)."),
        text(
            "gateway",
            "Gateway or gateway group name for policy routing; not with O(replyto). A gateway of "
            "M(opnform.opnsense.routes_gateway) in the same apply is created before the rule.",
            ftype="JsonKeyValueStoreField",
            message=GATEWAY_MESSAGE,
            mentions="routes_gateway",
            options_also=("routes_gateway", "name"),
        ),
        text(
            "replyto",
            "Gateway name for reply-to.",
            ftype="JsonKeyValueStoreField",
            message=GATEWAY_MESSAGE,
            mentions="routes_gateway",
            options_also=("routes_gateway", "name"),
        ),
        boolean("disablereplyto", False, "Disable automatic reply-to for this rule."),
        boolean("log", False, "Log packets matched by the rule."),
        boolean("allowopts", False, "Allow packets with IP options."),
        boolean("nosync", False, "Do not sync this rule to an HA peer."),
        boolean("nopfsync", False, "Do not create pfsync state for this rule."),
        option("statetype", ("keep", "sloppy", "modulate", "synproxy", "none"), "keep", "State tracking."),
        option("state-policy", ("if-bound", "floating"), None, "State policy; empty uses the system default."),
        integer("statetimeout", "State timeout in seconds (TCP only).", minimum=1, maximum=2147483647),
        integer("udp-first", "UDP first timeout.", minimum=1, maximum=2147483647),
        integer("udp-multiple", "UDP multiple timeout.", minimum=1, maximum=2147483647),
        integer("udp-single", "UDP single timeout.", minimum=1, maximum=2147483647),
        integer("max-src-nodes", "Maximum source addresses.", minimum=1, maximum=2147483647),
        integer("max-src-states", "Maximum states per source.", minimum=1, maximum=2147483647),
        integer("max-src-conn", "Maximum connections per source (TCP only).", minimum=1, maximum=2147483647),
        integer("max", "Maximum states for the rule.", minimum=1, maximum=2147483647),
        integer(
            "max-src-conn-rate", "New connections per source in the rate window (TCP only).", minimum=1, maximum=4294967
        ),
        integer(
            "max-src-conn-rates",
            "Rate window in seconds for O(max_src_conn_rate) (TCP only).",
            minimum=1,
            maximum=2147483647,
        ),
        integer("max-pkt-rate-number", "Packets in the packet rate window.", minimum=1, maximum=4294967),
        integer("max-pkt-rate-seconds", "Packet rate window in seconds.", minimum=1, maximum=2147483647),
        integer("adaptivestart", "Adaptive timeout start (states).", minimum=0, maximum=2147483647),
        integer("adaptiveend", "Adaptive timeout end (states).", minimum=0, maximum=2147483647),
        ref(
            "overload",
            "firewall_alias",
            "Name of the (non-port) alias that overloading sources are added to (TCP only).",
        ),
        option("prio", PRIOS, None, "Match on 802.1p priority."),
        option("set-prio", PRIOS, None, "Set the priority of matched packets."),
        option("set-prio-low", PRIOS, None, "Priority for low-delay packets; needs O(set_prio)."),
        option("tos", TOS, None, "Match on the TOS / DSCP value.", ftype="TosField"),
        text("tag", "Tag matched packets.", pattern=TAG_PATTERN, ftype="StrictTextField"),
        text("tagged", "Match packets carrying this tag.", pattern=TAG_PATTERN, ftype="StrictTextField"),
        multi("tcpflags1", TCP_FLAGS, doc="TCP flags that must be set; needs O(tcpflags2)."),
        multi("tcpflags2", TCP_FLAGS, doc="TCP flags that are examined (the mask)."),
        boolean("tcpflags_any", False, "Match any TCP flags; not with specific flags."),
        text(
            "divert-to",
            "divert-to port (pass rules only).",
            ftype="JsonKeyValueStoreField",
            message="Specify a valid divert-to target.",
        ),
        text("sched", "Name of a legacy schedule.", ftype="ScheduleField"),
        refs(
            "categories", "firewall_category", "Names of firewall categories (M(opnform.opnsense.firewall_category))."
        ),
        text(
            "shaper1",
            "UUID of a traffic shaper pipe or queue (not managed by this collection).",
            ftype="ModelRelationField",
            message="Related pipe or queue not found.",
        ),
        text(
            "shaper2",
            "UUID of the reverse-direction shaper pipe or queue; needs O(shaper1).",
            ftype="ModelRelationField",
            message="Related pipe or queue not found.",
        ),
        text(
            "description",
            "Description of the rule; identifies it, so it must be unique. At most 255 characters, no newlines.",
            required=True,
            max_length=255,
            ftype="DescriptionField",
        ),
    ),
    hooks=Hooks(validate=validate),
)
