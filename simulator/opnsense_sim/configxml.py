"""The configuration as an OPNsense config.xml: rendering, parsing, and the `--state-file` writer.

Layout follows BaseModel::toXML and Config::__toString (26.7.2): the document root is <opnsense>;
each model sits at its mount path ("OPNsense/Firewall/Alias", or legacy ones such as "vlans") with
version="..." and persisted_at="..." on its root element; settings are nested elements; every item
is a `<alias uuid="...">` child of its container path; an empty value is an empty element; the
current save's <revision> closes the document. Parts of a loaded file that no simulated model owns
are kept and written back, so a real config.xml survives a round trip.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
import uuid as uuidlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from .core.fields import ItemType, Model
from .core.store import Data, Revision, Settings, Store
from .environment import Environment, Interface

if TYPE_CHECKING:
    from .app import App

INDENT = "  "
# <interfaces><lan> children the simulator reads and writes, and the Interface attribute for each.
IFACE_TAGS = {
    "if": "device",
    "descr": "descr",
    "ipaddr": "ipaddr",
    "subnet": "subnet",
    "ipaddrv6": "ipaddrv6",
    "subnetv6": "subnetv6",
    "gateway": "gateway",
}


def _text(value: str) -> str:
    return escape(value, {"\r": "&#13;"})


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _mount_parts(model: Model) -> list[str]:
    return [p for p in model.mount.rstrip("+").split("/") if p]


# -- rendering -------------------------------------------------------------------------------------
@dataclass
class Snapshot:
    """What one config.xml holds: the data, the settings and the revision that saved them."""

    data: Data
    settings: Settings
    persisted: dict[str, float]
    revision: dict[str, str]


def snapshot_of(rev: Revision) -> Snapshot:
    meta = {"username": rev.username}
    if rev.apitoken:
        meta["user_apitoken"] = rev.apitoken
    meta["description"] = rev.description
    meta["time"] = "%0.2f" % rev.time
    return Snapshot(rev.data, rev.settings, rev.persisted, meta)


class Renderer:
    """Renders config.xml; caches each item container's XML while the container is unchanged."""

    def __init__(self, models: list[Model]) -> None:
        self.models = models
        self._cache: dict[str, tuple[Any, str]] = {}
        self._lock = threading.Lock()

    def render(self, snap: Snapshot, env: Environment, preserved: dict[str, Any] | None = None) -> str:
        preserved = preserved or {}
        out = ['<?xml version="1.0"?>', "<opnsense>"]
        out.append(self._system(env, preserved.get("system")))
        out.append(self._interfaces(env))
        tree: dict[str, Any] = {}
        for model in self.models:
            node = tree
            parts = _mount_parts(model)
            for part in parts[:-1]:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    break
            else:
                node[parts[-1]] = model
        for path, raw in preserved.get("elements", []):
            node = tree
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node.setdefault(("raw", len(node)), raw)
        self._emit_tree(tree, snap, out, 1)
        out.append(f"{INDENT}<revision>")
        for key, value in snap.revision.items():
            out.append(f"{INDENT * 2}<{key}>{_text(value)}</{key}>")
        out.append(f"{INDENT}</revision>")
        out.append("</opnsense>")
        return "\n".join(out) + "\n"

    def _system(self, env: Environment, raw: ET.Element | None) -> str:
        if raw is None:
            raw = ET.Element("system")
        for tag, value in (("hostname", env.hostname), ("domain", env.domain)):
            child = raw.find(tag)
            if child is None:
                child = ET.SubElement(raw, tag)
            child.text = value
        return _raw_xml(raw, 1)

    def _interfaces(self, env: Environment) -> str:
        lines = [f"{INDENT}<interfaces>"]
        for iface in env.interfaces:
            lines.append(f"{INDENT * 2}<{iface.key}>")
            lines.append(f"{INDENT * 3}<enable>1</enable>")
            for tag, attr in IFACE_TAGS.items():
                value = str(getattr(iface, attr, "") or "")
                if value:
                    lines.append(f"{INDENT * 3}<{tag}>{_text(value)}</{tag}>")
            if getattr(iface, "virtual", False):
                lines.append(f"{INDENT * 3}<virtual>1</virtual>")
            lines.append(f"{INDENT * 2}</{iface.key}>")
        lines.append(f"{INDENT}</interfaces>")
        return "\n".join(lines)

    def _emit_tree(self, tree: dict[Any, Any], snap: Snapshot, out: list[str], level: int) -> None:
        pad = INDENT * level
        for key, node in tree.items():
            if isinstance(key, tuple):
                out.append(node)
            elif isinstance(node, Model):
                out.append(self._model(node, snap, level))
            else:
                out.append(f"{pad}<{key}>")
                self._emit_tree(node, snap, out, level + 1)
                out.append(f"{pad}</{key}>")

    def _model(self, model: Model, snap: Snapshot, level: int) -> str:
        pad = INDENT * level
        tag = _mount_parts(model)[-1]
        attrs = ""
        if model.version:
            attrs += f' version="{_attr(model.version)}"'
            attrs += f' persisted_at="{snap.persisted.get(model.name, 0.0):0.2f}"'
            description = getattr(model, "description", "")
            if description:
                attrs += f' description="{_attr(description)}"'
        body: dict[str, Any] = {}
        settings = snap.settings.get(model.name, {})
        for dotted, f in model.settings.items():
            if f.volatile:
                continue
            _place(body, dotted.split("."), ("value", settings.get(dotted, f.default)))
        for it in model.items:
            parts = it.path.split(".")
            _place(body, parts[:-1] + [("items", it.key)], it)
        lines = [f"{pad}<{tag}{attrs}>"]
        self._emit_body(body, snap, lines, level + 1)
        lines.append(f"{pad}</{tag}>")
        return "\n".join(lines)

    def _emit_body(self, body: dict[Any, Any], snap: Snapshot, out: list[str], level: int) -> None:
        pad = INDENT * level
        for key, node in body.items():
            if isinstance(key, tuple):
                out.append(self._container(node, snap.data.get(node.key, {}), level))
            elif isinstance(node, tuple):
                value = str(node[1])
                out.append(f"{pad}<{key}>{_text(value)}</{key}>" if value != "" else f"{pad}<{key}/>")
            elif not node:
                out.append(f"{pad}<{key}/>")
            else:
                inner: list[str] = []
                self._emit_body(node, snap, inner, level + 1)
                inner = [line for line in inner if line]
                if inner:
                    out.append(f"{pad}<{key}>")
                    out.extend(inner)
                    out.append(f"{pad}</{key}>")
                else:
                    out.append(f"{pad}<{key}/>")

    def _container(self, it: ItemType, container: dict[str, dict[str, str]], level: int) -> str:
        cache_key = f"{it.key}@{level}"
        with self._lock:
            hit = self._cache.get(cache_key)
        if hit is not None and hit[0] is container:
            return hit[1]
        tag = it.path.split(".")[-1]
        pad = INDENT * level
        tree = _item_tree(it)
        lines: list[str] = []
        for uuid, item in container.items():
            lines.append(f'{pad}<{tag} uuid="{_attr(uuid)}">')
            _emit_item(tree, item, lines, level + 1)
            lines.append(f"{pad}</{tag}>")
        text = "\n".join(lines)
        with self._lock:
            self._cache[cache_key] = (container, text)
        return text


def _place(body: dict[Any, Any], parts: list[Any], leaf: Any) -> None:
    node = body
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = node[part] = {}
        node = nxt
    node[parts[-1]] = leaf


def _item_tree(it: ItemType) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name, f in it.fields.items():
        if f.volatile:
            continue
        node = tree
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = (name, f)
    return tree


def _emit_item(tree: dict[str, Any], item: dict[str, str], out: list[str], level: int) -> None:
    pad = INDENT * level
    for tag, node in tree.items():
        if isinstance(node, dict):
            out.append(f"{pad}<{tag}>")
            _emit_item(node, item, out, level + 1)
            out.append(f"{pad}</{tag}>")
            continue
        name, f = node
        value = item.get(name, f.default)
        out.append(f"{pad}<{tag}>{_text(value)}</{tag}>" if value != "" else f"{pad}<{tag}/>")


def _raw_xml(element: ET.Element, level: int) -> str:
    element = _copy(element)
    ET.indent(element, space=INDENT, level=level)
    element.tail = None
    return INDENT * level + ET.tostring(element, encoding="unicode", short_empty_elements=True)


def _copy(element: ET.Element) -> ET.Element:
    return ET.fromstring(ET.tostring(element))


# -- parsing ---------------------------------------------------------------------------------------
@dataclass
class Loaded:
    data: Data
    settings: Settings
    revision: dict[str, str]
    preserved: dict[str, Any] = field(default_factory=dict)
    persisted: dict[str, float] = field(default_factory=dict)


def parse(text: str | bytes, models: list[Model], env: Environment | None = None) -> Loaded:
    """Reads a config.xml: model items and settings, the revision, hostname, domain and interfaces."""
    root = ET.fromstring(text)
    data: Data = {}
    settings: Settings = {}
    persisted: dict[str, float] = {}
    mounts: dict[tuple[str, ...], Model] = {tuple(_mount_parts(m)): m for m in models}
    prefixes = {parts[:i] for parts in mounts for i in range(1, len(parts))}
    for model in models:
        node = root
        for part in _mount_parts(model):
            node = node.find(part) if node is not None else None
        settings[model.name] = {p: f.default for p, f in model.settings.items()}
        for it in model.items:
            data[it.key] = {}
        if node is None:
            continue
        try:
            persisted[model.name] = float(node.get("persisted_at", "0"))
        except ValueError:
            pass
        for dotted in model.settings:
            leaf = node.find("/".join(dotted.split(".")))
            if leaf is not None:
                settings[model.name][dotted] = leaf.text or ""
        for it in model.items:
            parts = it.path.split(".")
            container = node.find("/".join(parts[:-1])) if len(parts) > 1 else node
            if container is None:
                continue
            items = data[it.key]
            for child in container.findall(parts[-1]):
                uuid = child.get("uuid") or str(uuidlib.uuid4())
                item = {}
                for name, f in it.fields.items():
                    if f.volatile:
                        continue
                    leaf = child.find("/".join(name.split(".")))
                    item[name] = (leaf.text or "") if leaf is not None else f.default
                items[uuid] = item
    revision: dict[str, str] = {}
    rev = root.find("revision")
    if rev is not None:
        revision = {child.tag: child.text or "" for child in rev}
    preserved: dict[str, Any] = {"elements": []}

    def walk(element: ET.Element, path: tuple[str, ...]) -> None:
        for child in element:
            here = path + (child.tag,)
            if here in mounts:
                continue
            if here in prefixes:
                walk(child, here)
            elif here == ("system",):
                preserved["system"] = child
            elif here in (("revision",), ("interfaces",)):
                continue
            else:
                preserved["elements"].append((here, _raw_xml(child, len(here))))

    walk(root, ())
    if env is not None:
        _read_env(root, env)
    return Loaded(data, settings, revision, preserved, persisted)


def _read_env(root: ET.Element, env: Environment) -> None:
    system = root.find("system")
    if system is not None:
        env.hostname = system.findtext("hostname") or env.hostname
        env.domain = system.findtext("domain") or env.domain
    interfaces = root.find("interfaces")
    if interfaces is None:
        return
    for child in interfaces:
        values = {attr: child.findtext(tag) for tag, attr in IFACE_TAGS.items() if child.find(tag) is not None}
        current = env.interface(child.tag)
        if current is None:
            current = Interface(child.tag, values.get("descr") or child.tag.upper(), values.get("device") or "")
            env.interfaces.append(current)
        for attr, value in values.items():
            setattr(current, attr, value or "")
        current.virtual = child.findtext("virtual") == "1"


# -- the --state-file ------------------------------------------------------------------------------
class StateFile:
    """Writes config.xml atomically (temp file, fsync, rename) after every save."""

    def __init__(self, app: "App", path: Path) -> None:
        self.app = app
        self.path = path
        self.renderer = Renderer(app.models)

    def __call__(self, store: Store) -> None:
        revisions = store.revisions
        if revisions:
            snap = snapshot_of(revisions[-1])
            snap = dataclasses.replace(snap, data=store.config, settings=store.settings, persisted=store.persisted)
        else:
            snap = Snapshot(store.config, store.settings, store.persisted, {})
        self.write(self.renderer.render(snap, self.app.env, self.app.extra.get("configxml_preserved")))

    def write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o640)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def attach_state_file(app: "App", path: str | Path, load: bool = True) -> StateFile:
    """Persist `app`'s configuration in `path`: load it first if it exists (running = config), then
    rewrite it atomically on every save. With load=False (a reset) the current state overwrites it."""
    path = Path(path)
    if load and path.exists():
        loaded = parse(path.read_bytes(), app.models, app.env)
        app.store.factory(initial=(loaded.data, loaded.settings), revision=loaded.revision or None)
        app.store.persisted.update(loaded.persisted)
        app.extra["configxml_preserved"] = loaded.preserved
        writer = StateFile(app, path)
    else:
        writer = StateFile(app, path)
        app.store.history()  # the factory revision, so the file carries it
        writer(app.store)
    app.store.listeners.append(writer)
    app.extra["state_file"] = writer
    return writer


def render_revision(app: "App", rev: Revision) -> str:
    """The backup file of one revision (GET /api/core/backup/download/this/<id>)."""
    renderer = app.extra.get("configxml_renderer")
    if renderer is None:
        renderer = app.extra["configxml_renderer"] = Renderer(app.models)
    return renderer.render(snapshot_of(rev), app.env, app.extra.get("configxml_preserved"))


__all__ = ["attach_state_file", "parse", "render_revision", "Renderer", "Snapshot", "StateFile"]
