"""The configuration: `config` versus `running` per subsystem, revisions, and writer serialisation.

Containers (one dict of uuid -> item per item type) are never mutated once committed: a write
copies the containers it touches and commits by replacing them. Readers therefore see a consistent
snapshot without locks, and a revision snapshot costs one shallow dict copy.

Writers are serialised as in 26.7 (Config::lock() then reload, generic.md section 8). With
`unsafe_concurrent_writes` each write starts from the whole config as it was when the request
began, waits its write cost and writes the whole config back: concurrent writes lose updates, as
releases before 25.1.2 did (opnsense/core issues 1251 and 7954).
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .fields import ItemType, Model

Data = dict[str, dict[str, dict[str, str]]]  # item key -> uuid -> field -> value
Settings = dict[str, dict[str, str]]  # model name -> dotted path -> value


class View:
    """A read-only snapshot of the config."""

    def __init__(self, data: Data, settings: Settings) -> None:
        self._data = data
        self._settings = settings

    def items(self, key: str) -> dict[str, dict[str, str]]:
        return self._data.get(key, {})

    def item(self, key: str, uuid: str) -> dict[str, str] | None:
        return self._data.get(key, {}).get(uuid)

    def setting(self, model: str, path: str, default: str = "") -> str:
        return self._settings.get(model, {}).get(path, default)

    def settings(self, model: str) -> dict[str, str]:
        return self._settings.get(model, {})

    def find_uuid(self, uuid: str) -> tuple[str, dict[str, str]] | None:
        for key, container in self._data.items():
            if uuid in container:
                return key, container[uuid]
        return None

    def snapshot(self) -> tuple[Data, Settings]:
        return dict(self._data), {k: dict(v) for k, v in self._settings.items()}


class Txn(View):
    """A copy-on-write change set over a base snapshot."""

    def __init__(self, data: Data, settings: Settings) -> None:
        super().__init__(dict(data), {k: v for k, v in settings.items()})
        self.touched: set[str] = set()
        self.touched_settings: set[str] = set()
        self.saved = False
        self.description = ""

    def _container(self, key: str) -> dict[str, dict[str, str]]:
        if key not in self.touched:
            self._data[key] = dict(self._data.get(key, {}))
            self.touched.add(key)
        return self._data[key]

    def put(self, key: str, uuid: str, item: dict[str, str]) -> None:
        self._container(key)[uuid] = dict(item)

    def delete(self, key: str, uuid: str) -> None:
        self._container(key).pop(uuid, None)

    def set_setting(self, model: str, path: str, value: str) -> None:
        if model not in self.touched_settings:
            self._settings[model] = dict(self._settings.get(model, {}))
            self.touched_settings.add(model)
        self._settings[model][path] = value

    def save(self) -> None:
        """Config::save(): the change set is written when the action finishes."""
        self.saved = True


@dataclass
class Revision:
    id: str
    time: float
    description: str
    username: str
    data: Data = field(repr=False)
    settings: Settings = field(repr=False)


class Store:
    """All configuration, its running copy and its history."""

    def __init__(
        self,
        models: list[Model],
        unsafe_concurrent_writes: bool = False,
        write_cost: Callable[[], float] = lambda: 0.0,
        backup_count: int = 100,
    ) -> None:
        self.models = list(models)
        self.itemtypes: dict[str, ItemType] = {}
        self.model_of: dict[str, Model] = {}
        for m in models:
            for it in m.items:
                self.itemtypes[it.key] = it
                self.model_of[it.key] = m
        self.unsafe = unsafe_concurrent_writes
        self.write_cost = write_cost
        self.backup_count = backup_count
        self.lock = threading.RLock()
        self.listeners: list[Callable[[Store], None]] = []
        self.factory()

    # -- state -------------------------------------------------------------------------------------
    def factory(self, initial: tuple[Data, Settings] | None = None) -> None:
        with self.lock:
            if initial is None:
                data: Data = {key: {} for key in self.itemtypes}
                settings: Settings = {m.name: {p: f.default for p, f in m.settings.items()} for m in self.models}
            else:
                data, settings = initial
            self.config: Data = data
            self.settings: Settings = settings
            self.running: Data = dict(data)
            self.running_settings: Settings = {k: dict(v) for k, v in settings.items()}
            self.pending: set[str] = set()
            self.revisions: list[Revision] = []

    def view(self) -> View:
        return View(self.config, self.settings)

    def running_view(self) -> View:
        return View(self.running, self.running_settings)

    # -- writing -----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, description: str = "", username: str = "root") -> Iterator[Txn]:
        """Lock, work on a copy, and commit it if the action called `txn.save()`."""
        if self.unsafe:
            base = (self.config, self.settings)
            txn = Txn(*base)
            yield txn
            if txn.saved:
                time.sleep(self.write_cost())
                with self.lock:
                    # The whole config read at request start is written back: lost updates.
                    self._commit(txn, whole=True, description=description or txn.description, username=username)
            return
        with self.lock:
            txn = Txn(self.config, self.settings)
            yield txn
            if txn.saved:
                time.sleep(self.write_cost())
                self._commit(txn, whole=False, description=description or txn.description, username=username)

    def _commit(self, txn: Txn, whole: bool, description: str, username: str) -> None:
        if whole:
            self.config = dict(txn._data)
            self.settings = dict(txn._settings)
            touched_keys = set(txn.touched)
        else:
            config = dict(self.config)
            for key in txn.touched:
                config[key] = txn._data[key]
            settings = dict(self.settings)
            for model in txn.touched_settings:
                settings[model] = txn._settings[model]
            self.config, self.settings = config, settings
            touched_keys = set(txn.touched)
        for key in touched_keys:
            self.pending.add(key)
        for model in txn.touched_settings:
            self.pending.add(f"{model}.settings")
        # Models without a subsystem (categories) are live as soon as they are saved.
        for key in touched_keys:
            if self.model_of[key].subsystem is None:
                self.running = {**self.running, key: self.config[key]}
                self.pending.discard(key)
        now = time.time()
        self.revisions.append(
            Revision(
                id=f"{now:.4f}",
                time=now,
                description=description,
                username=username,
                data=dict(self.config),
                settings={k: dict(v) for k, v in self.settings.items()},
            )
        )
        del self.revisions[: -self.backup_count]
        for listener in self.listeners:
            listener(self)

    # -- reloading ---------------------------------------------------------------------------------
    def reload(self, subsystem: str) -> None:
        """A service reload: running becomes config for every model of the subsystem."""
        with self.lock:
            running = dict(self.running)
            settings = dict(self.running_settings)
            for m in self.models:
                if m.subsystem != subsystem:
                    continue
                for it in m.items:
                    running[it.key] = self.config.get(it.key, {})
                    self.pending.discard(it.key)
                settings[m.name] = dict(self.settings.get(m.name, {}))
                self.pending.discard(f"{m.name}.settings")
            self.running, self.running_settings = running, settings

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {
                "config": {k: {u: dict(i) for u, i in v.items()} for k, v in self.config.items()},
                "running": {k: {u: dict(i) for u, i in v.items()} for k, v in self.running.items()},
                "settings": {k: dict(v) for k, v in self.settings.items()},
                "running_settings": {k: dict(v) for k, v in self.running_settings.items()},
                "pending": sorted(self.pending),
            }
