# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_filter_rule: MVC firewall filter rules (opnsense-api/firewall.md 1)."""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Tuple

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
PORT_PATTERN = r"^([0-9]{1,5}(-[0-9]{1,5})?|[A-Za-z_][A-Za-z0-9_.-]*)$"
TCP_ONLY = (
    "statetimeout",
    "max_src_conn",
    "max_src_conn_rate",
    "max_src_conn_rates",
    "overload",
    "tcpflags1",
    "tcpflags2",
)


def _is_literal(value: str) -> bool:
    try:
        ipaddress.ip_network(value.lstrip("!"), strict=False)
        return True
    except ValueError:
        return False


def validate(values: Dict[str, Any]) -> List[Tuple[str, str]]:
    """The cross-field rules of Filter.php that can be checked without the firewall."""
    errors = []
    protocol = str(values.get("protocol") or "any").upper()
    for side in ("source", "destination"):
        nets = [str(n) for n in values.get(side + "_net") or []]
        if "any" in nets and len(nets) > 1:
            errors.append((side + "_net", "'any' cannot be combined with other values"))
        if len(nets) > 1 and any(_is_literal(n) for n in nets):
            errors.append((side + "_net", "a literal address or network is only accepted as the sole value"))
        if values.get(side + "_not") and len(nets) > 1:
            errors.append((side + "_not", "inverting is only allowed for a single target"))
        if values.get(side + "_port") and protocol not in PORT_PROTOCOLS:
            errors.append(
                (side + "_port", "ports are only valid for TCP, UDP or TCP/UDP rules (protocol is %s)" % protocol)
            )
    if values.get("interfacenot") and len(values.get("interface") or []) != 1:
        errors.append(("interfacenot", "inverting interfaces is only allowed for exactly one interface"))
    if values.get("icmptype") and protocol != "ICMP":
        errors.append(("icmptype", "ICMP types need protocol ICMP"))
    if values.get("icmp6type") and protocol != "IPV6-ICMP":
        errors.append(("icmp6type", "ICMPv6 types need protocol IPV6-ICMP"))
    if values.get("tcpflags1") and not values.get("tcpflags2"):
        errors.append(("tcpflags2", "is required when tcpflags1 is set"))
    if values.get("set_prio_low") and not values.get("set_prio"):
        errors.append(("set_prio", "is required when set_prio_low is set"))
    if values.get("gateway") and values.get("replyto"):
        errors.append(("replyto", "cannot be combined with gateway"))
    if protocol not in TCP_PROTOCOLS:
        for name in TCP_ONLY:
            if values.get(name) not in (None, "", []):
                errors.append((name, "is only valid for protocol TCP or TCP/UDP"))
    return errors


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
        ),
        option("action", ("pass", "block", "reject"), "pass", "What to do with matching packets."),
        boolean("quick", True, "Apply the action on first match."),
        multi(
            "interface", doc="Interface keys (V(lan), V(wan), V(opt1), groups). None or several make a floating rule."
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
        ),
        multi(
            "source_net",
            default=["any"],
            mentions="firewall_alias",
            doc="Sources: V(any), V((self)), interface keys (V(lan)), V(<if>ip), alias names, or one literal address or network.",
        ),
        boolean("source_not", False, "Invert the source match."),
        text(
            "source_port",
            "Source port, V(lo-hi) range, service name or port alias name (TCP/UDP only).",
            pattern=PORT_PATTERN,
            mentions="firewall_alias",
        ),
        multi(
            "destination_net",
            default=["any"],
            mentions="firewall_alias",
            doc="Destinations, same forms as O(source_net).",
        ),
        boolean("destination_not", False, "Invert the destination match."),
        text(
            "destination_port",
            "Destination port, V(lo-hi) range, service name or port alias name (TCP/UDP only).",
            pattern=PORT_PATTERN,
            mentions="firewall_alias",
        ),
        multi("icmptype", ICMP_TYPES, doc="ICMP types, only with O(protocol=ICMP)."),
        multi("icmp6type", ICMP6_TYPES, doc="ICMPv6 type numbers, only with O(protocol=IPV6-ICMP)."),
        text("gateway", "Gateway or gateway group name for policy routing; not with O(replyto)."),
        text("replyto", "Gateway name for reply-to."),
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
        option("tos", TOS, None, "Match on the TOS / DSCP value."),
        text("tag", "Tag matched packets.", pattern=TAG_PATTERN),
        text("tagged", "Match packets carrying this tag.", pattern=TAG_PATTERN),
        multi("tcpflags1", TCP_FLAGS, doc="TCP flags that must be set; needs O(tcpflags2)."),
        multi("tcpflags2", TCP_FLAGS, doc="TCP flags that are examined (the mask)."),
        boolean("tcpflags_any", None, "Match any TCP flags; not with specific flags."),
        text("divert-to", "divert-to port (pass rules only)."),
        text("sched", "Name of a legacy schedule."),
        refs(
            "categories", "firewall_category", "Names of firewall categories (M(opnform.opnsense.firewall_category))."
        ),
        text("shaper1", "UUID of a traffic shaper pipe or queue (not managed by this collection)."),
        text("shaper2", "UUID of the reverse-direction shaper pipe or queue; needs O(shaper1)."),
        text(
            "description",
            "Description of the rule; identifies it, so it must be unique. At most 255 characters, no newlines.",
            required=True,
            max_length=255,
            pattern=r"^[^\r\n]*$",
            pattern_message="must not contain newlines",
        ),
    ),
    hooks=Hooks(validate=validate),
)
