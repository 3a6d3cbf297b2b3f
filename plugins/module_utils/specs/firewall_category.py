# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_category: firewall categories (opnsense-api/firewall.md 3)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import Commands, ResourceSpec, Unique, text

SPEC = ResourceSpec(
    type="firewall_category",
    module="firewall",
    controller="category",
    key="category",
    identity=("name",),
    summary="Manage OPNsense firewall categories",
    description=(
        "Create, update or delete a firewall category, the label that groups rules and aliases in the UI.",
        "Categories are saved immediately and need no reload.",
    ),
    notes=(
        "A category that rules or aliases still use cannot be deleted; OPNsense answers with an 'in use' "
        "error that lists the users.",
        "The C(auto) flag is set by OPNsense for categories it creates itself and is not managed.",
    ),
    commands=Commands(toggle=None),
    reload=None,
    fields=(
        text(
            "name",
            "Name of the category; identifies it. Unique, and must not contain a comma.",
            required=True,
            pattern=r"^[^,]+$",
        ),
        text(
            "color",
            "Colour shown in the UI, as six hex digits without C(#), for example V(ff0000).",
            pattern=r"^[0-9a-fA-F]{6}$",
            message="A valid color code consists of 6 hex digits.",
        ),
    ),
    unique=(Unique(("name",), "A category with this name already exists."),),
)
