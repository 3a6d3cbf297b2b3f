"""Masks, messages, shared option lists and small field builders used across HAProxy.xml.

Masks are the XML `<Mask>` patterns without their `/.../u` delimiters; the core Regex validator
compares the first match with the whole value, so a mask without `$` is still anchored
(haproxy.md 1.2).
"""

from __future__ import annotations

from typing import Any

from ....core.fields import IntegerField, TextField

TIMEOUT = r"^([0-9]{1,8}(?:us|ms|s|m|h|d)?)"
TIMEOUT_MSG = (
    'Should be a number between 1 and 8 characters, optionally followed by either "d", "h", "m", "s", "ms" or "us".'
)
TEXT_MSG = "Should be a string between 1 and %d characters."
LABEL = r"^[^\t^,^;^\.^\[^\]^\{^\}]{1,255}$"  # ACL, action, health check and helper-object names
TOKEN = r"^([0-9a-zA-Z._\-]){1,255}$"  # frontend, backend and server names, SNI, ... (pattern N)
HOST_LIST = r"^([0-9a-zA-Z\.,_\-:]){0,1024}$"
COOKIE_NAME = r"^([0-9a-zA-Z\.,_\-:]){1,1024}$"
COOKIE_NAME_MSG = "Does not look like a valid cookie name (most special characters are not allowed)."
STICK_SIZE = r"^([0-9]{1,5}[k|m|g]{1})*"
STICK_SIZE_MSG = 'Should be a number between 1 and 5 characters followed by either "k", "m" or "g".'
STICK_EXPIRE = r"^([0-9]{1,5}(?:ms|s|m|h|d)?)"
STICK_EXPIRE_MSG = 'Should be a number between 1 and 5 characters followed by either "d", "h", "m", "s" or "ms".'
MIME_LIST = r"^((([0-9a-zA-Z]+\/+[0-9a-zA-Z]+)([,]){0,1}))*"
MIME_LIST_MSG = "Please provide valid MIME types, i.e. text/css, text/html, application/json."
PAIR_LIST = r"^((([0-9a-zA-Z._\-]+:[0-9a-zA-Z._\-]+)([,]){0,1}))*"
SOURCE_ADDRESS = r"^((([0-9a-zA-Z._\-\*:]+)))*"
SOURCE_ADDRESS_MSG = (
    "Please specify a valid source address, i.e. 10.0.0.1 or loadbalancer.example.com:50000. "
    "Port range as start-end, i.e. 10.0.0.1:50000-60000."
)
# The bracket group is a character class upstream, not the alternation it looks like.
BIND_LIST = r"^((([quic4@|quic6@]*[0-9a-zA-Z._\-\*:\[\]]+:+[0-9]+(-[0-9]+)?|unix@[0-9a-z_\-]+)([,]){0,1}))*"
BIND_LIST_MSG = (
    "Please provide a valid listen address, i.e. 127.0.0.1:8080, [::1]:8080, www.example.com:443, "
    "quic4@www.example.com or unix@socket-name. Port range as start-end, i.e. 127.0.0.1:1220-1240."
)
PROMETHEUS_BIND = r"^((([0-9a-zA-Z._\-\*:\[\]]+:+[0-9]+(-[0-9]+)?|unix@[0-9a-z_\-]+)([,]){0,1}))*"
NAMESERVER_LIST = r"^((((udp@|tcp@)?[0-9a-zA-Z._\-\*:\[\]]+:[0-9]+(-[0-9]+)?)([,]){0,1}))*"
MAILSERVER_LIST = r"^((([0-9a-zA-Z._\-\*:\[\]]+:[0-9]+(-[0-9]+)?)([,]){0,1}))*"
SSL_CIPHER_LIST = (
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256"
)
SSL_CIPHER_SUITES = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"


def timeout(**kw: Any) -> TextField:
    """T8: 1-8 digits with an optional us/ms/s/m/h/d unit."""
    return TextField(mask=TIMEOUT, message=TIMEOUT_MSG, **kw)


def text(length: int, message: bool = True, **kw: Any) -> TextField:
    """`^.{1,<length>}$`; some XML fields carry no ValidationMessage and keep the core default."""
    return TextField(mask=r"^.{1,%d}$" % length, message=TEXT_MSG % length if message else None, **kw)


def text255(**kw: Any) -> TextField:
    return text(255, **kw)


def text1024(**kw: Any) -> TextField:
    return text(1024, **kw)


def text4096(**kw: Any) -> TextField:
    """ACL and action parameters: masked, but without a ValidationMessage ("Text does not validate.")."""
    return text(4096, message=False, **kw)


def label(**kw: Any) -> TextField:
    return TextField(mask=LABEL, message=TEXT_MSG % 255, **kw)


def token(**kw: Any) -> TextField:
    return TextField(mask=TOKEN, message=TEXT_MSG % 255, **kw)


def integer(minimum: int, maximum: int, message: str | None = None, **kw: Any) -> IntegerField:
    """IntegerField with bounds; the XML message is nearly always this sentence (a few say otherwise)."""
    text_ = message if message is not None else f"Please specify a value between {minimum} and {maximum}."
    return IntegerField(minimum=minimum, maximum=maximum, message=text_, **kw)


OPT_SSL_BIND_OPTIONS: dict[str, str] = {
    "no-sslv3": "no-sslv3",
    "no-tlsv10": "no-tlsv10",
    "no-tlsv11": "no-tlsv11",
    "no-tlsv12": "no-tlsv12",
    "no-tlsv13": "no-tlsv13",
    "no-tls-tickets": "no-tls-tickets",
    "force-sslv3": "force-sslv3",
    "force-tlsv10": "force-tlsv10",
    "force-tlsv11": "force-tlsv11",
    "force-tlsv12": "force-tlsv12",
    "force-tlsv13": "force-tlsv13",
    "prefer-client-ciphers": "prefer-client-ciphers",
    "strict-sni": "strict-sni",
}
OPT_TLS_VERSION: dict[str, str] = {
    "SSLv3": "SSLv3",
    "TLSv1.0": "TLSv1.0",
    "TLSv1.1": "TLSv1.1",
    "TLSv1.2": "TLSv1.2",
    "TLSv1.3": "TLSv1.3",
}
OPT_STICKINESS_DATA_TYPES: dict[str, str] = {
    "bytes_in_cnt": "Bytes in count (client to server)",
    "bytes_in_rate": "Bytes in rate (client to server)",
    "bytes_out_cnt": "Bytes out count (server to client)",
    "bytes_out_rate": "Bytes out rate (server to client)",
    "conn_cnt": "Connection count (total)",
    "conn_cur": "Connection count (current)",
    "conn_rate": "Connection rate",
    "glitch_cnt": "Glitch count",
    "glitch_rate": "Glitch rate",
    "gpc": "General Purpose Counters (array of elements)",
    "gpc_rate": "General Purpose Counter rate",
    "gpc0": "gpc0",
    "gpc0_rate": "gpc0 rate",
    "gpc1": "gpc1",
    "gpc1_rate": "gpc1 rate",
    "gpt": "General Purpose Tags (array of elements)",
    "gpt0": "gpt0",
    "http_err_cnt": "HTTP error count",
    "http_err_rate": "HTTP error rate",
    "http_fail_cnt": "HTTP fail count",
    "http_fail_rate": "HTTP fail rate",
    "http_req_cnt": "HTTP request count",
    "http_req_rate": "HTTP request rate",
    "server_id": "Server ID",
    "sess_cnt": "Session count",
    "sess_rate": "Session rate",
}
OPT_RESOLVER_OPTS: dict[str, str] = {
    "allow-dup-ip": "allow-dup-ip",
    "ignore-weight": "ignore-weight",
    "prevent-dup-ip": "prevent-dup-ip",
}
OPT_RESOLVE_PREFER: dict[str, str] = {"ipv4": "prefer IPv4", "ipv6": "prefer IPv6 [default]"}
OPT_COMPARISON: dict[str, str] = {
    "gt": "greater than",
    "ge": "greater equal",
    "eq": "equal",
    "lt": "less than",
    "le": "less equal",
}
OPT_VAR_SCOPE: dict[str, str] = {
    "proc": "variable is shared with the whole process",
    "sess": "variable is shared with the whole session",
    "txn": "variable is shared with the transaction (request/response)",
    "req": "variable is shared only during request processing",
    "res": "variable is shared only during response processing",
}
OPT_COMPRESSION_ALGO: dict[str, str] = {"gzip": "gzip [default]", "deflate": "deflate", "raw-deflate": "raw-deflate"}
