"""Firewall filter rules, /api/firewall/filter/ (FilterController.php, FilterBaseController.php; firewall.md 1)."""

from __future__ import annotations

import time
from typing import Any, Callable

from ...app import action
from ...core.controller import MutableModelController, grid, natcase_key
from ...core.errors import UnexpectedError, UserException, UserWarningException
from ...core.fields import FieldContext, ItemType
from ...core.php import intval, trim
from ...core.store import View
from ...core.values import php_empty, php_scalar_str
from ...http import Response
from . import netdb, rollback
from .alias import category_rows
from .alias_model import alias_index
from .fieldtypes import available, php_num
from .filter_csv import download_rules, upload_rules
from .filter_model import KEY, MODEL, PATH, RULE, priority, with_order
from .filter_rows import Networks, RowBuilder, automatic_rows, legacy_translate

MODELS = [MODEL]
NOT_POST = {"status": "error", "message": "Invalid request method"}


def versions(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Limits an action to the listed releases; elsewhere the router answers 404."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn._versions = names  # type: ignore[attr-defined]
        return fn

    return mark


def _array(value: Any) -> list[str] | None:
    """array_intersect() with a request value: an array, or PHP throws (HTTP 500)."""
    if php_empty(value):
        return None
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        raise UnexpectedError("array_intersect(): Argument #2 must be of type array")
    return [php_scalar_str(v) for v in value]


class FilterBaseController(MutableModelController):
    """FilterBaseController.php: what the filter and NAT rule controllers share (firewall.md 1.2;
    FACTS.md "NAT rules"). Abstract upstream too: only its subclasses are routed."""

    namespace = "Firewall"
    model = MODEL
    category_key = KEY  # $categorysource: the rule container whose categories listCategories counts

    def ordered(self, item: dict[str, str]) -> dict[str, str]:
        """The item with its volatile sort_order and prio_group, as the model computes them on load."""
        return with_order(item, self.env)

    # -- rendering -------------------------------------------------------------------------------------
    def render_item(self, it: ItemType, item: dict[str, str], uuid: str | None, view: View) -> dict[str, Any]:
        """Fields of later releases do not exist in 26.1; stored rules carry their computed order."""
        if uuid is not None and view.item(it.key, uuid) is not None:
            item = self.ordered(item)
        out = super().render_item(it, item, uuid, view)
        for name, f in it.fields.items():
            if not available(f, self.env.version):
                out.pop(name, None)
                out.pop(f"%{name}", None)
        return out

    def apply_post(self, it: ItemType, item: dict[str, str], data: Any, prefix: str = "") -> dict[str, str]:
        out = super().apply_post(it, item, data, prefix)
        for name, f in it.fields.items():
            if not available(f, self.env.version):
                out[name] = item.get(name, "")
        return out

    # -- apply and the 26.1 dead-man switch -----------------------------------------------------------
    @action
    def apply(self, rollback_revision: str | None = None) -> dict[str, Any]:
        """configd `filter reload skip_alias`; 26.1 first arms the rollback timer (firewall.md 1.2)."""
        if not self.req.is_post:
            return {"status": "error"}
        if self.env.version == "26.1" and rollback_revision is not None:
            rollback.start_timer(self.app, rollback_revision, MODEL)
        self.app.reload("filter")
        return {"status": "OK\n\n"}

    @action
    @versions("26.1")
    def savepoint(self) -> dict[str, Any]:
        if not self.req.is_post:
            return {"status": "error"}
        with self.transaction() as txn:
            txn.save()
        # revision/time is written with two decimals; the backup keeps the full microtime.
        return {"status": "ok", "retention": str(self.store.backup_count), "revision": "%0.2f" % time.time()}

    @action
    @versions("26.1")
    def revert(self, revision: str) -> dict[str, Any]:
        if not self.req.is_post:
            return {"status": "error"}
        backup = rollback.find_backup(self.store, revision)
        if backup is None:
            return {"status": "unknown (or removed) savepoint"}
        rollback.restore_filter(
            self.app, backup, MODEL, f"{self.req.uri} made changes", f"{self.req.username}@{self.req.remote}"
        )
        rollback.filter_reload(self.app)
        return {"status": "ok"}

    @action
    @versions("26.1")
    def cancelRollback(self, rollback_revision: str) -> dict[str, Any]:
        if not self.req.is_post:
            return {"status": "error"}
        return {"status": rollback.cancel_timer(self.app, rollback_revision)}

    # -- helper lists ----------------------------------------------------------------------------------
    @action
    def listCategories(self) -> dict[str, Any]:
        view = self.store.view()
        counts: dict[str, int] = {}
        for rule in view.items(self.category_key).values():
            for cat in rule.get("categories", "").split(",") if rule.get("categories") else []:
                counts[cat] = counts.get(cat, 0) + 1
        return {"rows": category_rows(view, counts)}

    @action
    def listNetworkSelectOptions(self) -> dict[str, Any]:
        networks: dict[str, str] = {}
        for i in self.env.interfaces:
            descr = i.label
            networks[i.key] = f"{descr} network"
            if not i.virtual:
                networks[f"{i.key}ip"] = f"{descr} address"
        aliases = {
            name: name
            for name, a in alias_index(self.store.view(), self.env).items()
            if a.get("type") not in ("internal", "port")
        }
        return {
            "single": {"label": "Single host or Network"},
            "aliases": {"label": "Aliases", "items": _natsorted(aliases)},
            "networks": {
                "label": "Networks",
                "items": {"any": "any", "(self)": "This Firewall", **_natsorted(networks)},
            },
        }

    @action
    def listPortSelectOptions(self) -> dict[str, Any]:
        ports = {"": "any", **{s: f"{s.upper()} ({p})" for s, p in netdb.WELL_KNOWN_PORTS.items()}}
        aliases = {n: n for n, a in alias_index(self.store.view(), self.env).items() if a.get("type") == "port"}
        return {
            "single": {"label": "Single port or range"},
            "aliases": {"label": "Aliases", "items": _natsorted(aliases)},
            "ports": {"label": "Ports", "items": ports},
        }


class FilterController(FilterBaseController):
    name = "Filter"

    # -- search ----------------------------------------------------------------------------------------
    @action
    def searchRule(self) -> dict[str, Any]:
        """A recordset search over MVC and automatic rules (firewall.md 1.1, 1.4)."""
        categories = self.req.get_request("category")
        interface = self.req.get_request("interface")
        interfaces = None
        if interface is not None:
            text = "Array" if isinstance(interface, (list, dict)) else php_scalar_str(interface)
            interfaces = [i for i in text.split(",") if i != ""]
            groups = getattr(self.env, "interface_groups", None) or {}
            for group, info in groups.items():
                if set(interfaces) & set(info.get("members", [])):
                    interfaces.append(group)
        view = self.store.view()
        builder = RowBuilder(self.ctx(view, {}, None, RULE))
        records = [builder.row(uuid, rule) for uuid, rule in view.items(KEY).items()]
        records.extend(automatic_rows(self.env))
        wanted = _array(categories) if not php_empty(categories) else None
        known = view.items("firewall.category")
        networks = Networks(view, self.env)
        rows = []
        for record in records:
            r_categories = (
                [trim(c) for c in str(record.get("categories", "")).split(",")] if record.get("categories") else []
            )
            if wanted is not None and not set(r_categories) & set(wanted):
                continue
            rule_interfaces = [i for i in str(record.get("interface", "")).split(",") if i not in ("", "0")]
            if interfaces is None or php_empty(record.get("interface")):
                is_if = True  # all-rules view, or a floating rule without interface
            elif not php_empty(record.get("interfacenot")):
                is_if = not set(rule_interfaces) & set(interfaces)
            elif not interfaces and len(rule_interfaces) != 1:
                is_if = True  # the floating view
            else:
                is_if = bool(set(rule_interfaces) & set(interfaces))
            if not is_if:
                continue
            if record.get("legacy"):
                legacy_translate(record, self.env, known)
            record["category_colors"] = [
                {
                    "color": f"#{known[c]['color']}" if known[c].get("color") else "",
                    "name": known[c].get("name", ""),
                    "uuid": c,
                }
                for c in r_categories
                if c in known
            ]
            for field in ("source_net", "source_port", "destination_net", "destination_port"):
                if not php_empty(record.get(field)):
                    record[f"alias_meta_{field}"] = networks.meta(record[field])
            rows.append(record)
        return grid(self.req, rows, None, "sort_order", recordset=True)

    # -- CRUD ------------------------------------------------------------------------------------------
    @action
    def getRule(self, uuid: str | None = None) -> dict[str, Any]:
        result = self.get_base("rule", PATH, uuid)
        if self.req.get_request("fetchmode") == "copy" and result.get("rule"):
            # copy mode: an integer sequence after the last rule (FilterBaseController::setCopySequence)
            highest = max([intval(r.get("sequence", "")) for r in self.store.view().items(KEY).values()] + [0])
            result["rule"]["sequence"] = highest + 100
        return result

    @action
    def addRule(self) -> dict[str, Any]:
        return self.add_base("rule", PATH)

    @action
    def setRule(self, uuid: str) -> dict[str, Any]:
        return self.set_base("rule", PATH, uuid)

    @action
    def delRule(self, uuid: str) -> dict[str, Any]:
        return self.del_base(PATH, uuid)

    @action
    def toggleRule(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base(PATH, uuid, enabled)

    @action
    def toggleRuleLog(self, uuid: str, log: str) -> dict[str, Any]:
        if not self.req.is_post:
            return dict(NOT_POST)
        with self.transaction() as txn:
            rule = txn.item(KEY, uuid)
            if rule is None:
                raise UserException("Rule not found")
            if log not in ("0", "1"):
                raise UnexpectedError("ValidationException: Value should be a boolean (0,1).")  # save() validates
            txn.put(KEY, uuid, {**rule, "log": log})
            txn.save()
        return {"status": "ok"}

    @action
    def moveRuleBefore(self, selected_uuid: str, target_uuid: str) -> dict[str, Any]:
        """Sequence gap numbering inside one prio group (firewall.md 1.1); 26.7 raises warnings."""
        if not self.req.is_post:
            return dict(NOT_POST)
        with self.transaction() as txn:
            rules = txn.items(KEY)
            target, selected = rules.get(target_uuid), rules.get(selected_uuid)
            if target is None or selected is None:
                raise UserWarningException(
                    "Either source or destination is not a rule managed with this component", "Filter"
                )
            prio_target, prio_selected = priority(target, self.env), priority(selected, self.env)
            if prio_selected != prio_target:
                names = {"2": "Floating", "3": "Group", "4": "Interface"}
                raise UserWarningException(
                    f"Cannot move '{names.get(str(prio_selected)[0], 'Unknown')} Rule' before "
                    f"'{names.get(str(prio_target)[0], 'Unknown')} Rule'.",
                    "Filter",
                )
            if selected_uuid == target_uuid:
                raise UserWarningException("Cannot move to the same spot.", "Filter")
            group = [
                (u, float(intval(r.get("sequence", ""))))
                for u, r in rules.items()
                if priority(r, self.env) == prio_target
            ]
            # sortedBy(['prio_group', 'sequence']): numeric values sort right-aligned, the uuid breaks ties.
            group.sort(key=lambda ur: (ur[1], natcase_key(ur[0])))
            sequences = dict(group)
            new_key, prev = None, None
            for uuid, _seq in group:
                if uuid == target_uuid:
                    prev_seq = sequences[prev] if prev is not None else 1.0
                    distance = sequences[uuid] - prev_seq
                    if distance > 2:
                        new_key = int(distance) // 2 + prev_seq
                        break
                    new_key = 1.0 if prev is None else prev_seq + 50
                    sequences[uuid] = new_key + 50
                elif new_key is not None and prev is not None and sequences[uuid] < sequences[prev]:
                    sequences[uuid] = sequences[prev] + 50
                prev = uuid
            if new_key is None:
                return {"status": "ok"}
            sequences[selected_uuid] = new_key
            for uuid, seq in sequences.items():
                text = php_num(seq)
                if text != rules[uuid].get("sequence"):
                    if not 1 <= seq <= 999999:
                        raise UnexpectedError("ValidationException: Sequence shall be between 1 and 999999.")
                    txn.put(KEY, uuid, {**rules[uuid], "sequence": text})
            txn.save()
        return {"status": "ok"}

    @action
    def getInterfaceList(self) -> dict[str, Any]:
        sections: dict[str, dict[str, Any]] = {
            "floating": {"label": "Floating", "icon": "fa fa-layer-group fa-fw text-primary", "items": []},
            "groups": {"label": "Groups", "icon": "fa fa-sitemap fa-fw text-warning", "items": []},
            "interfaces": {"label": "Interfaces", "icon": "fa fa-ethernet fa-fw text-info", "items": []},
            "any": {"label": "Any", "icon": "fa fa-globe-europe fa-fw", "items": []},
        }
        sections["floating"]["items"].append({"value": "__floating", "label": "Floating", "type": "floating"})
        for group in getattr(self.env, "interface_groups", None) or {}:
            sections["groups"]["items"].append({"value": group, "label": group, "type": "group"})
        for i in self.env.interfaces:
            if i.key != "lo0":
                sections["interfaces"]["items"].append({"value": i.key, "label": i.label, "type": "interface"})
        sections["any"]["items"].append({"value": "__any", "label": "All rules", "type": "any"})
        for section in sections.values():
            section["items"].sort(key=lambda item: natcase_key(item["label"]))
        return sections

    @action
    def downloadRules(self) -> Response | str:
        if not self.req.is_get:
            return ""
        return download_rules(self.store.view(), self.env)

    @action
    def uploadRules(self) -> dict[str, Any]:
        if not self.req.is_post or not self.req.has_post("payload"):
            return {"status": "failed"}
        return upload_rules(self, php_scalar_str(self.req.get_post("payload")))

    @action
    def flushInspectCache(self) -> dict[str, Any]:
        if not self.req.is_post:
            return dict(NOT_POST)
        return {"status": "ok"}


def _natsorted(items: dict[str, str]) -> dict[str, str]:
    """natcasesort() on the labels, keys kept."""
    return dict(sorted(items.items(), key=lambda kv: natcase_key(kv[1])))


DEFAULT_RULES = {
    # config.xml.sample: the two LAN pass rules every fresh installation starts with.
    "0b5a5b1c-93e4-4b50-9f0c-2f6a3f3f0a01": ("1", "inet", "Default allow LAN to any rule"),
    "0b5a5b1c-93e4-4b50-9f0c-2f6a3f3f0a02": ("11", "inet6", "Default allow LAN IPv6 to any rule"),
}


def install(app: Any) -> None:
    """Factory state: the default LAN rules are in both config and the running ruleset."""
    lan = app.env.interface("lan")
    if lan is None:
        return
    ctx = FieldContext(view=app.store.view(), env=app.env, item={})
    container = {}
    for uuid, (sequence, family, description) in DEFAULT_RULES.items():
        rule = RULE.blank(ctx)
        rule.update(
            {
                "sequence": sequence,
                "interface": "lan",
                "ipprotocol": family,
                "source_net": "lan",
                "description": description,
            }
        )
        container[uuid] = rule
    app.store.config[KEY] = container
    app.store.running[KEY] = container


CONTROLLERS = [FilterController]
