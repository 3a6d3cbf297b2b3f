"""General settings of the HAProxy model (`general.*` and `maintenance.cronjobs.*`), keyed by dotted path.

Only `general.enabled` matters to the simulated service (haproxy.md 2); the rest are stored,
validated and rendered like any other field."""

from __future__ import annotations

from ....core.fields import (
    BooleanField,
    CSVListField,
    HostnameField,
    IntegerField,
    ModelRelationField,
    OptionField,
    TextField,
)
from .patterns import (
    HOST_LIST,
    OPT_SSL_BIND_OPTIONS,
    OPT_TLS_VERSION,
    PAIR_LIST,
    PROMETHEUS_BIND,
    SSL_CIPHER_LIST,
    SSL_CIPHER_SUITES,
    integer,
    text,
    timeout,
)

SETTINGS = {
    "general.enabled": BooleanField(required=True),
    "general.gracefulStop": BooleanField(required=True),
    "general.hardStopAfter": timeout(default="60s"),
    "general.closeSpreadTime": timeout(),
    "general.seamlessReload": BooleanField(required=True),
    "general.storeOcsp": BooleanField(),
    "general.showIntro": BooleanField(default="1"),
    "general.peers.enabled": BooleanField(required=True),
    "general.peers.name1": HostnameField(),
    "general.peers.listen1": HostnameField(),
    "general.peers.port1": integer(1, 65535, default="1024"),
    "general.peers.name2": HostnameField(),
    "general.peers.listen2": HostnameField(),
    "general.peers.port2": integer(1, 65535, default="1024"),
    "general.tuning.root": BooleanField(required=True),
    "general.tuning.maxConnections": integer(0, 10000000),
    "general.tuning.nbthread": integer(1, 1024, default="1"),
    "general.tuning.resolversPrefer": OptionField({"ipv4": "IPv4", "ipv6": "IPv6"}, default="ipv4"),
    "general.tuning.sslServerVerify": OptionField(
        {"ignore": "no preference [default]", "required": "enforce verify", "none": "disable verify"},
        default="ignore",
        required=True,
    ),
    "general.tuning.maxDHSize": integer(1024, 16384, default="2048", required=True),
    "general.tuning.bufferSize": integer(1024, 1048576, default="16384"),
    "general.tuning.spreadChecks": integer(0, 50, default="2", required=True),
    "general.tuning.bogusProxyEnabled": BooleanField(required=True),
    "general.tuning.luaMaxMem": integer(0, 1024, default="0"),
    "general.tuning.customOptions": TextField(),
    "general.tuning.ocspUpdateEnabled": BooleanField(required=True),
    "general.tuning.ocspUpdateMinDelay": integer(1, 86400, default="300"),
    "general.tuning.ocspUpdateMaxDelay": integer(1, 86400, default="3600"),
    "general.tuning.ssl_defaultsEnabled": BooleanField(required=True),
    "general.tuning.ssl_bindOptions": OptionField(OPT_SSL_BIND_OPTIONS, multiple=True, default="prefer-client-ciphers"),
    "general.tuning.ssl_minVersion": OptionField(OPT_TLS_VERSION, default="TLSv1.2"),
    "general.tuning.ssl_maxVersion": OptionField(OPT_TLS_VERSION),
    "general.tuning.ssl_cipherList": TextField(default=SSL_CIPHER_LIST),
    "general.tuning.ssl_cipherSuites": TextField(default=SSL_CIPHER_SUITES),
    "general.tuning.h2_initialWindowSize": integer(0, 10000000),
    "general.tuning.h2_initialWindowSizeOutgoing": integer(0, 10000000),
    "general.tuning.h2_initialWindowSizeIncoming": integer(0, 10000000),
    "general.tuning.h2_maxConcurrentStreams": integer(0, 10000000),
    "general.tuning.h2_maxConcurrentStreamsOutgoing": integer(0, 10000000),
    "general.tuning.h2_maxConcurrentStreamsIncoming": integer(0, 10000000),
    "general.defaults.maxConnections": integer(0, 10000000),
    "general.defaults.maxConnectionsServers": integer(0, 10000000),
    "general.defaults.timeoutClient": timeout(default="30s"),
    "general.defaults.timeoutConnect": timeout(default="30s"),
    "general.defaults.timeoutCheck": timeout(),
    "general.defaults.timeoutServer": timeout(default="30s"),
    "general.defaults.retries": integer(0, 100, default="3", required=True),
    "general.defaults.redispatch": OptionField(
        {
            "x3": "redispatch on every 3rd retry",
            "x2": "redispatch on every 2nd retry",
            "x1": "redispatch on every retry",
            "x0": "Disable redispatching",
            "x-1": "redispatch on the last retry [default]",
            "x-2": "redispatch on the 2nd retry prior to the last retry",
            "x-3": "redispatch on the 3rd retry prior to the last retry",
        },
        default="x-1",
    ),
    "general.defaults.init_addr": OptionField(
        {"last": "last", "libc": "libc", "none": "none"}, multiple=True, default="last,libc"
    ),
    "general.defaults.customOptions": TextField(),
    "general.logging.host": TextField(
        mask=HOST_LIST,
        message="Please specify a valid servername or IP address.",
        default="127.0.0.1",
        required=True,
        lower=True,
    ),
    "general.logging.facility": OptionField(
        {
            "alert": "alert",
            "audit": "audit",
            "auth2": "auth2",
            "auth": "auth",
            "cron2": "cron2",
            "cron": "cron",
            "daemon": "daemon",
            "ftp": "ftp",
            "kern": "kern",
            "local0": "local0 [default]",
            "local1": "local1",
            "local2": "local2",
            "local3": "local3",
            "local4": "local4",
            "local5": "local5",
            "local6": "local6",
            "local7": "local7",
            "lpr": "lpr",
            "mail": "mail",
            "news": "news",
            "ntp": "ntp",
            "syslog": "syslog",
            "user": "user",
            "uucp": "uucp",
        },
        default="local0",
        required=True,
    ),
    "general.logging.level": OptionField(
        {
            "alert": "alert",
            "crit": "crit",
            "debug": "debug",
            "emerg": "emerg",
            "err": "err",
            "info": "info [default]",
            "notice": "notice",
            "warning": "warning",
        },
        default="info",
    ),
    "general.logging.length": integer(64, 65535),
    "general.stats.enabled": BooleanField(),
    "general.stats.port": integer(1024, 65535, default="8822", required=True),
    "general.stats.remoteEnabled": BooleanField(),
    "general.stats.remoteBind": CSVListField(
        mask=PAIR_LIST,
        message="Please provide a valid listen address, i.e. 10.0.0.1:8080 or haproxy.example.com:8999.",
        lower=True,
    ),
    "general.stats.authEnabled": BooleanField(),
    "general.stats.users": CSVListField(
        mask=PAIR_LIST, message="Please provide a valid user and password, i.e. user:secret123."
    ),
    "general.stats.allowedUsers": ModelRelationField("haproxy.user", multiple=True, message="Related user not found"),
    "general.stats.allowedGroups": ModelRelationField(
        "haproxy.group", multiple=True, message="Related group not found"
    ),
    "general.stats.customOptions": TextField(),
    "general.stats.prometheus_enabled": BooleanField(),
    "general.stats.prometheus_bind": CSVListField(
        mask=PROMETHEUS_BIND,
        message="Please provide a valid listen address, i.e. 10.0.0.1:8404 or haproxy.example.com:8404.",
        default="*:8404",
        lower=True,
    ),
    "general.stats.prometheus_path": text(2048, default="/metrics"),
    "general.cache.enabled": BooleanField(),
    "general.cache.totalMaxSize": integer(1, 4095, default="4", required=True),
    "general.cache.maxAge": integer(1, 3600, default="60"),
    "general.cache.maxObjectSize": integer(1, 2146435072),
    "general.cache.processVary": BooleanField(),
    "general.cache.maxSecondaryEntries": IntegerField(
        minimum=1, message="Please specify a positive integer value.", default="10"
    ),
    "maintenance.cronjobs.syncCerts": BooleanField(),
    "maintenance.cronjobs.syncCertsCron": ModelRelationField(
        "cron.job", label="description", filters={"origin": "/HAProxy/"}, message="Related cron not found."
    ),
    "maintenance.cronjobs.updateOcsp": BooleanField(),
    "maintenance.cronjobs.updateOcspCron": ModelRelationField(
        "cron.job", label="description", filters={"origin": "/HAProxy/"}, message="Related cron not found."
    ),
    "maintenance.cronjobs.reloadService": BooleanField(),
    "maintenance.cronjobs.reloadServiceCron": ModelRelationField(
        "cron.job", label="description", filters={"origin": "/HAProxy/"}, message="Related cron not found."
    ),
    "maintenance.cronjobs.restartService": BooleanField(),
    "maintenance.cronjobs.restartServiceCron": ModelRelationField(
        "cron.job", label="description", filters={"origin": "/HAProxy/"}, message="Related cron not found."
    ),
}
