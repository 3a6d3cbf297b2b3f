# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type dnsmasq_host: Dnsmasq host overrides and DHCP reservations (core 26.7.2
models/OPNsense/Dnsmasq/Dnsmasq.xml ``hosts``, Dnsmasq.php, controllers/OPNsense/Dnsmasq/Api/SettingsController.php;
simulator/opnsense_sim/services/dnsmasq/README.md)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    boolean,
    integer,
    multi,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs._dnsmasq import (
    DESCRIPTION_TAIL,
    given,
    items,
    set_tag,
)

DOMAIN = (("IsDomain", "Y"),)
DOMAIN_LIST = (("IsDomain", "Y"), ("AsList", "Y"))
BOTH_MESSAGE = "Both hostname and IP address are required for host overrides."
EITHER_MESSAGE = "At least a hostname or IP address must be provided for DHCP reservations."


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Dnsmasq::performValidation() for one host, the checks that need no other host: a host with a
    MAC address or client id is a DHCP reservation, any other a host override."""
    out: List[Tuple[str, str]] = []
    ips = items(values.get("ip"))
    host = values.get("host") or ""
    if given(values.get("hwaddr")) or given(values.get("client_id")):
        if sum(1 for ip in ips if ":" not in ip) > 1:
            out.append(("ip", "For IPv4 dhcp reservations, only a single address is allowed."))
        if not given(host) and not ips:
            out.extend([("host", EITHER_MESSAGE), ("ip", EITHER_MESSAGE)])
        if host == "*":
            out.append(("host", "Wildcard entries are not allowed for DHCP reservations."))
    elif not given(host) or not ips:
        out.extend([("host", BOTH_MESSAGE), ("ip", BOTH_MESSAGE)])
    fqdn = "%s.%s" % (host, values["domain"]) if given(values.get("domain")) else host
    for cname in items(values.get("cnames")):
        if given(host) and cname == fqdn:
            out.append(("cnames", "CNAME '%s' overlaps with a host and domain combination in a host override." % cname))
    return out


SPEC = ResourceSpec(
    type="dnsmasq_host",
    module="dnsmasq",
    controller="settings",
    key="host",
    identity=("host", "domain"),
    display="{host}.{domain}",
    summary="Manage OPNsense Dnsmasq hosts (host overrides and DHCP reservations)",
    description=(
        "Create, update or delete a Dnsmasq host: a DNS host override (O(host) and O(ip)) or, with a MAC address "
        "O(hwaddr) or a client id O(client_id), a DHCP reservation.",
        "The host is identified by O(host) and O(domain) together, the name it answers to.",
        DESCRIPTION_TAIL,
    ),
    notes=(
        "Dnsmasq has no enable switch per host; delete a host to remove it.",
        "OPNsense also checks what concerns other hosts when it saves (an address of a DHCP reservation used "
        "by another reservation, a CNAME used twice); those errors come from OPNsense.",
    ),
    commands=Commands(
        search="searchHost",
        get="getHost",
        add="addHost",
        set="setHost",
        delete="delHost",
        toggle=None,
    ),
    reload="dnsmasq",
    fields=(
        text(
            "host",
            "Host name without the domain (one label), V(*) for a wildcard override. Part of the identity.",
            ftype="DnsmasqHostnameField",
            xml=(("IsWildcardAllowed", "Y"),),
        ),
        text(
            "domain",
            "Domain of the host, for example V(lan.example.com). Part of the identity.",
            ftype="DnsmasqHostnameField",
            xml=DOMAIN,
        ),
        boolean("local", False, "Answer for this domain only from local data (Dnsmasq C(local=/domain/))."),
        multi(
            "ip",
            doc="IP addresses the name resolves to; a DHCP reservation takes one IPv4 address (and partial IPv6 "
            "addresses such as V(::10)).",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"), ("AsList", "Y")),
        ),
        multi("cnames", doc="Other names (CNAME records) of this host.", ftype="DnsmasqHostnameField", xml=DOMAIN_LIST),
        text(
            "client_id",
            "DHCP client identifier, colon-separated hexadecimal (V(01:02:f3)), or V(*) to ignore the client id.",
            pattern=r"^(?:\*|(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+))$",
            message='Value must be a colon-separated hexadecimal sequence (e.g., 01:02:f3) or "*".',
        ),
        multi("hwaddr", doc="MAC addresses of the DHCP client.", ftype="MacAddressField", xml=(("AsList", "Y"),)),
        integer("lease_time", "Lease time in seconds for this reservation; empty uses the range's."),
        boolean("ignore", False, "Ignore DHCP requests of this client."),
        set_tag("this host"),
        text("descr", "Free text description.", name="description"),
        text("comments", "Comments."),
        multi("aliases", doc="Further host names (FQDNs) of this host.", ftype="DnsmasqHostnameField", xml=DOMAIN_LIST),
    ),
    hooks=Hooks(validate=validate),
)
