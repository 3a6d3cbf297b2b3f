# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Move a local state folder into the PostgreSQL backend (docs/state.md, "Moving to PostgreSQL").

For every firewall folder under ``state_dir`` (``<host>_<port>``): its deployments, saved plans,
checkpoints (their exact text, so checksums still hold) and journals (unfinished ones stay
unfinished: ``recover`` works on them from the database). What the database already has for that
firewall is left alone and reported as skipped, so a second move changes nothing. Each firewall is
moved while both its local lock and its database lock are held, so no apply runs meanwhile.

The local folder is not changed; once the runs use ``state_backend: postgresql`` it is no longer
read (apart from the events folder). Run it on the controller that holds the folder::

    PYTHONPATH=<collections path> python -m \\
        ansible_collections.opnform.opnsense.plugins.plugin_utils._state_move \\
        --state-dir ~/.local/state/opnform            # the DSN from $OPNFORM_STATE_DSN, or --dsn
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    DSN_ENV,
    SAFE_NAME,
    StateDir,
    default_state_root,
    holder_info,
    iter_json_lines,
    read_json,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state_pg import PgState


def firewall_folders(root: str) -> List[str]:
    """The firewall folders (``<host>_<port>``) of a local state root."""
    if not os.path.isdir(root):
        return []
    out = []
    for entry in sorted(os.listdir(root)):
        host, _sep, port = entry.rpartition("_")
        if host and port.isdigit() and os.path.isdir(os.path.join(root, entry)):
            out.append(entry)
    return out


def _names(folder: str, suffix: str) -> List[str]:
    if not os.path.isdir(folder):
        return []
    return sorted(
        e[: -len(suffix)]
        for e in os.listdir(folder)
        if e.endswith(suffix) and not e.startswith(".") and SAFE_NAME.match(e[: -len(suffix)])
    )


def move_firewall(local: StateDir, db: PgState, report: Dict[str, Any]) -> None:
    skipped: List[str] = report["skipped"]
    have = set(db.all_deployments())
    for name in _names(local.sub("deployments"), ".json"):
        if name in have:
            skipped.append("%s deployment %s" % (local.firewall, name))
            continue
        data = read_json(local.deployment_path(name)) or {}
        db._run(
            "move deployment %s" % name,
            "INSERT INTO opnform_deployments (firewall, name, data) VALUES (%s, %s, %s::jsonb)",
            (db.firewall, name, json.dumps(data, sort_keys=True)),
        )
        report["deployments"] += 1
    for plan_id in _names(local.sub("plans"), ".json"):
        try:
            db.load_plan(plan_id)
            skipped.append("%s plan %s" % (local.firewall, plan_id))
            continue
        except OpnError:
            pass
        db.save_plan(plan_id, read_json(local.sub("plans", plan_id + ".json")) or {})
        report["plans"] += 1
    for checkpoint_id in _names(local.sub("checkpoints"), ".json"):
        if db.has_checkpoint(checkpoint_id):
            skipped.append("%s checkpoint %s" % (local.firewall, checkpoint_id))
            continue
        raw = local.read_checkpoint_bytes(checkpoint_id)
        if raw is not None:  # damaged ones too: the listing keeps showing them as damaged
            db.write_checkpoint_text(checkpoint_id, raw.decode("utf-8", errors="replace"))
            report["checkpoints"] += 1
    known = set(str(ref.key) for ref in db.journal_refs())
    for run_id in _names(local.sub("journal"), ".jsonl"):
        if run_id in known:
            skipped.append("%s journal %s" % (local.firewall, run_id))
            continue
        for record in iter_json_lines(local.sub("journal", run_id + ".jsonl")):
            db.append_journal(run_id, json.dumps(record, sort_keys=True, default=str) + "\n")
        report["journals"] += 1


def move_local_state(state_dir: Optional[str], dsn: Optional[str], lock_timeout: float = 0.0) -> Dict[str, Any]:
    """Copy every firewall's state under ``state_dir`` into the database ``dsn``; returns a report."""
    root = os.path.abspath(os.path.expanduser(state_dir or default_state_root()))
    report: Dict[str, Any] = {
        "state_dir": root,
        "firewalls": [],
        "deployments": 0,
        "plans": 0,
        "checkpoints": 0,
        "journals": 0,
        "skipped": [],
    }
    for firewall in firewall_folders(root):
        host, _sep, port = firewall.rpartition("_")
        url = "https://%s:%s" % (host, port)
        local = StateDir(root, url)
        db = PgState.open(dsn, url, root)
        report["database"] = db.where
        info = holder_info("move-state", "-")
        local_lock, db_lock = local.lock(), db.lock()
        local_lock.acquire(lock_timeout, info)
        try:
            db_lock.acquire(lock_timeout, info)
            try:
                move_firewall(local, db, report)
            finally:
                db_lock.release()
        finally:
            local_lock.release()
            db.close()
        report["firewalls"].append(firewall)
    return report


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Move a local opnform state folder into PostgreSQL.")
    parser.add_argument("--state-dir", help="the local state folder (default: as apply finds it)")
    parser.add_argument("--dsn", help="the database (default: $%s); better from the environment" % DSN_ENV)
    parser.add_argument("--lock-timeout", type=float, default=0.0, help="seconds to wait for a running apply")
    args = parser.parse_args(argv)
    try:
        report = move_local_state(args.state_dir, args.dsn or os.environ.get(DSN_ENV), args.lock_timeout)
    except OpnError as exc:
        sys.stderr.write("error: %s\n" % exc.message)
        return 1
    sys.stdout.write(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
