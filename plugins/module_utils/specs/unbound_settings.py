# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type unbound_settings: Unbound's general settings, one per firewall
(opnsense-api/interfaces-and-services.md 4; simulator/opnsense_sim/services/unbound/README.md).

A settings type (``ResourceSpec.settings``): the node ``unbound.general`` of the whole model, read
with ``unbound/settings/get`` and written with ``unbound/settings/set`` (the whole-model actions
SettingsController.php inherits from ApiMutableModelControllerBase). It has no identity: any
resource name matches the one object. Fields, defaults and messages: core
models/OPNsense/Unbound/Unbound.xml ``general`` (26.7.2, the same in 26.1.11);
UnboundInterfaceField offers the interfaces that are not virtual (the firewall's list, as an
InterfaceField's). Unbound.php's performValidation refuses a port another running service uses
for DNS: only the firewall knows that, so OPNsense reports it.
"""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    SETTINGS_COMMANDS,
    ResourceSpec,
    boolean,
    integer,
    multi,
    option,
    text,
)

# Unbound.xml's domain mask, case-insensitive (/i).
DOMAIN_PATTERN = (
    r"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$"
)

SPEC = ResourceSpec(
    type="unbound_settings",
    module="unbound",
    controller="settings",
    key="unbound.general",
    identity=(),
    settings=True,
    display="unbound",
    summary="Manage OPNsense Unbound DNS general settings",
    description=(
        "Update the general settings of the Unbound DNS resolver: whether it runs, its port and "
        "interfaces, DNSSEC, DNS64, the registration of DHCP names and the local zone type.",
        "By default the change is applied at once (C(unbound/service/reconfigure)); with O(reload=false) "
        "it is only saved, and M(opnform.opnsense.reload) with subsystem V(unbound) applies it later.",
    ),
    notes=(
        "OPNsense refuses a O(port) another running service (for example Dnsmasq) uses for DNS, with "
        "C(<service> is currently using this port.).",
    ),
    commands=SETTINGS_COMMANDS,
    reload="unbound",
    fields=(
        boolean("enabled", False, "Run the Unbound DNS resolver."),
        integer(
            "port",
            "Port Unbound listens on (1-65535).",
            default=53,
            ftype="PortField",
            xml=(("EnableWellKnown", "N"), ("EnableRanges", "N"), ("EnableAlias", "N")),
            message="Please specify a valid port number (1-65535).",
        ),
        boolean("stats", False, "Collect statistics."),
        multi(
            "active_interface",
            (),
            None,
            "Interface keys Unbound listens on (for example V(lan)); empty for all.",
            ftype="InterfaceField",
        ),
        boolean("dnssec", False, "Validate DNSSEC."),
        boolean("dns64", False, "Synthesise AAAA records for IPv4-only hosts (DNS64)."),
        text(
            "dns64prefix",
            "DNS64 prefix in CIDR notation; empty for V(64:ff9b::/96).",
            ftype="NetworkField",
            xml=(("NetMaskRequired", "Y"), ("AddressFamily", "ipv6")),
        ),
        boolean("noarecords", False, "Answer no A records (IPv6-only network)."),
        boolean("regdhcp", False, "Register the names of DHCP leases (ISC DHCPv4) in DNS."),
        text(
            "regdhcpdomain",
            "Domain of the DHCP lease names; empty for the system domain.",
            pattern=DOMAIN_PATTERN,
            message="A valid domain must be specified.",
        ),
        boolean("regdhcpstatic", False, "Register DHCP static mappings in DNS."),
        boolean("noreglladdr6", False, "Do not register the IPv6 link-local addresses of the system."),
        boolean("noregrecords", False, "Do not register the system's own name and addresses."),
        boolean("txtsupport", False, "Add TXT records with the description of host overrides."),
        boolean("cacheflush", False, "Flush the DNS cache when Unbound is reloaded."),
        boolean("safesearch", False, "Force SafeSearch on the big search engines."),
        option(
            "local_zone_type",
            (
                "transparent",
                "always_nxdomain",
                "always_refuse",
                "always_transparent",
                "deny",
                "inform",
                "inform_deny",
                "nodefault",
                "refuse",
                "static",
                "typetransparent",
            ),
            "transparent",
            "Type of the local zone (how names under the system domain that are not registered are answered).",
        ),
        multi(
            "outgoing_interface",
            (),
            None,
            "Interface keys Unbound sends its queries from; empty for all.",
            ftype="InterfaceField",
        ),
        boolean(
            "enable_wpad", False, "Answer WPAD / WSPAD queries with the system's address (proxy auto-configuration)."
        ),
    ),
)
