"""The filter dead-man switch of 26.1: savepoint, apply/<revision>, cancelRollback, revert (firewall.md 1.2).

Removed in 26.7. Per code (26.1.11 Config.php, rollback_timer.php, rollback_cancel.php):

- savepoint saves the config and returns the revision `time`, which Config::getRevisionContext()
  formats with two decimals, while the backup file is named after the full microtime
  ("config-1718000000.1234.xml"). Config::getBackupFilename() looks for "config-<revision>.xml", so
  the savepoint's own revision normally names no backup (opnsense/core issue 10721): revert answers
  "unknown (or removed) savepoint" and the timer logs "unable to revert to unexisting revision".
  A revision that is a backup's full timestamp (as the backup API lists them) does work.
- apply/<revision> starts `filter rollback_timer` in the background under `flock -n`: one timer at a
  time, a second one is silently dropped. The timer creates a marker ("/tmp/filter_<rev>.lock"),
  waits ROLLBACK_SECONDS for cancelRollback to remove it, then copies the whole Filter model
  section from the backup, saves and runs `filter reload` (which refreshes aliases as well).
- cancelRollback answers configd's raw output: "\\n\\n" when a marker was removed, else the script
  exits 1 and configd answers "Execute error\\n\\n".
"""

from __future__ import annotations

import re
import threading
from typing import Any

ROLLBACK_SECONDS = 60.0  # the timer's wait; tests may patch it on the running simulator


class RollbackState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.timer: threading.Thread | None = None
        self.markers: dict[str, threading.Event] = {}  # sanitised revision -> its cancel signal
        self.log: list[str] = []  # what the timer wrote to syslog


def state(app: Any) -> RollbackState:
    return app.extra.setdefault("filter_rollback", RollbackState())


def sanitise(revision: str) -> str:
    return re.sub(r"[^0-9.]", "", revision)


def find_backup(store: Any, revision: str) -> Any:
    """Config::getBackupFilename(): the backup named exactly "config-<revision>.xml"."""
    name = f"config-{sanitise(revision)}.xml"
    return next((rev for rev in reversed(store.history()) if rev.id == name), None)


def restore_filter(app: Any, backup: Any, model: Any, description: str, username: str) -> None:
    """Filter::rollback(): the backup's Filter section replaces the current one, then save."""
    with app.store.transaction(description=description, username=username) as txn:
        for it in model.items:
            target = backup.data.get(it.key, {})
            for uuid in list(txn.items(it.key)):
                if uuid not in target:
                    txn.delete(it.key, uuid)
            for uuid, item in target.items():
                if txn.item(it.key, uuid) != item:
                    txn.put(it.key, uuid, item)
        txn.save()


def filter_reload(app: Any) -> None:
    """configd `filter reload` (without skip_alias): rules and alias tables."""
    app.reload("filter")
    app.store.reload("alias")


def start_timer(app: Any, revision: str, model: Any) -> None:
    st = state(app)
    with st.lock:
        if st.timer is not None and st.timer.is_alive():
            return  # flock -n -E 0: the running timer keeps the lock, this one exits quietly
        name = sanitise(revision)
        if not name:
            return
        cancel = threading.Event()
        st.markers[name] = cancel
        st.timer = threading.Thread(
            target=_run, args=(app, revision, name, cancel, model), name="filter-rollback", daemon=True
        )
        st.timer.start()


def _run(app: Any, revision: str, name: str, cancel: threading.Event, model: Any) -> None:
    if cancel.wait(ROLLBACK_SECONDS):
        return
    st = state(app)
    with st.lock:
        if st.markers.get(name) is cancel:
            del st.markers[name]
    backup = find_backup(app.store, revision)
    if backup is None:
        st.log.append(f"unable to revert to unexisting revision : {name}")
        return
    restore_filter(app, backup, model, "/usr/local/opnsense/scripts/filter/rollback_timer.php made changes", "(root)")
    filter_reload(app)


def cancel_timer(app: Any, revision: str) -> str:
    st = state(app)
    with st.lock:
        cancel = st.markers.pop(sanitise(revision), None) if sanitise(revision) else None
    if cancel is None:
        return "Execute error\n\n"
    cancel.set()
    return "\n\n"
