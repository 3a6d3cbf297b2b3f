"""NAT rules of the filter model: NPTv6 (`npt.rule`) and 1:1 NAT (`onetoone.rule`) (FACTS.md "NAT rules").

Their fields are data in Filter.json (generated from Filter.xml with `--select npt.rule --select
onetoone.rule`); here are SourceNatRuleField's computed order, the SetIfConstraint of NPT's
`destination_net`/`trackif`, and the NPT and 1:1 parts of Filter::performValidation().
"""

from __future__ import annotations

from typing import Any

from ...core.fields import FieldContext
from ...core.php import filter_ip, intval
from ...core.values import php_empty
from .alias_model import index_of
from .fieldtypes import PortField, is_subnet, since
from .filter_model import MODEL

SNAT_KEY = "firewall.snat_rule"
NPT_KEY = "firewall.npt_rule"
ONETOONE_KEY = "firewall.onetoone_rule"
SNAT = MODEL.item("snatrules.rule")
NPT = MODEL.item("npt.rule")
ONETOONE = MODEL.item("onetoone.rule")
TRACK_MSG = "A value is required when not using a track interface."


def nat_priority(rule: dict[str, str], env: Any) -> int:
    """SourceNatRuleContainerField::getPriority(): 600000 when none of the rule's interfaces exists
    (26.7); 26.1 puts every rule in 400000."""
    if env.version == "26.1":
        return 400000
    interfaces = [i for i in rule.get("interface", "").split(",") if i != ""]
    known = {i.key for i in env.interfaces} | set(getattr(env, "interface_groups", None) or {})
    if interfaces and not any(i in known for i in interfaces):
        return 600000
    return 400000


def nat_with_order(rule: dict[str, str], env: Any) -> dict[str, str]:
    prio = nat_priority(rule, env)
    return {**rule, "sort_order": "%d.0%06d" % (prio, intval(rule.get("sequence", ""))), "prio_group": str(prio)}


def _interface(ctx: FieldContext, key: str) -> Any:
    return ctx.env.interface(key) if key else None


PORT_PROTOCOLS = ("TCP", "UDP", "TCP/UDP")


def validate_snat(rule: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """Filter.php: the checks rules and snatrules share (fields a source NAT rule lacks read as
    null and pass), then the source NAT target checks."""
    out: dict[str, list[str]] = {}

    def add(field: str, msg: str) -> None:
        out.setdefault(field, []).append(msg)

    def get(field: str) -> str:
        return rule.get(field, "")

    protocol = get("protocol")
    if not php_empty(get("source_port")) and protocol not in PORT_PROTOCOLS:
        add("source_port", "Source ports are only valid for tcp or udp type rules.")
    if not php_empty(get("destination_port")) and protocol not in PORT_PROTOCOLS:
        add("destination_port", "Destination ports are only valid for tcp or udp type rules.")
    for side, label in (("destination_net", "Destination"), ("source_net", "Source")):
        value = get(side)
        if (is_subnet(value) or filter_ip(value)) and ("inet" if ":" not in value else "inet6") != get("ipprotocol"):
            add(side, f"{label} address type should match selected TCP/IP protocol version.")
    for side in ("source_net", "destination_net"):
        if "," in get(side) and "any" in get(side).split(","):
            add(side, "Any can not be combined with other aliases")
    if "," in get("source_net") and get("source_not") == "1":
        add("source_not", "Inverting sources is only allowed for single targets to avoid mis-interpretations")
    if "," in get("destination_net") and get("destination_not") == "1":
        add("destination_net", "Inverting destinations is only allowed for single targets to avoid mis-interpretations")
    target = get("target")
    if target == "any":
        add("target", "Target address cannot be any.")
    if (is_subnet(target) or filter_ip(target)) and ("inet" if ":" not in target else "inet6") != get("ipprotocol"):
        add("target", "Target address type should match selected TCP/IP protocol version.")
    if not php_empty(get("target_port")) and protocol not in PORT_PROTOCOLS:
        add("target_port", "Target ports are only valid for tcp or udp type rules.")
    if ctx.version != "26.1" and not php_empty(get("endpoint-independent")) and protocol != "UDP":
        add("endpoint-independent", "Endpoint Independent NAT is only available for UDP.")
    return out


def validate_npt(rule: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """SetIfConstraint (destination_net.check001, also referenced by trackif), then Filter.php's NPT part."""
    out: dict[str, list[str]] = {}

    def add(field: str, msg: str) -> None:
        out.setdefault(field, []).append(msg)

    trackif, dest, source, iface = (rule.get(f, "") for f in ("trackif", "destination_net", "source_net", "interface"))
    if trackif == "" and dest == "":
        # destination_net's constraint, which trackif references (BaseField::getConstraintValidators()
        # reuses the same object): reported on both fields.
        add("destination_net", TRACK_MSG)
        add("trackif", TRACK_MSG)
    if trackif not in ("", "0"):
        interface = _interface(ctx, iface)
        if dest not in ("", "0"):
            add("trackif", "A track interface is only allowed without an external prefix.")
        elif (interface.ipaddrv6 if interface is not None else "") != "dhcp6":
            add("trackif", "The rule interface is not in set to DHCPv6 mode.")
        elif trackif == iface:
            # the simulated interfaces carry no dhcp6-prefix-id
            add("trackif", "The rule interface requires a prefix ID for association.")
        else:
            # nor a track6-interface
            add("trackif", "This interface is not associated with the current rule interface.")
    if dest not in ("", "0") and source not in ("", "0"):
        # defaults to /128
        if (dest + "/128").split("/")[1] != (source + "/128").split("/")[1]:
            add("destination_net", "External subnet should match internal subnet.")
    return out


def validate_onetoone(rule: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """Filter.php's 1:1 part: one address family across the literal addresses; enabled binat rules
    map an address or subnet of the same prefix length."""
    out: dict[str, list[str]] = {}
    families: dict[str, str] = {}
    prefixes: dict[str, str | None] = {}
    for field in ("source_net", "destination_net", "external"):
        value = rule.get(field, "")
        prefixes[field] = None
        if is_subnet(value) or filter_ip(value):
            families[field] = "inet" if ":" not in value else "inet6"
            default = "32" if families[field] == "inet" else "128"
            prefixes[field] = (value + "/" + default).split("/")[1]
    if len(set(families.values())) > 1:
        for field in families:
            out.setdefault(field, []).append("IP protocol families should match.")
    if rule.get("type") == "binat" and rule.get("enabled", "") not in ("", "0"):
        if not families.get("source_net"):
            out.setdefault("source_net", []).append("For BINAT rules only addresses or subnets are allowed.")
        elif prefixes["external"] != prefixes["source_net"]:
            out.setdefault("external", []).append("External subnet should match internal subnet.")
    return out


SNAT.validate = validate_snat
NPT.validate = validate_npt
ONETOONE.validate = validate_onetoone

# snatrules' target_port enables well-known names and ranges but no aliases (Filter.xml).
SNAT.fields["target_port"] = PortField(index_of, alias=False)

# Added in 26.7 (Filter.xml): 26.1 has no such field.
since("26.7", SNAT.fields["endpoint-independent"])
