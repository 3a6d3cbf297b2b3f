# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-back after the writes (design.md 3 step 7): a write OPNsense answered "saved" is only trusted
once the firewall shows it.

OPNsense may answer "saved" and still store something else (it lower-cases, drops unknown options,
fills defaults), so success is what a fresh read holds, compared field by field with what the plan
expected, in the same normal form the planner diffs in.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterable, List

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.module_utils._fields import decode_row
from ansible_collections.opnform.opnsense.plugins.module_utils._object_plan import read_back_differences
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import DELETE, Action
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import ClientPool


class VerifyError(OpnError):
    """What OPNsense holds after the writes differs from what was written."""

    kind = "verify"


def read_types(
    pool: ClientPool, specs: Dict[str, ResourceSpec], types: Iterable[str], parallelism: int
) -> Dict[str, List[Dict[str, Any]]]:
    """One search per type, in parallel: ``{type: manageable rows}``."""
    wanted = sorted(set(types))
    if not wanted:
        return {}
    out: Dict[str, List[Dict[str, Any]]] = {}
    with ThreadPoolExecutor(
        max_workers=max(1, min(parallelism, len(wanted))), thread_name_prefix="opnform-read"
    ) as tpe:
        futures = dict((tpe.submit(lambda s=specs[t]: pool.service(s).list()), t) for t in wanted)
        for future, type_name in futures.items():
            out[type_name] = future.result()
    return out


def verify(
    actions: Iterable[Action],
    rows: Dict[str, List[Dict[str, Any]]],
    specs: Dict[str, ResourceSpec],
) -> List[str]:
    """Compare what OPNsense holds with what was written; one message per mismatch."""
    problems: List[str] = []
    by_type: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for type_name, found in rows.items():
        by_type[type_name] = dict((str(r.get("uuid")), r) for r in found)
    for action in actions:
        spec = specs[action.type]
        row = by_type.get(action.type, {}).get(action.uuid)
        if action.op == DELETE:
            if row is not None:
                problems.append("%s: still on the firewall after its delete (uuid %s)" % (action.id, action.uuid))
            continue
        if row is None:
            problems.append("%s: not on the firewall after its %s (uuid %s)" % (action.id, action.op, action.uuid))
            continue
        sensitive = set(f.name for f in spec.fields if f.sensitive)
        # A withheld secret (resumed from the journal) is not compared.
        withheld = set(n for n in sensitive if not action.payload.get(spec.field(n).api))
        compared = [n for n in action.expected if n not in withheld]
        for change in read_back_differences(spec, decode_row(spec, row), action.expected, compared):
            shown = "(sensitive)" if change.field in sensitive else "%r, expected %r" % (change.before, change.after)
            problems.append("%s.%s: OPNsense holds %s" % (action.id, change.field, shown))
    return problems


__all__ = ["VerifyError", "read_types", "verify"]
