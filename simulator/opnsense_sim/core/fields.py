"""Field types of the OPNsense model layer (FieldTypes/*.php), as the API sees them.

Each field knows its default, how a posted value is stored (ChangeCase), how it validates (only a
non-empty value runs the type's validators; Required alone catches an empty one, haproxy.md 1.2),
how `get` renders it (option maps for list fields, generic.md section 7) and the `%field` display
text that search rows carry (generic.md section 6).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

REQUIRED_MSG = "A value is required."


@dataclass
class FieldContext:
    """What a field may look at while validating or rendering: the config view and the system."""

    view: Any  # store.View
    env: Any  # environment.Environment
    item: dict[str, str]
    uuid: str | None = None
    itemtype: Any = None

    @property
    def version(self) -> str:
        return self.env.version


class Field:
    """A leaf field. Subclasses override `check` (non-empty values only), `render` and `display`."""

    def __init__(
        self,
        default: str = "",
        required: bool = False,
        lower: bool = False,
        upper: bool = False,
        message: str | None = None,
        volatile: bool = False,
    ) -> None:
        self.default = default
        self.required = required
        self.lower = lower
        self.upper = upper
        self.message = message
        self.volatile = volatile
        self.name = ""

    default_message = "Validation failed."

    @property
    def msg(self) -> str:
        return self.message or self.default_message

    def initial(self, ctx: FieldContext | None = None) -> str:
        """The value a new item starts with (AutoNumber-like fields compute it)."""
        return self.default

    def store(self, value: str) -> str:
        """BaseField::setValue: apply ChangeCase before validation and storage."""
        if self.lower:
            return value.lower()
        if self.upper:
            return value.upper()
        return value

    def validate(self, value: str, ctx: FieldContext) -> list[str]:
        if value == "":
            return [REQUIRED_MSG] if self.required else []
        return self.check(value, ctx)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return []

    def render(self, value: str, ctx: FieldContext) -> Any:
        return value

    def display(self, value: str, ctx: FieldContext) -> str | None:
        return None


class TextField(Field):
    """TextField with an optional whole-value mask (Regex validator anchors at both ends)."""

    default_message = "Text does not validate."

    def __init__(self, mask: str | None = None, allow_newlines: bool = True, allow_spaces: bool = True, **kw: Any):
        super().__init__(**kw)
        self.mask = re.compile(mask) if mask else None
        self.allow_newlines = allow_newlines
        self.allow_spaces = allow_spaces

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if not self.allow_spaces and re.search(r"[ \t]", value):
            return ["Text may not contain spaces or tabs."]
        if not self.allow_newlines and re.search(r"[\r\n]", value):
            return ["Text may not contain newlines."]
        if self.mask is not None and not full_match(self.mask, value):
            return [self.msg]
        return []


def full_match(pattern: re.Pattern[str], value: str) -> bool:
    """The core Regex validator compares the first match with the whole value (haproxy.md 1.2)."""
    m = pattern.search(value)
    return bool(m) and m.group(0) == value


class DescriptionField(TextField):
    """At most 255 characters, no newlines or control characters."""

    default_message = "Description should be a string between 1 and 255 characters."

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if len(value) > 255 or re.search(r"[\x00-\x1f\x7f]", value):
            return [self.msg]
        return []


class BooleanField(Field):
    default_message = "Value should be a boolean (0,1)."

    def __init__(self, default: str = "0", **kw: Any):
        super().__init__(default=default, **kw)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if value in ("0", "1") else [self.msg]


class IntegerField(Field):
    default_message = "Invalid integer value."

    def __init__(self, minimum: int | None = None, maximum: int | None = None, **kw: Any):
        super().__init__(**kw)
        self.minimum = minimum
        self.maximum = maximum

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if not re.fullmatch(r"-?[0-9]+", value):
            return [self.msg]
        n = int(value)
        if (self.minimum is not None and n < self.minimum) or (self.maximum is not None and n > self.maximum):
            return [self.msg]
        return []


class NumericField(IntegerField):
    default_message = "Invalid numeric value."

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        try:
            n = float(value)
        except ValueError:
            return [self.msg]
        if (self.minimum is not None and n < self.minimum) or (self.maximum is not None and n > self.maximum):
            return [self.msg]
        return []


class BaseListField(Field):
    """Option-like fields: `get` renders every option with a selected flag; input is key(s)."""

    default_message = "Option [%s] not in list."

    def __init__(self, multiple: bool = False, blank_desc: str | None = None, sorted_values: bool = False, **kw: Any):
        super().__init__(**kw)
        self.multiple = multiple
        self.blank_desc = blank_desc
        self.sorted_values = sorted_values

    def options(self, ctx: FieldContext) -> dict[str, str]:
        raise NotImplementedError

    def selected(self, value: str) -> list[str]:
        if value == "":
            return []
        return value.split(",") if self.multiple else [value]

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        opts = self.options(ctx)
        bad = [v for v in self.selected(value) if v not in opts]
        if not bad:
            return []
        if "%s" in self.msg:
            # Derived in haproxy.md 3.5: the %s is the bad item for multi-selects, empty for singles.
            # A multi-select reports every bad item (BaseListField::getValidators), duplicates merged.
            return list(dict.fromkeys(self.msg % v for v in bad)) if self.multiple else [self.msg % ""]
        return [self.msg]

    def render(self, value: str, ctx: FieldContext) -> Any:
        sel = set(self.selected(value))
        out: dict[str, Any] = {}
        if not self.multiple and not self.required:
            out[""] = {"value": self.blank_desc or "None", "selected": 1 if value == "" else 0}
        opts = self.options(ctx)
        if self.sorted_values:
            for key in self.selected(value):
                if key in opts:
                    out[key] = {"value": opts[key], "selected": 1}
        for key, label in opts.items():
            if key not in out:
                out[key] = {"value": label, "selected": 1 if key in sel else 0}
        return out

    def display(self, value: str, ctx: FieldContext) -> str | None:
        if value == "":
            return None
        opts = self.options(ctx)
        text = ", ".join(opts.get(v, v) for v in self.selected(value))  # getDescription joins with ", "
        return text if text != value else None


class OptionField(BaseListField):
    def __init__(self, options: dict[str, str] | Iterable[str], **kw: Any):
        super().__init__(**kw)
        self.choices = dict(options) if isinstance(options, dict) else {o: o for o in options}

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return self.choices


class DynamicOptionField(BaseListField):
    """A list field whose options come from the simulated system (interfaces, gateways, ...)."""

    def __init__(self, source: Callable[[FieldContext], dict[str, str]], **kw: Any):
        super().__init__(**kw)
        self.source = source

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return self.source(ctx)


class ModelRelationField(BaseListField):
    """UUID reference(s) to items of another item type; options are those items by display name."""

    default_message = "Related item not found."

    def __init__(
        self,
        target: str,
        label: str | tuple[str, ...] = "name",
        where: Callable[[dict[str, str]], bool] | None = None,
        **kw: Any,
    ):
        super().__init__(**kw)
        self.target = target
        self.label = (label,) if isinstance(label, str) else label
        self.where = where

    def _label(self, item: dict[str, str]) -> str:
        return " ".join(item.get(part, "") for part in self.label)

    def options(self, ctx: FieldContext) -> dict[str, str]:
        items = ctx.view.items(self.target)
        pairs = [(uuid, self._label(item)) for uuid, item in items.items() if self.where is None or self.where(item)]
        pairs.sort(key=lambda p: natural_key(p[1]))
        return dict(pairs)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        items = ctx.view.items(self.target)
        ok = all(v in items and (self.where is None or self.where(items[v])) for v in self.selected(value))
        return [] if ok else [self.msg]


def natural_key(text: str) -> list[Any]:
    """Natural, case-insensitive order (PHP natcasesort) used for relation option lists."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


class CSVListField(Field):
    """Comma separated text; `get` renders every stored entry as a selected option (haproxy.md 1.2)."""

    default_message = "List validation error."

    def __init__(self, mask: str | None = None, per_item: bool = False, **kw: Any):
        super().__init__(**kw)
        self.mask = re.compile(mask) if mask else None
        self.per_item = per_item

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if self.mask is None:
            return []
        parts = value.split(",") if self.per_item else [value]
        return [] if all(full_match(self.mask, p) for p in parts) else [self.msg]

    def render(self, value: str, ctx: FieldContext) -> Any:
        # BaseSetField::getNodeData explodes the raw value, so an empty one still yields a "" entry.
        return {v: {"value": v, "selected": 1} for v in value.split(",")}


class NetworkField(Field):
    """An address or CIDR network; masks can be required or forbidden (NetworkField.php)."""

    default_message = "Please specify a valid network segment or IP address."

    def __init__(self, mask_required: bool = False, mask_allowed: bool = True, family: str | None = None, **kw: Any):
        super().__init__(**kw)
        self.mask_required = mask_required
        self.mask_allowed = mask_allowed
        self.family = family

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        net = parse_network(value)
        if net is None:
            return [self.msg]
        if "/" in value and not self.mask_allowed:
            return [self.msg]
        if "/" not in value and self.mask_required:
            return [self.msg]
        if self.family == "inet" and net.version != 4 or self.family == "inet6" and net.version != 6:
            return [self.msg]
        return []


def parse_network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False


HOST_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"


class HostnameField(Field):
    """A hostname or FQDN (optionally an IP or a wildcard), HostnameField.php."""

    default_message = "[%s] is not a valid IP address or hostname."

    def __init__(self, ip_allowed: bool = True, wildcard: bool = False, dns_name: bool = False, **kw: Any):
        super().__init__(**kw)
        self.ip_allowed = ip_allowed
        self.wildcard = wildcard
        self.dns_name = dns_name

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        for part in value.split(","):
            if self.ip_allowed and is_ip(part):
                continue
            if self.wildcard and part == "*":
                continue
            if part.endswith(".") or not all(re.fullmatch(HOST_LABEL, lbl) for lbl in part.split(".")):
                return [self.msg % part if "%s" in self.msg else self.msg]
        return []


class UniqueIdField(Field):
    """Filled by the server on add with PHP uniqid('', true); a posted value is ignored once set."""

    def initial(self, ctx: FieldContext | None = None) -> str:
        import random
        import time

        t = time.time()
        return "%8x%05x.%08d" % (int(t), int((t % 1) * 1_000_000), random.randint(0, 99_999_999))


@dataclass
class ItemType:
    """One repeating item container of a model (for example `aliases.alias`)."""

    key: str  # state key, "<module>.<item>", e.g. "firewall.alias"
    path: str  # container path inside the model, e.g. "aliases.alias"
    fields: dict[str, Field]
    validate: Callable[[dict[str, str], FieldContext], dict[str, list[str]]] | None = None
    label: tuple[str, ...] = ("description", "descr", "name")
    safe_delete: bool = False
    on_set: Callable[[dict[str, str], dict[str, str] | None, FieldContext], None] | None = None

    def __post_init__(self) -> None:
        for name, f in self.fields.items():
            f.name = name

    def blank(self, ctx: FieldContext | None = None) -> dict[str, str]:
        return {name: f.initial(ctx) for name, f in self.fields.items() if not f.volatile}

    def title(self, item: dict[str, str]) -> str:
        for name in self.label:
            if item.get(name):
                return item[name]
        return ""


@dataclass
class Model:
    """An MVC model: a mount point in config.xml, item containers, settings and a reload subsystem."""

    name: str  # whole-model get/set key, e.g. "alias", "filter", "haproxy"
    mount: str  # config.xml path, e.g. "OPNsense/Firewall/Alias" or "vlans"
    version: str
    items: list[ItemType]
    settings: dict[str, Field] = field(default_factory=dict)  # dotted path -> field
    subsystem: str | None = None  # reload unit; None = live on save (categories)
    title: str = ""  # model root used in "in use by" lines, e.g. "HAProxy"
    description: str = ""  # <description> of the model XML, written as an attribute in config.xml
