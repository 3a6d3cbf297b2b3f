"""Server fields, `servers.server` (haproxy.md 3.1)."""

from __future__ import annotations

from ....core.fields import BooleanField, ModelRelationField, OptionField, TextField, UniqueIdField
from .fieldtypes import CertificateField
from .patterns import (
    HOST_LIST,
    OPT_RESOLVE_PREFER,
    OPT_RESOLVER_OPTS,
    SOURCE_ADDRESS,
    SOURCE_ADDRESS_MSG,
    integer,
    text255,
    timeout,
    token,
)

SERVER = {
    "id": UniqueIdField(required=True),
    "enabled": BooleanField(default="1", required=True),
    "name": token(required=True),
    "description": text255(),
    "address": TextField(mask=HOST_LIST, message="Please specify a valid servername or IP address."),
    "port": integer(1, 65535),
    "checkport": integer(1, 65535),
    "mode": OptionField({"active": "active [default]", "backup": "backup", "disabled": "disabled"}, default="active"),
    "multiplexer_protocol": OptionField(
        {"unspecified": "auto-selection [recommended]", "fcgi": "FastCGI", "h2": "HTTP/2", "h1": "HTTP/1.1"},
        default="unspecified",
    ),
    "type": OptionField(
        {"static": "static", "template": "template", "unix": "unix socket"}, default="static", required=True
    ),
    "serviceName": TextField(mask=HOST_LIST, message="Please specify a valid service name."),
    "number": TextField(mask=r"^[0-9]+(-[0-9]+)?", message="Please specify a valid number or range."),
    "linkedResolver": ModelRelationField("haproxy.resolver", message="Related resolver not found"),
    "resolverOpts": OptionField(OPT_RESOLVER_OPTS, multiple=True),
    "resolvePrefer": OptionField(OPT_RESOLVE_PREFER),
    "ssl": BooleanField(required=True),
    "sslSNI": token(),
    "sslSNIExpr": text255(),
    "sslVerify": BooleanField(default="1", required=True),
    "sslCA": CertificateField("ca", multiple=True, message="Please select one or more CAs from the list."),
    "sslCRL": CertificateField("crl", message="Please select a valid CRL from the list."),
    "sslClientCertificate": CertificateField("cert", message="Please select a valid certificate from the list."),
    "maxConnections": integer(0, 10000000),
    "weight": integer(0, 256),
    "checkInterval": timeout(),
    "checkDownInterval": timeout(),
    "source": TextField(mask=SOURCE_ADDRESS, message=SOURCE_ADDRESS_MSG, lower=True),
    "advanced": TextField(),
    "unix_socket": ModelRelationField(
        "haproxy.frontend", filters={"bind": "/unix@/"}, message="Related frontend item not found"
    ),
}
