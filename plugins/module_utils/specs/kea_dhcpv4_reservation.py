# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type kea_dhcpv4_reservation: Kea DHCPv4 reservations (core 26.7.2
models/OPNsense/Kea/KeaDhcpv4.xml ``reservations.reservation``, KeaDhcpv4.php,
controllers/OPNsense/Kea/Api/Dhcpv4Controller.php; simulator/opnsense_sim/services/kea/README.md)."""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    Unique,
    ref,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs._kea import (
    DESCRIPTION_TAIL,
    adapt_payload,
    adapt_row,
    option_data,
    options_field,
)

NOT_IN_SUBNET = "Address not in specified subnet"


def _in_subnet(ip: str, cidr: str) -> bool:
    """``Firewall\\Util::isIPInCIDR()``: an IPv4 address inside the (IPv4) network."""
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """KeaDhcpv4::performValidation() for one reservation (core models/OPNsense/Kea/KeaDhcpv4.php).

    The user names the subnet by its CIDR, so the address check needs no firewall facts; a name
    that is no subnet is the reference check's to report."""
    out: List[Tuple[str, str]] = []
    ip = str(values.get("ip_address") or "")
    subnet = str(values.get("subnet") or "")
    if not ip or ("/" in subnet and not _in_subnet(ip, subnet)):
        out.append(("ip_address", NOT_IN_SUBNET))
    client_id, hw_address = values.get("client_id"), values.get("hw_address")
    if client_id not in (None, "") and hw_address not in (None, ""):
        out.append(("hw_address", "Either a client ID or a MAC address should be specified, but not both"))
    elif client_id in (None, "") and hw_address in (None, ""):
        out.append(("hw_address", "Either a client ID or a MAC address should be specified."))
    return out


SPEC = ResourceSpec(
    type="kea_dhcpv4_reservation",
    module="kea",
    controller="dhcpv4",
    key="reservation",
    # OPNsense keeps the address unique over all reservations (UniqueConstraint) and requires it in
    # effect (performValidation: an empty address is not in the subnet); a MAC address is unique only
    # per subnet and may be replaced by a client id.
    identity=("ip_address",),
    display="{ip_address}",
    summary="Manage OPNsense Kea DHCPv4 reservations",
    description=(
        "Create, update or delete a Kea DHCPv4 reservation: a fixed address for a client, known by its MAC "
        "address or its client id, in one subnet.",
        "The reservation is identified by its address O(ip_address); O(subnet) names its subnet by network "
        "(M(opnform.opnsense.kea_dhcpv4_subnet)).",
        DESCRIPTION_TAIL,
    ),
    notes=("Kea has no enable switch per reservation; delete a reservation to remove it.",),
    commands=Commands(
        search="searchReservation",
        get="getReservation",
        add="addReservation",
        set="setReservation",
        delete="delReservation",
        toggle=None,
    ),
    reload="kea",
    fields=(
        ref(
            "subnet",
            "kea_dhcpv4_subnet",
            "The subnet, by its network (for example V(192.168.1.0/24)).",
            required=True,
            message="Related subnet not found.",
        ),
        text(
            "ip_address",
            "The reserved IPv4 address, inside the subnet. The identity.",
            required=True,
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"), ("AddressFamily", "ipv4")),
        ),
        text("hw_address", "MAC address of the client; either this or O(client_id).", ftype="MacAddressField"),
        text(
            "client_id",
            "DHCP client identifier, colon-separated hexadecimal (V(01:02:f3)); either this or O(hw_address).",
            pattern=r"^(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)$",
            message="Value must be a colon-separated hexadecimal sequence (e.g., 01:02:f3).",
        ),
        text("hostname", "Host name handed to the client.", ftype="HostnameField", xml=(("IsDNSName", "Y"),)),
        text("description", "Free text description.", ftype="DescriptionField"),
        text(
            "next_server",
            "Next server (TFTP boot server) address for this client.",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"), ("AddressFamily", "ipv4")),
        ),
    )
    + option_data(subnet=False)
    + (options_field(),),
    unique=(
        Unique(("ip_address",), "Duplicate entry exists."),
        Unique(("hw_address", "subnet"), "Duplicate entry exists."),
        Unique(("client_id", "subnet"), "Duplicate entry exists."),
    ),
    hooks=Hooks(validate=validate, adapt_row=adapt_row, adapt_payload=adapt_payload),
)
