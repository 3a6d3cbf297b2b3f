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
    def reconfigureGeneral(self) -> dict[str, Any]:
        """The general page's variant: dns reload, reconfigure, dhcpd restart; same answer."""
        return self.reconfigure_base(self.subsystem)

    @action
    def dnsbl(self) -> dict[str, Any]:
        """configd `unbound dnsbl`, passed through untrimmed."""
        if not self.req.is_post:
            return {"status": "failed"}
        return {"status": "OK\n\n"}
