# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type unbound_host_override: Unbound DNS host overrides (opnsense-api/interfaces-and-services.md 4)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    RequiredIf,
    ResourceSpec,
    boolean,
    integer,
    option,
    text,
)

HOSTNAME_MESSAGE = "A valid hostname must be specified."
DOMAIN_PATTERN = (
    r"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$"
)


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Unbound::performValidation() (core models/OPNsense/Unbound/Unbound.php): the host name
    validator accepts one trailing dot, the model does not."""
    if str(values.get("hostname") or "").endswith("."):
        return [("hostname", HOSTNAME_MESSAGE)]
    return []


SPEC = ResourceSpec(
    type="unbound_host_override",
    module="unbound",
    controller="settings",
    key="host",
    identity=("hostname", "domain", "rr"),
    display="{hostname}.{domain} {rr}",
    summary="Manage OPNsense Unbound DNS host overrides",
    description=(
        "Create, update or delete an Unbound DNS host override (a local A, AAAA, MX or TXT record).",
        "The override is identified by O(hostname), O(domain) and record type O(rr) together.",
        "By default the change is applied at once (C(unbound/service/reconfigure)); with O(reload=false) "
        "it is only saved, and M(opnform.opnsense.reload) with subsystem V(unbound) applies it later.",
    ),
    notes=(
        "The module calls the snake_case endpoint names (C(search_host_override), ...) because narrow "
        "OPNsense privileges only match those.",
        "Deleting an override also deletes the host aliases linked to it; the aliases themselves are not managed here.",
    ),
    # Narrow ACL privileges match only the snake_case URLs (opnsense-api/interfaces-and-services.md 4).
    commands=Commands(
        search="search_host_override",
        get="get_host_override",
        add="add_host_override",
        set="set_host_override",
        delete="del_host_override",
        toggle="toggle_host_override",
    ),
    reload="unbound",
    fields=(
        boolean("enabled", True, "Whether the override is active."),
        text(
            "hostname",
            "Host name without the domain; V(*) for a wildcard; empty for the domain itself. Part of the identity.",
            ftype="HostnameField",
            xml=(("IpAllowed", "N"), ("HostWildcardAllowed", "Y"), ("IsDNSName", "Y")),
            message=HOSTNAME_MESSAGE,
        ),
        text(
            "domain",
            "Domain of the host, for example V(example.com). Part of the identity.",
            required=True,
            pattern=DOMAIN_PATTERN,
            message="A valid domain must be specified.",
        ),
        option("rr", ("A", "AAAA", "MX", "TXT"), "A", "Record type. Part of the identity."),
        text(
            "server",
            "IP address the name resolves to; required for V(A) and V(AAAA) records.",
            ftype="NetworkField",
            xml=(("NetMaskAllowed", "N"),),
        ),
        integer("mxprio", "MX priority; required for V(MX) records."),
        text("mx", "Mail exchanger host name; required for V(MX) records.", ftype="HostnameField"),
        text("txtdata", "Text of a V(TXT) record (at most 255 characters).", max_length=255, ftype="DescriptionField"),
        integer("ttl", "TTL in seconds; empty uses Unbound's default.", minimum=0, maximum=2147483647),
        boolean("addptr", True, "Also create the matching PTR record."),
        text("description", "Free text description.", max_length=255, ftype="DescriptionField"),
    ),
    conditions=(
        RequiredIf("rr", ("MX",), ("mxprio",), "The field MX Priority is required."),
        RequiredIf("rr", ("MX",), ("mx",), "The field MX Host is required."),
        RequiredIf("rr", ("A", "AAAA"), ("server",), "The field IP address is required."),
        RequiredIf("rr", ("TXT",), ("txtdata",), "The field TXT Data is required."),
    ),
    hooks=Hooks(validate=validate),
)
