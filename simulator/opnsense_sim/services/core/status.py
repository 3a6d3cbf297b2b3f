"""Core status endpoints: firmware status and info, core system status (interfaces-and-services.md 7).

`GET /api/core/firmware/status` only reads the cached result of the last update check; a POST first
runs that check (synchronously upstream, instantly here) and then answers with its result.
"""

from __future__ import annotations

import time
from typing import Any

from ...app import action
from ...core.controller import Controller
from . import product
from .diagnostics import SystemController as DiagnosticsSystemController


class FirmwareController(Controller):
    namespace = "Core"
    name = "Firmware"

    def _product(self) -> dict[str, Any]:
        return product.product(self.env, self.app.extra.get("firmware_check"))

    @action
    def status(self) -> dict[str, Any]:
        if self.req.is_post:
            self.app.extra["firmware_check"] = product.check_result(self.env, time.time())
        prod = self._product()
        check = prod["product_check"]
        if check is None:
            return {
                "product": prod,
                "status_msg": "Firmware status requires to check for update first to provide more information.",
                "status": "none",
            }
        response = dict(check)
        response["product"] = prod
        response["all_packages"] = []
        response["all_sets"] = []
        response["status_msg"] = "There are no updates available on the selected mirror."
        response["status"] = "none"
        return response

    @action
    def info(self) -> dict[str, Any]:
        """Installed and available packages and plugins (`plugin` rows carry `installed` "1"/"0")."""
        version = self.env.product_version
        installed = set(self.env.plugins)
        packages = [
            product.package("opnsense", version, "OPNsense community release", "opnsense/opnsense", True, False)
        ]
        plugins = []
        for name in sorted(set(product.PLUGINS) | installed, key=str.lower):
            pversion, comment, origin, tier = product.PLUGINS.get(name, ("1.0", "", f"misc/{name[3:]}", "4"))
            row = product.package(name, pversion, comment, origin, name in installed, name in installed)
            packages.append(row)
            plugins.append({**row, "tier": tier})
        packages.sort(key=lambda p: p["name"].lower())
        # Installed plugins first, then the rest, each by name (FirmwareController::infoAction()).
        plugins.sort(key=lambda p: ("0" if p["installed"] == "1" else "1") + p["name"].lower())
        return {
            "product_id": "opnsense",
            "product_version": version,
            "package": packages,
            "plugin": plugins,
            "changelog": [],
            "product": self._product(),
        }

    @action
    def running(self) -> dict[str, Any]:
        return {"status": "ready"}


class SystemController(Controller):
    """/api/core/system/: the notification summary of the top bar."""

    namespace = "Core"
    name = "System"

    @action
    def status(self) -> dict[str, Any]:
        """A healthy box reports no subsystem problems, so only the metadata block is returned."""
        return {
            "metadata": {
                "system": {"status": 2, "message": "No pending messages", "title": "System"},
                "translations": {"dialogTitle": "System Status", "dialogCloseButton": "Close"},
                "subsystems": [],
            }
        }

    @action
    def dismissStatus(self) -> dict[str, Any]:
        return {"status": "failed"}


CONTROLLERS = [FirmwareController, SystemController, DiagnosticsSystemController]
