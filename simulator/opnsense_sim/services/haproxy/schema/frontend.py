"""Frontend ("public service") fields, `frontends.frontend` (haproxy.md 3.3)."""

from __future__ import annotations

from ....core.fields import BooleanField, CSVListField, ModelRelationField, OptionField, TextField, UniqueIdField
from .fieldtypes import CertificateField
from .patterns import (
    BIND_LIST,
    BIND_LIST_MSG,
    OPT_SSL_BIND_OPTIONS,
    OPT_STICKINESS_DATA_TYPES,
    OPT_TLS_VERSION,
    SSL_CIPHER_LIST,
    SSL_CIPHER_SUITES,
    STICK_EXPIRE,
    STICK_EXPIRE_MSG,
    STICK_SIZE,
    STICK_SIZE_MSG,
    integer,
    text,
    text255,
    timeout,
    token,
)

FRONTEND = {
    "id": UniqueIdField(),
    "enabled": BooleanField(default="1", required=True),
    "name": token(required=True),
    "description": text255(),
    "bind": CSVListField(mask=BIND_LIST, message=BIND_LIST_MSG, required=True, lower=True),
    "bindOptions": TextField(),
    "mode": OptionField(
        {"http": "HTTP / HTTPS (SSL offloading) [default]", "ssl": "SSL / HTTPS (TCP mode)", "tcp": "TCP"},
        default="http",
        required=True,
    ),
    "defaultBackend": ModelRelationField("haproxy.backend", message="Related backend item not found"),
    "ssl_enabled": BooleanField(required=True),
    "ssl_certificates": CertificateField(
        "cert", multiple=True, message="Please select a valid certificate from the list."
    ),
    "ssl_default_certificate": CertificateField("cert", message="Please select a valid certificate from the list."),
    "ssl_customOptions": TextField(),
    "ssl_advancedEnabled": BooleanField(required=True),
    "ssl_bindOptions": OptionField(OPT_SSL_BIND_OPTIONS, multiple=True, default="prefer-client-ciphers"),
    "ssl_minVersion": OptionField(OPT_TLS_VERSION, default="TLSv1.2"),
    "ssl_maxVersion": OptionField(OPT_TLS_VERSION),
    "ssl_cipherList": TextField(default=SSL_CIPHER_LIST),
    "ssl_cipherSuites": TextField(default=SSL_CIPHER_SUITES),
    "ssl_hstsEnabled": BooleanField(default="1", required=True),
    "ssl_hstsIncludeSubDomains": BooleanField(),
    "ssl_hstsPreload": BooleanField(),
    "ssl_hstsMaxAge": integer(1, 1000000000, default="15768000", required=True),
    "ssl_clientAuthEnabled": BooleanField(),
    "ssl_clientAuthVerify": OptionField(
        {"none": "none", "optional": "optional", "required": "required"}, default="required"
    ),
    "ssl_clientAuthCAs": CertificateField("ca", multiple=True, message="Please select a valid CA from the list."),
    "ssl_clientAuthCRLs": CertificateField("crl", multiple=True, message="Please select a valid CA from the list."),
    "basicAuthEnabled": BooleanField(),
    "basicAuthUsers": ModelRelationField("haproxy.user", multiple=True, message="Related user not found"),
    "basicAuthGroups": ModelRelationField("haproxy.group", multiple=True, message="Related group not found"),
    "tuning_maxConnections": integer(0, 10000000),
    "tuning_timeoutClient": timeout(),
    "tuning_timeoutHttpReq": timeout(),
    "tuning_timeoutHttpKeepAlive": timeout(),
    "linkedCpuAffinityRules": ModelRelationField(
        "haproxy.cpu", multiple=True, message="Related CPU affinity rule not found"
    ),
    "tuning_shards": integer(2, 1000),
    "logging_dontLogNull": BooleanField(required=True),
    "logging_dontLogNormal": BooleanField(required=True),
    "logging_logSeparateErrors": BooleanField(required=True),
    "logging_detailedLog": BooleanField(required=True),
    "logging_socketStats": BooleanField(required=True),
    "stickiness_pattern": OptionField(
        {"binary": "Binary", "integer": "Integer", "ipv4": "IPv4 [default]", "ipv6": "IPv6", "string": "String"}
    ),
    "stickiness_dataTypes": OptionField(OPT_STICKINESS_DATA_TYPES, multiple=True),
    "stickiness_expire": TextField(
        mask=STICK_EXPIRE, message=STICK_EXPIRE_MSG, default="30m", required=True, lower=True
    ),
    "stickiness_size": TextField(mask=STICK_SIZE, message=STICK_SIZE_MSG, default="50k", required=True, lower=True),
    "stickiness_counter": BooleanField(default="1"),
    "stickiness_counter_key": TextField(
        mask=r"^([0-9a-zA-Z._]){1,32}$", message="Should be a string between 1 and 32 characters.", default="src"
    ),
    "stickiness_length": integer(1, 16384),
    "stickiness_connRatePeriod": timeout(default="10s"),
    "stickiness_sessRatePeriod": timeout(default="10s"),
    "stickiness_httpReqRatePeriod": timeout(default="10s"),
    "stickiness_httpErrRatePeriod": timeout(default="10s"),
    "stickiness_bytesInRatePeriod": timeout(default="1m"),
    "stickiness_bytesOutRatePeriod": timeout(default="1m"),
    "stickiness_gpcElements": integer(0, 99, default="0"),
    "stickiness_gpcRatePeriod": timeout(default="1m"),
    "stickiness_gptElements": integer(0, 99, default="0"),
    "stickiness_httpFailRatePeriod": timeout(default="1m"),
    "stickiness_glitchRatePeriod": timeout(default="1m"),
    "http2Enabled": BooleanField(default="1"),
    "http2Enabled_nontls": BooleanField(),
    "advertised_protocols": OptionField(
        {"h3": "HTTP/3", "h2": "HTTP/2", "http11": "HTTP/1.1", "http10": "HTTP/1.0"}, multiple=True, default="h2,http11"
    ),
    "forwardFor": BooleanField(required=True),
    "prometheus_enabled": BooleanField(),
    "prometheus_path": text(2048, default="/metrics"),
    "connectionBehaviour": OptionField(
        {
            "http-keep-alive": "http-keep-alive [default]",
            "httpclose": "httpclose",
            "http-server-close": "http-server-close",
        },
        default="http-keep-alive",
        required=True,
    ),
    "customOptions": TextField(),
    "linkedActions": ModelRelationField(
        "haproxy.action", multiple=True, sorted_values=True, message="Related action item not found"
    ),
    "linkedErrorfiles": ModelRelationField(
        "haproxy.errorfile", multiple=True, message="Related error file item not found"
    ),
}
