# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Kea DHCPv4 types share (core 26.7.2 models/OPNsense/Kea/KeaDhcpv4.xml;
simulator/opnsense_sim/services/kea/README.md).

Subnets and reservations keep their DHCP options in a container, ``option_data``: OPNsense's
``get`` nests it, ``set`` takes it nested and 26.7's search rows name its leaves
``option_data.<leaf>``. The fields' API names are those dotted names; ``adapt_row`` flattens a
nested (get-shaped) row and ``adapt_payload`` nests the body of a write.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    FieldSpec,
    integer,
    multi,
    text,
)

CONTAINER = "option_data"
IPV4_LIST = (("NetMaskAllowed", "N"), ("AddressFamily", "ipv4"), ("AsList", "Y"))
NO_NEWLINE_OR_QUOTE = r'^([^\n"])*$'
DESCRIPTION_TAIL = (
    "By default the change is applied at once (C(kea/service/reconfigure)); with O(reload=false) it is only "
    "saved, and M(opnform.opnsense.reload) with subsystem V(kea) applies it later."
)


def _option(leaf: str, builder: Any, doc: str, **kw: Any) -> FieldSpec:
    return builder("%s.%s" % (CONTAINER, leaf), doc=doc, name=leaf, **kw)


def option_data(subnet: bool) -> Tuple[FieldSpec, ...]:
    """The ``option_data`` leaves; a subnet has two more (``v6_only_preferred``, ``v4_dnr``)."""
    fields = (
        _option(
            "domain_name_servers", multi, "DNS servers handed out (option 6).", ftype="NetworkField", xml=IPV4_LIST
        ),
        _option(
            "domain_search",
            multi,
            "Domain search list (option 119).",
            ftype="HostnameField",
            xml=(("IpAllowed", "N"), ("AsList", "Y")),
            message="Please specify a valid list of domains.",
        ),
        _option("routers", multi, "Default gateways handed out (option 3).", ftype="NetworkField", xml=IPV4_LIST),
        _option(
            "static_routes",
            text,
            "Static routes (option 33) as comma-separated V(destination,router) address pairs.",
            ftype="KeaStaticRoutesField",
        ),
        _option(
            "classless_static_route",
            text,
            "Classless static routes (option 121), comma-separated V(network/bits - router) entries.",
            ftype="KeaClasslessStaticRouteField",
        ),
        _option(
            "domain_name",
            text,
            "Domain name handed out (option 15); a subnet without one hands out the firewall's domain.",
            ftype="HostnameField",
            xml=(("IpAllowed", "N"),),
        ),
        _option("ntp_servers", multi, "NTP servers (option 42).", ftype="NetworkField", xml=IPV4_LIST),
        _option("time_servers", multi, "Time servers (option 4).", ftype="NetworkField", xml=IPV4_LIST),
        _option("tftp_server_name", text, "TFTP server name (option 66).", pattern=NO_NEWLINE_OR_QUOTE),
        _option("boot_file_name", text, "Boot file name (option 67).", pattern=NO_NEWLINE_OR_QUOTE),
    )
    if subnet:
        fields += (
            _option(
                "v6_only_preferred", integer, "IPv6-only preferred wait time in seconds (option 108).", minimum=300
            ),
            _option("v4_dnr", text, "Encrypted DNS resolvers (option 162).", pattern=NO_NEWLINE_OR_QUOTE),
        )
    return fields


def options_field() -> FieldSpec:
    return multi(
        "option",
        doc="UUIDs of Kea DHCPv4 custom options to hand out (custom options are not managed by this collection).",
        ftype="ModelRelationField",
    )


def adapt_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """A get-shaped row's nested ``option_data`` as dotted keys, as 26.7's search rows have them."""
    nested = row.pop(CONTAINER, None)
    if isinstance(nested, dict):
        for leaf, value in nested.items():
            row.setdefault("%s.%s" % (CONTAINER, leaf), value)
    return row


def adapt_payload(payload: Dict[str, Any], sample_row: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The dotted ``option_data.<leaf>`` keys of a write nested, as OPNsense's setNodes() reads them."""
    out: Dict[str, Any] = {}
    for key, value in payload.items():
        if key.startswith(CONTAINER + "."):
            out.setdefault(CONTAINER, {})[key[len(CONTAINER) + 1 :]] = value
        else:
            out[key] = value
    return out
