"""The `haproxy` model: mount OPNsense/HAProxy, version 5.0.0, reload subsystem "haproxy".

Item containers are listed in HAProxy.xml order, which is config.xml order: the safe-delete scan
reports referrers in that order (haproxy.md 4), and the whole-model `get` lists them so.
"""

from __future__ import annotations

from ...core.fields import ItemType, Model
from .schema.acl import ACL
from .schema.action import ACTION
from .schema.backend import BACKEND
from .schema.frontend import FRONTEND
from .schema.general import SETTINGS
from .schema.healthcheck import HEALTHCHECK
from .schema.server import SERVER
from .schema.support import CPU, ERRORFILE, FCGI, GROUP, LUA, MAILER, MAPFILE, RESOLVER, USER

FRONTENDS = ItemType(key="haproxy.frontend", path="frontends.frontend", fields=FRONTEND)
BACKENDS = ItemType(key="haproxy.backend", path="backends.backend", fields=BACKEND)
SERVERS = ItemType(key="haproxy.server", path="servers.server", fields=SERVER)
HEALTHCHECKS = ItemType(key="haproxy.healthcheck", path="healthchecks.healthcheck", fields=HEALTHCHECK)
ACLS = ItemType(key="haproxy.acl", path="acls.acl", fields=ACL)
ACTIONS = ItemType(key="haproxy.action", path="actions.action", fields=ACTION)

ITEMS = [
    FRONTENDS,
    BACKENDS,
    SERVERS,
    HEALTHCHECKS,
    ACLS,
    ACTIONS,
    ItemType(key="haproxy.lua", path="luas.lua", fields=LUA),
    ItemType(key="haproxy.fcgi", path="fcgis.fcgi", fields=FCGI),
    ItemType(key="haproxy.errorfile", path="errorfiles.errorfile", fields=ERRORFILE),
    ItemType(key="haproxy.mapfile", path="mapfiles.mapfile", fields=MAPFILE),
    ItemType(key="haproxy.group", path="groups.group", fields=GROUP),
    ItemType(key="haproxy.user", path="users.user", fields=USER),
    ItemType(key="haproxy.cpu", path="cpus.cpu", fields=CPU),
    ItemType(key="haproxy.resolver", path="resolvers.resolver", fields=RESOLVER),
    ItemType(key="haproxy.mailer", path="mailers.mailer", fields=MAILER),
]

# Top-level order of the whole-model `get` (HAProxy.xml): settings live under general and maintenance.
TREE_ORDER = ["general", *(it.path.split(".")[0] for it in ITEMS), "maintenance"]

MODEL = Model(
    name="haproxy",
    mount="OPNsense/HAProxy",
    version="5.0.0",
    items=ITEMS,
    settings=SETTINGS,
    subsystem="haproxy",
    title="HAProxy",
    description="the HAProxy load balancer",
)
