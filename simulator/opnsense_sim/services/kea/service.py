"""The Kea service, /api/kea/service/ (Kea/Api/ServiceController.php, core 26.7.2).

ApiMutableServiceControllerBase::reconfigureAction() with template `OPNsense/Kea` and service
`kea`; the service counts as enabled when DHCPv4 or DHCPv6 is (`serviceEnabled()`; DHCPv6 is not
simulated). Answer {"status": "ok"}; the running configuration of the `kea` subsystem then
matches the saved one.
"""

from __future__ import annotations

from ...core.controller import ServiceController as BaseServiceController


class ServiceController(BaseServiceController):
    namespace = "Kea"
    name = "Service"
    subsystem = "kea"
    service_name = "kea"
    enabled_model = "dhcpv4"
    enabled_path = "general.enabled"
