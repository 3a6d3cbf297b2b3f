"""The filter rule model (Filter.xml, Filter.php, FilterRuleField.php; firewall.md 1.3 and 1.4).

The fields of `rules.rule` are data, Filter.json (generated from Filter.xml with `--select
rules.rule`); this module registers the firewall's own field types under their XML names, the
configd list of divert targets, the fields 26.1 lacks, and Filter::performValidation().
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from ...core.fields import FieldContext
from ...core.modeldata import load_model, register_configd_list, register_field_type
from ...core.modeldata.registry import LIST, MIN_MAX, options
from ...core.php import filter_ip, intval
from ...core.values import loose_equal, php_empty
from ..routing import gateway_list  # noqa: F401  (registers `interface gateways list [-g]`)
from .alias_model import index_of
from .fieldtypes import (
    FilterSequenceField,
    NetworkAliasField,
    PortField,
    ProtocolField,
    ScheduleField,
    SNatModeField,
    TosField,
    available,
    is_subnet,
    since,
)

KEY = "firewall.filter_rule"  # the state key Filter.json gives rules.rule


def always(element: str):
    """A PortField switch the simulator has always on (well-known names, ranges, aliases)."""

    def read(value: str) -> dict[str, Any]:
        if value.strip().upper() != "Y":
            raise ValueError(f"PortField is simulated with {element}=Y only")
        return {}

    return read


register_field_type("FilterSequenceField", partial(FilterSequenceField, KEY), **MIN_MAX)
register_field_type("ProtocolField", ProtocolField, AddOptions=lambda v: {"add_options": v}, **LIST)
register_field_type("NetworkAliasField", partial(NetworkAliasField, index_of), **LIST)
register_field_type(
    "PortField",
    partial(PortField, index_of),
    EnableWellKnown=always("EnableWellKnown"),
    EnableRanges=always("EnableRanges"),
    EnableAlias=always("EnableAlias"),
    **LIST,
)
register_field_type("TosField", TosField, **LIST)
register_field_type("SNatModeField", SNatModeField, OptionValues=options, **LIST)
register_field_type("ScheduleField", ScheduleField, **LIST)
# configd `filter list diverts`: divert sockets of running services; none are simulated.
register_configd_list("filter list diverts", lambda ctx: {})

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
    # config.xml's <interfaces>: the assigned ones and the registered groups.
    known = {i.key for i in env.interfaces} | set(getattr(env, "interface_groups", None) or {})
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


MODEL = load_model(Path(__file__).with_name("Filter.json"), name="filter", subsystem="filter", title="Filter")
RULE = MODEL.item("rules.rule")
RULE.validate = validate_rule
FIELDS = RULE.fields
PATH = RULE.path
# Added in 26.7 (firewall.md 1.3): 26.1 has no such fields.
for _name in ("max-pkt-rate-number", "max-pkt-rate-seconds"):
    since("26.7", FIELDS[_name])
