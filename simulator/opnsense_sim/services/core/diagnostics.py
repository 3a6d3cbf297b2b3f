"""/api/diagnostics/system/: read-only system facts (Diagnostics SystemController.php; interfaces-and-services.md 7).

`system_information` is covered by the "Lobby: Dashboard" privilege, which makes it a cheap
authentication check.
"""

from __future__ import annotations

import time
from typing import Any

from ...app import action
from ...core.controller import Controller
from . import product

PHYSMEM = 4 * 1024**3


def _date(ts: float) -> str:
    """PHP date("D M j G:i:s T Y") in UTC: day and hour without leading zeros."""
    t = time.gmtime(ts)
    return f"{time.strftime('%a %b', t)} {t.tm_mday} {t.tm_hour}:{time.strftime('%M:%S', t)} UTC {t.tm_year}"


def _uptime(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days > 0:
        return f"{days} {'days' if days > 1 else 'day'}, {hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


class SystemController(Controller):
    namespace = "Diagnostics"
    name = "System"

    @action
    def systemInformation(self) -> dict[str, Any]:
        env = self.env
        return {
            "name": env.fqdn,
            "versions": [f"OPNsense {env.product_version}-{env.arch}", product.FREEBSD, product.OPENSSL],
            "updates": "Click to check for updates.",
        }

    @action
    def systemTime(self) -> dict[str, Any]:
        now = time.time()
        boot = self.app.extra.get("boot_time", now)
        revisions = self.store.revisions
        last = revisions[-1].time if revisions else boot
        return {
            "uptime": _uptime(int(now - boot)),
            "datetime": _date(now),
            "boottime": _date(boot),
            "config": _date(last),
            "loadavg": "0.12, 0.10, 0.08",
        }

    @action
    def systemResources(self) -> dict[str, Any]:
        used = PHYSMEM // 4
        return {
            "memory": {
                "total": str(PHYSMEM),
                "total_frmt": str(PHYSMEM // 1024 // 1024),
                "used": used,
                "used_frmt": str(used // 1024 // 1024),
            }
        }
