# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_nat_one_to_one: 1:1 NAT rules (opnsense-api/firewall.md 4; core
models/OPNsense/Firewall/Filter.xml ``onetoone.rule`` and Filter.php; simulator services/firewall/FACTS.md)."""

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
    option,
    refs,
    text,
)


def _prefix(value: Any) -> Tuple[Optional[str], Optional[str]]:
    """(family, prefix length) of a literal address or subnet, else (None, None)."""
    text_value = "" if value is None else str(value)
    if not (is_subnet(text_value) or filter_ip(text_value)):
        return None, None
    family = "inet6" if ":" in text_value else "inet"
    return family, (text_value + "/" + ("128" if family == "inet6" else "32")).split("/")[1]


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """The 1:1 part of Filter::performValidation(), in its order."""
    out: List[Tuple[str, str]] = []
    families: Dict[str, str] = {}
    prefixes: Dict[str, Optional[str]] = {}
    for field in ("source_net", "destination_net", "external"):
        family, prefixes[field] = _prefix(values.get(field, "any" if field == "destination_net" else None))
        if family:
            families[field] = family
    if len(set(families.values())) > 1:
        out.extend((field, "IP protocol families should match.") for field in families)
    enabled = values.get("enabled", True) not in (False, 0, "0", "")
    if (values.get("type") or "binat") == "binat" and enabled:
        if not families.get("source_net"):
            out.append(("source_net", "For BINAT rules only addresses or subnets are allowed."))
        elif prefixes["external"] != prefixes["source_net"]:
            out.append(("external", "External subnet should match internal subnet."))
    return out


SPEC = ResourceSpec(
    type="firewall_nat_one_to_one",
    module="firewall",
    controller="one_to_one",
    key="rule",
    identity=("description",),
    display="{description}",
    summary="Manage OPNsense 1:1 NAT rules",
    description=(
        "Create, update or delete a 1:1 NAT rule (Firewall > NAT > One-to-One): an internal address or subnet "
        "mapped to an external one of the same size (V(binat)), or a one-way mapping (V(nat)).",
        "The rule is identified by its O(description), which must therefore be unique among the 1:1 rules.",
        "O(source_net) and O(destination_net) may name aliases (they stay names in OPNsense); O(categories) "
        "name categories and are stored as their uuids.",
        "By default the change is applied at once with the filter reload (C(firewall/filter/apply), which 1:1 rules share);"
        " with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(filter)"
        " applies it later.",
    ),
    notes=(
        "O(sequence) is only managed when given; otherwise OPNsense numbers a new rule after the last one.",
        "The API user needs the privilege Firewall: Rules [new] (C(api/firewall/filter/*)) as well: the change is applied through C(firewall/filter/apply).",
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
    # 1:1 rules are evaluated in sequence over the whole container (SourceNatRuleField.php).
    ordering=Ordering(field="sequence", step=100, minimum=1, maximum=999999),
    fields=(
        boolean("enabled", True, "Whether the rule is active."),
        boolean("log", False, "Log packets matched by the rule."),
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
            "Interface key the rule applies to (V(wan), V(lan), V(opt1), or an applied interface group).",
            default="wan",
            ftype="InterfaceField",
        ),
        option(
            "type",
            ("binat", "nat"),
            "binat",
            "V(binat) maps both ways and needs an address or subnet as O(source_net) of the size of O(external); "
            "V(nat) maps outgoing traffic only.",
        ),
        text(
            "source_net",
            "Internal address, subnet or alias name (an alias only with O(type=nat)).",
            required=True,
            mentions="firewall_alias",
            ftype="NetworkAliasField",
        ),
        boolean("source_not", False, "Invert the source match."),
        text(
            "destination_net",
            "Destination the mapping applies to: V(any), an address, subnet or alias name.",
            default="any",
            mentions="firewall_alias",
            ftype="NetworkAliasField",
        ),
        boolean("destination_not", False, "Invert the destination match."),
        text(
            "external",
            "External address or subnet (same prefix length as O(source_net) for V(binat)).",
            required=True,
            ftype="NetworkField",
            xml=(("WildcardEnabled", "N"),),
        ),
        option(
            "natreflection",
            ("", "enable", "disable"),
            "",
            "NAT reflection; empty uses the system default.",
        ),
        refs(
            "categories", "firewall_category", "Names of firewall categories (M(opnform.opnsense.firewall_category))."
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
