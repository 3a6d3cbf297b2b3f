"""Option-like field types (BaseListField.php and the core types built on it).

`get` renders every option with a selected flag (generic.md 7); input is one key, or a comma list
for Multiple fields. An option is a label, or a (label, optgroup) pair. Validation and the
description ask `lookup(ctx)` for one option's label, so a type over a large set (relations,
aliases) can answer one key without building every option.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from ..memo import Memo, committed
from ..php import json_array, natcase_key, pcre, sprintf
from .base import Field, FieldContext

Lookup = Callable[[str], "str | None"]


def option_label(option: Any) -> str:
    return option[0] if isinstance(option, tuple) else option


class BaseListField(Field):
    """BaseListField.php: option keys, a blank entry unless Required or Multiple, ", "-joined labels."""

    default_message = "Option [%s] not in list."

    def __init__(self, multiple: bool = False, blank_desc: str | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.multiple = multiple
        self.blank_desc = blank_desc

    def options(self, ctx: FieldContext) -> dict[str, Any]:
        raise NotImplementedError

    def lookup(self, ctx: FieldContext) -> Lookup:
        """key -> option label, None when the key is no option."""
        opts = self.options(ctx)

        def label(key: str) -> str | None:
            option = opts.get(key)
            return None if option is None else option_label(option)

        return label

    def ordered_options(self, value: str, ctx: FieldContext) -> dict[str, Any]:
        """The options in the order getNodeData() lists them."""
        return self.options(ctx)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        label = self.lookup(ctx)
        if self.multiple:
            # Every bad item is named; an empty item ("a,,b") is one too.
            return list(dict.fromkeys(self.message_for(v) for v in value.split(",") if label(v) is None))
        return [] if label(value) is not None else [self.message_for()]

    def render(self, value: str, ctx: FieldContext) -> Any:
        out: dict[str, Any] = {}
        if not self.required and not self.multiple:
            out[""] = {"value": self.blank_desc or "None", "selected": 1 if value == "" else 0}
        chosen = set(value.split(","))
        for key, option in self.ordered_options(value, ctx).items():
            entry = {"value": option[0], "optgroup": option[1]} if isinstance(option, tuple) else {"value": option}
            entry["selected"] = 1 if key in chosen else 0
            out[key] = entry
        return json_array(out)

    def description(self, value: str, ctx: FieldContext) -> str:
        """getDescription(): labels of the non-empty items (the item itself when unknown), ", "-joined."""
        items = [v for v in value.split(",") if v != ""]
        if not items:
            return ""
        label = self.lookup(ctx)
        return ", ".join(text if (text := label(v)) is not None else v for v in items)

    def display(self, value: str, ctx: FieldContext) -> str | None:
        text = self.description(value, ctx)
        return text if text != value else None


class OptionField(BaseListField):
    """OptionField.php: fixed options; an empty label shows the key (in an optgroup, the group name)."""

    def __init__(self, options: dict[str, Any] | Iterable[str], **kw: Any) -> None:
        super().__init__(**kw)
        raw = options if isinstance(options, dict) else {o: "" for o in options}
        self.choices: dict[str, Any] = {}
        for key, option in raw.items():
            if isinstance(option, tuple):
                self.choices[key] = (option[0] or option[1], option[1])
            else:
                self.choices[key] = option or key

    def options(self, ctx: FieldContext) -> dict[str, Any]:
        return self.choices


class DynamicOptionField(BaseListField):
    """A list field whose options come from the simulated system (interfaces, gateways, ...)."""

    def __init__(self, source: Callable[[FieldContext], dict[str, Any]], **kw: Any) -> None:
        super().__init__(**kw)
        self.source = source

    def options(self, ctx: FieldContext) -> dict[str, Any]:
        return self.source(ctx)


class JsonKeyValueStoreField(DynamicOptionField):
    """JsonKeyValueStoreField.php: options from a configd list, rendered sorted by key (ksort) or,
    with SortByValue, by label (natcasesort)."""

    def __init__(self, source: Callable[[FieldContext], dict[str, Any]], sort_by_value: bool = False, **kw: Any):
        super().__init__(source, **kw)
        self.sort_by_value = sort_by_value

    def ordered_options(self, value: str, ctx: FieldContext) -> dict[str, Any]:
        opts = self.options(ctx)
        if self.sort_by_value:
            return dict(sorted(opts.items(), key=lambda kv: natcase_key(option_label(kv[1]))))
        return dict(sorted(opts.items()))


# Config tags an InterfaceField filter may test, read off a simulated interface.
_INTERFACE_TAGS: dict[str, Callable[[Any], str]] = {
    "if": lambda i: i.device,
    "descr": lambda i: i.descr,
    "enable": lambda i: "1",
    "virtual": lambda i: "1" if i.virtual else "0",
    "ipaddr": lambda i: i.ipaddr,
    "ipaddrv6": lambda i: i.ipaddrv6,
}


def _interface_tag(interface: Any, tag: str) -> str:
    getter = _INTERFACE_TAGS.get(tag)
    return getter(interface) if getter is not None else "0"


class InterfaceField(BaseListField):
    """InterfaceField.php: assigned interfaces by description (else the key upper-cased), natural order.

    `filters` are the XML `<filters>`: tag -> pattern, each matched (preg_match) against that tag
    of the interface's config, "0" for a tag it lacks.
    """

    def __init__(self, filters: dict[str, str] | None = None, allow_dynamic: bool = False, **kw: Any) -> None:
        super().__init__(**kw)
        self.filters = {tag: pcre(pattern) for tag, pattern in (filters or {}).items()}
        self.allow_dynamic = allow_dynamic

    def options(self, ctx: FieldContext) -> dict[str, Any]:
        pairs = []
        for i in ctx.env.interfaces:
            if all(rx.search(_interface_tag(i, tag)) for tag, rx in self.filters.items()):
                pairs.append((i.key, i.label))
        if self.allow_dynamic:
            # AllowDynamic=Y adds internal_dynamic interfaces: the registered interface groups
            # (virtual, described by their name; no device, so an `if` filter sees "0").
            for name in getattr(ctx.env, "interface_groups", None) or {}:
                if all(
                    rx.search({"virtual": "1", "descr": name, "enable": "1"}.get(tag, "0"))
                    for tag, rx in self.filters.items()
                ):
                    pairs.append((name, name))
        pairs.sort(key=lambda p: natcase_key(p[1]))
        return dict(pairs)


class ModelRelationField(BaseListField):
    """ModelRelationField.php: uuids of another item type's items, labelled by their display fields.

    `label` names the display fields and `display_format` joins them (vsprintf); `filters` are
    the XML `<filters>`: an item whose field is set and does not match is no option. Options are
    in natural case-insensitive label order, unless `sorted_values` (Sorted=Y): then config order,
    and `get` lists the selected ones first in stored order (haproxy.md 1.2). The message is
    BaseListField's unless the XML sets one.
    """

    def __init__(
        self,
        target: str,
        label: str | tuple[str, ...] = "name",
        display_format: str = "%s",
        filters: dict[str, str] | None = None,
        sorted_values: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.target = target
        self.label = (label,) if isinstance(label, str) else label
        self.display_format = display_format
        self.filters = {key: pcre(pattern) for key, pattern in (filters or {}).items()}
        self.sorted_values = sorted_values
        self._options: Memo[dict[str, str]] = Memo()

    def qualifies(self, item: dict[str, str]) -> bool:
        # `!preg_match($filter, $fieldData) && $fieldData != null`: an empty field passes.
        return all(item.get(key, "") == "" or rx.search(item[key]) for key, rx in self.filters.items())

    def label_of(self, item: dict[str, str]) -> str:
        return sprintf(self.display_format, *(item.get(part, "") for part in self.label))

    def options(self, ctx: FieldContext) -> dict[str, str]:
        items = ctx.view.items(self.target)

        def build() -> dict[str, str]:
            pairs = [(uuid, self.label_of(item)) for uuid, item in items.items() if self.qualifies(item)]
            if not self.sorted_values:
                pairs.sort(key=lambda p: natcase_key(p[1]))
            return dict(pairs)

        return self._options.get(items, build, cacheable=committed(ctx.view, self.target))

    def lookup(self, ctx: FieldContext) -> Lookup:
        items = ctx.view.items(self.target)

        def label(uuid: str) -> str | None:
            item = items.get(uuid)
            return self.label_of(item) if item is not None and self.qualifies(item) else None

        return label

    def ordered_options(self, value: str, ctx: FieldContext) -> dict[str, Any]:
        opts = self.options(ctx)
        if not self.sorted_values:
            return opts
        first = {key: opts[key] for key in value.split(",") if key in opts}
        return {**first, **opts}
