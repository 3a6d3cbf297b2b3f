"""Field types of the firewall models (Firewall/FieldTypes/*.php and the Base types only they use).

PHP-exact checks live here too (filter_var, Util::isSubnet/isWildcard/isDomain/isPort), because
clients see the difference: PHP rejects IPv6 scope ids and leading zeros, accepts "+80" as an
integer, and compares numeric strings as numbers.

Descriptions follow BaseListField::getDescription(): selected labels joined with ", ". Those are
the `%field` texts of search rows and of `get` for fields rendered as a plain string.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Callable

from ...core.fields import (
    BaseListField,
    Field,
    FieldContext,
    IntegerField,
    ModelRelationField,
    OptionField,
    natural_key,
)
from ...core.values import is_numeric, loose_equal
from . import netdb

# -- PHP helpers ------------------------------------------------------------------------------------

_INT = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")


def filter_int(value: str, minimum: int | None = None, maximum: int | None = None) -> bool:
    """filter_var($v, FILTER_VALIDATE_INT, min/max): whitespace trimmed, sign allowed, no leading zeros."""
    text = value.strip(" \t\n\r\v\0")
    if not _INT.match(text):
        return False
    n = int(text)
    return (minimum is None or n >= minimum) and (maximum is None or n <= maximum)


def php_intval(value: str) -> int:
    """(int)$string: the leading numeric part, 0 when there is none."""
    if value.isdigit() and value.isascii():
        return int(value)
    m = re.match(r"^[ \t\n\r\v\f]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)", value)
    if not m:
        return 0
    try:
        return int(float(m.group(1))) if any(c in m.group(1) for c in ".eE") else int(m.group(1))
    except (ValueError, OverflowError):
        return 0


def php_empty(value: str | None) -> bool:
    return value is None or value in ("", "0")


def php_num(value: float) -> str:
    """(string) of a PHP int or float result ("150", not "150.0")."""
    return str(int(value)) if float(value).is_integer() else repr(value)


def is_ip(value: str) -> bool:
    """Util::isIpAddress(): filter_var(FILTER_VALIDATE_IP)."""
    if not value or "%" in value or value != value.strip():
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_subnet(value: str) -> bool:
    """Util::isSubnet(): address "/" digits, at most 32 (IPv4) or 128 (IPv6)."""
    parts = value.split("/")
    if len(parts) != 2 or not is_ip(parts[0]) or not parts[1].isdigit() or not parts[1].isascii():
        return False
    return int(parts[1]) <= (128 if ":" in parts[0] else 32)


def is_wildcard(value: str) -> bool:
    """Util::isWildcard(): address "/" address mask of the same family."""
    parts = value.split("/")
    return len(parts) == 2 and is_ip(parts[0]) and is_ip(parts[1]) and ((":" in parts[0]) == (":" in parts[1]))


_LABEL = r"(?:[^\W_]|[^\W_][^\W_\-]*[^\W_])"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)*{_LABEL}\n?\Z", re.IGNORECASE)


def is_domain(value: str) -> bool:
    """Util::isDomain(): labels of letters/digits/hyphens; #.#.#.# is never a host name (RFC 1123)."""
    parts = value.split(".")
    if parts[0].isdigit() and parts[-1].isdigit():
        return False
    return bool(_DOMAIN.match(value))


def is_port(value: str, allow_range: bool = True) -> bool:
    """Util::isPort(): number 1-65535 or service name, a "lo:hi" range when allowed."""
    parts = value.split(":")
    for port in parts:
        if not (filter_int(port, 1, 65535) and port.isdigit()) and port not in netdb.SERVICE_NAMES:
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


# -- descriptions -----------------------------------------------------------------------------------


def _label(option: Any) -> str:
    return option[0] if isinstance(option, tuple) else option


def describe(f: Field, value: str, ctx: FieldContext) -> str:
    """BaseField::getDescription(): the value itself, or selected labels joined with ", ".

    Fields over large option sets (aliases) look single labels up (`label_of`) instead of building
    every option, so a search row costs the same with 10 or 10,000 aliases.
    """
    if not isinstance(f, BaseListField) or not value:
        return value
    label_of = getattr(f, "label_of", None)
    if label_of is not None:
        return ", ".join(label_of(v, ctx) or v for v in value.split(",") if v != "")
    opts = f.options(ctx)
    return ", ".join(_label(opts.get(v, v)) for v in value.split(",") if v != "")


class ListDisplay:
    """Search rows show list labels joined with ", " (BaseListField::getDescription)."""

    def display(self, value: str, ctx: FieldContext) -> str | None:
        text = describe(self, value, ctx)  # type: ignore[arg-type]
        return text if text != value else None


# -- list fields ------------------------------------------------------------------------------------


class Options(ListDisplay, OptionField):
    """OptionField; an option may be (label, optgroup), rendered with an `optgroup` key."""

    def render(self, value: str, ctx: FieldContext) -> Any:
        out = super().render(value, ctx)
        for key, option in self.choices.items():
            if isinstance(option, tuple):
                out[key] = {"value": option[0], "optgroup": option[1], "selected": out[key]["selected"]}
        return out


class Relation(ListDisplay, ModelRelationField):
    def render(self, value: str, ctx: FieldContext) -> Any:
        return super().render(value, ctx) or []  # json_encode() of an empty PHP array

    def label_of(self, uuid: str, ctx: FieldContext) -> str | None:
        item = ctx.view.item(self.target, uuid)
        return self._label(item) if item is not None and (self.where is None or self.where(item)) else None


class InterfaceField(ListDisplay, BaseListField):
    """InterfaceField.php: configured interfaces by description (or upper-cased key), natural order."""

    def __init__(self, exclude_devices: tuple[str, ...] = (), **kw: Any):
        super().__init__(**kw)
        self.exclude_devices = exclude_devices

    def options(self, ctx: FieldContext) -> dict[str, str]:
        pairs = [(i.key, i.descr or i.key.upper()) for i in ctx.env.interfaces if i.device not in self.exclude_devices]
        pairs.sort(key=lambda p: natural_key(p[1]))
        return dict(pairs)


class KeyValueField(ListDisplay, BaseListField):
    """JsonKeyValueStoreField: options from a configd list, rendered sorted by key."""

    def __init__(self, source: Callable[[FieldContext], dict[str, str]], **kw: Any):
        super().__init__(**kw)
        self.source = source

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return self.source(ctx)

    def render(self, value: str, ctx: FieldContext) -> Any:
        out = super().render(value, ctx)
        blank = {"": out.pop("")} if "" in out else {}
        return {**blank, **dict(sorted(out.items()))}


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


def tos_field() -> Options:
    """TosField.php: its own '' option reads "Any" (it replaces the None placeholder)."""
    return Options(TOS_OPTIONS, blank_desc="Any")


class ProtocolField(ListDisplay, BaseListField):
    """ProtocolField.php: /etc/protocols names upper-cased (`any` stays lower case), TCP/UDP added."""

    PRIORITY = ["TCP", "UDP", "TCP/UDP", "ICMP", "ESP", "AH", "GRE", "IGMP", "PIM", "OSPF"]

    def __init__(self, add_options: dict[str, str] | None = None, **kw: Any):
        super().__init__(**kw)
        options = dict(netdb.pf_protocols())
        options.update(add_options or {})
        rest = sorted((k for k in options if k not in self.PRIORITY), key=lambda k: natural_key(options[k]))
        ordered = {"any": "any"} if self.required else {}
        ordered.update({k: options[k] for k in self.PRIORITY if k in options})
        ordered.update({k: options[k] for k in rest})
        self.choices = ordered

    def store(self, value: str) -> str:
        return value.lower() if value.lower() == "any" else value.upper()

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return self.choices


class NetworkAliasField(ListDisplay, BaseListField):
    """NetworkAliasField.php: any, (self), interface nets and addresses, non-port alias names.

    A literal address or network is an option only when it is the whole value, so a list of
    literal addresses fails (firewall.md 1.3). The message quotes the whole value.
    """

    def __init__(self, aliases: Callable[[FieldContext], dict[str, dict[str, str]]], **kw: Any):
        super().__init__(multiple=True, **kw)
        self.aliases = aliases

    def options(self, ctx: FieldContext) -> dict[str, str]:
        data = {"any": "any", "(self)": "This Firewall"}
        for i in ctx.env.interfaces:
            descr = html_chars(i.descr or i.key.upper())
            data[i.key] = f"{descr} net"
            if not i.virtual:
                data[f"{i.key}ip"] = f"{descr} address"
        for name, alias in self.aliases(ctx).items():
            if alias.get("type") != "port":
                data[name] = name
        return data

    def label_of(self, value: str, ctx: FieldContext) -> str | None:
        """The option label of one item, None when it is no option."""
        if value == "any":
            return "any"
        if value == "(self)":
            return "This Firewall"
        for i in ctx.env.interfaces:
            if value == i.key:
                return f"{html_chars(i.descr or i.key.upper())} net"
            if value == f"{i.key}ip" and not i.virtual:
                return f"{html_chars(i.descr or i.key.upper())} address"
        alias = self.aliases(ctx).get(value)
        return value if alias is not None and alias.get("type") != "port" else None

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        literal = is_ip(value) or is_subnet(value)
        if all((literal and v == value) or self.label_of(v, ctx) is not None for v in value.split(",")):
            return []
        return [f"{value} is not a valid source IP address or alias."]

    def render(self, value: str, ctx: FieldContext) -> Any:
        return value


class PortField(ListDisplay, BaseListField):
    """PortField.php (well-known names, ranges and aliases enabled), a single value.

    The option list is `['any'] + array_keys($wellknownservices)`, a PHP array union that drops the
    first service name (afs3-fileserver); that name is therefore neither lower-cased nor accepted.
    """

    WELL_KNOWN = ["any"] + list(netdb.WELL_KNOWN_PORTS)[1:]

    def __init__(self, aliases: Callable[[FieldContext], dict[str, dict[str, str]]], **kw: Any):
        super().__init__(**kw)
        self.aliases = aliases

    def store(self, value: str) -> str:
        tmp = value.lower().strip()
        return tmp if tmp in self.WELL_KNOWN else value

    def options(self, ctx: FieldContext) -> dict[str, str]:
        names = {w: w for w in self.WELL_KNOWN}
        names.update({n: n for n, a in self.aliases(ctx).items() if a.get("type") == "port"})
        return names

    def _range(self, value: str, ctx: FieldContext) -> bool:
        parts = value.split("-")
        if len(parts) != 2:
            return False
        if ctx.version != "26.1" and any(p != p.strip() for p in parts):
            return False  # 26.7 rejects whitespace around range bounds
        if not (filter_int(parts[0], 1, 65535) and filter_int(parts[1], 1, 65535)):
            return False
        return int(parts[0].strip()) < int(parts[1].strip())

    def label_of(self, value: str, ctx: FieldContext) -> str:
        return value  # every option is labelled with itself

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        alias = self.aliases(ctx).get(value)
        if value in self.WELL_KNOWN or (alias is not None and alias.get("type") == "port"):
            return []
        if re.fullmatch(r"[1-9][0-9]{0,4}", value) and int(value) <= 65535:
            return []
        if "-" in value and self._range(value, ctx):
            return []
        return [self.msg]

    def render(self, value: str, ctx: FieldContext) -> Any:
        return value


class AliasRelationField(ListDisplay, BaseListField):
    """ModelRelationField onto aliases, built-in ones included (their uuid is their name)."""

    default_message = "Related item not found."

    def __init__(self, aliases: Callable[[FieldContext], dict[str, dict[str, str]]], **kw: Any):
        super().__init__(**kw)
        self.aliases = aliases

    @staticmethod
    def _usable(alias: dict[str, str]) -> bool:
        # <filters>: enabled /^(?!0).*$/ and type /^(?!(port)).*$/ (an empty value passes)
        return not alias.get("enabled", "").startswith("0") and not alias.get("type", "").startswith("port")

    def options(self, ctx: FieldContext) -> dict[str, str]:
        index = self.aliases(ctx)
        memo = index.memo  # type: ignore[attr-defined]
        if "relation" not in memo:
            pairs = [(index.uuids[name], name) for name, alias in index.items() if self._usable(alias)]  # type: ignore[attr-defined]
            pairs.sort(key=lambda p: natural_key(p[1]))
            memo["relation"] = dict(pairs)
        return memo["relation"]

    def label_of(self, uuid: str, ctx: FieldContext) -> str | None:
        alias = self.aliases(ctx).by_uuid.get(uuid)  # type: ignore[attr-defined]
        return alias.get("name", "") if alias is not None and self._usable(alias) else None

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if self.label_of(value, ctx) is not None else [self.msg]


# -- scalar fields ----------------------------------------------------------------------------------


class Integer(IntegerField):
    """IntegerField.php: MinMaxValidator (is_numeric and range) and IntegerValidator (filter_var)."""

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        in_range = is_numeric(value) and (self.minimum is None or float(value) >= self.minimum)
        in_range = in_range and (self.maximum is None or float(value) <= self.maximum)
        return [] if in_range and filter_int(value) else [self.msg]


class FilterSequenceField(Integer):
    """FilterSequenceField.php: a new rule gets the highest sequence (at least the minimum) + 100."""

    def __init__(self, key: str, **kw: Any):
        super().__init__(**kw)
        self.key = key

    def initial(self, ctx: FieldContext | None = None) -> str:
        highest = self.minimum or 0
        if ctx is not None:
            for item in ctx.view.items(self.key).values():
                highest = max(highest, php_intval(item.get("sequence", "")))
        return str(highest + 100)


class NumericText(Field):
    """NumericField with its default range (±99999999999999) and PHP is_numeric()."""

    default_message = "Invalid numeric value."

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if is_numeric(value) and abs(float(value)) <= 99999999999999 else [self.msg]


class StrictTextField(Field):
    """StrictTextField: no spaces, newlines or control characters, then the mask."""

    default_message = "Text does not validate."

    def __init__(self, mask: str, **kw: Any):
        super().__init__(**kw)
        self.mask = re.compile(mask)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if re.search(r"[ \t]", value):
            return ["Text may not contain spaces or tabs."]
        if re.search(r"[\r\n]", value):
            return ["Text may not contain newlines."]
        if re.search(r"[\0\v\f]", value):
            return ["Text may not contain special control characters."]
        return [] if self.mask.search(value) else [self.msg]


def html_chars(text: str) -> str:
    """htmlspecialchars() with its default flags."""
    return (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("'", "&#039;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


__all__ = [
    "AliasRelationField",
    "FilterSequenceField",
    "Integer",
    "InterfaceField",
    "KeyValueField",
    "NetworkAliasField",
    "NumericText",
    "Options",
    "PortField",
    "ProtocolField",
    "Relation",
    "StrictTextField",
    "available",
    "describe",
    "filter_int",
    "getprotobyname",
    "getservbyname",
    "html_chars",
    "is_domain",
    "is_ip",
    "is_port",
    "is_subnet",
    "is_wildcard",
    "loose_equal",
    "php_empty",
    "php_intval",
    "php_num",
    "since",
    "tos_field",
]
