# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type interfaces_lagg: LAGG devices, link aggregation (core models/OPNsense/Interfaces/Lagg.xml
and Lagg.php, FieldTypes/LaggInterfaceField.php, controllers/OPNsense/Interfaces/Api/LaggSettingsController.php;
the simulator's services/interfaces/devices.md)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    Unique,
    boolean,
    integer,
    multi,
    option,
    text,
)


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Lagg::performValidation(): the primary member must be one of the members. (Its check that no
    other LAGG uses a member never fires upstream, so it is not made here either.)"""
    primary = str(values.get("primary_member") or "")
    members = [str(m) for m in values.get("members") or []]
    if primary and primary != "0" and primary not in members:
        return [("primary_member", "Primary member %s not in member list." % primary)]
    return []


SPEC = ResourceSpec(
    type="interfaces_lagg",
    module="interfaces",
    controller="lagg_settings",
    key="lagg",
    identity=("device",),
    display="{device}",
    summary="Manage OPNsense LAGG devices (link aggregation)",
    description=(
        "Create, update or delete a LAGG device: several physical interfaces bundled into one (LACP, "
        "failover, load balancing, ...).",
        "The LAGG is identified by its device name O(device) (V(lagg0), V(lagg1), ...), which OPNsense "
        "keeps for the life of the LAGG.",
        "By default the change is applied at once (C(interfaces/lagg_settings/reconfigure));"
        " with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(laggs)"
        " applies it later.",
    ),
    notes=(
        "OPNsense never renames a LAGG: a different O(device) is a different LAGG.",
        "Members are physical interfaces that are not assigned as an interface themselves.",
        "A LAGG that is assigned as an interface, or is the parent of a VLAN, cannot be deleted.",
    ),
    commands=Commands(toggle=None),
    reload="laggs",
    fields=(
        text(
            "laggif",
            "Device name, V(lagg) followed by a number, for example V(lagg0); the identity.",
            name="device",
            required=True,
            pattern=r"^lagg(\d)*$",
        ),
        multi(
            "members",
            doc="Physical interfaces in the LAGG, for example V([igb0, igb1]).",
            required=True,
            ftype="LaggInterfaceField",
            message="At least one valid member is required.",
        ),
        text(
            "primary_member",
            "For failover: the member that carries the traffic while it is up; one of O(members).",
            ftype="LaggInterfaceField",
        ),
        option(
            "proto",
            ("none", "lacp", "failover", "fec", "loadbalance", "roundrobin"),
            "lacp",
            "Aggregation protocol.",
        ),
        boolean("lacp_fast_timeout", False, "LACP: use the fast timeout (1 second instead of 30)."),
        option(
            "use_flowid",
            ("1", "0"),
            None,
            "Use the flow ID of packets to pick the outgoing port: V(1) yes, V(0) no; empty for the system's default.",
        ),
        multi(
            "lagghash", ("l2", "l3", "l4"), None, "Header layers the outgoing port's hash uses (V(l2), V(l3), V(l4))."
        ),
        option(
            "lacp_strict",
            ("1", "0"),
            None,
            "LACP strict mode: V(1) yes, V(0) no; empty for the system's default.",
        ),
        integer("mtu", "MTU of the LAGG (576-65535); empty for the default.", minimum=576, maximum=65535),
        text("descr", "Free text description.", name="description", max_length=255, ftype="DescriptionField"),
    ),
    unique=(Unique(("device",), "LAGG device already exists."),),
    hooks=Hooks(validate=validate),
)
