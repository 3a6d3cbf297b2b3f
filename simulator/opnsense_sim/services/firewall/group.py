"""Firewall interface groups, /api/firewall/group/ (GroupController.php, Group.xml, Group.php; FACTS.md).

The fields are data, Group.json (generated from Group.xml); here are GroupNameField's checks, the
name's UniqueConstraint, GroupField's static children, Group::whereUsed()/refactor() and the
interface registration that makes a group usable as an interface.

Group.xml's `members` is the firewall's own `.\\InterfaceField` (Firewall/FieldTypes/InterfaceField.php:
every config.xml interface but the groups); the model data names it InterfaceField, whose options
without AllowDynamic are the same on the simulated system (no other dynamic interfaces exist).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.errors import UserException
from ...core.fields import FieldContext, ItemType, TextField
from ...core.modeldata import load_model, register_field_type
from ...core.modeldata.registry import TEXT
from ...core.php import htmlspecialchars
from ...core.store import Txn, View

KEY = "firewall.group"
PATH = "ifgroupentry"

# GroupField::getStaticChildren(): always present, uuid = name (firewall.md; FACTS.md).
STATIC_GROUPS = {
    "openvpn": {"sequence": "10", "ifname": "openvpn", "descr": "OpenVPN (Group)"},
    "enc0": {"sequence": "10", "ifname": "enc0", "descr": "IPsec encapsulation"},
    "wireguard": {"sequence": "10", "ifname": "wireguard", "descr": "WireGuard (Group)"},
}

# Top-level elements of a freshly installed config.xml (src/etc/config.xml.sample) that hold
# something, plus the <revision> every save writes: GroupNameField tests `$cnf->$value`.
CONFIG_SECTIONS = {
    "theme",
    "system",
    "interfaces",
    "dnsmasq",
    "unbound",
    "nat",
    "filter",
    "rrd",
    "ntpd",
    "OPNsense",
    "revision",
}

# Group::ruleIterator(): MVC rule containers (state key, config path); legacy rules are not simulated.
RULE_SOURCES = [
    # the legacy nat/rule section holds the port forwards of DNat.xml (with uuid attributes)
    ("firewall.dnat_rule", "nat.rule"),
    ("firewall.filter_rule", "OPNsense.Firewall.Filter.rules.rule"),
    ("firewall.snat_rule", "OPNsense.Firewall.Filter.snatrules.rule"),
    ("firewall.npt_rule", "OPNsense.Firewall.Filter.npt.rule"),
    ("firewall.onetoone_rule", "OPNsense.Firewall.Filter.onetoone.rule"),
]


class GroupNameField(TextField):
    """Firewall/FieldTypes/GroupNameField.php: a BaseField with a callback validator, all messages kept."""

    def validate(self, value: str, ctx: FieldContext) -> list[str]:
        out = super().validate(value, ctx)
        if value == "":
            return out
        if re.search(r"[^a-zA-Z0-9_]+", value):
            out.append("Only letters, digits and underscores are allowed as the group name.")
        if len(value) > 15:
            out.append("The group name shall not be longer than 15 characters.")
        if re.search(r"^[0-9]|[0-9]$", value):
            out.append("The group name shall not start or end with a digit.")
        # `$cnf->$value`: a top-level config.xml section of that name, not an interface key.
        if value in CONFIG_SECTIONS:
            out.append("The specified group name is already used by an interface. Please choose another name.")
        return out


register_field_type("GroupNameField", GroupNameField, **TEXT)

MODEL = load_model(Path(__file__).with_name("Group.json"), name="group", subsystem="groups", title="Group")
GROUP: ItemType = MODEL.item(PATH)
GROUP.label = ("ifname",)


def static_groups(container: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """ArrayField clones static children from its template node: the first group, else a blank one."""
    template = GROUP.blank()
    first = next(iter(container.values()), None)
    if first is not None:
        template.update(first)
    return {name: {**template, **payload} for name, payload in STATIC_GROUPS.items()}


def validate(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """UniqueConstraint on ifname, over iterateItems(): the static children count too."""
    name = item.get("ifname", "")
    if name == "":
        return {}
    container = ctx.view.items(KEY)
    others = [i for u, i in container.items() if u != ctx.uuid] + list(static_groups(container).values())
    if any(o.get("ifname") == name for o in others):
        return {"ifname": ["Group name already exists."]}
    return {}


GROUP.validate = validate
MODELS = [MODEL]


def where_used(view: View, name: str) -> dict[str, str]:
    """Group::whereUsed(): interface lists, source/destination nets and NAT targets naming the group.

    The text is the node's <descr>; MVC rules have `description` instead, so it is empty.
    """
    result: dict[str, str] = {}
    for key, prefix in RULE_SOURCES:
        for uuid, rule in view.items(key).items():
            used = name in rule.get("interface", "").split(",")
            for legacy in ("source.network", "destination.network"):  # legacy <source><network>
                if rule.get(legacy, "") not in ("", "0") and rule[legacy] == name:
                    used = True
            for field in ("source_net", "destination_net"):
                if rule.get(field, "") not in ("", "0") and name in rule[field].split(","):
                    used = True
            if rule.get("target", "") not in ("", "0") and rule["target"] == name:
                used = True
            if used:
                result[f"{prefix}.{uuid}"] = rule.get("descr", "")
    return result


def _replace(values: list[str], old: str, new: str) -> str:
    values[values.index(old)] = new
    return ",".join(values)


def refactor(txn: Txn, old: str, new: str) -> bool:
    """Group::refactor(): the first occurrence of the old name in each list becomes the new one."""
    changed_any = False
    for key, _prefix in RULE_SOURCES:
        for uuid, rule in list(txn.items(key).items()):
            changed = dict(rule)
            interfaces = rule.get("interface", "").split(",")
            if old in interfaces:
                changed["interface"] = _replace(interfaces, old, new)
            for legacy in ("source.network", "destination.network"):
                if rule.get(legacy, "") not in ("", "0") and rule[legacy] == old:
                    changed[legacy] = new
            for field in ("source_net", "destination_net"):
                nets = rule.get(field, "").split(",")
                if rule.get(field, "") not in ("", "0") and old in nets:
                    changed[field] = _replace(nets, old, new)
            if rule.get("target", "") not in ("", "0") and rule["target"] == old:
                changed["target"] = new
            if changed != rule:
                txn.put(key, uuid, changed)
                changed_any = True
    return changed_any


def register_interfaces(app: Any) -> None:
    """configd `interface invoke registration`: pf_interfaces() (plugins.inc.d/pf.inc) adds every
    group of config.xml as a virtual interface of type group; stale ones are removed."""
    groups = app.store.view().items(KEY)
    app.env.interface_groups = {
        g.get("ifname", ""): {
            "members": [m for m in g.get("members", "").split(",") if m],
            "sequence": g.get("sequence", ""),
        }
        for g in groups.values()
        if g.get("ifname", "")
    }


class GroupController(MutableModelController):
    namespace = "Firewall"
    name = "Group"
    model = MODEL

    def _statics(self, view: View) -> dict[str, dict[str, str]]:
        return static_groups(view.items(KEY))

    def after_change(self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None) -> None:
        # FilterRuleField::getPriority() reads each group's sequence from the model, not the registration.
        registered = self.env.interface_groups.get(item.get("ifname", ""))
        if registered is not None:
            registered["sequence"] = item.get("sequence", "")

    @action
    def searchItem(self) -> dict[str, Any]:
        view = self.store.view()
        extra = [self.row(GROUP, name, item, view) for name, item in self._statics(view).items()]
        return self.search_base(PATH, None, "ifname", extra_rows=extra)

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        view = self.store.view()
        static = self._statics(view).get(uuid) if uuid is not None else None
        if static is not None and view.item(KEY, uuid) is None:
            return {"group": self.render_item(GROUP, static, uuid, view)}
        return self.get_base("group", PATH, uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        return self.add_base("group", PATH)

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        """A rename first rewrites the rules naming the group, then registers interfaces again."""
        refactored = False
        posted = self.req.get_post("group") if self.req.is_post and self.req.has_post("group") else None
        old = self.store.view().item(KEY, uuid)
        if old is not None and posted is not None:
            new_name = posted.get("ifname") if isinstance(posted, dict) else None
            new_name = "" if new_name is None else str(new_name)
            if new_name != old.get("ifname", ""):
                self._rename = (old.get("ifname", ""), new_name)
                refactored = True
        try:
            result = self.set_base("group", PATH, uuid)
        finally:
            self._rename = None
        if refactored:
            register_interfaces(self.app)
        return result

    _rename: tuple[str, str] | None = None

    def before_set(
        self, txn: Txn, it: ItemType, uuid: str, item: dict[str, str], old: dict[str, str] | None, posted: Any
    ) -> dict[str, str]:
        if self._rename is not None:
            refactor(txn, *self._rename)
        return item

    @action
    def delItem(self, uuid: str) -> dict[str, Any]:
        view = self.store.view()
        node = view.item(KEY, uuid) or self._statics(view).get(uuid)
        name = node.get("ifname", "") if node is not None else ""
        uses = where_used(view, name) if name else {}
        if uses:
            lines = "".join(htmlspecialchars(f"\n[{ref}] {descr}", quotes=False) for ref, descr in uses.items())
            raise UserException(f"Cannot delete group. Currently in use by {lines}", "Group in use")
        return self.del_base(PATH, uuid)

    @action
    def reconfigure(self) -> dict[str, Any]:
        """Interface registration, then configd `filter reload skip_alias`."""
        if not self.req.is_post:
            return {"status": "failed"}
        self.app.reload("groups")
        return {"status": "ok"}


def install(app: Any) -> None:
    def reload_groups() -> None:
        app.store.reload("groups")
        register_interfaces(app)
        app.reload("filter")

    app.reloaders["groups"] = reload_groups
    register_interfaces(app)


CONTROLLERS = [GroupController]
