# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type unbound_forward: Unbound query forwarding and domain overrides (the ``forward``
items of ``dots.dot``; simulator/opnsense_sim/services/unbound/README.md)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    ResourceSpec,
    boolean,
    integer,
    text,
)

SPEC = ResourceSpec(
    type="unbound_forward",
    module="unbound",
    controller="settings",
    key="dot",
    identity=("server", "domain", "port"),
    display="{server} {port} {domain}",
    summary="Manage OPNsense Unbound query forwarding and domain overrides",
    description=(
        "Create, update or delete an Unbound query forwarding entry: a DNS server that receives the queries "
        "for one domain (a domain override), or every query when O(domain) is empty.",
        "The entry is identified by O(server), O(domain) and O(port) together; in messages it is named "
        "C(<server> <port> <domain>).",
        "By default the change is applied at once (C(unbound/service/reconfigure)); with O(reload=false) "
        "it is only saved, and M(opnform.opnsense.reload) with subsystem V(unbound) applies it later.",
    ),
    notes=(
        "Forwarding and DNS over TLS entries share one list in OPNsense, told apart by their type; this module "
        "manages the forwarding ones (C(searchForward) lists only those) and leaves DNS over TLS entries alone.",
        "Forwarding applies only when the Unbound general setting for query forwarding is on, or for a domain.",
    ),
    commands=Commands(
        search="searchForward",
        get="getForward",
        add="addForward",
        set="setForward",
        delete="delForward",
        toggle="toggleForward",
    ),
    reload="unbound",
    fields=(
        boolean("enabled", True, "Whether the entry is active."),
        text(
            "domain",
            "Domain whose queries go to O(server) (a domain override), for example V(corp.example); empty "
            "forwards every query. Part of the identity.",
            ftype="HostnameField",
            xml=(("IsDNSName", "Y"), ("IpAllowed", "N")),
            message="A valid domain must be specified.",
        ),
        text(
            "server",
            "Address of the DNS server to forward to. Part of the identity.",
            required=True,
            ftype="NetworkField",
        ),
        integer(
            "port",
            "Port of the DNS server (1-65535); empty uses 53. Part of the identity.",
            ftype="PortField",
            xml=(("EnableWellKnown", "N"), ("EnableRanges", "N"), ("EnableAlias", "N")),
            message="Please specify a valid port number (1-65535).",
        ),
        text("verify", "Host name to verify the server's TLS certificate against.", ftype="HostnameField"),
        boolean("forward_tcp_upstream", False, "Use TCP to reach the server."),
        boolean("forward_first", False, "Resolve by recursion when the server does not answer."),
        text("description", "Free text description.", max_length=255, ftype="DescriptionField"),
    ),
)
