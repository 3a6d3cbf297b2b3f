# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every run against one firewall holds for its whole length: the session.

A plan, an apply, a checkpoint and a restore all need the same few things, and need them to be the
same objects for the whole task: the client pool (one connection per worker thread), the state
folder and its lock, the redactor (which learns every secret the run meets, so that nothing it
writes or returns can carry one), the clock (per-step timings), the run's id, the event sink and
the open journal. The session owns them and the reads that every run starts with (``refresh``); it
decides nothing about what the run does.
"""

from __future__ import annotations

import gc
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._client import Client
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError, PluginMissingError
from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY, canonical_type
from ansible_collections.opnform.opnsense.plugins.module_utils._service import is_managed_row
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink, Listener
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import Journal
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import RECOVER_MODES, Connection, Options
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Inventory, new_id
from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import ClientPool
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor
from ansible_collections.opnform.opnsense.plugins.plugin_utils._reloads import Reconnect, check_alive, reload_all
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import (
    DeploymentState,
    check_name,
    holder_info,
    open_state,
)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one task (reference counting still frees
    everything else at once). Planning 15,000 resources allocates millions of objects that live to
    the end of the task; the collector's repeated passes over them were a fifth of the time. The
    collector's previous state is restored at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Timer:
    """Milliseconds per named step (summed when a step runs twice) and the run's total."""

    marks: Dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.time)

    def add(self, name: str, since: float) -> float:
        now = time.time()
        self.marks[name] = round(self.marks.get(name, 0.0) + (now - since) * 1000.0, 1)
        return now

    def elapsed_ms(self) -> int:
        return int(round((time.time() - self.started) * 1000.0))

    def as_dict(self) -> Dict[str, float]:
        out = dict(self.marks)
        out["total_ms"] = round((time.time() - self.started) * 1000.0, 1)
        return dict((k if k.endswith("_ms") else k + "_ms", v) for k, v in out.items())


class Session(object):
    """One task's connection to one firewall and its state folder."""

    def __init__(
        self,
        connection: Connection,
        options: Options,
        listeners: Optional[List[Listener]] = None,
        registry: Optional[Dict[str, ResourceSpec]] = None,
        canonical: Callable[[str], str] = canonical_type,
        client_factory: Optional[Callable[[], Any]] = None,
    ) -> None:
        if options.recover not in (None, "") and options.recover not in RECOVER_MODES:
            raise OpnError("recover must be one of %s, got %r" % (", ".join(RECOVER_MODES), options.recover))
        check_name("deployment", options.deployment)
        self.conn = connection
        self.options = options
        self.listeners = list(listeners or [])
        self.registry = registry if registry is not None else REGISTRY
        self.canonical = canonical
        self.redactor = Redactor([connection.api_secret])
        self.state = open_state(options, connection.api_url, self.redactor)
        self.client_factory = client_factory or self._new_client
        self.pool = ClientPool(self.client_factory)
        self.timer = Timer()
        self.run_id = new_id("")
        self.journal: Optional[Journal] = None  # the open journal, for the reloads' reconnect records
        self._events: Optional[EventSink] = None

    def _new_client(self) -> Any:
        conn = self.conn
        # Client passes ``verify`` with every request, so ca_path holds even when REQUESTS_CA_BUNDLE is set.
        return Client(
            conn.api_url,
            conn.api_key,
            conn.api_secret,
            validate_certs=conn.validate_certs,
            ca_path=conn.ca_path,
            timeout=conn.timeout,
        )

    @property
    def events(self) -> EventSink:
        """The run's event sink, opened on first use (a plan without writes never creates its file)."""
        if self._events is None:
            self._events = EventSink(self.run_id, self.state.events_path(self.run_id), self.listeners, self.redactor)
        return self._events

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the firewall's lock (``lock_timeout``); the wait is timed as ``lock_wait``."""
        self.state.ensure()
        lock = self.state.lock()
        started = time.time()
        lock.acquire(self.options.lock_timeout, holder_info(self.run_id, self.options.deployment))
        self.timer.add("lock_wait", started)
        try:
            yield
        finally:
            lock.release()

    def deployments(self) -> Tuple[DeploymentState, Dict[str, DeploymentState]]:
        """This task's deployment state and every other deployment's, from the state folder."""
        everything = self.state.all_deployments()
        own = everything.pop(self.options.deployment, None) or DeploymentState(self.options.deployment)
        return own, everything

    def refresh(
        self, types: List[str], optional: Optional[List[str]] = None, blanks: Optional[List[str]] = None
    ) -> Inventory:
        """One read per type plus the firmware status (version, liveness), all in parallel; and the
        blank item of each type in ``blanks`` (its option lists). ``inventory.facts`` holds what they
        tell validation: option lists, every object's name (built-in ones too), the version. Types in
        ``optional`` whose plugin is not installed are left out instead of failing the run."""
        started = time.time()
        optional = [t for t in (optional or []) if t not in types]
        inventory = Inventory(self.registry)
        facts = Facts()
        wanted = list(types) + optional
        workers = max(1, min(self.options.parallelism, len(wanted) + len(blanks or []) + 1))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="opnform-refresh") as tpe:
            status = tpe.submit(lambda: self.pool.client().get("core/firmware/status"))
            futures = [(t, tpe.submit(lambda s=self.registry[t]: self.pool.service(s).list_all())) for t in wanted]
            empty = [(t, tpe.submit(lambda s=self.registry[t]: self.pool.service(s).blank())) for t in blanks or []]
            answer = status.result()
            for type_name, future in futures:
                try:
                    rows = future.result()
                except PluginMissingError:
                    if type_name in optional:
                        continue
                    raise
                managed = [row for row in rows if is_managed_row(row)]
                for row in managed:
                    self.redactor.add_record(self.registry[type_name], row, api_keyed=True)
                inventory.add(type_name, managed)
                inventory.add_builtin(type_name, [row for row in rows if not is_managed_row(row)])
                facts.add_rows(self.registry[type_name], rows)
            for type_name, future in empty:
                try:
                    item = future.result()
                except OpnError:
                    continue  # without it the option lists are left to OPNsense to check
                if item is not None:
                    facts.add_blank(self.registry[type_name], item)
        if isinstance(answer, dict) and isinstance(answer.get("product"), dict):
            inventory.version = answer["product"].get("product_version")
        facts.version = inventory.version
        inventory.facts = facts
        self.timer.add("refresh", started)
        return inventory

    def liveness(self) -> None:
        check_alive(self.pool.client())

    def reload(self, subsystems: List[str]) -> Tuple[List[Dict[str, Any]], Optional[OpnError]]:
        """Reload with the liveness check and, unless ``reconnect_timeout`` is 0, a bounded wait for
        the API when a reload drops the connection; the open journal records the wait."""
        reconnect = None
        if self.options.reconnect_timeout > 0:
            record = self.journal.append if self.journal is not None else None
            reconnect = Reconnect(self.liveness, self.options.reconnect_timeout, record)
        return reload_all(self.client_factory, subsystems, self.events, self.liveness, reconnect)

    def finish(self, result: Dict[str, Any], scrubbed: Tuple[str, ...] = ()) -> Dict[str, Any]:
        """The task's result with its timings, scrubbed of every secret the session has seen.
        ``scrubbed`` names keys whose values went through this session's redactor already (a
        15,000-action plan is scrubbed once, not twice); they are kept as they are."""
        result["timings"] = self.timer.as_dict()
        kept = dict((key, result[key]) for key in scrubbed if key in result)
        out = self.redactor.scrub(dict((k, v) for k, v in result.items() if k not in kept))
        out.update(kept)
        return out

    def close(self) -> None:
        self.pool.close()
        self.state.close()  # a database backend's connections; nothing for the local folder
        if self._events is not None:
            self._events.close()
