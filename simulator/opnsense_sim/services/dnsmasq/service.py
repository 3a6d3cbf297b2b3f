"""The Dnsmasq service, /api/dnsmasq/service/ (Dnsmasq/Api/ServiceController.php, core 26.7.2).

`reconfigure` is ApiMutableServiceControllerBase::reconfigureAction(): dnsmasq is stopped when
disabled, the filter is reloaded first (`invokeFirewallReload()` is true: DHCP opens its own
rules), no template is named (the legacy plugin renders it on start) and the service is started
or reloaded; the answer is {"status": "ok"}. In the simulator it makes the running configuration
of the `dnsmasq` subsystem match the saved one.
"""

from __future__ import annotations

from ...core.controller import ServiceController as BaseServiceController


class ServiceController(BaseServiceController):
    namespace = "Dnsmasq"
    name = "Service"
    subsystem = "dnsmasq"
    service_name = "dnsmasq"
    enabled_model = "dnsmasq"
    enabled_path = "enable"
