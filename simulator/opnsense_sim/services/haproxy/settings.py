"""HAProxy settings, /api/haproxy/settings/ (haproxy.md sections 1, 3-5).

SettingsController.php is a table of identical wrappers: per object a get/add/set/del/search and,
for objects with an `enabled` field, a toggle, plus the inherited whole-model `get`/`set`. The
table below is that file's content; the actions are built from it. Quirks kept from upstream:
- safe delete on every `del*` (internalModelUseSafeDelete, haproxy.md 4);
- `toggle*` never passes `$enabled` on, so `/toggleX/<uuid>/1` still flips and a uuid list is a
  UserException (haproxy.md 1.3); ACLs, health checks, FastCGI apps, error and map files have no
  toggle at all (404, haproxy.md 1.1);
- resolver and mailer methods are spelled in lower case upstream (PHP method lookup ignores case).
"""

from __future__ import annotations

from typing import Any, Callable

from ...app import action
from ...core.controller import MutableModelController
from .model import MODEL, TREE_ORDER

# (method stem, search stem, body key, model path, searchPhrase fields, toggle signature)
# toggle: None = no toggle action; "uuid" = toggleX($uuid); "enabled" = toggleX($uuid, $enabled = null)
OBJECTS: list[tuple[str, str, str, str, list[str], str | None]] = [
    ("Frontend", "Frontends", "frontend", "frontends.frontend", ["enabled", "name", "description"], "uuid"),
    ("Backend", "Backends", "backend", "backends.backend", ["enabled", "name", "description"], "enabled"),
    (
        "Server",
        "Servers",
        "server",
        "servers.server",
        ["enabled", "name", "type", "mode", "address", "port", "description"],
        "enabled",
    ),
    ("Healthcheck", "Healthchecks", "healthcheck", "healthchecks.healthcheck", ["name", "description"], None),
    ("Acl", "Acls", "acl", "acls.acl", ["name", "description"], None),
    ("Action", "Actions", "action", "actions.action", ["enabled", "name", "description"], "enabled"),
    ("Lua", "Luas", "lua", "luas.lua", ["enabled", "name", "description"], "enabled"),
    ("Fcgi", "Fcgis", "fcgi", "fcgis.fcgi", ["name", "description"], None),
    ("Errorfile", "Errorfiles", "errorfile", "errorfiles.errorfile", ["name", "description"], None),
    ("Mapfile", "Mapfiles", "mapfile", "mapfiles.mapfile", ["name", "description"], None),
    ("Cpu", "Cpus", "cpu", "cpus.cpu", ["enabled", "name", "thread_id", "cpu_id"], "enabled"),
    ("Group", "Groups", "group", "groups.group", ["enabled", "name", "description"], "enabled"),
    ("User", "Users", "user", "users.user", ["enabled", "name", "description"], "enabled"),
    ("resolver", "resolvers", "resolver", "resolvers.resolver", ["enabled", "name", "nameservers"], "enabled"),
    (
        "mailer",
        "mailers",
        "mailer",
        "mailers.mailer",
        ["enabled", "name", "mailservers", "sender", "recipient"],
        "enabled",
    ),
]


class SettingsController(MutableModelController):
    namespace = "HAProxy"
    name = "Settings"
    model = MODEL
    safe_delete = True

    @action
    def get(self, *_: str) -> dict[str, Any]:
        """Whole-model get, with the top-level keys in HAProxy.xml order."""
        result = self.get_model()
        if result:
            tree = result[MODEL.name]
            result[MODEL.name] = {key: tree[key] for key in TREE_ORDER if key in tree}
        return result

    @action
    def set(self, *_: str) -> dict[str, Any]:
        return self.set_model()


def _object_actions(key: str, path: str, fields: list[str], toggle: str | None) -> dict[str, Callable[..., Any]]:
    """The six wrappers of one object. Extra path segments are ignored, as PHP ignores extra arguments."""

    def get_(self: SettingsController, uuid: str | None = None, *_: str) -> dict[str, Any]:
        return self.get_base(key, path, uuid)

    def add_(self: SettingsController, *_: str) -> dict[str, Any]:
        return self.add_base(key, path)

    def set_(self: SettingsController, uuid: str, *_: str) -> dict[str, Any]:
        return self.set_base(key, path, uuid)

    def del_(self: SettingsController, uuid: str, *_: str) -> dict[str, Any]:
        return self.del_base(path, uuid)

    def search_(self: SettingsController, *_: str) -> dict[str, Any]:
        return self.search_base(path, fields, "name")

    def toggle_one(self: SettingsController, uuid: str, *_: str) -> dict[str, Any]:
        return self.toggle_base(path, uuid)

    def toggle_two(self: SettingsController, uuid: str, enabled: str | None = None, *_: str) -> dict[str, Any]:
        # haproxy.md 1.3: $enabled is accepted but never passed on, so this is always a flip.
        return self.toggle_base(path, uuid)

    built = {"get": get_, "add": add_, "set": set_, "del": del_, "search": search_}
    if toggle is not None:
        built["toggle"] = toggle_one if toggle == "uuid" else toggle_two
    return built


for _stem, _plural, _key, _path, _fields, _toggle in OBJECTS:
    for _verb, _fn in _object_actions(_key, _path, _fields, _toggle).items():
        _name = f"search{_plural}" if _verb == "search" else f"{_verb}{_stem}"
        _fn.__name__ = _fn.__qualname__ = _name
        setattr(SettingsController, _name, action(_fn))

MODELS = [MODEL]
CONTROLLERS = [SettingsController]
