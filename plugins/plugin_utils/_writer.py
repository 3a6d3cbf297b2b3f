# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API calls of one unit of work, and what a failed call means for what OPNsense holds.

Kept apart from the scheduler so that the rollback sends its undo writes through the very same code
(and tests can put a fake in its place). Writes are idempotent by construction, so a write whose
answer was lost can be retried: creates and updates are ``set<Item>/<uuid>`` upserts under the UUID
the plan chose (generic.md 4); a delete retried after a lost answer finds "not found", which means
done. Deletes of one type can go out as one comma-separated ``del`` when the firewall is 26.1.3 or
later, which OPNsense applies atomically: the first object still in use aborts the call and nothing
is saved (generic.md 4, haproxy.md 4); whether the firewall can is decided here, from its version.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    InUseError,
    OpnError,
    TransportError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import CREATE, DELETE, UPDATE, Action
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import ClientPool

# Comma-separated deletes work (and are atomic) from this release on (generic.md 4, commit c0569f86d5).
BULK_DELETE_SINCE = (26, 1, 3)
BULK_DELETE_MAX = 50


def version_tuple(version: Optional[str]) -> Tuple[int, ...]:
    parts = []
    for piece in str(version or "").split("_", maxsplit=1)[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def supports_bulk_delete(version: Optional[str]) -> bool:
    found = version_tuple(version)
    return bool(found) and found >= BULK_DELETE_SINCE


def server_computes(spec: ResourceSpec, action: Action) -> bool:
    """True for a create whose payload leaves an ``auto`` field for OPNsense to fill in."""
    return action.op == CREATE and any(f.auto and f.api not in action.payload for f in spec.fields)


def applied_after(exc: BaseException) -> Optional[bool]:
    """Whether a failed write may have been saved: False when OPNsense answered that it did not
    save (validation, "in use", ``result: failed``), None (unknown) when the answer was lost or the
    server failed part-way."""
    if isinstance(exc, (ValidationError, InUseError)):
        return False
    if isinstance(exc, ApiError) and "did not save" in str(exc):
        return False
    return None


class Writer(object):
    """Sends the write(s) of one unit of work. Stateless apart from the client pool."""

    def __init__(self, pool: ClientPool, specs: Dict[str, ResourceSpec], delete_retries: int = 2) -> None:
        self.pool = pool
        self.specs = specs
        self.delete_retries = delete_retries

    def write(self, actions: List[Action]) -> None:
        first = actions[0]
        spec = self.specs[first.type]
        try:
            if first.op in (CREATE, UPDATE):
                self.upsert(spec, first.uuid, first.payload)
            elif first.op == DELETE:
                self.delete(spec, [a.uuid for a in actions])
            else:  # pragma: no cover - noops are never scheduled
                raise ValueError("not a write: %s" % first.label)
        except OpnError as exc:
            if len(actions) == 1:
                exc.with_context(first.type, first.name)
            raise

    def upsert(self, spec: ResourceSpec, uuid: str, payload: Dict[str, Any]) -> None:
        self.pool.service(spec).upsert(uuid, payload)

    def delete(self, spec: ResourceSpec, uuids: List[str]) -> None:
        """Delete one or several objects; a lost answer is retried, "not found" then means done."""
        joined = ",".join(uuids)
        for attempt in range(self.delete_retries + 1):
            try:
                self.pool.service(spec).delete(joined)
                return
            except TransportError:
                if attempt >= self.delete_retries:
                    raise
                time.sleep(0.2 * (attempt + 1))


__all__ = [
    "BULK_DELETE_MAX",
    "BULK_DELETE_SINCE",
    "Writer",
    "applied_after",
    "server_computes",
    "supports_bulk_delete",
    "version_tuple",
]
