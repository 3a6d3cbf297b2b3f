"""Rows of filter/searchRule: MVC rules as getNodeContent() shows them, plus the automatic rules that
configd `filter list non_mvc_rules` reports (FilterController::searchRuleAction; firewall.md 1.4)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ...core.fields import BaseListField, FieldContext
from ...core.php import htmlspecialchars, natcase_key
from .alias_model import alias_index
from .fieldtypes import available
from .filter_model import FIELDS, RULE, with_order

ANTI_LOCKOUT_PORTS = ["80", "443"]  # sort(['443', '80']): https GUI plus its http redirect


def _automatic(env: Any) -> list[tuple[int, dict[str, Any]]]:
    """A fixed subset of filter_core_rules_system(): (priority, registered rule) in registration order."""
    block = {"type": "block", "log": True, "disablereplyto": 1}
    passing = {"type": "pass", "log": True, "disablereplyto": 1}
    rules: list[tuple[int, dict[str, Any]]] = [
        (1, {**block, "ipprotocol": "inet46", "descr": "Default deny / state violation rule", "quick": False}),
    ]
    for target in ("from_port", "to_port"):
        rules.append(
            (
                1,
                {
                    **block,
                    "ipprotocol": "inet46",
                    "protocol": "tcp/udp",
                    target: "0",
                    "descr": "block all targeting port 0",
                    "#ref": "system_advanced_firewall.php#no_port0_block",
                },
            )
        )
    for port in (22, "443"):
        rules.append(
            (
                1,
                {
                    **block,
                    "protocol": "tcp",
                    "from": "<sshlockout>",
                    "to": "(self)",
                    "descr": "sshlockout",
                    "direction": "in",
                    "to_port": port,
                    "#ref": "system_advanced_firewall.php#no_sshlockout",
                },
            )
        )
    rules.append(
        (
            1,
            {
                **block,
                "from": "<virusprot>",
                "descr": "virusprot overload table",
                "#ref": "system_advanced_firewall.php#no_virusprot",
            },
        )
    )
    lan = next((i.key for i in env.interfaces if not i.virtual), None)
    if lan is not None:
        for port in ANTI_LOCKOUT_PORTS:
            rules.append(
                (
                    5,
                    {
                        **passing,
                        "direction": "in",
                        "interface": lan,
                        "statetype": "keep",
                        "protocol": "tcp",
                        "to": "(self)",
                        "to_port": port,
                        "descr": "anti-lockout rule",
                        "#ref": "system_advanced_firewall.php#noantilockout",
                    },
                )
            )
    return rules


MAPPING = [
    ("type", "action"),
    ("reply-to", "replyto"),
    ("descr", "description"),
    ("from", "source_net"),
    ("from_port", "source_port"),
    ("to", "destination_net"),
    ("to_port", "destination_port"),
    ("#ref", "ref"),
    ("label", "uuid"),
]


def automatic_rows(env: Any) -> list[dict[str, Any]]:
    """list_non_mvc_rules.php output: legacy rows, labels as uuid, "<prio>.1<n>" sort order."""
    rows = []
    for sequence, (prio, conf) in enumerate(_automatic(env), start=1):
        hashed = {k: v for k, v in sorted(conf.items()) if k not in ("updated", "created", "descr")}
        rule: dict[str, Any] = {
            **conf,
            "label": hashlib.md5(json.dumps(hashed, separators=(",", ":")).encode()).hexdigest(),
            "#priority": prio,
        }
        rule["enabled"] = "1"
        for src, dst in MAPPING:
            rule[dst] = rule.pop(src, "")
        for name in ("source_net", "destination_net", "source_port", "destination_port"):
            if rule[name] not in ("", "0", 0) and rule[name] != "(self)":
                rule[name] = str(rule[name]).strip("()<>{}")  # trim() also turns the int port 22 into "22"
        rule["direction"] = rule.get("direction", "in")
        rule["%direction"] = rule["direction"]
        rule["%action"] = rule["action"]
        rule["ipprotocol"] = rule.get("ipprotocol", "")
        rule["%ipprotocol"] = rule["ipprotocol"]
        rule["protocol"] = rule.get("protocol", "")
        rule["%protocol"] = rule["protocol"].upper()
        rule["sort_order"] = "%06d.1%06d" % (prio, sequence)
        rule["legacy"] = True
        rule["is_automatic"] = True  # plugin generated rules have no timestamp
        rows.append(rule)
    return rows


def legacy_translate(row: dict[str, Any], env: Any, categories: dict[str, dict[str, str]]) -> None:
    """getLegacyFieldMap(): legacy rows show descriptions where MVC rows show keys."""
    maps = {
        "category": {u: c.get("name", "") for u, c in categories.items()},
        "interface": {i.key: i.label for i in env.interfaces},
        "%action": {"block": "Block", "pass": "Pass", "reject": "Reject"},
        "%direction": {"in": "In", "out": "Out", "any": "Any"},
        "%ipprotocol": {"inet": "IPv4", "inet6": "IPv6", "inet46": ""},
    }
    for topic, data in maps.items():
        if row.get(topic) not in (None, "", "0", 0, False):
            row[topic] = ",".join(data.get(item, item) for item in str(row[topic]).split(","))


class RowBuilder:
    """`uuid` plus getNodeContent(): raw values, and `%field` where the description differs.

    Descriptions are memoised per (field, value) for the request: the option lists they come from
    do not change while one search runs, and most rules share most values.
    """

    def __init__(self, ctx: FieldContext) -> None:
        self.ctx = ctx
        self.fields = [
            (n, f, isinstance(f, BaseListField)) for n, f in RULE.fields.items() if available(f, ctx.version)
        ]
        self.memo: dict[tuple[str, str], str] = {}

    def row(self, uuid: str, rule: dict[str, str]) -> dict[str, Any]:
        rule = with_order(rule, self.ctx.env)
        row: dict[str, Any] = {"uuid": uuid}
        memo = self.memo
        for name, f, listed in self.fields:
            value = rule.get(name, "" if f.volatile else f.default)
            row[name] = value
            if listed and value:
                text = memo.get((name, value))
                if text is None:
                    text = memo[(name, value)] = f.description(value, self.ctx)  # type: ignore[attr-defined]
                if text != value:
                    row[f"%{name}"] = text
        return row


class Networks:
    """FilterBaseController::getNetworks(): alias_meta entries for rule addresses and ports.

    Interface entries are built once per request, alias entries (with their summary) on first use.
    """

    def __init__(self, view: Any, env: Any) -> None:
        self.env = env
        self.index = alias_index(view, env)
        self._fixed: dict[str, dict[str, Any]] | None = None
        self._aliases: dict[str, dict[str, Any]] = {}

    def _build(self) -> dict[str, dict[str, Any]]:
        nets = {"any": "any", "(self)": "This Firewall"}
        for i in self.env.interfaces:
            descr = htmlspecialchars(i.label)
            nets[i.key] = f"{descr} network"
            if i.device:
                nets[i.device] = f"{descr} network"
            nets[f"{i.key}ip"] = f"{descr} address"
        for group in getattr(self.env, "interface_groups", None) or {}:
            # a registered group: virtual, `if` and descr are its name
            descr = htmlspecialchars(group)
            nets[group] = f"{descr} network"
            nets[f"{group}ip"] = f"{descr} address"
        return {k: {"value": k, "%value": v, "isAlias": False, "description": ""} for k, v in nets.items()}

    def _one(self, name: str) -> dict[str, Any]:
        if name in self.index:
            entry = self._aliases.get(name)
            if entry is None:
                alias = self.index[name]
                entry = self._aliases[name] = {
                    "summary": summary(alias),
                    "description": alias.get("description", ""),
                    "value": name,
                    "%value": name,
                    "isAlias": True,
                }
            return entry
        if self._fixed is None:
            self._fixed = self._build()
        return self._fixed.get(name, {"value": name, "%value": name, "isAlias": False, "description": ""})

    def meta(self, names: str) -> list[dict[str, Any]]:
        return [self._one(part.strip()) for part in str(names).split(",")]


def summary(alias: dict[str, str]) -> str:
    """Util::aliasSummary(): bold description, then up to ten entries in natural order."""
    text = f"<strong>{alias['description']}</strong><br/>" if alias.get("description") else ""
    content = alias.get("content", "")
    if content:
        entries = content.split("\n")
        head = sorted(entries[:10], key=natcase_key)  # asort(SORT_NATURAL | SORT_FLAG_CASE)
        if len(entries) > 10:
            head.append("[...]")
        text += "<br/>".join(head)
    return text


__all__ = ["FIELDS", "Networks", "RowBuilder", "automatic_rows", "legacy_translate", "summary"]
