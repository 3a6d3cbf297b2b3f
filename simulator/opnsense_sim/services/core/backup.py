"""Config backups, /api/core/backup/ (interfaces-and-services.md section 6; BackupController.php).

Every save keeps a revision (core/store.py); a revision's backup file is rendered on demand as the
config.xml it was (configxml.py). The only provider is "this" (OPNcentral is not simulated).
"""

from __future__ import annotations

import difflib
import time
from typing import Any
from urllib.parse import quote_plus

from ...app import action
from ...configxml import render_revision
from ...core.controller import Controller
from ...core.php import htmlspecialchars
from ...core.store import Revision
from ...http import Response

BACKUP_DIR = "/conf/backup"


class BackupController(Controller):
    namespace = "Core"
    name = "Backup"

    def _providers(self) -> dict[str, dict[str, str]]:
        return {"this": {"description": "This Firewall", "dirname": BACKUP_DIR}}

    def _file(self, rev: Revision) -> str:
        return render_revision(self.app, rev)

    def _size(self, rev: Revision) -> int:
        if rev.size is None:
            rev.size = len(self._file(rev).encode())
        return rev.size

    @action
    def providers(self) -> dict[str, Any]:
        return {"items": self._providers()}

    @action
    def backups(self, host: str) -> dict[str, Any]:
        """Newest first, by the revision's time."""
        items = []
        if host in self._providers():
            # Newest first; revisions saved within the same 10 ms keep their save order.
            for rev in reversed(self.store.history()):
                items.append(
                    {
                        "time": "%0.2f" % rev.time,
                        "time_iso": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(int(rev.time))),
                        "description": rev.description,
                        "username": rev.username,
                        "filesize": self._size(rev),
                        "id": rev.id,
                    }
                )
        return {"items": items}

    @action
    def diff(self, host: str, backup1: str, backup2: str) -> dict[str, Any]:
        """`diff -u <backup2> <backup1>`, one HTML-escaped line per item."""
        items: list[str] = []
        if host in self._providers():
            first = second = None
            for rev in self.store.history():
                if rev.id == backup1:
                    first = rev
                elif rev.id == backup2:
                    second = rev
            if first is not None and second is not None:
                lines = difflib.unified_diff(
                    self._file(second).splitlines(),
                    self._file(first).splitlines(),
                    fromfile=f"{BACKUP_DIR}/{second.id}",
                    tofile=f"{BACKUP_DIR}/{first.id}",
                    fromfiledate=_diff_date(second.time),
                    tofiledate=_diff_date(first.time),
                    lineterm="",
                )
                items = [htmlspecialchars(line) for line in lines]
        return {"items": items}

    @action
    def deleteBackup(self, backup: str) -> dict[str, Any]:
        if not self.req.is_post:
            return {"status": "failed"}
        return {"status": "deleted" if self.store.delete_revision(backup) else "not_found"}

    @action
    def revertBackup(self, backup: str) -> dict[str, Any]:
        """restoreBackup() then save(): the old config becomes current as a new revision."""
        if not self.req.is_post:
            return {"status": "failed"}
        restored = self.store.restore(
            backup,
            description=f"{self.req.uri} made changes",
            username=f"{self.req.username}@{self.req.remote}",
            apitoken=self.req.api_key,
        )
        return {"status": "reverted" if restored else "not_found"}

    @action
    def download(self, host: str, backup: str | None = None) -> Any:
        """The newest backup (or the named one) as an attachment; nothing found gives an empty 200."""
        if host not in self._providers():
            return None
        for rev in reversed(self.store.history()):
            if backup is None or backup == rev.id:
                body = self._file(rev).encode()
                rev.size = len(body)
                filename = quote_plus(f"config-{self.env.hostname}.{self.env.domain}-{rev.id[len('config-') :]}")
                return Response(
                    200,
                    body,
                    {
                        "Content-Type": "application/octet-stream",
                        "Content-Disposition": f"attachment; filename={filename}",
                        "Pragma": "no-cache",
                        "Expires": "0",
                    },
                )
        return None


def _diff_date(when: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(when)) + ".%09d +0000" % int((when % 1) * 1e9)


MODELS: list = []
CONTROLLERS = [BackupController]
