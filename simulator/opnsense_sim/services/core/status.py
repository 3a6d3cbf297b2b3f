"""Core status endpoints: firmware status, diagnostics system information (interfaces-and-services.md 7)."""

from __future__ import annotations

import time
from typing import Any

from ...app import action
from ...core.controller import Controller


class FirmwareController(Controller):
    namespace = "Core"
    name = "Firmware"

    def product(self) -> dict[str, Any]:
        env = self.env
        series = env.version
        return {
            "product_abi": series,
            "product_arch": env.arch,
            "product_check": None,
            "product_copyright_owner": "Deciso B.V.",
            "product_email": "project@opnsense.org",
            "product_hash": "3fa8a4cfb5",
            "product_id": "opnsense",
            "product_latest": env.product_version,
            "product_license": {},
            "product_mirror": "https://pkg.opnsense.org/FreeBSD:14:amd64/" + series,
            "product_name": "OPNsense",
            "product_nickname": "Simulated",
            "product_repos": "OPNsense",
            "product_series": series,
            "product_time": time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(self.app.extra.get("boot_time", time.time()))),
            "product_version": env.product_version,
        }

    @action
    def status(self) -> dict[str, Any]:
        return {
            "product": self.product(),
            "status_msg": "Firmware status requires to check for update first to provide more information.",
            "status": "none",
        }

    @action
    def info(self) -> dict[str, Any]:
        plugins = [{"name": p, "installed": "1", "provided": "1", "version": "5.1", "comment": p} for p in self.env.plugins]
        return {"product_version": self.env.product_version, "product_name": "OPNsense", "package": plugins, "plugin": plugins, "changelog": []}


class SystemController(Controller):
    namespace = "Diagnostics"
    name = "System"

    @action
    def systemInformation(self) -> dict[str, Any]:
        env = self.env
        return {
            "name": env.fqdn,
            "versions": [f"OPNsense {env.product_version}-{env.arch}", "FreeBSD 14.3-RELEASE-p4", "OpenSSL 3.0.17 1 Jul 2025"],
            "updates": "Click to check for updates.",
        }


CONTROLLERS = [FirmwareController, SystemController]
