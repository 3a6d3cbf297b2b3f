"""Port forwards (destination NAT), /api/firewall/d_nat/ (DNatController.php, DNat.xml, DNat.php; FACTS.md "Port forwards").

The fields are data, DNat.json (generated from DNat.xml); the model is mounted on the legacy
`/nat/rule+` and shares the filter's apply. Here are its field types (DNatSequenceField,
NetworkMappedField, PortMappedField, CategoryField, CategoryMapField, DNatAssociatedRuleField),
DNat::performValidation(), the created/updated metadata and the anti-lockout rows of the search.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Any

from ...app import action
from ...core.fields import FieldContext, ItemType, TextField
from ...core.fields.lists import BaseListField
from ...core.modeldata import load_model, register_field_type
from ...core.modeldata.registry import LIST, MIN_MAX
from ...core.php import filter_ip, intval, natcase_key
from ...core.store import View
from ...core.values import php_empty
from .alias import category_rows
from .alias_model import index_of
from .fieldtypes import FilterSequenceField, NetworkAliasField, PortField, is_subnet
from .filter_rows import Networks
from .nat import NatRuleController

KEY = "firewall.dnat_rule"


class DNatSequenceField(FilterSequenceField):
    """DNatSequenceField.php: the highest sequence of the container + 100, starting from 0 (it reads
    AutoNumberField's private `minimum_value` too, FACTS.md "Sequence numbers")."""


class CategoryField(BaseListField):
    """CategoryField.php: category **names** (options keyed by name)."""

    def options(self, ctx: FieldContext) -> dict[str, str]:
        names = [c.get("name", "") for c in ctx.view.items("firewall.category").values()]
        return {n: n for n in names}


class DNatAssociatedRuleField(NetworkAliasField):
    """DNatAssociatedRuleField.php: kept for migration, every value set is flushed to ""."""

    def store(self, value: str) -> str:
        return ""


register_field_type("DNatSequenceField", partial(DNatSequenceField, KEY), **MIN_MAX)
register_field_type("NetworkMappedField", partial(NetworkAliasField, index_of), **LIST)
register_field_type("DNatAssociatedRuleField", partial(DNatAssociatedRuleField, index_of), **LIST)
register_field_type(
    "PortMappedField",
    partial(PortField, index_of),
    EnableWellKnown=lambda v: {},
    EnableRanges=lambda v: {},
    EnableAlias=lambda v: {},
    **LIST,
)
register_field_type("CategoryField", CategoryField, **LIST)
# Volatile; computed from `category` on load (category_uuids below).
register_field_type("CategoryMapField", TextField)

MODEL = load_model(Path(__file__).with_name("DNat.json"), name="dnat", subsystem="filter", title="DNat")
RULE: ItemType = MODEL.item("rule")
RULE.label = ("descr",)
# local-port is a PortField with well-known names and aliases but no ranges (DNat.xml).
RULE.fields["local-port"] = PortField(index_of, ranges=False, message="Please specify a valid port number or alias.")
MODELS = [MODEL]
PORT_PROTOCOLS = ("tcp", "udp", "tcp/udp")
METADATA = ("created.username", "created.time", "created.description")
# Factory config.xml.sample: webgui over https without a port of its own, no SSH: the anti-lockout
# rule covers 80 and 443 (Util::getAntiLockout(), sorted numerically).
LOCKOUT_PORTS = ["80", "443"]


def validate(rule: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """DNat::performValidation()."""
    out: dict[str, list[str]] = {}
    for field in ("source.port", "destination.port", "local-port"):
        if not php_empty(rule.get(field, "")) and rule.get("protocol", "") not in PORT_PROTOCOLS:
            out.setdefault(field, []).append("Ports are only valid for TCP or UDP type rules.")
    family = rule.get("ipprotocol", "")
    for field in ("source.network", "destination.network", "target"):
        value = rule.get(field, "")
        proto = "inet" if ":" not in value else "inet6"
        if (is_subnet(value) or filter_ip(value)) and family in ("inet", "inet6") and family != proto:
            out.setdefault(field, []).append("Address type should match selected TCP/IP protocol version.")
    if not php_empty(rule.get("nordr", "")) and not php_empty(rule.get("target", "")):
        out.setdefault("target", []).append("Target must be empty when No RDR is set.")
    if not php_empty(rule.get("nordr", "")) and not php_empty(rule.get("local-port", "")):
        out.setdefault("local-port", []).append("Port must be empty when No RDR is set.")
    return out


RULE.validate = validate


def category_uuids(view: View, names: str) -> str:
    """CategoryMapField: the uuids of the rule's category names, in category order."""
    wanted = set(n for n in names.split(",") if n)
    return ",".join(u for u, c in view.items("firewall.category").items() if c.get("name") in wanted)


class DNatController(NatRuleController):
    name = "DNat"
    model = MODEL
    path = "rule"
    rule_key = KEY
    rule_type = RULE
    category_key = KEY
    meta_fields = ("source.network", "source.port", "destination.network", "destination.port", "target", "local-port")

    def ordered(self, item: dict[str, str]) -> dict[str, str]:
        """The search's own priority (400000, 600000 on missing interfaces; 26.1 always 400000) and
        the category uuids CategoryMapField derives."""
        prio = 400000
        interfaces = [i for i in item.get("interface", "").split(",") if i]
        known = {i.key for i in self.env.interfaces} | set(self.env.interface_groups)
        if self.env.version != "26.1" and interfaces and not any(i in known for i in interfaces):
            prio = 600000
        out = {**item, "sort_order": "%d.0%06d" % (prio, intval(item.get("sequence", ""))), "prio_group": str(prio)}
        out["categories"] = category_uuids(self.store.view(), item.get("category", ""))
        return out

    def apply_post(self, it: ItemType, item: dict[str, str], data: Any, prefix: str = "") -> dict[str, str]:
        """`created` is removed from the post before setBase; setBaseHook() stamps the metadata."""
        if isinstance(data, dict) and "created" in data:
            data = {k: v for k, v in data.items() if k != "created"}
        out = super().apply_post(it, item, data, prefix)
        stamp = "%0.2f" % time.time()
        out.update(
            {
                "updated.time": stamp,
                "updated.username": self.req.username,
                "updated.description": "/api.php made changes",
            }
        )
        if out.get("created.time", "") == "":
            out.update({f"created.{k}": out[f"updated.{k}"] for k in ("time", "username", "description")})
        return out

    @action
    def searchRule(self) -> dict[str, Any]:
        wanted = self._requested_categories()
        view = self.store.view()
        networks = Networks(view, self.env)
        known = view.items("firewall.category")

        def where(_uuid: str, item: dict[str, str]) -> bool:
            cats = [c for c in category_uuids(view, item.get("category", "")).split(",") if c]
            return not wanted or bool(set(cats) & set(wanted))

        def decorate(row: dict[str, Any]) -> dict[str, Any]:
            row.update(self.ordered(row))
            row["category_colors"] = [
                {
                    "color": f"#{known[c]['color']}" if known[c].get("color") else "",
                    "name": known[c].get("name", ""),
                    "uuid": c,
                }
                for c in row["categories"].split(",")
                if c in known
            ]
            for field in self.meta_fields:
                if not php_empty(row.get(field)):
                    row[f"alias_meta_{field}"] = networks.meta(row[field])
            return row

        result = self.search_base(self.path, None, "sequence", where=where, decorate=decorate)
        keys = sorted((i.key for i in self.env.interfaces), key=natcase_key)
        lockout_if = next(
            (k for k in keys if k == "lan" or k == "wan" or (k.startswith("opt") and k[3:].isdigit())), None
        )
        if lockout_if is not None:
            for idx, port in enumerate(LOCKOUT_PORTS):
                result["rows"].insert(
                    0,
                    {
                        "uuid": f"lockout_{idx}",
                        "ipprotocol": "",
                        "protocol": "tcp",
                        "%protocol": "TCP",
                        "disabled": "0",
                        "nordr": "1",
                        "interface": lockout_if,
                        # interfaces-><if>->name, which interfaces do not have: the key upper-cased
                        "%interface": lockout_if.upper(),
                        "destination.network": f"{lockout_if}ip",
                        "destination.port": port,
                        "alias_meta_destination.port": networks.meta(port),
                        "alias_meta_destination.network": networks.meta(f"{lockout_if}ip"),
                        "descr": "Anti-Lockout Rule",
                        "is_automatic": True,
                        "sort_order": "%d.0%06d" % (100000, idx),
                        "prio_group": "100000",
                    },
                )
        return result

    @action
    def toggleRule(self, uuid: str, disabled: str | None = None) -> dict[str, Any]:
        """Works on `disabled`: the parameter is the new *disabled* value; no `changed` key."""
        result: dict[str, Any] = {"result": "failed"}
        if not self.req.is_post or php_empty(uuid):
            return result
        with self.transaction() as txn:
            rule = txn.item(KEY, uuid)
            if rule is None:
                return result
            new = disabled if disabled in ("0", "1") else ("0" if rule.get("disabled") == "1" else "1")
            txn.put(KEY, uuid, {**rule, "disabled": new})
            result["result"] = "Enabled" if php_empty(new) else "Disabled"
            txn.save()
        return result

    @action
    def listCategories(self) -> dict[str, Any]:
        """$categorysource 'rule': counts the CategoryMapField uuids of each rule."""
        view = self.store.view()
        counts: dict[str, int] = {}
        for rule in view.items(KEY).values():
            for cat in [c for c in category_uuids(view, rule.get("category", "")).split(",") if c]:
                counts[cat] = counts.get(cat, 0) + 1
        return {"rows": category_rows(view, counts)}


CONTROLLERS = [DNatController]
