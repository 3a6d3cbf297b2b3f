# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_nat_source: outbound (source) NAT rules (opnsense-api/firewall.md 4; core
models/OPNsense/Firewall/Filter.xml ``snatrules.rule``, Filter.php and
controllers/OPNsense/Firewall/Api/SourceNatController.php; simulator services/firewall/FACTS.md)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._netdb import WELL_KNOWN_PORTS
from ansible_collections.opnform.opnsense.plugins.module_utils._php import filter_ip, is_subnet
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    Ordering,
    ResourceSpec,
    boolean,
    integer,
    option,
    refs,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.firewall_filter_rule import (
    PORT_MESSAGE,
    PORT_PROTOCOLS,
    TAG_PATTERN,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.firewall_filter_rule import (
    validate as validate_shared,
)


def _given(value: Any) -> bool:
    return value not in (None, "", "0", 0, False, [])


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Filter::performValidation() for a source NAT rule: the checks it shares with filter rules (the
    fields a source NAT rule lacks are absent and pass), then the target checks."""
    out = validate_shared(values, facts)
    protocol = str(values.get("protocol") or "any")
    protocol = protocol if protocol.lower() == "any" else protocol.upper()
    target = str(values.get("target") or "")
    if target == "any":
        out.append(("target", "Target address cannot be any."))
    family = "inet6" if ":" in target else "inet"
    if (is_subnet(target) or filter_ip(target)) and family != (values.get("ipprotocol") or "inet"):
        out.append(("target", "Target address type should match selected TCP/IP protocol version."))
    if _given(values.get("target_port")) and protocol not in PORT_PROTOCOLS:
        out.append(("target_port", "Target ports are only valid for tcp or udp type rules."))
    if _given(values.get("endpoint_independent")) and protocol != "UDP":
        out.append(("endpoint_independent", "Endpoint Independent NAT is only available for UDP."))
    return out


SPEC = ResourceSpec(
    type="firewall_nat_source",
    module="firewall",
    controller="source_nat",
    key="rule",
    identity=("description",),
    display="{description}",
    summary="Manage OPNsense outbound (source) NAT rules",
    description=(
        "Create, update or delete an outbound NAT rule (Firewall > NAT > Source NAT): traffic leaving an "
        "interface gets its source rewritten to O(target) (or, with O(nonat), is left alone).",
        "The rule is identified by its O(description), which must therefore be unique among the outbound NAT rules.",
        "Source, destination and target may name aliases (they stay names in OPNsense); O(categories) name "
        "categories and are stored as their uuids.",
        "By default the change is applied at once with the filter reload (C(firewall/filter/apply), which "
        "outbound NAT rules share); with O(reload=false) it is only saved, and M(opnform.opnsense.reload) "
        "with subsystem V(filter) applies it later.",
    ),
    notes=(
        "OPNsense uses manual outbound NAT rules only in the V(hybrid) and V(advanced) outbound NAT modes "
        "(Firewall > NAT > Source NAT, or C(firewall/source_nat/set)); this module does not change the mode. "
        "Rules are read from the filter model (C(firewall/filter/get)), since OPNsense's rule search lists "
        "them only in those modes.",
        "The automatic rules OPNsense shows in V(automatic) and V(hybrid) mode are never matched or changed.",
        "O(sequence) is only managed when given; otherwise OPNsense numbers a new rule after the last one.",
        "The API user needs the privilege Firewall: Rules [new] (C(api/firewall/filter/*)) as well: the rules "
        "are read through C(firewall/filter/get) and the change is applied through C(firewall/filter/apply).",
    ),
    commands=Commands(
        search="searchRule",
        get="getRule",
        add="addRule",
        set="setRule",
        delete="delRule",
        toggle="toggleRule",
    ),
    reload="filter",
    list_from=("firewall/filter/get", "filter.snatrules.rule"),
    # Outbound NAT rules are evaluated in sequence over the whole container (SourceNatRuleField.php).
    ordering=Ordering(field="sequence", step=100, minimum=1, maximum=999999),
    fields=(
        boolean("enabled", True, "Whether the rule is active."),
        boolean("nonat", False, "Do not NAT matching traffic (an exception to the rules after it)."),
        boolean("nosync", False, "Do not sync this rule to an HA peer."),
        integer(
            "sequence",
            "Order of the rule (1-999999). Only managed when given.",
            minimum=1,
            maximum=999999,
            auto=True,
            message="Sequence shall be between 1 and 999999.",
        ),
        text(
            "interface",
            "Interface key the traffic leaves through (V(wan), V(lan), V(opt1), or an applied interface group).",
            default="lan",
            ftype="InterfaceField",
        ),
        option("ipprotocol", ("inet", "inet6"), "inet", "Address family."),
        text(
            "protocol",
            "V(any), or a protocol name such as V(TCP), V(UDP), V(TCP/UDP), V(ICMP). OPNsense upper-cases names.",
            default="any",
            case="upper",
            keep_case=("any",),
            ftype="ProtocolField",
        ),
        text(
            "source_net",
            "Source: V(any), V((self)), an interface key (V(lan)), V(<if>ip), an alias name, or one address or network.",
            default="any",
            mentions="firewall_alias",
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
        text(
            "destination_net",
            "Destination, same forms as O(source_net).",
            default="any",
            mentions="firewall_alias",
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
        text(
            "target",
            "Translation target: V(<if>ip) (for example V(wanip)), an address, a network or an alias name; "
            "not V(any). Empty with O(nonat).",
            mentions="firewall_alias",
            ftype="NetworkAliasField",
        ),
        text(
            "target_port",
            "Translated source port or V(lo-hi) range (TCP/UDP only); no alias.",
            ftype="PortField",
            xml=(("EnableAlias", "N"),),
            # no ValidationMessage: PortField's default, which lists every service name
            message="Please specify a valid port number (1-65535). A service name is also possible (%s)."
            % ", ".join(WELL_KNOWN_PORTS),
        ),
        boolean("staticnatport", False, "Keep the source port (static port)."),
        boolean("log", False, "Log packets matched by the rule."),
        refs(
            "categories", "firewall_category", "Names of firewall categories (M(opnform.opnsense.firewall_category))."
        ),
        text("tag", "Tag matched packets.", pattern=TAG_PATTERN, ftype="StrictTextField"),
        text("tagged", "Match packets carrying this tag.", pattern=TAG_PATTERN, ftype="StrictTextField"),
        boolean(
            "endpoint-independent",
            False,
            "Endpoint-independent mapping (UDP only; OPNsense 26.7 and later).",
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
