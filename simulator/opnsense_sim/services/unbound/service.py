"""The Unbound service, /api/unbound/service/ (ServiceController.php; interfaces-and-services.md 4, generic.md 9).

`reconfigure` stops and starts the resolver (restart is forced for Unbound); in the simulator it
makes the running configuration of the `unbound` subsystem match the saved one.
"""

from __future__ import annotations

from typing import Any

from ...app import action
from ...core.controller import ServiceController as BaseServiceController


class ServiceController(BaseServiceController):
    namespace = "Unbound"
    name = "Service"
    subsystem = "unbound"
    service_name = "unbound"
    enabled_model = "unbound"
    enabled_path = "general.enabled"

    @action
    def reconfigure(self) -> dict[str, Any]:
        return super().reconfigure()

    @action
    def reconfigureGeneral(self) -> dict[str, Any]:
        """The general page's variant: dns reload, reconfigure, dhcpd restart; same answer."""
        return super().reconfigure()

    @action
    def dnsbl(self) -> dict[str, Any]:
        """configd `unbound dnsbl`, passed through untrimmed."""
        if not self.req.is_post:
            return {"status": "failed"}
        return {"status": "OK\n\n"}

    @action
    def status(self) -> dict[str, Any]:
        return super().status()

    @action
    def start(self) -> dict[str, Any]:
        return super().start()

    @action
    def stop(self) -> dict[str, Any]:
        return super().stop()

    @action
    def restart(self) -> dict[str, Any]:
        return super().restart()
