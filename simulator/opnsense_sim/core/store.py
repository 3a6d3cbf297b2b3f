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
from .values import php_float_str

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
    """One saved configuration: what /conf/backup/config-<microtime>.xml holds (generic.md 8)."""

    id: str  # the backup file name, "config-<microtime>.xml"
    time: float
    description: str
    username: str
    data: Data = field(repr=False)
    settings: Settings = field(repr=False)
    apitoken: str = ""
    persisted: dict[str, float] = field(default_factory=dict, repr=False)  # model name -> persisted_at
    size: int | None = None  # cached size of the rendered file


def _pay(seconds: float) -> None:
    """Sleep only for a real cost: even sleep(0) gives up the CPU."""
    if seconds > 0:
        time.sleep(seconds)


FACTORY_USER = "(root)"  # Config::getRevisionContext() outside a session: "(" . whoami . ")"
FACTORY_DESCRIPTION = "opnsense-sim factory configuration"


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
    def factory(self, initial: tuple[Data, Settings] | None = None, revision: dict[str, Any] | None = None) -> None:
        """Factory state, or `initial` (a loaded config.xml) as both config and running state."""
        with self.lock:
            if initial is None:
                data: Data = {key: {} for key in self.itemtypes}
                settings: Settings = {m.name: {p: f.default for p, f in m.settings.items()} for m in self.models}
            else:
                data, settings = initial
                for key in self.itemtypes:
                    data.setdefault(key, {})
            self.config: Data = data
            self.settings: Settings = settings
            self.running: Data = dict(data)
            self.running_settings: Settings = {k: dict(v) for k, v in settings.items()}
            self.pending: set[str] = set()
            self.revisions: list[Revision] = []
            now = time.time()
            self.persisted: dict[str, float] = {m.name: now for m in self.models}
            # The first revision is taken lazily, so install() hooks can still shape the factory state.
            self._base_revision = dict(revision or {})

    def view(self) -> View:
        return View(self.config, self.settings)

    def running_view(self) -> View:
        return View(self.running, self.running_settings)

    # -- writing -----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, description: str = "", username: str = "root", apitoken: str = "") -> Iterator[Txn]:
        """Lock, work on a copy, and commit it if the action called `txn.save()`."""
        if self.unsafe:
            base = (self.config, self.settings)
            txn = Txn(*base)
            yield txn
            if txn.saved:
                _pay(self.write_cost())
                with self.lock:
                    # The whole config read at request start is written back: lost updates.
                    self._commit(txn, True, description or txn.description, username, apitoken)
            return
        with self.lock:
            txn = Txn(self.config, self.settings)
            yield txn
            if txn.saved:
                _pay(self.write_cost())
                self._commit(txn, False, description or txn.description, username, apitoken)

    def _commit(self, txn: Txn, whole: bool, description: str, username: str, apitoken: str = "") -> None:
        self._ensure_base_revision()
        if whole:
            self.config = dict(txn._data)
            self.settings = dict(txn._settings)
        else:
            config = dict(self.config)
            for key in txn.touched:
                config[key] = txn._data[key]
            settings = dict(self.settings)
            for model in txn.touched_settings:
                settings[model] = txn._settings[model]
            self.config, self.settings = config, settings
        self._mark_pending(set(txn.touched), set(txn.touched_settings))
        self._record(description, username, apitoken)

    def _mark_pending(self, keys: set[str], setting_models: set[str]) -> None:
        now = time.time()
        for key in keys:
            self.pending.add(key)
            self.persisted[self.model_of[key].name] = now
        for model in setting_models:
            self.pending.add(f"{model}.settings")
            self.persisted[model] = now
        # Models without a subsystem (categories) are live as soon as they are saved.
        live = [key for key in keys if self.model_of[key].subsystem is None]
        if live:
            self.running = {**self.running, **{key: self.config[key] for key in live}}
            self.pending.difference_update(live)
        live_settings = [m.name for m in self.models if m.subsystem is None and m.name in setting_models]
        if live_settings:
            self.running_settings = {**self.running_settings, **{n: dict(self.settings[n]) for n in live_settings}}
            self.pending.difference_update(f"{n}.settings" for n in live_settings)

    def _record(self, description: str, username: str, apitoken: str) -> Revision:
        """Config::save(): a new backup revision, then old ones beyond backup_count are removed."""
        now = time.time()
        rev = Revision(
            id=self._revision_id(now),
            time=now,
            description=description,
            username=username,
            apitoken=apitoken,
            data=dict(self.config),
            settings={k: dict(v) for k, v in self.settings.items()},
            persisted=dict(self.persisted),
        )
        self.revisions.append(rev)
        if self.backup_count >= 0:
            del self.revisions[: -self.backup_count or len(self.revisions)]
        for listener in self.listeners:
            listener(self)
        return rev

    def _revision_id(self, now: float) -> str:
        stamp = php_float_str(now)
        name = f"config-{stamp}.xml"
        if any(r.id == name for r in self.revisions[-5:]):
            name = f"config-{stamp}_{time.monotonic_ns() % 1_000_000_000}.xml"
        return name

    def _ensure_base_revision(self) -> None:
        """The backup that exists before the first save (the factory or loaded config.xml)."""
        if self.revisions or self._base_revision is None:
            return
        meta = self._base_revision
        self._base_revision = None
        when = float(meta.get("time") or time.time())
        self.revisions.append(
            Revision(
                id=f"config-{php_float_str(when)}.xml",
                time=when,
                description=str(meta.get("description", FACTORY_DESCRIPTION)),
                username=str(meta.get("username", FACTORY_USER)),
                apitoken=str(meta.get("user_apitoken", "")),
                data=dict(self.config),
                settings={k: dict(v) for k, v in self.settings.items()},
                persisted=dict(self.persisted),
            )
        )

    # -- history -----------------------------------------------------------------------------------
    def history(self) -> list[Revision]:
        """Every kept revision, oldest first."""
        with self.lock:
            self._ensure_base_revision()
            return list(self.revisions)

    def revision(self, rev_id: str) -> Revision | None:
        return next((r for r in self.history() if r.id == rev_id), None)

    def delete_revision(self, rev_id: str) -> bool:
        with self.lock:
            self._ensure_base_revision()
            for i, rev in enumerate(self.revisions):
                if rev.id == rev_id:
                    del self.revisions[i]
                    return True
            return False

    def restore(self, rev_id: str, description: str, username: str, apitoken: str = "") -> bool:
        """restoreBackup() then save(): the revision's config becomes current, as a new revision."""
        with self.lock:
            self._ensure_base_revision()
            rev = next((r for r in self.revisions if r.id == rev_id), None)
            if rev is None:
                return False
            _pay(self.write_cost())
            keys = {k for k in set(self.config) | set(rev.data) if self.config.get(k) is not rev.data.get(k)}
            models = {m for m in set(self.settings) | set(rev.settings) if self.settings.get(m) != rev.settings.get(m)}
            self.config = {**{k: {} for k in self.itemtypes}, **rev.data}
            self.settings = {k: dict(v) for k, v in rev.settings.items()}
            self._mark_pending({k for k in keys if k in self.model_of}, models)
            self._record(description, username, apitoken)
            return True

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
            config, running = self.config, self.running
            settings, running_settings = self.settings, self.running_settings
            pending = sorted(self.pending)
        return {
            "config": {k: {u: dict(i) for u, i in v.items()} for k, v in config.items()},
            "running": {k: {u: dict(i) for u, i in v.items()} for k, v in running.items()},
            "settings": {k: dict(v) for k, v in settings.items()},
            "running_settings": {k: dict(v) for k, v in running_settings.items()},
            "pending": pending,
        }
