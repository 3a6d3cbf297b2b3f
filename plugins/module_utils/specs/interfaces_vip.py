# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type interfaces_vip: virtual IPs, IP alias, CARP and Proxy ARP (core
models/OPNsense/Interfaces/Vip.xml and Vip.php, FieldTypes/VipNetworkField.php,
controllers/OPNsense/Interfaces/Api/VipSettingsController.php; the simulator's
services/interfaces/devices.md)."""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._php import ctype_digit, filter_ip
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    boolean,
    integer,
    option,
    text,
)

SAME_FAMILY = "An (unicast) address can only be configured for the same protocol family."


def adapt_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """Search rows carry ``subnet`` and ``subnet_bits``; the API's ``network`` joins them as getItem does."""
    if "network" not in row and "subnet" in row:
        subnet = str(row.get("subnet") or "")
        row["network"] = "%s/%s" % (subnet, row.get("subnet_bits") or "") if subnet else ""
    return row


def _split(network: str) -> Tuple[str, str]:
    parts = network.split("/", 1)
    return parts[0], parts[1] if len(parts) == 2 else ""


def _is_subnet(subnet: str, bits: str) -> bool:
    """Firewall\\Util::isSubnet()."""
    return filter_ip(subnet) and ctype_digit(bits) and int(bits) <= (128 if ":" in subnet else 32)


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """VipNetworkField's callback and the parts of Vip::performValidation() that need no other VIP
    (VHID uniqueness and CARP groups are OPNsense's to judge)."""
    out: List[Tuple[str, str]] = []
    network = str(values.get("network") or "")
    subnet, bits = _split(network)
    mode = str(values.get("mode") or "ipalias")
    if not subnet or not filter_ip(subnet):
        out.append(("network", "A valid network address is required."))
    elif not bits or not _is_subnet(subnet, bits):
        out.append(("network", "A valid network subnet is required."))
    elif mode in ("carp", "ipalias") and ":" not in subnet and int(bits) <= 30:
        net = ipaddress.ip_network("%s/%s" % (subnet, bits), strict=False)
        if subnet == str(net.network_address):
            out.append(("network", "You cannot use the network address."))
        elif subnet == str(net.broadcast_address):
            out.append(("network", "You cannot use the broadcast address."))
    elif (
        mode == "proxyarp"
        and str(ipaddress.ip_network("%s/%s" % (subnet, bits), strict=False).network_address) != subnet
    ):
        out.append(
            ("network", "Only strict subnets are allowed for Proxy ARP types (e.g. 192.168.0.0/24, 192.168.1.1/32).")
        )
    if mode == "carp":
        if str(values.get("password") or "") in ("", "0"):
            out.append(("password", "You must specify a CARP password that is shared between the two VHID members."))
        if str(values.get("vhid") or "") in ("", "0"):
            out.append(("vhid", "A VHID must be selected for this CARP VIP."))
        if ":" not in subnet and str(values.get("peer6") or "") not in ("", "0"):
            out.append(("peer6", SAME_FAMILY))
        elif ":" in subnet and str(values.get("peer") or "") not in ("", "0"):
            out.append(("peer", SAME_FAMILY))
    return out


SPEC = ResourceSpec(
    type="interfaces_vip",
    module="interfaces",
    controller="vip_settings",
    key="vip",
    identity=("network",),
    display="{network}",
    summary="Manage OPNsense virtual IPs (IP alias, CARP, Proxy ARP)",
    description=(
        "Create, update or delete a virtual IP address: an IP alias, a CARP address shared with a "
        "high-availability peer, or a Proxy ARP address.",
        "The virtual IP is identified by its address with prefix length, O(network) (for example V(192.168.1.10/24)).",
        "By default the change is applied at once (C(interfaces/vip_settings/reconfigure)); with "
        "O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(vips) applies it later.",
    ),
    notes=(
        "A CARP virtual IP needs O(password) and O(vhid); an IP alias with a O(vhid) joins the CARP group "
        "of that VHID on the same interface, which must exist first.",
        "OPNsense refuses to delete a CARP virtual IP while an IP alias uses its VHID, and to change or "
        "delete an address that NAT rules use.",
        "O(password) is returned by OPNsense in plain text; the module never shows it.",
    ),
    commands=Commands(toggle=None),
    reload="vips",
    fields=(
        text(
            "network",
            "Address and prefix length, for example V(192.168.1.10/24) or V(2001:db8::10/64); the identity.",
            required=True,
        ),
        text(
            "interface",
            "Interface the address is on, for example V(lan), V(wan), V(opt1).",
            required=True,
            ftype="VipInterfaceField",
        ),
        option(
            "mode",
            ("ipalias", "carp", "proxyarp"),
            "ipalias",
            "Type of virtual IP: V(ipalias), V(carp) (shared with a peer) or V(proxyarp).",
        ),
        text(
            "gateway",
            "Gateway for an IP alias on interface types that need one (ppp, pppoe, tun); empty for all others.",
            ftype="NetworkField",
        ),
        boolean("noexpand", False, "Do not expand this network into its single addresses in NAT lists (Proxy ARP)."),
        boolean(
            "nobind",
            False,
            "Keep services assigned to the interface from binding to this address too.",
        ),
        text("password", "CARP password shared by the members of the VHID group.", sensitive=True),
        integer(
            "vhid",
            "CARP VHID group (1-255).",
            minimum=1,
            maximum=255,
            message="Invalid VHID number provided, Acceptable values for vhid are 1 to 255.",
        ),
        integer(
            "advbase",
            "CARP advertisement base in seconds (1-254).",
            minimum=1,
            maximum=254,
            default=1,
            message="Invalid advertisement interval, acceptable values are 1 to 255.",
        ),
        integer(
            "advskew",
            "CARP advertisement skew (0-254); the member with the lowest skew is master.",
            minimum=0,
            maximum=254,
            default=0,
            message="Invalid skew value, acceptable values are 0 to 255.",
        ),
        text(
            "peer",
            "CARP: send IPv4 advertisements to this unicast address instead of multicast.",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"), ("AddressFamily", "ipv4")),
        ),
        text(
            "peer6",
            "CARP: send IPv6 advertisements to this unicast address instead of multicast.",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"), ("AddressFamily", "ipv6")),
        ),
        boolean("nosync", False, "Leave this virtual IP out of HA synchronisation."),
        text("descr", "Free text description.", name="description", max_length=255, ftype="DescriptionField"),
    ),
    hooks=Hooks(validate=validate, adapt_row=adapt_row),
)
