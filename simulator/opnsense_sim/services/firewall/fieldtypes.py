"""Field types of the firewall models: Firewall/FieldTypes/*.php, and the Base types only the
firewall models use, whose options come from the firewall (aliases, /etc/protocols, services).

Also Firewall\\Util's checks (isSubnet, isWildcard, isDomain, isPort) and the version gating of
fields added in 26.7. Everything generic (filter_var, the core field types) lives in core.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ...core.fields import BaseListField, Field, FieldContext, IntegerField, ModelRelationField, OptionField
from ...core.fields.lists import Lookup
from ...core.php import (
    ascii_lower,
    ctype_digit,
    filter_int,
    filter_ip,
    htmlspecialchars,
    intval,
    natcase_key,
    number,
    trim,
)
from . import netdb

# -- Firewall\Util -----------------------------------------------------------------------------------


def php_num(value: float) -> str:
    """(string) of a PHP int or float result ("150", not "150.0")."""
    return str(int(value)) if float(value).is_integer() else repr(value)


def is_subnet(value: str) -> bool:
    """Util::isSubnet(): address "/" digits, at most 32 (IPv4) or 128 (IPv6)."""
    parts = value.split("/")
    if len(parts) != 2 or not filter_ip(parts[0]) or not ctype_digit(parts[1]):
        return False
    return int(parts[1]) <= (128 if ":" in parts[0] else 32)


def is_wildcard(value: str) -> bool:
    """Util::isWildcard(): address "/" address mask of the same family."""
    parts = value.split("/")
    return len(parts) == 2 and filter_ip(parts[0]) and filter_ip(parts[1]) and ((":" in parts[0]) == (":" in parts[1]))


def _domain_char(c: str) -> bool:
    return c.isalpha() or "0" <= c <= "9"  # [a-z\pL0-9] under /iu


def is_domain(value: str) -> bool:
    """Util::isDomain(): labels of letters, digits and inner hyphens; #.#.#.# is never a host name
    (RFC 1123). `$` lets one final newline through."""
    parts = value.split(".")
    if ctype_digit(parts[0]) and ctype_digit(parts[-1]):
        return False
    text = value[:-1] if value.endswith("\n") else value
    return all(
        label != ""
        and _domain_char(label[0])
        and _domain_char(label[-1])
        and all(_domain_char(c) or c == "-" for c in label)
        for label in text.split(".")
    )


def is_port(value: str, allow_range: bool = True) -> bool:
    """Util::isPort(): number 1-65535 or service name, a "lo:hi" range when allowed."""
    parts = value.split(":")
    for port in parts:
        if not (filter_int(port, 1, 65535) and ctype_digit(port)) and port not in netdb.SERVICE_NAMES:
            return False
    return (allow_range and len(parts) <= 2) or len(parts) == 1


def getservbyname(name: str) -> bool:
    return name in netdb.SERVICE_NAMES


def getprotobyname(name: str) -> bool:
    return name in netdb.PROTOCOL_NAMES


# -- version gating ---------------------------------------------------------------------------------


def available(f: Field, version: str) -> bool:
    """Fields added in a later release (`f.since`) do not exist in older ones."""
    since = getattr(f, "since", None)
    return since is None or tuple(map(int, version.split("."))) >= tuple(map(int, since.split(".")))


def since(version: str, f: Field) -> Field:
    f.since = version  # type: ignore[attr-defined]
    return f


# -- list fields ------------------------------------------------------------------------------------

TOS_OPTIONS: dict[str, str] = {
    "lowdelay": "lowdelay",
    "critical": "critical",
    "inetcontrol": "inetcontrol",
    "netcontrol": "netcontrol",
    "throughput": "throughput",
    "reliability": "reliability",
    "ef": "EF",
    **{f"af{n}": f"AF{n}" for n in (11, 12, 13, 21, 22, 23, 31, 32, 33, 41, 42, 43)},
    **{f"cs{n}": f"CS{n}" for n in range(8)},
    **{f"0x{n:x}": f"0x{n:02X}" for n in range(256)},
}


class TosField(OptionField):
    """TosField.php: its own '' option reads "Any" (it replaces the None placeholder)."""

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("blank_desc", "Any")
        super().__init__(TOS_OPTIONS, **kw)


class ScheduleField(OptionField):
    """ScheduleField.php: the configured schedules; the simulated system has none."""

    def __init__(self, **kw: Any) -> None:
        super().__init__({}, **kw)


class ProtocolField(BaseListField):
    """ProtocolField.php: /etc/protocols names upper-cased (ChangeCase UPPER, but `any` stays lower
    case), TCP/UDP added, the usual protocols first."""

    PRIORITY = ["TCP", "UDP", "TCP/UDP", "ICMP", "ESP", "AH", "GRE", "IGMP", "PIM", "OSPF"]

    def __init__(self, add_options: dict[str, str] | None = None, **kw: Any):
        kw.setdefault("upper", True)
        super().__init__(**kw)
        options = dict(netdb.pf_protocols())
        options.update(add_options or {})
        rest = sorted((k for k in options if k not in self.PRIORITY), key=lambda k: natcase_key(options[k]))
        ordered = {"any": "any"} if self.required else {}
        ordered.update({k: options[k] for k in self.PRIORITY if k in options})
        ordered.update({k: options[k] for k in rest})
        # ChangeCase lower (DNat.xml): the keys follow applyChangeCase(), the labels stay upper case.
        self.choices = {(k if k == "any" else ascii_lower(k)): v for k, v in ordered.items()} if self.lower else ordered

    def store(self, value: str) -> str:
        lowered = ascii_lower(value)
        return lowered if lowered == "any" else super().store(value)

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return self.choices


class NetworkAliasField(BaseListField):
    """NetworkAliasField.php: any, (self), interface nets and addresses, non-port alias names.

    A literal address or network is an option only when it is the whole value, so a list of
    literal addresses fails (firewall.md 1.3). The message quotes the whole value.
    """

    def __init__(self, aliases: Callable[[FieldContext], dict[str, dict[str, str]]], **kw: Any):
        super().__init__(**kw)
        self.aliases = aliases

    @staticmethod
    def _fixed(ctx: FieldContext) -> dict[str, str]:
        data = {"any": "any", "(self)": "This Firewall"}
        for i in ctx.env.interfaces:
            descr = htmlspecialchars(i.label)
            data[i.key] = f"{descr} net"
            if not i.virtual:
                data[f"{i.key}ip"] = f"{descr} address"
        # Registered interface groups are virtual config.xml interfaces described by their name.
        for group in getattr(ctx.env, "interface_groups", None) or {}:
            data[group] = f"{htmlspecialchars(group)} net"
        return data

    def options(self, ctx: FieldContext) -> dict[str, str]:
        data = self._fixed(ctx)
        data.update({name: name for name, alias in self.aliases(ctx).items() if alias.get("type") != "port"})
        return data

    def lookup(self, ctx: FieldContext) -> Lookup:
        """One item's option label without listing every alias (there can be many)."""
        fixed, aliases = self._fixed(ctx), self.aliases(ctx)

        def label(value: str) -> str | None:
            alias = aliases.get(value)
            if alias is not None and alias.get("type") != "port":
                return value  # an alias name wins over an interface's entry, as it is added last
            return fixed.get(value)

        return label

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        literal = filter_ip(value) or is_subnet(value)
        label = self.lookup(ctx)
        if all((literal and v == value) or label(v) is not None for v in value.split(",")):
            return []
        return [f"{value} is not a valid source IP address or alias."]

    def render(self, value: str, ctx: FieldContext) -> Any:
        return value


class PortField(BaseListField):
    """PortField.php, a single value: a port 1-65535, plus well-known names, ranges and port aliases
    where EnableWellKnown, EnableRanges and EnableAlias are Y. The registered type has all three on
    (Filter.xml); a plain PortField (VxLan.xml's) is built with them off and accepts numbers only.

    The option list is `['any'] + array_keys($wellknownservices)`, a PHP array union that drops the
    first service name (afs3-fileserver); that name is therefore neither lower-cased nor accepted.
    Without well-known names the default message is only "Please specify a valid port number
    (1-65535)." (defaultValidationMessage()).
    """

    WELL_KNOWN = ["any"] + list(netdb.WELL_KNOWN_PORTS)[1:]

    def __init__(
        self,
        aliases: Callable[[FieldContext], dict[str, dict[str, str]]],
        well_known: bool = True,
        ranges: bool = True,
        alias: bool = True,
        **kw: Any,
    ):
        super().__init__(**kw)
        self.aliases = aliases
        self.well_known, self.ranges, self.alias = well_known, ranges, alias
        if self.message is None:
            # defaultValidationMessage(): with well-known names it lists every one of them.
            self.message = "Please specify a valid port number (1-65535)."
            if well_known:
                self.message += " A service name is also possible (%s)." % ", ".join(netdb.WELL_KNOWN_PORTS)

    def store(self, value: str) -> str:
        tmp = trim(ascii_lower(value))
        return tmp if self.well_known and tmp in self.WELL_KNOWN else value

    def options(self, ctx: FieldContext) -> dict[str, str]:
        names = {w: w for w in self.WELL_KNOWN} if self.well_known else {}
        if self.alias:
            names.update({n: n for n, a in self.aliases(ctx).items() if a.get("type") == "port"})
        return names

    def _range(self, value: str, ctx: FieldContext) -> bool:
        parts = value.split("-")
        if len(parts) != 2:
            return False
        if ctx.version != "26.1" and any(p != trim(p) for p in parts):
            return False  # 26.7 rejects whitespace around range bounds
        if not (filter_int(parts[0], 1, 65535) and filter_int(parts[1], 1, 65535)):
            return False
        return number(parts[0]) < number(parts[1])

    def lookup(self, ctx: FieldContext) -> Lookup:
        return lambda value: value  # every option is labelled with itself

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        alias = self.aliases(ctx).get(value) if self.alias else None
        if (self.well_known and value in self.WELL_KNOWN) or (alias is not None and alias.get("type") == "port"):
            return []
        if re.fullmatch(r"[1-9][0-9]{0,4}", value) and int(value) <= 65535:
            return []
        if self.ranges and "-" in value and self._range(value, ctx):
            return []
        return [self.msg]

    def render(self, value: str, ctx: FieldContext) -> Any:
        return value


class AliasRelationField(ModelRelationField):
    """A ModelRelationField onto aliases (Filter.xml `overload`): AliasField's built-in entries are
    items too (their uuid is their name)."""

    def __init__(self, aliases: Callable[[FieldContext], dict[str, dict[str, str]]], **kw: Any):
        super().__init__(**kw)
        self.aliases = aliases

    def options(self, ctx: FieldContext) -> dict[str, str]:
        index = self.aliases(ctx)
        memo = index.memo  # type: ignore[attr-defined]
        if "relation" not in memo:
            pairs = [(index.uuids[name], name) for name, alias in index.items() if self.qualifies(alias)]  # type: ignore[attr-defined]
            pairs.sort(key=lambda p: natcase_key(p[1]))
            memo["relation"] = dict(pairs)
        return memo["relation"]

    def lookup(self, ctx: FieldContext) -> Lookup:
        by_uuid = self.aliases(ctx).by_uuid  # type: ignore[attr-defined]

        def label(uuid: str) -> str | None:
            alias = by_uuid.get(uuid)
            return alias.get("name", "") if alias is not None and self.qualifies(alias) else None

        return label


class FilterSequenceField(IntegerField):
    """FilterSequenceField.php: a new rule gets the highest sequence (at least 0) + 100.

    applyDefault() starts from `(int)$this->minimum_value`, but `minimum_value` is private to
    AutoNumberField: from the subclass it reads as an undefined property, null, so 0 and not the
    XML's MinimumValue. With no rules a new one is numbered 100 (firewall.md 1.3).
    """

    def __init__(self, key: str, **kw: Any):
        super().__init__(**kw)
        self.key = key

    def initial(self, ctx: FieldContext | None = None) -> str:
        highest = 0
        if ctx is not None:
            # The field's own container (rules, NAT rules, ...), else the one it was registered for.
            key = ctx.itemtype.key if ctx.itemtype is not None else self.key
            for item in ctx.view.items(key).values():
                highest = max(highest, intval(item.get("sequence", "")))
        return str(highest + 100)


class SNatModeField(OptionField):
    """Firewall/FieldTypes/SNatModeField.php: volatile in the model, but its value is config.xml's
    legacy `nat/outbound/mode` (read on load, written by Filter::serializeToConfig()), so it is kept
    and set like a stored field; the simulator keeps it with the filter model's settings."""

    def __init__(self, **kw: Any) -> None:
        kw.pop("volatile", None)
        super().__init__(**kw)
