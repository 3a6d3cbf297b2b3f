# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type interfaces_loopback: loopback devices (core models/OPNsense/Interfaces/Loopback.xml,
controllers/OPNsense/Interfaces/Api/LoopbackSettingsController.php; the simulator's
services/interfaces/devices.md)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    ResourceSpec,
    integer,
    text,
)

SPEC = ResourceSpec(
    type="interfaces_loopback",
    module="interfaces",
    controller="loopback_settings",
    key="loopback",
    identity=("description",),
    display="{description}",
    summary="Manage OPNsense loopback devices",
    description=(
        "Create, update or delete a loopback device (C(lo<N>)), for example to hold an address that "
        "does not depend on any link.",
        "The loopback is identified by its O(description), which OPNsense requires.",
        "By default the change is applied at once (C(interfaces/loopback_settings/reconfigure));"
        " with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(loopbacks)"
        " applies it later.",
    ),
    notes=(
        "O(device_id) is only managed when given; otherwise OPNsense numbers a new loopback itself, with "
        "the lowest number from 1 that no other loopback uses (its device is then V(lo1), V(lo2), ...).",
        "OPNsense does not check that a loopback is unused before deleting it, even when it is assigned as an interface.",
    ),
    commands=Commands(toggle=None),
    reload="loopbacks",
    fields=(
        text(
            "description",
            "Description of the loopback; part of the identity.",
            required=True,
            max_length=255,
            ftype="DescriptionField",
        ),
        integer(
            "deviceId",
            "Device number: the device is C(lo<device_id>). Only managed when given.",
            name="device_id",
            minimum=1,
            maximum=9223372036854775806,
            ftype="AutoNumberField",
            auto=True,
        ),
    ),
)
