# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type kea_dhcpv4_subnet: Kea DHCPv4 subnets (core 26.7.2 models/OPNsense/Kea/KeaDhcpv4.xml
``subnets.subnet4``, controllers/OPNsense/Kea/Api/Dhcpv4Controller.php;
simulator/opnsense_sim/services/kea/README.md)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    Unique,
    boolean,
    integer,
    lines,
    option,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs._kea import (
    DESCRIPTION_TAIL,
    adapt_payload,
    adapt_row,
    option_data,
    options_field,
)

FORWARD = "Forward zone and DNS server must either both be set or left empty."
TSIG = "TSIG name and secret must either both be set or left empty."
# DependConstraints (Base/Constraints/DependConstraint.php): an empty field fails when the field it
# names is set. (field, the field it names, message)
DEPENDS = (
    ("ddns_forward_zone", "ddns_dns_server", FORWARD),
    ("ddns_dns_server", "ddns_forward_zone", FORWARD),
    ("ddns_domain_key_name", "ddns_domain_key_secret", TSIG),
    ("ddns_domain_key_secret", "ddns_domain_key_name", TSIG),
    ("ddns_domain_key_algorithm", "ddns_domain_key_secret", "An algorithm is required if a TSIG secret is set."),
)


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """The subnet's DependConstraints (KeaDhcpv4.php's performValidation() checks reservations only)."""
    out = []
    for field, other, message in DEPENDS:
        if values.get(field) in (None, "") and values.get(other) not in (None, ""):
            out.append((field, message))
    return out


SPEC = ResourceSpec(
    type="kea_dhcpv4_subnet",
    module="kea",
    controller="dhcpv4",
    key="subnet4",
    # A subnet is what a user knows it by, and OPNsense keeps it unique (UniqueConstraint "Subnet must
    # be unique."); the numeric subnet_id is Kea's internal key, numbered by OPNsense. The CSV import
    # of reservations finds their subnet by this CIDR too (Dhcpv4Controller::uploadReservationsAction()).
    identity=("subnet",),
    display="{subnet}",
    summary="Manage OPNsense Kea DHCPv4 subnets",
    description=(
        "Create, update or delete a Kea DHCPv4 subnet: its address pools and the DHCP options handed out in it.",
        "The subnet is identified by its network O(subnet) (for example V(192.168.1.0/24)); reservations "
        "(M(opnform.opnsense.kea_dhcpv4_reservation)) name it the same way.",
        DESCRIPTION_TAIL,
    ),
    notes=(
        "Kea has no enable switch per subnet; delete a subnet to remove it. OPNsense refuses to delete a subnet "
        "that reservations still use.",
        "With O(option_data_autocollect) on, saving Kea's general settings in OPNsense replaces O(routers), "
        "O(domain_name_servers) and O(ntp_servers) with the firewall's address in the subnet; keep it off to "
        "manage those options here.",
    ),
    commands=Commands(
        search="searchSubnet",
        get="getSubnet",
        add="addSubnet",
        set="setSubnet",
        delete="delSubnet",
        toggle=None,
    ),
    reload="kea",
    fields=(
        integer(
            "subnet_id",
            "Kea's numeric subnet id, unique; OPNsense numbers a new subnet from 1 when it is not given. "
            "OPNsense 26.7 and later (26.1 has no such field).",
            minimum=1,
            maximum=4294967294,
            auto=True,
            ftype="AutoNumberField",
        ),
        text(
            "subnet",
            "The IPv4 network, for example V(192.168.1.0/24). The identity.",
            required=True,
            ftype="NetworkField",
            xml=(("NetMaskRequired", "Y"), ("AddressFamily", "ipv4")),
        ),
        integer("valid_lifetime", "Lease lifetime in seconds; empty uses the general setting.", minimum=0),
        text(
            "next_server",
            "Next server (TFTP boot server) address.",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"), ("AddressFamily", "ipv4")),
        ),
        boolean(
            "option_data_autocollect",
            True,
            "Let OPNsense fill routers, DNS and NTP servers from the firewall's address in this subnet.",
        ),
    )
    + option_data(subnet=True)
    + (
        options_field(),
        boolean("match-client-id", True, "Identify clients by their client id when they send one."),
        option("allocator", ("iterative", "random", "flq"), None, "Address allocator; empty is Kea's default."),
        lines(
            "pools",
            "Address pools, one per entry: a range V(192.168.1.100 - 192.168.1.199) or a network.",
            ftype="KeaPoolsField",
        ),
        text(
            "ddns_forward_zone",
            "Dynamic DNS forward zone; needs O(ddns_dns_server).",
            ftype="HostnameField",
            xml=(("IpAllowed", "N"),),
        ),
        text("ddns_reverse_zone", "Dynamic DNS reverse zone.", ftype="HostnameField", xml=(("IpAllowed", "N"),)),
        text("ddns_qualifying_suffix", "Suffix that makes client names fully qualified.", ftype="HostnameField"),
        text(
            "ddns_dns_server",
            "DNS server that receives the updates; needs O(ddns_forward_zone).",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"),),
        ),
        text(
            "ddns_dns_port",
            "Port of that DNS server.",
            ftype="PortField",
            xml=(("EnableWellKnown", "N"), ("EnableRanges", "N"), ("EnableAlias", "N")),
        ),
        text("ddns_domain_key_name", "TSIG key name; needs O(ddns_domain_key_secret)."),
        text(
            "ddns_domain_key_secret",
            "TSIG key secret, base64-encoded; needs O(ddns_domain_key_name) and O(ddns_domain_key_algorithm).",
            ftype="Base64Field",
            sensitive=True,
        ),
        option(
            "ddns_domain_key_algorithm",
            ("hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"),
            None,
            "TSIG algorithm.",
        ),
        boolean("ddns_override_no_update", False, "Update DNS even when the client asks not to."),
        boolean("ddns_override_client_update", False, "Update DNS even when the client updates it itself."),
        boolean("ddns_update_on_renew", False, "Update DNS on every lease renewal."),
        option(
            "ddns_conflict_resolution_mode",
            ("no-check-with-dhcid", "check-exists-with-dhcid", "no-check-without-dhcid"),
            None,
            "DNS conflict resolution; empty is check-with-dhcid.",
        ),
        text("description", "Free text description.", ftype="DescriptionField"),
    ),
    unique=(Unique(("subnet_id",), "Subnet ID must be unique."), Unique(("subnet",), "Subnet must be unique.")),
    hooks=Hooks(validate=validate, adapt_row=adapt_row, adapt_payload=adapt_payload),
)
