# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_alias: firewall aliases (opnsense-api/firewall.md 2)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Hooks,
    RequiredIf,
    ResourceSpec,
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
# pf keywords an alias may not be called (AliasNameField.php); those with '-' fail the pattern anyway.
RESERVED = frozenset(
    "all altq anchor antispoof any bandwidth binat bitmask block buckets cbq code codelq crop debug drop "
    "fairq fastroute file fingerprints flags floating flush for fragment from global group hfsc hogs hostid "
    "in include inet inet6 interval keep label limit linkshare load log loginterface max modulate nat no on "
    "optimization os out overload pass port prio priority priq probability proto qlimit queue quick random "
    "rdr realtime reassemble return route rtable rule scrub set skip sloppy state synproxy table tag tagged "
    "target tbrsize timeout to tos ttl upperlimit user".split()
)
NAME_PATTERN = r"^([a-zA-Z]|(([_a-zA-Z][a-zA-Z0-9]|[a-zA-Z][_a-zA-Z0-9])[_a-zA-Z0-9]{0,29}))$"
PORT_ENTRY = re.compile(r"^([0-9]{1,5}(:[0-9]{1,5})?|[A-Za-z_][A-Za-z0-9_.-]*)$")


def validate(values: Dict[str, Any]) -> List[Tuple[str, str]]:
    """Checks OPNsense would also make, done before anything is sent."""
    errors = []
    name = values.get("name") or ""
    if name in RESERVED:  # case-sensitive, as in AliasNameField.php
        errors.append(("name", "the name cannot be the reserved pf keyword %r" % name))
    if values.get("type") == "port":
        for entry in values.get("content") or []:
            entry = str(entry).strip()
            if not PORT_ENTRY.match(entry):
                hint = " (port ranges use a colon, e.g. 8000:8080)" if "-" in entry else ""
                errors.append(("content", 'Entry "%s" is not a valid port number%s.' % (entry, hint)))
                continue
            for number in entry.split(":") if entry[:1].isdigit() else []:
                if not 1 <= int(number) <= 65535:
                    errors.append(("content", 'Entry "%s" is not a valid port number.' % entry))
                    break
    if values.get("type") == "geoip":
        for entry in values.get("content") or []:
            if not re.match(r"^[A-Za-z]{2}$", str(entry).strip()):
                errors.append(("content", 'Entry "%s" is not a valid country code.' % entry))
    return errors


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
            pattern=NAME_PATTERN,
            pattern_message="must start with a letter or single underscore and have at most 31 letters, digits or underscores",
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
        ),
        multi("proto", ("IPv4", "IPv6"), doc="Address families, for O(type=geoip) and O(type=asn)."),
        text("interface", "Interface to track; required for O(type=dynipv6host)."),
        text(
            "updatefreq",
            "Refresh interval in days (decimals allowed) for URL table aliases.",
            pattern=r"^[0-9]+(\.[0-9]+)?$",
            pattern_message="must be a number",
        ),
        text("path_expression", "JSON path expression, for O(type=urljson)."),
        option("authtype", ("Basic", "Bearer", "Header"), None, "Authentication used to fetch URL based aliases."),
        text("username", "User name (V(Basic)) or header name (V(Header)) for O(authtype)."),
        text("password", "Password, token or header value for O(authtype).", sensitive=True),
        integer("expire", "Seconds after which entries added at runtime expire.", minimum=60, maximum=999999999),
        boolean("counters", None, "Whether pf keeps per-entry counters for the table."),
        refs(
            "categories",
            "firewall_category",
            "Names of firewall categories (M(opnform.opnsense.firewall_category)) to tag the alias with.",
        ),
        text("description", "Free text description.", max_length=255),
    ),
    conditions=(RequiredIf("type", ("dynipv6host",), ("interface",)),),
    hooks=Hooks(validate=validate),
)
