"""Health check fields, `healthchecks.healthcheck` (haproxy.md 3.4): no `id`, no `enabled`."""

from __future__ import annotations

from ....core.fields import BooleanField, IntegerField, OptionField, TextField
from .patterns import integer, label, text255, timeout, token

HEALTHCHECK = {
    "name": label(required=True),
    "description": text255(),
    "type": OptionField(
        {
            "tcp": "TCP",
            "http": "HTTP [default]",
            "agent": "Agent",
            "ldap": "LDAP",
            "mysql": "MySQL",
            "pgsql": "PostgreSQL",
            "redis": "Redis",
            "smtp": "SMTP",
            "esmtp": "ESMTP",
            "ssl": "SSL",
        },
        default="http",
        required=True,
    ),
    "interval": timeout(default="2s", required=True),
    "ssl": OptionField(
        {
            "nopref": "Use server settings",
            "ssl": "Force SSL for health checks",
            "sslsni": "Force SSL+SNI for health checks",
            "nossl": "Force no SSL for health checks",
        },
        default="nopref",
    ),
    "sslSNI": token(),
    "force_ssl": BooleanField(),
    "checkport": integer(1, 65535),
    "http_method": OptionField(
        {
            "options": "OPTIONS [default]",
            "head": "HEAD",
            "get": "GET",
            "put": "PUT",
            "post": "POST",
            "delete": "DELETE",
            "trace": "TRACE",
        },
        default="options",
    ),
    "http_uri": TextField(
        mask=r"^(.*){1,255}$", message="Should be a string between 1 and 255 characters.", default="/"
    ),
    "http_version": OptionField(
        {"http10": "HTTP/1.0 [default]", "http11": "HTTP/1.1", "http2": "HTTP/2"}, default="http10"
    ),
    "http_host": token(default="localhost"),
    "http_expressionEnabled": BooleanField(),
    "http_expression": OptionField(
        {
            "status": "test the exact string match for the HTTP status code",
            "rstatus": "test a regular expression for the HTTP status code",
            "string": "test the exact string match in the HTTP response body",
            "rstring": "test a regular expression on the HTTP response body",
        }
    ),
    "http_negate": BooleanField(),
    "http_value": TextField(),
    "tcp_enabled": BooleanField(),
    "tcp_sendValue": TextField(),
    "tcp_matchType": OptionField(
        {
            "string": "test the exact string match in the response buffer [default]",
            "rstring": "test a regular expression on the response buffer",
            "binary": "test the exact string in its hexadecimal form matches in the response buffer",
        },
        default="string",
    ),
    "tcp_negate": BooleanField(),
    "tcp_matchValue": TextField(),
    "agent_port": integer(1, 65535),
    "mysql_user": token(),
    "mysql_post41": BooleanField(),
    "pgsql_user": token(),
    "smtp_domain": token(),
    "esmtp_domain": token(),
    "agentPort": IntegerField(),
    "dbUser": TextField(),
    "smtpDomain": TextField(),
}
