# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type haproxy_backend: HAProxy backend pools (opnsense-api/haproxy.md 3.2)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    ResourceSpec,
    boolean,
    duration,
    integer,
    multi,
    option,
    ref,
    refs,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs import _haproxy as H

SPEC = ResourceSpec(
    type="haproxy_backend",
    module=H.MODULE,
    controller=H.CONTROLLER,
    key="backend",
    identity=("name",),
    plugin=H.PLUGIN,
    aliases=("opnsense:service:haproxy:backend",),
    summary="Manage OPNsense HAProxy backend pools",
    description=(
        "Create, update or delete a backend pool of the os-haproxy plugin.",
        "The backend is identified by O(name). Servers, the health check and actions are named, not "
        "given as uuids: O(linked_servers) lists M(opnform.opnsense.haproxy_server) names, O(health_check) "
        "a M(opnform.opnsense.haproxy_healthcheck) name, O(linked_actions) M(opnform.opnsense.haproxy_action) names.",
        "By default a change is applied at once: C(haproxy/service/configtest), and only if it reports "
        "no ALERT, C(haproxy/service/reconfigure). With O(reload=false) it is only saved, and "
        "M(opnform.opnsense.reload) with subsystem V(haproxy) applies it later.",
    ),
    notes=(
        "Requires the os-haproxy plugin; without it the module fails saying so.",
        "The order of O(linked_actions) matters and is kept; the order of O(linked_servers) does not.",
    ),
    commands=H.commands("Backend", "Backends"),
    reload=H.RELOAD,
    fields=(
        boolean("enabled", True, "Whether the backend is active; disabled backends are left out of the configuration."),
        text(
            "name",
            "Name of the backend; identifies it.",
            required=True,
            pattern=H.NAME_PATTERN,
        ),
        H.description(),
        option("mode", ("http", "tcp"), "http", "Proxy mode."),
        option(
            "algorithm",
            ("source", "roundrobin", "static-rr", "leastconn", "uri", "random"),
            "source",
            "Balancing algorithm.",
        ),
        integer("random_draws", "Draws for the V(random) algorithm.", minimum=2, maximum=1000, default=2),
        option("proxyProtocol", ("v1", "v2"), None, "Send the PROXY protocol header to servers."),
        refs("linkedServers", "haproxy_server", "Names of the servers of this pool."),
        text("linkedFcgi", "UUID of an FastCGI application (not managed by this collection)."),
        text("linkedResolver", "UUID of an HAProxy resolver (not managed by this collection)."),
        multi("resolverOpts", H.RESOLVER_OPTS, doc="Resolver options.", ordered=True),
        option("resolvePrefer", ("ipv4", "ipv6"), None, "Preferred address family when resolving."),
        text(
            "source",
            "Source address for connections to servers. OPNsense lower-cases it.",
            case="lower",
            pattern=H.SOURCE_PATTERN,
        ),
        boolean("healthCheckEnabled", True, "Whether servers are health-checked."),
        ref("healthCheck", "haproxy_healthcheck", "Name of the health check to use."),
        boolean("healthCheckLogStatus", False, "Log health check status changes."),
        duration("checkInterval", doc="Health check interval."),
        duration("checkDownInterval", doc="Health check interval while a server is down."),
        integer("healthCheckFall", "Failed checks before a server is down.", minimum=1, maximum=100),
        integer("healthCheckRise", "Passed checks before a server is up.", minimum=1, maximum=100),
        text("linkedMailer", "UUID of an HAProxy mailer (not managed by this collection)."),
        option(
            "healthCheckProxyProto", ("backend", "enable", "disable"), "backend", "PROXY protocol for health checks."
        ),
        boolean("http2Enabled", True, "Enable HTTP/2 to TLS servers."),
        boolean("http2Enabled_nontls", False, "Enable HTTP/2 to servers without TLS."),
        multi(
            "ba_advertised_protocols",
            ("h2", "http11", "http10"),
            ["h2", "http11"],
            "ALPN protocols, in order of preference.",
            ordered=True,
        ),
        boolean("forwardFor", False, "Add an X-Forwarded-For header."),
        boolean("forwardedHeader", False, "Add a Forwarded header (RFC 7239)."),
        multi(
            "forwardedHeaderParameters",
            ("proto", "host", "by", "by_port", "for", "for_port"),
            doc="Parameters of the Forwarded header.",
            ordered=True,
        ),
        option("persistence", ("sticktable", "cookie"), "sticktable", "Persistence type."),
        option("persistence_cookiemode", ("piggyback", "new"), "piggyback", "Cookie mode for cookie persistence."),
        text(
            "persistence_cookiename",
            "Cookie name for cookie persistence.",
            default="SRVCOOKIE",
            pattern=H.COOKIE_PATTERN,
        ),
        boolean("persistence_stripquotes", True, "Strip quotes from the cookie value."),
        option(
            "stickiness_pattern",
            ("binary", "cookievalue", "integer", "rdpcookie", "sourceipv4", "sourceipv6", "string"),
            "sourceipv4",
            "Stick-table key type.",
        ),
        multi("stickiness_dataTypes", H.STICKINESS_DATA_TYPES, doc="Data stored in the stick table."),
        text(
            "stickiness_expire",
            "Stick-table entry lifetime. OPNsense lower-cases it.",
            default="30m",
            case="lower",
            pattern=H.STICKINESS_EXPIRE_PATTERN,
        ),
        text(
            "stickiness_size",
            "Stick-table size (number plus k, m or g). OPNsense lower-cases it.",
            default="50k",
            case="lower",
            pattern=H.STICKINESS_SIZE_PATTERN,
        ),
        text("stickiness_cookiename", "Cookie name for cookie stickiness.", pattern=H.COOKIE_PATTERN),
        integer("stickiness_cookielength", "Cookie length.", minimum=1, maximum=10000),
        integer("stickiness_length", "Key length for string and binary keys.", minimum=1, maximum=16384),
        duration("stickiness_connRatePeriod", "10s", "Period of the connection rate counter."),
        duration("stickiness_sessRatePeriod", "10s", "Period of the session rate counter."),
        duration("stickiness_httpReqRatePeriod", "10s", "Period of the HTTP request rate counter."),
        duration("stickiness_httpErrRatePeriod", "10s", "Period of the HTTP error rate counter."),
        duration("stickiness_bytesInRatePeriod", "1m", "Period of the incoming bytes rate counter."),
        duration("stickiness_bytesOutRatePeriod", "1m", "Period of the outgoing bytes rate counter."),
        integer("stickiness_gpcElements", "Number of general purpose counters.", minimum=0, maximum=99, default=0),
        integer("stickiness_gptElements", "Number of general purpose tags.", minimum=0, maximum=99, default=0),
        duration("stickiness_gpcRatePeriod", "1m", "Period of the general purpose counter rate."),
        duration("stickiness_httpFailRatePeriod", "1m", "Period of the HTTP failure rate counter."),
        duration("stickiness_glitchRatePeriod", "1m", "Period of the glitch rate counter."),
        boolean("basicAuthEnabled", False, "Require HTTP basic authentication."),
        multi("basicAuthUsers", doc="UUIDs of HAProxy users allowed (not managed by this collection)."),
        multi("basicAuthGroups", doc="UUIDs of HAProxy groups allowed (not managed by this collection)."),
        duration("tuning_timeoutConnect", doc="Connect timeout."),
        duration("tuning_timeoutCheck", doc="Health check timeout."),
        duration("tuning_timeoutServer", doc="Server timeout."),
        integer("tuning_retries", "Connection retries.", minimum=0, maximum=100),
        text("customOptions", "Raw HAProxy lines added to the backend."),
        text("tuning_defaultserver", "Raw C(default-server) options."),
        boolean("tuning_noport", False, "Do not append the port to server addresses."),
        option("tuning_httpreuse", ("never", "safe", "aggressive", "always"), "safe", "HTTP connection reuse."),
        boolean("tuning_caching", False, "Enable the HAProxy cache."),
        refs("linkedActions", "haproxy_action", "Names of rules (actions) of this backend, in order.", ordered=True),
        multi("linkedErrorfiles", doc="UUIDs of error files (not managed by this collection)."),
    ),
)
# HAProxy.xml's field types and validation messages for these fields.
SPEC = H.opnsense(SPEC)
