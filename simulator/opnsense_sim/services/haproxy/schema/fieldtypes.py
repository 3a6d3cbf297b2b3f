"""Field types HAProxy.xml uses beyond the core set, with their core 26.7 semantics.

- RelationField: ModelRelationField with `<filters>` (an item whose filtered field is empty still
  qualifies: `!preg_match(...) && $fieldData != null`), natural-case order of options unless the
  field is Sorted, in which case options keep config order and selected ones come first in stored
  order (FT/ModelRelationField.php, haproxy.md 1.2). Validation checks against the same filtered
  option list, so a `unix_socket` pointing at a frontend without a `unix@` bind fails.
- CertificateField: refids from the simulated trust store (truststore.py), options ordered by
  description, CAs flagged for OCSP signing left out (FT/CertificateField.php).
- EmailField, UrlField: core validators (FT/EmailField.php, FT/UrlField.php).
- HostnameField: trims on set and checks the whole value as one name (FT/HostnameField.php,
  not a list: the HAProxy fields do not set AsList).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

from ....core.fields import BaseListField, Field, FieldContext, ModelRelationField, natural_key
from ....core.fields import HostnameField as CoreHostnameField
from ....core.store import Txn
from .. import truststore

# Option lists per (field, committed container). Committed containers are never mutated (the store
# copies on write), so identity is a valid key; PHP likewise builds each list once per request.
_OPTIONS: OrderedDict[tuple[int, int], tuple[dict[str, dict[str, str]], dict[str, str]]] = OrderedDict()
_OPTIONS_LOCK = threading.Lock()


class RelationField(ModelRelationField):
    def __init__(self, target: str, filters: dict[str, str] | None = None, **kw: Any) -> None:
        compiled = {key: re.compile(pattern) for key, pattern in (filters or {}).items()}

        def qualifies(item: dict[str, str]) -> bool:
            return all(item.get(key, "") == "" or rx.search(item.get(key, "")) for key, rx in compiled.items())

        super().__init__(target, where=qualifies if compiled else None, **kw)

    def options(self, ctx: FieldContext) -> dict[str, str]:
        items = ctx.view.items(self.target)
        if not items or isinstance(ctx.view, Txn):
            return self._build(items)
        key = (id(self), id(items))
        with _OPTIONS_LOCK:
            hit = _OPTIONS.get(key)
            if hit is not None and hit[0] is items:
                return hit[1]
        built = self._build(items)
        with _OPTIONS_LOCK:
            _OPTIONS[key] = (items, built)
            while len(_OPTIONS) > 32:
                _OPTIONS.popitem(last=False)
        return built

    def _build(self, items: dict[str, dict[str, str]]) -> dict[str, str]:
        pairs = [(uuid, self._label(item)) for uuid, item in items.items() if self.where is None or self.where(item)]
        if not self.sorted_values:
            pairs.sort(key=lambda p: natural_key(p[1]))
        return dict(pairs)

    def display(self, value: str, ctx: FieldContext) -> str | None:
        """getDescription: labels of the selected items, joined with ", " (no option list needed)."""
        if value == "":
            return None
        items = ctx.view.items(self.target)
        labels = []
        for uuid in self.selected(value):
            item = items.get(uuid)
            ok = item is not None and (self.where is None or self.where(item))
            labels.append(self._label(item) if ok else uuid)  # type: ignore[arg-type]
        text = ", ".join(labels)
        return text if text != value else None


class CertificateField(BaseListField):
    default_message = "Please select a valid certificate from the list."

    def __init__(self, kind: str = "cert", **kw: Any) -> None:
        super().__init__(**kw)
        self.kind = kind

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return truststore.options(self.kind)


class EmailField(Field):
    default_message = "Email address is invalid."
    pattern = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$", re.IGNORECASE)

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if self.pattern.search(value) else [self.msg]


class UrlField(Field):
    """PHP FILTER_VALIDATE_URL, approximated: a scheme, `://`, a host and no whitespace."""

    default_message = "Invalid URL."
    pattern = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#]+([/?#]\S*)?$")

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        return [] if self.pattern.match(value) else [self.msg]


class HostnameField(CoreHostnameField):
    def store(self, value: str) -> str:
        return super().store(value.strip())

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        if "," in value:
            return [self.msg % value if "%s" in self.msg else self.msg]
        return super().check(value, ctx)
