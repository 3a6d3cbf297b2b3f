# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type haproxy_frontend: HAProxy public services (opnsense-api/haproxy.md 3.3)."""

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

CIPHER_LIST = (
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256"
)
CIPHER_SUITES = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
SSL_BIND_OPTIONS = (
    "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13", "no-tls-tickets", "force-sslv3",
    "force-tlsv10", "force-tlsv11", "force-tlsv12", "force-tlsv13", "prefer-client-ciphers", "strict-sni",
)  # fmt: skip

SPEC = ResourceSpec(
    type="haproxy_frontend",
    module=H.MODULE,
    controller=H.CONTROLLER,
    key="frontend",
    identity=("name",),
    plugin=H.PLUGIN,
    summary="Manage OPNsense HAProxy frontends (public services)",
    description=(
        'Create, update or delete a frontend ("public service") of the os-haproxy plugin.',
        "The frontend is identified by O(name). O(default_backend) names a "
        "M(opnform.opnsense.haproxy_backend) and O(linked_actions) names M(opnform.opnsense.haproxy_action) "
        "objects, in order.",
        "By default a change is applied at once: C(haproxy/service/configtest), and only if it reports "
        "no ALERT, C(haproxy/service/reconfigure). With O(reload=false) it is only saved, and "
        "M(opnform.opnsense.reload) with subsystem V(haproxy) applies it later.",
    ),
    notes=(
        "Requires the os-haproxy plugin; without it the module fails saying so.",
        "OPNsense lower-cases O(bind); the order of O(bind) entries does not matter.",
    ),
    commands=H.commands("Frontend", "Frontends"),
    reload=H.RELOAD,
    fields=(
        boolean("enabled", True, "Whether the frontend is active."),
        text(
            "name",
            "Name of the frontend; identifies it.",
            required=True,
            pattern=H.NAME_PATTERN,
        ),
        H.description(),
        multi(
            "bind",
            doc="Listen addresses, each V(host:port), V(host:port-port) or V(unix@name), for example V(0.0.0.0:443). Required when O(state=present).",
            required=True,
            case="lower",
            pattern=H.BIND_PATTERN,
        ),
        text("bindOptions", "Raw bind options."),
        option("mode", ("http", "ssl", "tcp"), "http", "Frontend mode (V(ssl) is TCP with TLS passthrough)."),
        ref("defaultBackend", "haproxy_backend", "Name of the default backend."),
        boolean("ssl_enabled", False, "Terminate TLS."),
        multi("ssl_certificates", doc="Refids of the certificates to offer."),
        text("ssl_default_certificate", "Refid of the default certificate."),
        text("ssl_customOptions", "Raw TLS options."),
        boolean("ssl_advancedEnabled", False, "Use the advanced TLS settings below."),
        multi("ssl_bindOptions", SSL_BIND_OPTIONS, ["prefer-client-ciphers"], "TLS bind options.", ordered=True),
        option("ssl_minVersion", H.TLS_VERSIONS, "TLSv1.2", "Minimum TLS version."),
        option("ssl_maxVersion", H.TLS_VERSIONS, None, "Maximum TLS version."),
        text("ssl_cipherList", "Cipher list for TLS up to 1.2.", default=CIPHER_LIST),
        text("ssl_cipherSuites", "Cipher suites for TLS 1.3.", default=CIPHER_SUITES),
        boolean("ssl_hstsEnabled", True, "Send an HSTS header."),
        boolean("ssl_hstsIncludeSubDomains", False, "HSTS includeSubDomains."),
        boolean("ssl_hstsPreload", False, "HSTS preload."),
        integer("ssl_hstsMaxAge", "HSTS max-age in seconds.", minimum=1, maximum=1000000000, default=15768000),
        boolean("ssl_clientAuthEnabled", False, "Require client certificates."),
        option(
            "ssl_clientAuthVerify", ("none", "optional", "required"), "required", "Client certificate verification."
        ),
        multi("ssl_clientAuthCAs", doc="Refids of CAs for client certificates."),
        multi("ssl_clientAuthCRLs", doc="Refids of CRLs for client certificates."),
        boolean("basicAuthEnabled", False, "Require HTTP basic authentication."),
        multi("basicAuthUsers", doc="UUIDs of HAProxy users allowed (not managed by this collection)."),
        multi("basicAuthGroups", doc="UUIDs of HAProxy groups allowed (not managed by this collection)."),
        integer("tuning_maxConnections", "Maximum concurrent connections.", minimum=0, maximum=10000000),
        duration("tuning_timeoutClient", doc="Client timeout."),
        duration("tuning_timeoutHttpReq", doc="HTTP request timeout."),
        duration("tuning_timeoutHttpKeepAlive", doc="HTTP keep-alive timeout."),
        multi("linkedCpuAffinityRules", doc="UUIDs of CPU affinity rules (not managed by this collection)."),
        integer("tuning_shards", "Number of listener shards.", minimum=2, maximum=1000),
        boolean("logging_dontLogNull", False, "Do not log connections without data."),
        boolean("logging_dontLogNormal", False, "Do not log normal connections."),
        boolean("logging_logSeparateErrors", False, "Log errors at a separate level."),
        boolean("logging_detailedLog", False, "Detailed (HTTP or TCP) log format."),
        boolean("logging_socketStats", False, "Collect per-socket statistics."),
        option("stickiness_pattern", ("binary", "integer", "ipv4", "ipv6", "string"), None, "Stick-table key type."),
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
        boolean("stickiness_counter", True, "Track the connection in the stick table."),
        text("stickiness_counter_key", "Stick counter key.", default="src", pattern=r"^[0-9a-zA-Z._]{1,32}$"),
        integer("stickiness_length", "Key length for string and binary keys.", minimum=1, maximum=16384),
        duration("stickiness_connRatePeriod", "10s", "Period of the connection rate counter."),
        duration("stickiness_sessRatePeriod", "10s", "Period of the session rate counter."),
        duration("stickiness_httpReqRatePeriod", "10s", "Period of the HTTP request rate counter."),
        duration("stickiness_httpErrRatePeriod", "10s", "Period of the HTTP error rate counter."),
        duration("stickiness_bytesInRatePeriod", "1m", "Period of the incoming bytes rate counter."),
        duration("stickiness_bytesOutRatePeriod", "1m", "Period of the outgoing bytes rate counter."),
        integer("stickiness_gpcElements", "Number of general purpose counters.", minimum=0, maximum=99, default=0),
        duration("stickiness_gpcRatePeriod", "1m", "Period of the general purpose counter rate."),
        integer("stickiness_gptElements", "Number of general purpose tags.", minimum=0, maximum=99, default=0),
        duration("stickiness_httpFailRatePeriod", "1m", "Period of the HTTP failure rate counter."),
        duration("stickiness_glitchRatePeriod", "1m", "Period of the glitch rate counter."),
        boolean("http2Enabled", True, "Enable HTTP/2."),
        boolean("http2Enabled_nontls", False, "Enable HTTP/2 without TLS."),
        multi(
            "advertised_protocols",
            ("h3", "h2", "http11", "http10"),
            ["h2", "http11"],
            "ALPN protocols, in order of preference.",
            ordered=True,
        ),
        boolean("forwardFor", False, "Add an X-Forwarded-For header (deprecated by the plugin)."),
        boolean("prometheus_enabled", False, "Serve Prometheus metrics."),
        text("prometheus_path", "Path of the Prometheus metrics.", default="/metrics", pattern=r"^.{1,2048}$"),
        option(
            "connectionBehaviour",
            ("http-keep-alive", "httpclose", "http-server-close"),
            "http-keep-alive",
            "HTTP connection behaviour.",
        ),
        text("customOptions", "Raw HAProxy lines added to the frontend."),
        refs("linkedActions", "haproxy_action", "Names of rules (actions) of this frontend, in order.", ordered=True),
        multi("linkedErrorfiles", doc="UUIDs of error files (not managed by this collection)."),
    ),
)
# HAProxy.xml's field types and validation messages for these fields.
SPEC = H.opnsense(SPEC)
