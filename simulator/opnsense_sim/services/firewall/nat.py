"""NPTv6 and 1:1 NAT rules, /api/firewall/npt/ and /api/firewall/one_to_one/ (NptController.php,
OneToOneController.php, FilterBaseController.php; FACTS.md "NAT rules").

Both are FilterBaseControllers over the filter model (Filter.xml `npt.rule`, `onetoone.rule`): they
share its apply (configd `filter reload skip_alias`) and, on 26.1, the savepoint/revert/
cancelRollback dead-man switch, which restores the whole filter model, NAT rules included.
"""

from __future__ import annotations

from typing import Any

from ...app import action
from ...core.controller import natcase_key
from ...core.errors import UnexpectedError, UserException
from ...core.fields import ItemType
from ...core.php import intval
from ...core.values import php_empty, php_scalar_str
from .fieldtypes import php_num
from .filter import NOT_POST, FilterBaseController
from .filter_rows import Networks
from .nat_model import NPT, NPT_KEY, ONETOONE, ONETOONE_KEY, nat_with_order


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


CONTROLLERS = [NptController, OneToOneController]
MODELS: list[Any] = []  # the filter model, served by filter.py
