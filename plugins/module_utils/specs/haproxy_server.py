# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type haproxy_server: HAProxy real servers (opnsense-api/haproxy.md 3.1)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    ResourceSpec,
    boolean,
    duration,
    integer,
    multi,
    option,
    ref,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs import _haproxy as H

SPEC = ResourceSpec(
    type="haproxy_server",
    module=H.MODULE,
    controller=H.CONTROLLER,
    key="server",
    identity=("name",),
    plugin=H.PLUGIN,
    summary="Manage OPNsense HAProxy servers",
    description=(
        "Create, update or delete a real server of the os-haproxy plugin; backends list servers by name.",
        "The server is identified by O(name). OPNsense does not enforce unique names, this module does: "
        "two servers with the same name make the task fail instead of guessing.",
        "By default a change is applied at once: C(haproxy/service/configtest), and only if it reports "
        "no ALERT, C(haproxy/service/reconfigure). With O(reload=false) it is only saved, and "
        "M(opnform.opnsense.reload) with subsystem V(haproxy) applies it later.",
    ),
    notes=("Requires the os-haproxy plugin; without it the module fails saying so.",),
    commands=H.commands("Server", "Servers"),
    reload=H.RELOAD,
    fields=(
        boolean("enabled", True, "Whether the server is active; disabled servers are left out of the configuration."),
        text(
            "name",
            "Name of the server; identifies it.",
            required=True,
            pattern=H.NAME_PATTERN,
        ),
        H.description(),
        text(
            "address",
            "IP address or host name of the server.",
            pattern=H.ADDRESS_PATTERN,
        ),
        integer("port", "Port of the server; empty uses the client's port.", minimum=1, maximum=65535),
        integer("checkport", "Port for health checks, if different.", minimum=1, maximum=65535),
        option("mode", ("active", "backup", "disabled"), "active", "Server mode."),
        option("multiplexer_protocol", ("unspecified", "fcgi", "h2", "h1"), "unspecified", "Multiplexer protocol."),
        option("type", ("static", "template", "unix"), "static", "Server type."),
        text(
            "serviceName",
            "Service name (DNS SRV) or FQDN for O(type=template).",
            pattern=H.ADDRESS_PATTERN,
        ),
        text("number", "Number or range (V(1-5)) of servers for O(type=template).", pattern=r"^[0-9]+(-[0-9]+)?$"),
        text("linkedResolver", "UUID of an HAProxy resolver (not managed by this collection)."),
        multi("resolverOpts", H.RESOLVER_OPTS, doc="Resolver options.", ordered=True),
        option("resolvePrefer", ("ipv4", "ipv6"), None, "Preferred address family when resolving."),
        boolean("ssl", False, "Use TLS to the server."),
        text("sslSNI", "SNI to send.", pattern=H.NAME_PATTERN),
        text("sslSNIExpr", "SNI expression.", pattern=H.DESCRIPTION_PATTERN),
        boolean("sslVerify", True, "Verify the server's certificate."),
        multi("sslCA", doc="Refids of CA certificates to verify the server with."),
        text("sslCRL", "Refid of a certificate revocation list."),
        text("sslClientCertificate", "Refid of a client certificate to present."),
        integer("maxConnections", "Maximum concurrent connections.", minimum=0, maximum=10000000),
        integer("weight", "Load-balancing weight.", minimum=0, maximum=256),
        duration("checkInterval", doc="Health check interval, for example V(2s)."),
        duration("checkDownInterval", doc="Health check interval while the server is down."),
        text(
            "source",
            "Source address for connections to the server. OPNsense lower-cases it.",
            case="lower",
            pattern=H.SOURCE_PATTERN,
        ),
        text("advanced", "Extra raw server options."),
        ref("unix_socket", "haproxy_frontend", "Name of a frontend with a C(unix@) bind, for O(type=unix)."),
    ),
)
# HAProxy.xml's field types and validation messages for these fields.
SPEC = H.opnsense(SPEC)
