"""The Dnsmasq service, /api/dnsmasq/service/ (Dnsmasq/Api/ServiceController.php, core 26.7.2).

`reconfigure` is ApiMutableServiceControllerBase::reconfigureAction(): dnsmasq is stopped when
disabled, the filter is reloaded first (`invokeFirewallReload()` is true: DHCP opens its own
rules), no template is named (the legacy plugin renders it on start) and the service is started
or reloaded; the answer is {"status": "ok"}. In the simulator it makes the running configuration
of the `filter` and then the `dnsmasq` subsystem match the saved one: pending filter rule changes
go live with a Dnsmasq reconfigure, as they do upstream.
"""

from __future__ import annotations

from typing import Any

from ...app import action
from ...core.controller import ServiceController as BaseServiceController


class ServiceController(BaseServiceController):
    namespace = "Dnsmasq"
    name = "Service"
    subsystem = "dnsmasq"
    service_name = "dnsmasq"
    enabled_model = "dnsmasq"
    enabled_path = "enable"

    @action
    def reconfigure(self) -> dict[str, Any]:
        if self.req.is_post:
            self.app.reload("filter")  # configd `filter reload skip_alias`
        return self.reconfigure_base(self.subsystem)
