# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generic CRUD for any resource spec: list, get, upsert, delete, reload.

One :class:`ResourceService` per (client, spec). It speaks the generic MVC protocol
(opnsense-api/generic.md 4-6) with the command words the spec names, and knows its quirks:
``search`` rows mix in built-in and legacy objects that cannot be managed (firewall.md 1.4, 2.4),
``get`` answers ``[]`` (or an almost empty item for aliases) for an unknown uuid, creates are upserts
under a uuid the client generates (so a retry or a restore keeps the uuid), and failures come back
as ``{"result": "failed", "validations": {...}}`` or as HTTP 500 "in use" errors.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from typing import Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    InUseError,
    NotFoundError,
    PluginMissingError,
    ServerError,
    ValidationError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import reload_subsystem
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# setItem creates under an unknown id only when it is a lowercase UUIDv4 (generic.md 4).
UUID4_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def new_uuid() -> str:
    """A fresh lowercase UUIDv4, the only form ``set<Item>`` accepts for a create."""
    return str(uuidlib.uuid4())


def is_managed_row(row: Dict[str, Any]) -> bool:
    """False for rows that exist only virtually: built-in aliases (uuid = their name) and legacy or
    automatic filter rules (``legacy: true``); neither can be changed through set/del."""
    if row.get("legacy") in (True, 1, "1", "true"):
        return False
    return bool(UUID_RE.match(str(row.get("uuid", ""))))


def validation_errors(spec: ResourceSpec, validations: Any) -> List[Any]:
    """OPNsense's ``validations`` map as ``[(user field name, message)]``.

    Keys look like ``<key>.<field>``; a value is a string, or a list when one field has several
    messages (generic.md 4).
    """
    errors = []
    if not isinstance(validations, dict):
        return [("", str(validations))]
    for key, messages in validations.items():
        path = str(key)
        if path.startswith(spec.key + "."):
            path = path[len(spec.key) + 1 :]
        item = spec.by_api(path)
        name = item.name if item else path
        if not isinstance(messages, (list, tuple)):
            messages = [messages]
        for message in messages:
            errors.append((name, str(message)))
    return errors


class ResourceService(object):
    """CRUD of one resource type through one client."""

    def __init__(self, client: Any, spec: ResourceSpec) -> None:
        self.client = client
        self.spec = spec

    # -- reads --------------------------------------------------------------------------------

    def list(self) -> List[Dict[str, Any]]:
        """Every manageable object of the type as raw search rows: one ``search`` request."""
        return [row for row in self.list_all() if is_managed_row(row)]

    def list_all(self) -> List[Dict[str, Any]]:
        """Every row ``search`` returns, built-in and legacy ones included (they can be named, not
        changed): one request. For a settings type: its one object, as one row.

        POST, because the recordset search (filter rules) reads paging only from the body
        (generic.md 6); ``rowCount: -1`` means all rows in both search implementations.
        """
        if self.spec.settings:
            return [self._settings_row()]
        if self.spec.list_from:
            return self._rows_from()
        answer = self._call(
            lambda: self.client.post(self.spec.path("search"), {"current": 1, "rowCount": -1}, retry=True)
        )
        if not isinstance(answer, dict) or not isinstance(answer.get("rows"), list):
            raise ApiError("unexpected answer to %s: %r" % (self.spec.path("search"), _short(answer)))
        return [row for row in answer["rows"] if isinstance(row, dict)]

    def blank(self) -> Optional[Dict[str, Any]]:
        """The blank item ``get<Item>`` returns without a uuid: defaults, and every list field as
        the option map this firewall offers (generic.md 4 and 7). None when the answer has none.
        For a settings type: its node, flattened (its option maps give the option lists)."""
        if self.spec.settings:
            return dict((k, v) for k, v in self._settings_row().items() if k != "uuid")
        answer = self._call(lambda: self.client.get(self.spec.path("get")))
        item = answer.get(self.spec.key) if isinstance(answer, dict) else None
        return item if isinstance(item, dict) else None

    def get(self, uuid: str) -> Optional[Dict[str, Any]]:
        """One object in ``get`` shape, or None when the uuid is unknown."""
        if self.spec.settings:
            row = self._settings_row()
            return row if uuid == row["uuid"] else None
        answer = self._call(lambda: self.client.get(self.spec.path("get", uuid)))
        if not isinstance(answer, dict):
            return None  # unknown uuid -> [] (generic.md 3)
        item = answer.get(self.spec.key)
        if not isinstance(item, dict):
            return None
        # An unknown alias uuid returns {"alias": {"content": {...}}} rather than [] (firewall.md
        # 2.1): an item without its identity fields does not exist.
        first = self.spec.field(self.spec.identity[0]).api
        if first not in item:
            return None
        return item

    # -- writes -------------------------------------------------------------------------------

    def create(self, payload: Dict[str, Any], uuid: Optional[str] = None) -> str:
        """Create under a client-chosen uuid (``set`` upsert), so a retry cannot duplicate it."""
        self._no_settings("create")
        uuid = uuid or new_uuid()
        if not UUID4_RE.match(uuid):
            raise ValueError("create needs a lowercase UUIDv4, got %r" % uuid)
        self.upsert(uuid, payload)
        return uuid

    def upsert(self, uuid: str, payload: Dict[str, Any]) -> None:
        """``set<Item>/<uuid>``: update, or create when the uuid is new. Safe to retry.

        For a settings type: the whole-model ``set`` with the payload's dotted names nested under
        the node's path (a partial post: what it does not name stays as it is)."""
        if self.spec.settings:
            if uuid != self.spec.settings_uuid:
                raise ApiError(
                    "%s: settings are one object (uuid %s), not %s" % (self.spec.type, self.spec.settings_uuid, uuid)
                )
            path = self.spec.path("set")
            body = _nest(self.spec.key.split("."), payload)
            answer = self._call(lambda: self.client.post(path, body, retry=True))
            self._expect_saved(path + "/<uuid>", answer)
            return
        path = self.spec.path("set", uuid)
        answer = self._call(lambda: self.client.post(path, {self.spec.key: payload}, retry=True))
        self._expect_saved(path, answer)

    def update(self, uuid: str, payload: Dict[str, Any]) -> None:
        self.upsert(uuid, payload)

    def delete(self, uuid: str) -> bool:
        """Delete one object; True if it was deleted, False if it did not exist. Not retried."""
        self._no_settings("delete")
        path = self.spec.path("delete", uuid)
        try:
            answer = self._call(lambda: self.client.post(path))
        except ServerError as exc:
            # Safe delete refuses referenced objects with HTTP 500 (generic.md 5, haproxy.md 4).
            raise InUseError("cannot delete, OPNsense refused: %s" % _server_text(exc), details=exc.details) from None
        result = str((answer or {}).get("result", "")).strip().lower() if isinstance(answer, dict) else ""
        if result == "deleted":
            return True
        if result == "not found":
            return False
        raise ApiError("unexpected answer to POST /api/%s: %r" % (path, _short(answer)))

    def reload(self) -> Optional[Dict[str, Any]]:
        """Apply this type's subsystem (None when the type has none, like categories)."""
        if not self.spec.reload:
            return None
        return reload_subsystem(self.client, self.spec.reload)

    # -- helpers ------------------------------------------------------------------------------

    def _no_settings(self, what: str) -> None:
        if self.spec.settings:
            raise ApiError(
                "%s: settings cannot be created or deleted (%s refused): there is one per firewall, "
                "which is only ever updated" % (self.spec.type, what)
            )

    def _settings_row(self) -> Dict[str, Any]:
        """A settings type's node of the whole-model ``get``, flattened to dotted names, as one row
        under the type's fixed uuid."""
        path = self.spec.path("get")
        answer = self._call(lambda: self.client.get(path))
        node = answer
        for part in self.spec.key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            raise ApiError("unexpected answer to GET /api/%s: no %s in %r" % (path, self.spec.key, _short(answer)))
        row = _flatten(node)
        row["uuid"] = self.spec.settings_uuid
        return row

    def _rows_from(self) -> List[Dict[str, Any]]:
        """Every object as a get-shaped row, from the container of a whole-model read (``list_from``)."""
        path, container = self.spec.list_from  # type: ignore[misc]
        answer = self._call(lambda: self.client.get(path))
        node = answer
        for part in container.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, list) and not node:
            node = {}  # an empty container is an empty JSON array
        if not isinstance(node, dict):
            raise ApiError("unexpected answer to GET /api/%s: no %s in %r" % (path, container, _short(answer)))
        return [dict(item, uuid=uuid) for uuid, item in node.items() if isinstance(item, dict)]

    def _call(self, func: Any) -> Any:
        try:
            return func()
        except NotFoundError as exc:
            if not self.spec.plugin or isinstance(exc, PluginMissingError):
                raise
            url = exc.details.get("url", "its API")
        # A plugin endpoint answered 404. Either the plugin is missing or api_url does not point at the
        # OPNsense API at all: a core endpoint tells the two apart.
        try:
            self.client.get("core/firmware/status")
        except NotFoundError:
            raise NotFoundError(
                "api_url does not point at the OPNsense API: both %s and core/firmware/status answer "
                "HTTP 404; check api_url (for example https://firewall.example.com)" % url
            ) from None
        raise PluginMissingError(
            "the OPNsense plugin %s is not installed on this firewall (HTTP 404 on %s); install it under "
            "System > Firmware > Plugins" % (self.spec.plugin, url),
            details={"url": url},
        )

    def _expect_saved(self, path: str, answer: Any) -> None:
        if isinstance(answer, dict) and str(answer.get("result", "")).strip().lower() == "saved":
            return
        if isinstance(answer, dict) and answer.get("validations"):
            raise ValidationError(validation_errors(self.spec, answer["validations"]), source="opnsense")
        raise ApiError(
            "OPNsense did not save (POST /api/%s answered %r); no validation message was given"
            % (path.rsplit("/", 1)[0] + "/<uuid>", _short(answer))
        )


def _is_leaf(value: Any) -> bool:
    """A settings value: a string, a list, or an option map (``{key: {value, selected}}``, empty
    when the list offers nothing); any other dict is a sub-section."""
    if not isinstance(value, dict) or not value:
        return True
    return all(isinstance(v, dict) and "selected" in v for v in value.values())


def _flatten(node: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    """``{"tuning": {"maxConnections": "10"}}`` -> ``{"tuning.maxConnections": "10"}``."""
    out: Dict[str, Any] = {}
    for key, value in node.items():
        if _is_leaf(value):
            out[prefix + str(key)] = value
        else:
            out.update(_flatten(value, prefix + str(key) + "."))
    return out


def _nest(path: List[str], payload: Dict[str, Any]) -> Dict[str, Any]:
    """Dotted names back into nested dicts, under ``path`` (the reverse of :func:`_flatten`)."""
    inner: Dict[str, Any] = {}
    for dotted, value in payload.items():
        parts = dotted.split(".")
        node = inner
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    for part in reversed(path):
        inner = {part: inner}
    return inner


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 300 else text[:300] + "..."


def _server_text(exc: ServerError) -> str:
    """``<errorTitle>: <errorMessage>`` on one line (titles such as "... in use by:" end in a colon)."""
    title = str(exc.details.get("error_title") or "").strip().rstrip(":")
    message = "; ".join(
        line.strip() for line in str(exc.details.get("error_message") or exc.message).splitlines() if line.strip()
    )
    return "%s: %s" % (title, message) if title else message
