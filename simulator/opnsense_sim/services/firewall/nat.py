"""NPTv6 and 1:1 NAT rules, /api/firewall/npt/ and /api/firewall/one_to_one/ (NptController.php,
OneToOneController.php, FilterBaseController.php; FACTS.md "NAT rules").

Both are FilterBaseControllers over the filter model (Filter.xml `npt.rule`, `onetoone.rule`): they
share its apply (configd `filter reload skip_alias`) and, on 26.1, the savepoint/revert/
cancelRollback dead-man switch, which restores the whole filter model, NAT rules included.
"""

from __future__ import annotations

from typing import Any

from ...app import action
from ...core.controller import grid, natcase_key
from ...core.errors import UnexpectedError, UserException
from ...core.fields import ItemType
from ...core.php import filter_ip, intval
from ...core.values import php_empty, php_scalar_str
from .fieldtypes import php_num
from .filter import NOT_POST, FilterBaseController, versions
from .filter_rows import Networks
from .nat_model import NPT, NPT_KEY, ONETOONE, ONETOONE_KEY, SNAT, SNAT_KEY, nat_with_order


class NatRuleController(FilterBaseController):
    """The rule actions NptController and OneToOneController define alike, over `path`."""

    path = ""
    rule_key = ""
    rule_type: ItemType
    meta_fields: tuple[str, ...] = ()

    def ordered(self, item: dict[str, str]) -> dict[str, str]:
        return nat_with_order(item, self.env)

    def _requested_categories(self) -> list[str]:
        """`(array)$this->request->get('category')`: a string becomes one entry, nothing none."""
        value = self.req.get_request("category")
        if value is None:
            return []
        if isinstance(value, dict):
            return [php_scalar_str(v) for v in value.values()]
        if isinstance(value, list):
            return [php_scalar_str(v) for v in value]
        return [php_scalar_str(value)]

    @action
    def searchRule(self) -> dict[str, Any]:
        wanted = self._requested_categories()
        view = self.store.view()
        known = view.items("firewall.category")
        networks = Networks(view, self.env)

        def where(_uuid: str, item: dict[str, str]) -> bool:
            cats = [c for c in item.get("categories", "").split(",") if c] if item.get("categories") else []
            return not wanted or bool(set(cats) & set(wanted))

        def decorate(row: dict[str, Any]) -> dict[str, Any]:
            row.update({k: v for k, v in self.ordered(row).items() if k in ("sort_order", "prio_group")})
            cats = row["categories"].split(",") if row.get("categories") else []
            row["category_colors"] = [
                {
                    "color": f"#{known[c]['color']}" if known[c].get("color") else "",
                    "name": known[c].get("name", ""),
                    "uuid": c,
                }
                for c in cats
                if c in known
            ]
            for field in self.meta_fields:
                if not php_empty(row.get(field)):
                    row[f"alias_meta_{field}"] = networks.meta(row[field])
            return row

        return self.search_base(self.path, None, "sequence", where=where, decorate=decorate)

    @action
    def getRule(self, uuid: str | None = None) -> dict[str, Any]:
        result = self.get_base("rule", self.path, uuid)
        # setCopySequence() came with 26.7; 26.1's getRule ignores fetchmode.
        if self.env.version != "26.1" and self.req.get_request("fetchmode") == "copy" and result.get("rule"):
            highest = max(
                [intval(r.get("sequence", "")) for r in self.store.view().items(self.rule_key).values()] + [0]
            )
            result["rule"]["sequence"] = highest + 100
        return result

    @action
    def addRule(self) -> dict[str, Any]:
        return self.add_base("rule", self.path)

    @action
    def setRule(self, uuid: str) -> dict[str, Any]:
        return self.set_base("rule", self.path, uuid)

    @action
    def delRule(self, uuid: str) -> dict[str, Any]:
        return self.del_base(self.path, uuid)

    @action
    def toggleRule(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base(self.path, uuid, enabled)

    @action
    def toggleRuleLog(self, uuid: str, log: str) -> dict[str, Any]:
        """toggleRuleLogBase()."""
        if not self.req.is_post:
            return dict(NOT_POST)
        with self.transaction() as txn:
            rule = txn.item(self.rule_key, uuid)
            if rule is None:
                raise UserException("Rule not found")
            if log not in ("0", "1"):
                raise UnexpectedError("ValidationException: Value should be a boolean (0,1).")  # save() validates
            txn.put(self.rule_key, uuid, {**rule, "log": log})
            txn.save()
        return {"status": "ok"}

    @action
    def moveRuleBefore(self, selected_uuid: str, target_uuid: str) -> dict[str, Any]:
        """moveRuleBeforeBase(): gap numbering over the whole container (no priority groups), and a
        plain UserException when a uuid is unknown."""
        if not self.req.is_post:
            return dict(NOT_POST)
        with self.transaction() as txn:
            rules = txn.items(self.rule_key)
            if rules.get(target_uuid) is None or rules.get(selected_uuid) is None:
                raise UserException("Either source or destination is not a rule managed with this component")
            group = [(u, float(intval(r.get("sequence", "")))) for u, r in rules.items()]
            # sortedBy(['sequence']): numeric values sort right-aligned, the uuid breaks ties.
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
                    txn.put(self.rule_key, uuid, {**rules[uuid], "sequence": text})
            txn.save()
        return {"status": "ok"}


class NptController(NatRuleController):
    name = "Npt"
    path = "npt.rule"
    rule_key = NPT_KEY
    rule_type = NPT
    category_key = NPT_KEY


class OneToOneController(NatRuleController):
    name = "OneToOne"
    path = "onetoone.rule"
    rule_key = ONETOONE_KEY
    rule_type = ONETOONE
    category_key = ONETOONE_KEY
    meta_fields = ("source_net", "destination_net")


SNAT_MODES = ("automatic", "hybrid", "advanced", "disabled")


class SourceNatController(NatRuleController):
    """SourceNatController.php: `searchRule` lists the manual rules only in hybrid and advanced
    mode and adds the synthetic automatic rules in automatic and hybrid mode; `get`/`set` act on
    `general` alone (26.7; 26.1 has `setGeneral` and the whole-model get/set)."""

    name = "SourceNat"
    path = "snatrules.rule"
    rule_key = SNAT_KEY
    rule_type = SNAT
    category_key = SNAT_KEY
    meta_fields = ("source_net", "source_port", "destination_net", "destination_port", "target", "target_port")

    def mode(self) -> str:
        """SNatModeField: config.xml's nat/outbound/mode, `automatic` when unset or unknown."""
        mode = self.store.view().setting(self.model.name, "general.snat_mode", "")
        return mode if mode in SNAT_MODES else "automatic"

    def automatic_rows(self) -> list[dict[str, Any]]:
        """getAutomaticOutboundNatRules(): display-only rules for every WAN-like IPv4 interface."""
        v26_1 = self.env.version == "26.1"
        dynamic = ("dhcp",) if v26_1 else ("dhcp", "pppoe")
        sources, nat_ifs = [], []
        for i in self.env.interfaces:
            ip = i.ipaddr
            if not (ip in dynamic or filter_ip(ip, v6=False)):
                continue
            if (ip in dynamic or i.gateway not in ("", "none")) and not i.device.startswith("ovpn"):
                nat_ifs.append(i)
            else:
                sources.append(i.key)
        rows: list[dict[str, Any]] = []
        seq = 1

        def row(uuid: str, natif: Any, source: str, port: str, static: str, descr: str) -> None:
            nonlocal seq
            rows.append({
                "uuid": uuid, "enabled": "1", "nonat": "0", "nosync": "0", "sequence": str(seq),
                "interface": natif.key, "%interface": natif.label, "ipprotocol": "inet", "%ipprotocol": "IPv4",
                "protocol": "any", "%protocol": "*", "source_net": source, "source_not": "0", "source_port": "",
                "destination_net": "any", "destination_not": "0", "destination_port": port,
                "target": f"{natif.key}ip", "target_port": "", "staticnatport": static, "log": "0",
                "categories": "", "tag": "", "tagged": "", "description": descr, "is_automatic": True,
                "sort_order": "%d.0%06d" % (500000, seq), "prio_group": "500000",
            })  # fmt: skip
            seq += 1

        for natif in nat_ifs:
            pairs = [(f"_{s}", s) for s in sources] if v26_1 else [("", ",".join(sources))]
            for suffix, source in pairs:
                row(f"automatic_isakmp_{natif.key}{suffix}", natif, source, "500", "1", "Auto created rule for ISAKMP")
                row(f"automatic_{natif.key}{suffix}", natif, source, "", "0", "Auto created rule")
        return rows

    @action
    def searchRule(self) -> dict[str, Any]:
        wanted = self._requested_categories()
        mode = self.mode()
        view = self.store.view()
        records: list[dict[str, Any]] = []
        if mode in ("hybrid", "advanced"):
            for uuid, item in view.items(SNAT_KEY).items():
                records.append(self.row(SNAT, uuid, self.ordered(item), view))
        if mode in ("automatic", "hybrid"):
            records.extend(self.automatic_rows())
        known = view.items("firewall.category")
        networks = Networks(view, self.env)
        rows = []
        for record in records:
            cats = record["categories"].split(",") if record.get("categories") else []
            record["category_colors"] = [
                {
                    "color": f"#{known[c]['color']}" if known[c].get("color") else "",
                    "name": known[c].get("name", ""),
                    "uuid": c,
                }
                for c in cats
                if c in known
            ]
            for field in self.meta_fields:
                if not php_empty(record.get(field)):
                    record[f"alias_meta_{field}"] = networks.meta(record[field])
            # The automatic rules are always shown, whatever category is selected.
            if record.get("is_automatic") or not wanted or set(cats) & set(wanted):
                rows.append(record)
        return grid(self.req, rows, None, "sort_order", recordset=True)

    @action
    def get(self) -> dict[str, Any]:
        if self.env.version == "26.1":
            return self.get_model()
        full = self.get_model()
        return {"filter": {"general": full.get("filter", {}).get("general", {})}}

    @action
    def set(self) -> dict[str, Any]:
        if self.env.version == "26.1":
            return self.set_model()
        return self._set_general()

    @action
    @versions("26.1")
    def setGeneral(self) -> dict[str, Any]:
        return self._set_general()

    def _set_general(self) -> dict[str, Any]:
        """setNodes() on `general` from `filter.general`, validate, save."""
        if not self.req.is_post:
            return {"result": "failed"}
        posted = self.req.get_post("filter")
        general = posted.get("general") if isinstance(posted, dict) else None
        mode = general.get("snat_mode") if isinstance(general, dict) else None
        if mode is None:
            mode = self.mode()
        mode = php_scalar_str(mode)
        if mode not in SNAT_MODES:
            return {"result": "failed", "validations": {"filter.general.snat_mode": "Option [] not in list."}}
        with self.transaction() as txn:
            txn.set_setting(self.model.name, "general.snat_mode", mode)
            txn.save()
        return {"result": "saved"}


CONTROLLERS = [SourceNatController, NptController, OneToOneController]
MODELS: list[Any] = []  # the filter model, served by filter.py
