# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What GIF and GRE tunnels share (core models/OPNsense/Interfaces/Gif.xml and Gre.xml, Gif.php and
Gre.php, FieldTypes/LinkAddressField.php, controllers/OPNsense/Interfaces/Api/GifSettingsController.php
and GreSettingsController.php; the simulator's services/interfaces/devices.md).

The two models have the same addresses, the same ``performValidation()`` and the same controller
behaviour; they differ in their device names, their reload subsystem and GIF's three flags, which
the type's own spec file gives.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._php import filter_ip
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    FieldSpec,
    Hooks,
    ResourceSpec,
    Unique,
    integer,
    text,
)

FAMILY = "The remote address family has to match the one used in local."


def _family(value: Any) -> str:
    return "inet6" if ":" in str(value or "") else "inet"


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Gif::performValidation() and Gre::performValidation(): with an IP address as the local
    address, the remote address has its family; the tunnel's remote address has the family of its
    local one (an empty address counts as IPv4)."""
    out: List[Tuple[str, str]] = []
    local = str(values.get("local_address") or "")
    if filter_ip(local) and _family(local) != _family(values.get("remote_address")):
        out.append(("remote_address", FAMILY))
    if _family(values.get("tunnel_local_address")) != _family(values.get("tunnel_remote_address")):
        out.append(("tunnel_remote_address", FAMILY))
    return out


def tunnel_spec(kind: str, what: str, flags: Tuple[FieldSpec, ...] = ()) -> ResourceSpec:
    """The spec of tunnel type ``kind`` (``gif``, ``gre``): ``what`` says what such a tunnel is,
    ``flags`` are the fields only it has (after the description, as in its model)."""
    label = kind.upper()
    return ResourceSpec(
        type="interfaces_" + kind,
        module="interfaces",
        controller=kind + "_settings",
        key=kind,
        identity=("device",),
        display="{device}",
        summary="Manage OPNsense %s tunnels" % label,
        description=(
            "Create, update or delete a %s (%s) tunnel device." % (label, what),
            "The tunnel is identified by its device name O(device) (V(%s0), V(%s1), ...), which OPNsense "
            "keeps for the life of the tunnel." % (kind, kind),
            "By default the change is applied at once (C(interfaces/%s_settings/reconfigure));"
            " with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(%ss)"
            " applies it later." % (kind, kind),
        ),
        notes=(
            "OPNsense never renames a tunnel: a different O(device) is a different tunnel.",
            "A tunnel that is assigned as an interface cannot be deleted.",
            "OPNsense checks that a local address on a virtual IP exists when the tunnel is saved; in "
            "M(opnform.opnsense.apply), give such a tunnel C(depends_on) naming the O(local_address)'s "
            "M(opnform.opnsense.interfaces_vip) resource so that it is written after it.",
        ),
        commands=Commands(toggle=None),
        reload=kind + "s",
        fields=(
            text(
                kind + "if",
                "Device name, V(%s) followed by a number, for example V(%s0); the identity." % (kind, kind),
                name="device",
                required=True,
                pattern=r"^%s(\d)*$" % kind,
            ),
            text(
                "local-addr",
                "Local address of the tunnel: an interface (for example V(wan)), a CARP VIP as "
                "C(<interface>_vip<vhid>), an IP alias's address, or any IP address of this firewall.",
                name="local_address",
                required=True,
                ftype="LinkAddressField",
            ),
            text(
                "remote-addr",
                "Address of the remote end of the tunnel, without a mask.",
                name="remote_address",
                ftype="NetworkField",
                xml=(("NetMaskAllowed", "N"),),
            ),
            text(
                "tunnel-local-addr",
                "Address of this end inside the tunnel, without a mask.",
                name="tunnel_local_address",
                ftype="NetworkField",
                xml=(("NetMaskAllowed", "N"),),
            ),
            text(
                "tunnel-remote-addr",
                "Address of the remote end inside the tunnel, without a mask.",
                name="tunnel_remote_address",
                ftype="NetworkField",
                xml=(("NetMaskAllowed", "N"),),
            ),
            integer(
                "tunnel-remote-net",
                "Netmask (IPv4) or prefix length (IPv6) of the tunnel (1-128).",
                name="tunnel_remote_net",
                minimum=1,
                maximum=128,
                default=32,
                required=True,
            ),
            text("descr", "Free text description.", name="description", max_length=255, ftype="DescriptionField"),
        )
        + tuple(flags),
        unique=(Unique(("device",), "%s device already exists." % label),),
        hooks=Hooks(validate=validate),
    )
