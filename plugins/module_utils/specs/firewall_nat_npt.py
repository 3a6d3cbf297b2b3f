# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_nat_npt: NPTv6 rules (opnsense-api/firewall.md 4; core
models/OPNsense/Firewall/Filter.xml ``npt.rule`` and Filter.php; simulator services/firewall/FACTS.md)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    Ordering,
    ResourceSpec,
    boolean,
    integer,
    refs,
    text,
)

TRACK_MESSAGE = "A value is required when not using a track interface."
IPV6_PREFIX = (("AddressFamily", "ipv6"), ("NetMaskRequired", "N"), ("WildcardEnabled", "N"))


def _given(value: Any) -> bool:
    return value not in (None, "", "0", 0, False)


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """The SetIfConstraint of ``destination_net`` (which ``trackif`` references) and the NPT part of
    Filter::performValidation() that needs no interface settings."""
    out: List[Tuple[str, str]] = []
    dest, source, trackif = values.get("destination_net"), values.get("source_net"), values.get("trackif")
    if not _given(trackif) and not _given(dest):
        out.extend([("destination_net", TRACK_MESSAGE), ("trackif", TRACK_MESSAGE)])
    if _given(trackif) and _given(dest):
        out.append(("trackif", "A track interface is only allowed without an external prefix."))
    if _given(dest) and _given(source):
        # A bare address counts as /128.
        if (str(dest) + "/128").split("/")[1] != (str(source) + "/128").split("/")[1]:
            out.append(("destination_net", "External subnet should match internal subnet."))
    return out


SPEC = ResourceSpec(
    type="firewall_nat_npt",
    module="firewall",
    controller="npt",
    key="rule",
    identity=("description",),
    display="{description}",
    summary="Manage OPNsense NPTv6 (IPv6 network prefix translation) rules",
    description=(
        "Create, update or delete an NPTv6 rule (Firewall > NAT > NPTv6): an internal IPv6 prefix translated "
        "to an external prefix of the same length on one interface.",
        "The rule is identified by its O(description), which must therefore be unique among the NPTv6 rules.",
        "By default the change is applied at once with the filter reload (C(firewall/filter/apply), which NPTv6 rules share);"
        " with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(filter)"
        " applies it later.",
    ),
    notes=(
        "O(sequence) is only managed when given; otherwise OPNsense numbers a new rule after the last one.",
        "The API user needs the privilege Firewall: Rules [new] (C(api/firewall/filter/*)) as well: the change is applied through C(firewall/filter/apply).",
        "With O(trackif) OPNsense also checks the interfaces' DHCPv6 settings, which only the firewall can judge.",
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
    # NPT rules are evaluated in sequence over the whole container (SourceNatRuleField.php).
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
            "Interface key the rule applies to (V(lan), V(wan), V(opt1), or an applied interface group).",
            default="lan",
            ftype="InterfaceField",
        ),
        text(
            "source_net",
            "Internal IPv6 prefix (for example V(fd00:1::/64)); a bare address counts as /128.",
            required=True,
            ftype="NetworkField",
            xml=IPV6_PREFIX,
        ),
        text(
            "destination_net",
            "External IPv6 prefix of the same length as O(source_net); required unless O(trackif) is set.",
            ftype="NetworkField",
            xml=IPV6_PREFIX,
        ),
        text(
            "trackif",
            "Interface whose delegated prefix is the external prefix (instead of O(destination_net)).",
            ftype="InterfaceField",
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
