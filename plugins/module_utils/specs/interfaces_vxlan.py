# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type interfaces_vxlan: VXLAN devices (core models/OPNsense/Interfaces/VxLan.xml and VxLan.php,
controllers/OPNsense/Interfaces/Api/VxlanSettingsController.php; the simulator's
services/interfaces/devices.md)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    integer,
    text,
)

PLAIN_PORT = (("EnableWellKnown", "N"), ("EnableRanges", "N"), ("EnableAlias", "N"))


def _empty(value: Any) -> bool:
    """PHP empty() on the stored string."""
    return value is None or str(value) in ("", "0")


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """VxLan::performValidation(): exactly one of a remote address and a multicast group; a device
    with a group, none with a remote address."""
    group, remote, device = values.get("group"), values.get("remote_address"), values.get("device")
    out: List[Tuple[str, str]] = []
    if _empty(group) == _empty(remote):
        out.append(("remote_address", "Remote address -or- Multicast group has to be specified"))
        out.append(("group", "Multicast group -or- Remote address has to be specified"))
    if not _empty(remote) and not _empty(device):
        out.append(("device", "Remote address is specified, Device must be None"))
    if not _empty(group) and _empty(device):
        out.append(("device", "Multicast group is specified, a Device must also be specified"))
    return out


SPEC = ResourceSpec(
    type="interfaces_vxlan",
    module="interfaces",
    controller="vxlan_settings",
    key="vxlan",
    identity=("vni",),
    display="VNI {vni}",
    summary="Manage OPNsense VXLAN devices",
    description=(
        "Create, update or delete a VXLAN device (C(vxlan<N>)): a layer 2 network over UDP, to one "
        "remote address (unicast) or a multicast group.",
        "The VXLAN is identified by its network identifier O(vni).",
        "By default the change is applied at once (C(interfaces/vxlan_settings/reconfigure));"
        " with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(vxlans)"
        " applies it later.",
    ),
    notes=(
        "Give either O(remote_address) or O(group), not both; a multicast O(group) needs a O(device), a "
        "O(remote_address) allows none (OPNsense's own rules).",
        "O(device_id) is only managed when given; otherwise OPNsense numbers a new VXLAN itself, with the "
        "lowest number from 1 that no other VXLAN uses (its device is then V(vxlan1), V(vxlan2), ...).",
        "OPNsense does not check that a VXLAN is unused before deleting it, even when it is assigned as an interface.",
    ),
    commands=Commands(toggle=None),
    reload="vxlans",
    fields=(
        integer(
            "vxlanid",
            "VXLAN network identifier (0-16777215); part of the identity.",
            name="vni",
            minimum=0,
            maximum=16777215,
            required=True,
        ),
        text(
            "vxlanlocal",
            "Source address of the tunnel (an address of this firewall), without a mask.",
            name="local_address",
            required=True,
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"),),
        ),
        integer(
            "vxlanlocalport",
            "Source UDP port; empty means the system's default (4789).",
            name="local_port",
            minimum=1,
            maximum=65535,
            ftype="PortField",
            xml=PLAIN_PORT,
        ),
        text(
            "vxlanremote",
            "Unicast address of the remote end, without a mask.",
            name="remote_address",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"),),
        ),
        integer(
            "vxlanremoteport",
            "Destination UDP port; empty means the system's default (4789).",
            name="remote_port",
            minimum=1,
            maximum=65535,
            ftype="PortField",
            xml=PLAIN_PORT,
        ),
        text(
            "vxlangroup",
            "Multicast group address to join instead of a remote address, without a mask.",
            name="group",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"),),
        ),
        text(
            "vxlandev",
            "Interface (for example V(lan), V(opt1)) the multicast traffic goes through; only with O(group).",
            name="device",
            ftype="InterfaceField",
        ),
        integer(
            "deviceId",
            "Device number: the device is C(vxlan<device_id>). Only managed when given.",
            name="device_id",
            minimum=1,
            maximum=9223372036854775806,
            ftype="AutoNumberField",
            auto=True,
        ),
    ),
    hooks=Hooks(validate=validate),
)
