"""Backend pool fields, `backends.backend` (haproxy.md 3.2)."""

from __future__ import annotations

from ....core.fields import BooleanField, ModelRelationField, OptionField, TextField, UniqueIdField
from .patterns import (
    COOKIE_NAME,
    COOKIE_NAME_MSG,
    OPT_RESOLVE_PREFER,
    OPT_RESOLVER_OPTS,
    OPT_STICKINESS_DATA_TYPES,
    SOURCE_ADDRESS,
    SOURCE_ADDRESS_MSG,
    STICK_EXPIRE,
    STICK_EXPIRE_MSG,
    STICK_SIZE,
    STICK_SIZE_MSG,
    integer,
    text255,
    timeout,
    token,
)

BACKEND = {
    "id": UniqueIdField(),
    "enabled": BooleanField(default="1", required=True),
    "name": token(required=True),
    "description": text255(),
    "mode": OptionField({"http": "HTTP (Layer 7) [default]", "tcp": "TCP (Layer 4)"}, default="http", required=True),
    "algorithm": OptionField(
        {
            "source": "Source-IP Hash [default]",
            "roundrobin": "Round Robin",
            "static-rr": "Static Round Robin",
            "leastconn": "Least Connections",
            "uri": "URI Hash (only HTTP mode)",
            "random": "Random Algorithm",
        },
        default="source",
        required=True,
    ),
    "random_draws": integer(2, 1000, default="2", required=True),
    "proxyProtocol": OptionField({"v1": "Version 1", "v2": "Version 2"}),
    "linkedServers": ModelRelationField("haproxy.server", multiple=True, message="Related server item not found"),
    "linkedFcgi": ModelRelationField("haproxy.fcgi", message="Related fcgi item not found"),
    "linkedResolver": ModelRelationField("haproxy.resolver", message="Related resolver not found"),
    "resolverOpts": OptionField(OPT_RESOLVER_OPTS, multiple=True),
    "resolvePrefer": OptionField(OPT_RESOLVE_PREFER),
    "source": TextField(mask=SOURCE_ADDRESS, message=SOURCE_ADDRESS_MSG, lower=True),
    "healthCheckEnabled": BooleanField(default="1", required=True),
    "healthCheck": ModelRelationField("haproxy.healthcheck", message="Related health check item not found"),
    "healthCheckLogStatus": BooleanField(),
    "checkInterval": timeout(),
    "checkDownInterval": timeout(),
    "healthCheckFall": integer(1, 100),
    "healthCheckRise": integer(1, 100),
    "linkedMailer": ModelRelationField("haproxy.mailer", message="Related mailer not found"),
    "healthCheckProxyProto": OptionField(
        {
            "backend": "Follow Backend Pool settings [default]",
            "enable": "Enable for Health Check",
            "disable": "Disable for Health Check",
        },
        default="backend",
    ),
    "http2Enabled": BooleanField(default="1"),
    "http2Enabled_nontls": BooleanField(),
    "ba_advertised_protocols": OptionField(
        {"h2": "HTTP/2", "http11": "HTTP/1.1", "http10": "HTTP/1.0"}, multiple=True, default="h2,http11"
    ),
    "forwardFor": BooleanField(),
    "forwardedHeader": BooleanField(),
    "forwardedHeaderParameters": OptionField(
        {"proto": "proto", "host": "host", "by": "by", "by_port": "by_port", "for": "for", "for_port": "for_port"},
        multiple=True,
    ),
    "persistence": OptionField(
        {"sticktable": "Stick-table persistence [default]", "cookie": "Cookie-based persistence (HTTP/HTTPS only)"},
        default="sticktable",
    ),
    "persistence_cookiemode": OptionField(
        {"piggyback": "Piggyback on existing cookie", "new": "Insert new cookie"}, default="piggyback", required=True
    ),
    "persistence_cookiename": TextField(mask=COOKIE_NAME, message=COOKIE_NAME_MSG, default="SRVCOOKIE"),
    "persistence_stripquotes": BooleanField(default="1", required=True),
    "stickiness_pattern": OptionField(
        {
            "binary": "Binary",
            "cookievalue": "Cookie value",
            "integer": "Integer",
            "rdpcookie": "RDP-Cookie",
            "sourceipv4": "Source-IPv4 [default]",
            "sourceipv6": "Source-IPv6",
            "string": "String",
        },
        default="sourceipv4",
    ),
    "stickiness_dataTypes": OptionField(OPT_STICKINESS_DATA_TYPES, multiple=True),
    "stickiness_expire": TextField(
        mask=STICK_EXPIRE, message=STICK_EXPIRE_MSG, default="30m", required=True, lower=True
    ),
    "stickiness_size": TextField(mask=STICK_SIZE, message=STICK_SIZE_MSG, default="50k", required=True, lower=True),
    "stickiness_cookiename": TextField(mask=COOKIE_NAME, message=COOKIE_NAME_MSG),
    "stickiness_cookielength": integer(1, 10000),
    "stickiness_length": integer(1, 16384),
    "stickiness_connRatePeriod": timeout(default="10s"),
    "stickiness_sessRatePeriod": timeout(default="10s"),
    "stickiness_httpReqRatePeriod": timeout(default="10s"),
    "stickiness_httpErrRatePeriod": timeout(default="10s"),
    "stickiness_bytesInRatePeriod": timeout(default="1m"),
    "stickiness_bytesOutRatePeriod": timeout(default="1m"),
    "stickiness_gpcElements": integer(0, 99, default="0"),
    "stickiness_gptElements": integer(0, 99, default="0"),
    "stickiness_gpcRatePeriod": timeout(default="1m"),
    "stickiness_httpFailRatePeriod": timeout(default="1m"),
    "stickiness_glitchRatePeriod": timeout(default="1m"),
    "basicAuthEnabled": BooleanField(),
    "basicAuthUsers": ModelRelationField("haproxy.user", multiple=True, message="Related user not found"),
    "basicAuthGroups": ModelRelationField("haproxy.group", multiple=True, message="Related group not found"),
    "tuning_timeoutConnect": timeout(),
    "tuning_timeoutCheck": timeout(),
    "tuning_timeoutServer": timeout(),
    "tuning_retries": integer(0, 100),
    "customOptions": TextField(),
    "tuning_defaultserver": TextField(),
    "tuning_noport": BooleanField(required=True),
    "tuning_httpreuse": OptionField(
        {"never": "Never", "safe": "Safe [default]", "aggressive": "Aggressive", "always": "Always"}, default="safe"
    ),
    "tuning_caching": BooleanField(),
    "linkedActions": ModelRelationField(
        "haproxy.action", multiple=True, sorted_values=True, message="Related action item not found"
    ),
    "linkedErrorfiles": ModelRelationField(
        "haproxy.errorfile", multiple=True, message="Related error file item not found"
    ),
}
