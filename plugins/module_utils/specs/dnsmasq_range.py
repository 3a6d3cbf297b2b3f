# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type dnsmasq_range: Dnsmasq DHCP ranges (core 26.7.2 models/OPNsense/Dnsmasq/Dnsmasq.xml
``dhcp_ranges``, Dnsmasq.php, controllers/OPNsense/Dnsmasq/Api/SettingsController.php;
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
    option,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs._dnsmasq import (
    DESCRIPTION_TAIL,
    given,
    items,
    set_tag,
)

RA_MODES = ("ra-only", "slaac", "ra-names", "ra-stateless", "ra-advrouter", "off-link")
RA_COMBINATIONS = (
    {"ra-names", "slaac"},
    {"ra-names", "ra-stateless"},
    {"slaac", "ra-stateless"},
    {"ra-names", "slaac", "ra-stateless"},
)
PARTIAL = "A constructor expects a partial address (e.g. ::1)."
STATIC = "Static only accepts a starting address."


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Dnsmasq::performValidation() for one range (core models/OPNsense/Dnsmasq/Dnsmasq.php), in its
    order; whether another range uses the domain with the other type is OPNsense's to say."""
    out: List[Tuple[str, str]] = []
    start = str(values.get("start_addr") or "")
    end = str(values.get("end_addr") or "")
    start_inet = "inet6" if ":" in start else "inet"
    end_inet = "inet6" if ":" in end else "inet"
    domain_type = values.get("domain_type") or "range"
    if given(values.get("domain")):
        if domain_type == "range" and not end:
            out.append(
                (
                    "end_addr",
                    "Can only configure a domain of type 'Range' when a full range (including end) is specified.",
                )
            )
        if domain_type == "interface" and not given(values.get("interface")):
            out.append(("interface", "A domain of type 'Interface' requires an interface to be selected."))
    if start_inet != end_inet and end:
        out.append(("end_addr", "Protocol family doesn't match."))
    if given(values.get("constructor")):
        if start_inet == "inet":
            out.append(("constructor", "A constructor can only be configured for ipv6."))
        if not start.startswith("::"):
            out.append(("start_addr", PARTIAL))
        if end and not end.startswith("::"):
            out.append(("end_addr", PARTIAL))
    prefix_len = values.get("prefix_len")
    if given(prefix_len) and start_inet != "inet6":
        out.append(("prefix_len", "Prefix length can only be used for IPv6."))
    static = "static" in items(values.get("mode"))
    if end and static:
        out.append(("end_addr", STATIC))
    elif not end and not static and start_inet == "inet":
        out.append(("end_addr", "End address may only be left empty for static ipv4 ranges."))
    if given(values.get("subnet_mask")) and static:
        out.append(("subnet_mask", STATIC))
    ra_modes = items(values.get("ra_mode"))
    if not given(values.get("interface")) and ra_modes:
        out.append(("interface", "Selecting an RA Mode requires an interface."))
    if ra_modes and given(prefix_len) and _number(prefix_len) < 64:
        out.append(("prefix_len", "Prefix length must be at least 64 when router advertisements are used."))
    if len(ra_modes) > 1 and set(ra_modes) not in RA_COMBINATIONS:
        out.append(("ra_mode", "Invalid RA mode combination."))
    return out


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


INTERFACE_DOC = "Interface key (V(lan), V(opt1), ...) the range serves; empty for any interface."

SPEC = ResourceSpec(
    type="dnsmasq_range",
    module="dnsmasq",
    controller="settings",
    key="range",
    # The start address places a range; a partial IPv6 start (::10) is only whole with the
    # interface it is constructed from, so the constructor belongs to the identity too.
    identity=("start_addr", "constructor"),
    display="{start_addr}",
    summary="Manage OPNsense Dnsmasq DHCP ranges",
    description=(
        "Create, update or delete a Dnsmasq DHCP range: an IPv4 range, a static IPv4 network, or an IPv6 range "
        "(optionally constructed from an interface's prefix) with its router advertisement settings.",
        "The range is identified by its start address O(start_addr) together with O(constructor).",
        DESCRIPTION_TAIL,
    ),
    notes=("Dnsmasq has no enable switch per range; delete a range to remove it.",),
    commands=Commands(
        search="searchRange",
        get="getRange",
        add="addRange",
        set="setRange",
        delete="delRange",
        toggle=None,
    ),
    reload="dnsmasq",
    fields=(
        option("interface", (), None, INTERFACE_DOC, ftype="InterfaceField"),
        set_tag("clients of this range"),
        text(
            "start_addr",
            "First address of the range; a partial IPv6 address (V(::10)) with O(constructor). Part of the identity.",
            required=True,
            ftype="RangeAddressField",
            xml=(("NetMaskAllowed", "N"),),
        ),
        text(
            "end_addr",
            "Last address of the range; empty only for a V(static) IPv4 range or an IPv6 range.",
            ftype="RangeAddressField",
            xml=(("NetMaskAllowed", "N"),),
        ),
        text(
            "subnet_mask",
            "Subnet mask handed out, for example V(255.255.255.0); empty derives it from the interface.",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"), ("AddressFamily", "ipv4")),
            message="Please enter a valid IPv4 subnet mask like 255.255.255.0.",
        ),
        option(
            "constructor",
            (),
            None,
            "Interface whose IPv6 prefix completes partial addresses. Part of the identity.",
            ftype="InterfaceField",
        ),
        multi("mode", ("static",), doc="V(static): only clients with a reservation get an address."),
        integer("prefix_len", "IPv6 prefix length handed out (1 to 64).", minimum=1, maximum=64),
        integer("lease_time", "Lease time in seconds; empty uses Dnsmasq's default."),
        option(
            "domain_type",
            ("interface", "range"),
            "range",
            "Whether O(domain) applies to this range's addresses or to the whole interface.",
        ),
        text(
            "domain",
            "Domain handed to the clients of this range.",
            ftype="HostnameField",
            xml=(("IsDNSName", "Y"), ("IpAllowed", "N")),
        ),
        boolean("nosync", False, "Do not synchronise this range to a HA peer."),
        multi("ra_mode", RA_MODES, doc="Router advertisement modes (IPv6); needs O(interface)."),
        option("ra_priority", ("high", "low"), None, "Router advertisement priority; empty is normal."),
        integer("ra_mtu", "MTU announced in router advertisements."),
        integer("ra_interval", "Interval between router advertisements, in seconds."),
        integer("ra_router_lifetime", "Router lifetime announced in router advertisements, in seconds."),
        text("description", "Free text description.", ftype="DescriptionField"),
    ),
    hooks=Hooks(validate=validate),
)
