# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type haproxy_healthcheck: HAProxy health checks (opnsense-api/haproxy.md 3.4)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    ResourceSpec,
    boolean,
    duration,
    integer,
    option,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs import _haproxy as H

SPEC = ResourceSpec(
    type="haproxy_healthcheck",
    module=H.MODULE,
    controller=H.CONTROLLER,
    key="healthcheck",
    identity=("name",),
    plugin=H.PLUGIN,
    summary="Manage OPNsense HAProxy health checks",
    description=(
        "Create, update or delete a health check of the os-haproxy plugin; backends name it in "
        "O(opnform.opnsense.haproxy_backend#module:health_check).",
        "The health check is identified by O(name).",
        "By default a change is applied at once: C(haproxy/service/configtest), and only if it reports "
        "no ALERT, C(haproxy/service/reconfigure). With O(reload=false) it is only saved, and "
        "M(opnform.opnsense.reload) with subsystem V(haproxy) applies it later.",
    ),
    notes=(
        "Requires the os-haproxy plugin; without it the module fails saying so.",
        "The legacy migration fields C(force_ssl), C(agentPort), C(dbUser) and C(smtpDomain) are not managed.",
    ),
    commands=H.commands("Healthcheck", "Healthchecks", toggle=False),
    reload=H.RELOAD,
    fields=(
        text(
            "name",
            "Name of the health check; identifies it.",
            required=True,
            pattern=H.LABEL_PATTERN,
        ),
        H.description(),
        option(
            "type",
            ("tcp", "http", "agent", "ldap", "mysql", "pgsql", "redis", "smtp", "esmtp", "ssl"),
            "http",
            "Kind of check.",
        ),
        duration("interval", "2s", "Time between two checks."),
        option("ssl", ("nopref", "ssl", "sslsni", "nossl"), "nopref", "TLS use for the check."),
        text("sslSNI", "SNI to send with O(ssl=sslsni).", pattern=H.NAME_PATTERN),
        integer("checkport", "Port to check, if not the server's.", minimum=1, maximum=65535),
        option(
            "http_method",
            ("options", "head", "get", "put", "post", "delete", "trace"),
            "options",
            "HTTP method for O(type=http).",
        ),
        text("http_uri", "URI for O(type=http).", default="/", pattern=r"^.{1,255}$"),
        option("http_version", ("http10", "http11", "http2"), "http10", "HTTP version for O(type=http)."),
        text(
            "http_host",
            "Host header for O(type=http).",
            default="localhost",
            pattern=H.NAME_PATTERN,
        ),
        boolean("http_expressionEnabled", False, "Check the response with O(http_expression)."),
        option(
            "http_expression", ("status", "rstatus", "string", "rstring"), None, "What to test in the HTTP response."
        ),
        boolean("http_negate", False, "Invert the HTTP expression."),
        text("http_value", "Value for O(http_expression)."),
        boolean("tcp_enabled", False, "Send and expect data for O(type=tcp)."),
        text("tcp_sendValue", "Data to send for O(type=tcp)."),
        option("tcp_matchType", ("string", "rstring", "binary"), "string", "How to match the TCP response."),
        boolean("tcp_negate", False, "Invert the TCP match."),
        text("tcp_matchValue", "Expected TCP response."),
        integer("agent_port", "Agent port for O(type=agent).", minimum=1, maximum=65535),
        text("mysql_user", "User for O(type=mysql).", pattern=H.NAME_PATTERN),
        boolean("mysql_post41", False, "Use the MySQL 4.1+ protocol."),
        text("pgsql_user", "User for O(type=pgsql).", pattern=H.NAME_PATTERN),
        text("smtp_domain", "Domain for O(type=smtp).", pattern=H.NAME_PATTERN),
        text("esmtp_domain", "Domain for O(type=esmtp).", pattern=H.NAME_PATTERN),
    ),
)
# HAProxy.xml's field types and validation messages for these fields.
SPEC = H.opnsense(SPEC)
