"""The filter rule model (Filter.xml, Filter.php, FilterRuleField.php; firewall.md 1.3 and 1.4)."""

from __future__ import annotations

from typing import Any

from ...core.fields import (
    BooleanField,
    DescriptionField,
    Field,
    FieldContext,
    IntegerField,
    InterfaceField,
    ItemType,
    JsonKeyValueStoreField,
    Model,
    ModelRelationField,
    OptionField,
    StrictTextField,
    TextField,
)
from ...core.php import filter_ip, intval
from ...core.values import loose_equal, php_empty
from .alias_model import index_of
from .fieldtypes import (
    AliasRelationField,
    FilterSequenceField,
    NetworkAliasField,
    PortField,
    ProtocolField,
    available,
    is_subnet,
    since,
    tos_field,
)

KEY = "firewall.filter_rule"
PATH = "rules.rule"

PRIO_LABELS = {
    "1": "Background (1, lowest)",
    "0": "Best Effort (0, default)",
    "2": "Excellent Effort (2)",
    "3": "Critical Applications (3)",
    "4": "Video (4)",
    "5": "Voice (5)",
    "6": "Internetwork Control (6)",
    "7": "Network Control (7, highest)",
}
ICMP_TYPES: dict[str, Any] = {
    **{
        k: (v, "Common")
        for k, v in {
            "echoreq": "Echo Request",
            "echorep": "Echo Reply",
            "unreach": "Destination Unreachable",
            "redir": "Redirect",
            "routeradv": "Router Advertisement",
            "routersol": "Router Solicitation",
            "timex": "Time Exceeded",
            "paramprob": "Parameter Problem",
            "timereq": "Timestamp",
            "timerep": "Timestamp Reply",
            "photuris": "Photuris",
        }.items()
    },
    **{
        k: (v, "Deprecated")
        for k, v in {
            "squench": "Source Quench",
            "althost": "Alternate Host Address",
            "inforeq": "Information Request",
            "inforep": "Information Reply",
            "maskreq": "Address Mask Request",
            "maskrep": "Address Mask Reply",
            "trace": "Traceroute",
            "dataconv": "Data conversion problem",
            "mobredir": "Mobile host redirection",
            "ipv6-where": "IPv6 where-are-you",
            "ipv6-here": "IPv6 i-am-here",
            "mobregreq": "Mobile registration request",
            "mobregrep": "Mobile registration reply",
            "skip": "SKIP",
        }.items()
    },
}
ICMP6_TYPES = {
    "1": "Destination unreachable",
    "2": "Packet too big",
    "3": "Time exceeded",
    "4": "Invalid IPv6 header",
    "128": "Echo service request",
    "129": "Echo service reply",
    "130": "Multicast Listener Query",
    "131": "Multicast listener report",
    "132": "Multicast listener done",
    "133": "Router solicitation",
    "134": "Router advertisement",
    "135": "Neighbor solicitation",
    "136": "Neighbor advertisement",
    "137": "Shorter route exists",
    "138": "Route renumbering",
    "139": "ICMP Node Information Query",
    "140": "Node information reply",
    "200": "mtrace response",
    "201": "mtrace messages",
}
TCP_FLAGS = {f: f for f in ("syn", "ack", "fin", "rst", "psh", "urg", "ece", "cwr")}
TAG_MASK = r"/^([0-9a-zA-Z.,_\-]){0,512}$/u"
GATEWAY_MSG = "Specify a valid gateway from the list matching the networks ip protocol."


def gateway_options(groups: bool):
    """configd `interface gateways list [-g]`: the gateways, plus groups as themselves with -g."""

    def source(ctx: FieldContext) -> dict[str, str]:
        try:
            from ..routing import gateway_list
        except ImportError:  # the routing service is optional
            return {}
        out = gateway_list.select_options(ctx.view, ctx.env)
        if groups:
            app_groups = getattr(ctx.env, "gateway_groups", None) or {}
            out.update({g: g for g in app_groups})
        return out

    return source


def _integer(maximum: int, minimum: int = 1) -> IntegerField:
    return IntegerField(minimum=minimum, maximum=maximum)


def _fields() -> dict[str, Field]:
    return {
        "enabled": BooleanField(default="1", required=True),
        "statetype": OptionField(
            {
                "keep": "keep state",
                "sloppy": "sloppy state",
                "modulate": "modulate state",
                "synproxy": "synproxy state",
                "none": "no state",
            },
            default="keep",
            required=True,
        ),
        "state-policy": OptionField(
            {"if-bound": "Bind states to interface", "floating": "Floating states"}, blank_desc="default"
        ),
        "sequence": FilterSequenceField(
            KEY, minimum=1, maximum=999999, required=True, message="Sequence shall be between 1 and 999999."
        ),
        "sort_order": TextField(volatile=True),
        "prio_group": TextField(volatile=True),
        "action": OptionField({"pass": "Pass", "block": "Block", "reject": "Reject"}, default="pass", required=True),
        "quick": BooleanField(default="1", required=True),
        "interfacenot": BooleanField(default="0", required=True),
        "interface": InterfaceField(multiple=True, filters={"if": "/^(?!lo0$).*/"}),
        "direction": OptionField({"in": "In", "out": "Out", "any": "Both"}, default="in", required=True),
        "ipprotocol": OptionField({"inet": "IPv4", "inet6": "IPv6", "inet46": "any"}, default="inet", required=True),
        "protocol": ProtocolField(add_options={"TCP/UDP": "TCP/UDP"}, default="any", required=True),
        "icmptype": OptionField(ICMP_TYPES, multiple=True),
        "icmp6type": OptionField(ICMP6_TYPES, multiple=True),
        "source_net": NetworkAliasField(index_of, default="any", required=True),
        "source_not": BooleanField(default="0", required=True),
        "source_port": PortField(index_of, message="Please specify a valid portnumber, name, alias or range."),
        "destination_net": NetworkAliasField(index_of, default="any", required=True),
        "destination_not": BooleanField(default="0", required=True),
        "destination_port": PortField(index_of, message="Please specify a valid portnumber, name, alias or range."),
        "divert-to": JsonKeyValueStoreField(lambda ctx: {}, message="Specify a valid divert-to target."),
        "gateway": JsonKeyValueStoreField(gateway_options(True), message=GATEWAY_MSG),
        "replyto": JsonKeyValueStoreField(gateway_options(False), message=GATEWAY_MSG),
        "disablereplyto": BooleanField(default="0", required=True),
        "log": BooleanField(default="0", required=True),
        "allowopts": BooleanField(default="0", required=True),
        "nosync": BooleanField(default="0", required=True),
        "nopfsync": BooleanField(default="0", required=True),
        "statetimeout": _integer(2147483647),
        "udp-first": _integer(2147483647),
        "udp-multiple": _integer(2147483647),
        "udp-single": _integer(2147483647),
        "max-src-nodes": _integer(2147483647),
        "max-src-states": _integer(2147483647),
        "max-src-conn": _integer(2147483647),
        "max": _integer(2147483647),
        "max-src-conn-rate": _integer(4294967),
        "max-src-conn-rates": _integer(2147483647),
        "max-pkt-rate-number": since("26.7", _integer(4294967)),
        "max-pkt-rate-seconds": since("26.7", _integer(2147483647)),
        "overload": AliasRelationField(index_of, message="Alias not found."),
        "adaptivestart": _integer(2147483647, minimum=0),
        "adaptiveend": _integer(2147483647, minimum=0),
        "prio": OptionField(PRIO_LABELS, blank_desc="Any priority"),
        "set-prio": OptionField(PRIO_LABELS, blank_desc="Keep current priority"),
        "set-prio-low": OptionField(PRIO_LABELS, blank_desc="Keep current priority"),
        "tag": StrictTextField(mask=TAG_MASK),
        "tagged": StrictTextField(mask=TAG_MASK),
        "tcpflags1": OptionField(TCP_FLAGS, multiple=True),
        "tcpflags2": OptionField(TCP_FLAGS, multiple=True),
        "tcpflags_any": BooleanField(default="0"),
        "categories": ModelRelationField("firewall.category", multiple=True, message="Related category not found."),
        "sched": OptionField({}),
        "tos": tos_field(),
        # No traffic shaper is simulated: every pipe or queue reference is unknown.
        "shaper1": OptionField({}, message="Related pipe or queue not found."),
        "shaper2": OptionField({}, message="Related pipe or queue not found."),
        "description": DescriptionField(),
    }


PORT_PROTOCOLS = ("TCP", "UDP", "TCP/UDP")
TCP_ONLY = [
    "statetimeout",
    "max-src-conn",
    "tcpflags1",
    "tcpflags2",
    "tcpflags_any",
    "max-src-conn-rate",
    "max-src-conn-rates",
    "overload",
]
STATELESS = ["statetimeout", "max", "max-src-states", "max-src-nodes", "adaptivestart", "adaptiveend", "max-src-conn"]
ADAPTIVE_MAX_MSG = (
    'Disabling adaptive timeouts is only supported in ".\n'
    '                                    "combination with a configured maximum number of states for the same rule.'
)


def validate_rule(rule: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """Filter::performValidation() for one filter rule, plus the 26.7 packet-rate DependConstraints."""
    out: dict[str, list[str]] = {}

    def add(field: str, msg: str) -> None:
        out.setdefault(field, []).append(msg)

    def get(field: str) -> str:
        return rule.get(field, "")

    if available(FIELDS["max-pkt-rate-number"], ctx.version):
        for a, b in (("max-pkt-rate-number", "max-pkt-rate-seconds"), ("max-pkt-rate-seconds", "max-pkt-rate-number")):
            if php_empty(get(a)) and not php_empty(get(b)):
                add(a, "Packet rate number and seconds must either both be set or left empty.")
    protocol = get("protocol")
    if not php_empty(get("source_port")) and protocol not in PORT_PROTOCOLS:
        add("source_port", "Source ports are only valid for tcp or udp type rules.")
    if not php_empty(get("destination_port")) and protocol not in PORT_PROTOCOLS:
        add("destination_port", "Destination ports are only valid for tcp or udp type rules.")
    for side, label in (("destination_net", "Destination"), ("source_net", "Source")):
        value = get(side)
        family = "inet" if ":" not in value else "inet6"
        if (is_subnet(value) or filter_ip(value)) and family != get("ipprotocol"):
            add(side, f"{label} address type should match selected TCP/IP protocol version.")
    for side in ("source_net", "destination_net"):
        if "," in get(side) and "any" in get(side).split(","):
            add(side, "Any can not be combined with other aliases")
    if not php_empty(get("icmptype")) and protocol != "ICMP":
        add("icmptype", "Option only applies to ICMP packets")
    if not php_empty(get("icmp6type")) and protocol != "IPV6-ICMP":
        add("icmp6type", "Option only applies to IPV6-ICMP packets")
    if "," in get("source_net") and get("source_not") == "1":
        add("source_not", "Inverting sources is only allowed for single targets to avoid mis-interpretations")
    if "," in get("destination_net") and get("destination_not") == "1":
        # Reported on destination_net, not destination_not (firewall.md 1.3).
        add("destination_net", "Inverting destinations is only allowed for single targets to avoid mis-interpretations")
    if not php_empty(get("interfacenot")) and (len(get("interface").split(",")) != 1 or get("interface") == ""):
        add("interfacenot", "Inverting interfaces is only allowed for single targets to avoid mis-interpretations")
    if protocol not in ("TCP", "TCP/UDP"):
        for field in TCP_ONLY:
            if not php_empty(get(field)):
                add(field, "Invalid option for other than TCP protocol choices.")
    _validate_filter_options(rule, add)
    return out


def _validate_filter_options(rule: dict[str, str], add: Any) -> None:
    def get(field: str) -> str:
        return rule.get(field, "")

    start, end, maximum = get("adaptivestart"), get("adaptiveend"), get("max")
    if php_empty(maximum) and (loose_equal(start, "0") or loose_equal(end, "0")):
        add("max", ADAPTIVE_MAX_MSG)
    elif loose_equal(start, "0") != loose_equal(end, "0"):
        add("adaptivestart", "Adaptive timeouts must be disabled together.")
    elif php_empty(start) != php_empty(end):
        add("adaptivestart", "The adaptive timouts values must be set together.")
    elif not php_empty(maximum) and not php_empty(end) and intval(maximum) > intval(end):
        add("adaptiveend", "The value of adaptive.end must be greater than the Max states value.")
    elif not php_empty(start) and not php_empty(end) and intval(start) > intval(end):
        add("adaptiveend", "The value of adaptive.end must be greater than adaptive.start value.")
    if loose_equal(get("statetype"), "none"):
        for field in STATELESS:
            if not php_empty(get(field)):
                add(field, "Invalid option when statetype is none.")
    if php_empty(get("max-src-conn-rate")) != php_empty(get("max-src-conn-rates")):
        missing = "max-src-conn-rate" if php_empty(get("max-src-conn-rate")) else "max-src-conn-rates"
        add(missing, "Need to specify both a number of connections and a time interval.")
    if not php_empty(get("tcpflags1")) and php_empty(get("tcpflags2")):
        add("tcpflags2", "If you specify TCP flags that should be set you should specify out of which flags as well.")
    if not php_empty(get("tcpflags1")) and not php_empty(get("tcpflags2")) and not php_empty(get("tcpflags_any")):
        add("tcpflags_any", "If you select any TCP flags, you cannot also select specific ones.")
    if get("set-prio") == "" and get("set-prio-low") != "":
        add(
            "set-prio-low",
            "Set priority for low latency and acknowledgements requires a set priority for normal packets.",
        )
    if not php_empty(get("shaper2")) and php_empty(get("shaper1")):
        add("shaper2", "A shaper is required when configuring one in the reverse direction.")
    if not php_empty(get("divert-to")) and not loose_equal(get("action"), "pass"):
        add("divert-to", "Divert-to is only valid for pass rules.")
    if not php_empty(get("gateway")) and not php_empty(get("replyto")):
        add("replyto", "You can not assign a reply-to destination to a rule that uses a gateway.")


def priority(rule: dict[str, str], env: Any) -> int:
    """FilterRuleContainerField::getPriority() (firewall.md 1.4)."""
    interfaces = [i for i in rule.get("interface", "").split(",") if i != ""]
    known = {i.key for i in env.interfaces}
    if env.version != "26.1" and interfaces and not any(i in known for i in interfaces):
        return 600000  # 26.7: a rule on interfaces that do not exist is never loaded
    if len(interfaces) != 1 or not php_empty(rule.get("interfacenot", "")):
        return 200000
    groups = getattr(env, "interface_groups", None) or {}
    if interfaces[0] in groups:
        return 300000 + int(groups[interfaces[0]].get("sequence", 0) or 0)
    return 400000


def with_order(rule: dict[str, str], env: Any) -> dict[str, str]:
    """The volatile sort_order and prio_group computed when the model loads."""
    prio = priority(rule, env)
    return {**rule, "sort_order": "%d.0%06d" % (prio, intval(rule.get("sequence", ""))), "prio_group": str(prio)}


FIELDS = _fields()
RULE = ItemType(key=KEY, path=PATH, fields=FIELDS, validate=validate_rule)
MODEL = Model(
    name="filter", mount="OPNsense/Firewall/Filter", version="1.0.5", items=[RULE], subsystem="filter", title="Filter"
)
