# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_alias: firewall aliases (opnsense-api/firewall.md 2)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Hooks,
    RequiredIf,
    ResourceSpec,
    Unique,
    boolean,
    integer,
    lines,
    multi,
    option,
    refs,
    text,
)

TYPES = (
    "host",
    "network",
    "port",
    "url",
    "urltable",
    "urljson",
    "geoip",
    "networkgroup",
    "mac",
    "asn",
    "dynipv6host",
    "authgroup",
    "internal",
    "external",
)
TOKEN = re.compile(r"^[A-Za-z0-9\-_.]+$")


def _auth_problem(values: Dict[str, Any]) -> Optional[str]:
    """The first problem of Alias::performValidation() with URL authentication (Alias.php)."""
    authtype = values.get("authtype")
    username = str(values.get("username") or "")
    password = str(values.get("password") or "")
    if authtype == "Basic" and (username in ("", "0") or password in ("", "0")):
        return "Please provide a username and password when Basic auth is selected"
    if authtype == "Bearer":
        if password in ("", "0"):
            return "Please provide an API token when Bearer auth is selected"
        if len(password.encode("utf-8")) > 512:
            return "Invalid token length"
        if not TOKEN.match(password):
            return "Illegal characters in token"
    if authtype == "Header":
        if username in ("", "0") or password in ("", "0"):
            return "Please provide a header key and value when Header auth is selected"
        for value, size, what in ((username, 255, "key"), (password, 512, "value")):
            if len(value.encode("utf-8")) > size:
                return "Invalid %s length" % what
        for value, what in ((username, "key"), (password, "value")):
            if not TOKEN.match(value):
                return "Illegal characters in %s" % what
    return None


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Alias::performValidation(): the authentication rules, reported on ``authtype``."""
    problem = _auth_problem(values)
    return [("authtype", problem)] if problem else []


SPEC = ResourceSpec(
    type="firewall_alias",
    module="firewall",
    controller="alias",
    key="alias",
    identity=("name",),
    aliases=("opnsense:firewall:alias",),
    summary="Manage OPNsense firewall aliases",
    description=(
        "Create, update or delete a firewall alias: a named set of hosts, networks, ports, URLs, "
        "countries and so on that rules refer to by name.",
        "The alias is identified by O(name).",
        "By default the change is applied at once (C(firewall/alias/reconfigure)); with O(reload=false) "
        "it is only saved, and M(opnform.opnsense.reload) with subsystem V(aliases) applies it later.",
    ),
    notes=(
        "Renaming is not supported through this module (the name is the identity); OPNsense itself "
        "rewrites references on a rename done in its UI.",
        "An alias that rules or other aliases use cannot be deleted; the error lists the users.",
        "Built-in aliases (bogons, interface networks, ...) are never matched or changed.",
    ),
    reload="aliases",
    fields=(
        boolean("enabled", True, "Whether the alias is active."),
        text(
            "name",
            "Name of the alias; identifies it. Starts with a letter or a single underscore, at most 31 "
            "characters of letters, digits and underscores; not a pf keyword, service or protocol name.",
            required=True,
            ftype="AliasNameField",
        ),
        option(
            "type",
            TYPES,
            None,
            "Type of alias; decides what O(content) may hold. Required when O(state=present).",
            required=True,
        ),
        lines(
            "content",
            "Entries of the alias (sent newline-separated): addresses, networks, V(lo:hi) port ranges, "
            "host names, country codes, other alias names, ... depending on O(type).",
            # networkgroup (and host/network) content may list other aliases by name (firewall.md 2.2).
            mentions="firewall_alias",
            ftype="AliasContentField",
        ),
        multi("proto", ("IPv4", "IPv6"), doc="Address families, for O(type=geoip) and O(type=asn)."),
        text("interface", "Interface to track; required for O(type=dynipv6host).", ftype="InterfaceField"),
        text(
            "updatefreq",
            "Refresh interval in days (decimals allowed) for URL table aliases.",
            ftype="NumericField",
            message="Days and hours should be numeric values or left empty.",
        ),
        text("path_expression", "JSON path expression, for O(type=urljson)."),
        option("authtype", ("Basic", "Bearer", "Header"), None, "Authentication used to fetch URL based aliases."),
        text("username", "User name (V(Basic)) or header name (V(Header)) for O(authtype)."),
        text("password", "Password, token or header value for O(authtype).", sensitive=True),
        integer("expire", "Seconds after which entries added at runtime expire.", minimum=60, maximum=999999999),
        boolean("counters", False, "Whether pf keeps per-entry counters for the table."),
        refs(
            "categories",
            "firewall_category",
            "Names of firewall categories (M(opnform.opnsense.firewall_category)) to tag the alias with.",
        ),
        text("description", "Free text description.", max_length=255, ftype="DescriptionField"),
    ),
    conditions=(
        RequiredIf("type", ("dynipv6host",), ("interface",), "IPv6 Dynamic Host require an interface to track."),
    ),
    unique=(Unique(("name",), "An alias with this name already exists."),),
    hooks=Hooks(validate=validate),
)
