# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connections and the write throttle: the two things every thread of a run shares.

A ``requests`` session must not be shared between threads, so each worker gets its own client, and
the pool closes them all at the end. The throttle exists because releases before 25.1.2 lose
concurrent writes (opnsense-api/generic.md 8): the firewall, not the scheduler, sets how many writes
may be in flight, so the limit lives here where both the executor and the rollback can take it.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List

from ansible_collections.opnform.opnsense.plugins.module_utils._service import ResourceService
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec


class ClientPool(object):
    """One API client per thread: a ``requests`` session is not meant to be shared by threads, and
    one keep-alive connection per worker lets reads and writes run side by side."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory
        self._local = threading.local()
        self._all: List[Any] = []
        self._lock = threading.Lock()

    def client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self.factory()
            self._local.client = client
            with self._lock:
                self._all.append(client)
        return client

    def service(self, spec: ResourceSpec) -> ResourceService:
        return ResourceService(self.client(), spec)

    def close(self) -> None:
        with self._lock:
            clients, self._all = self._all, []
        for client in clients:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass


class Throttle(object):
    """At most ``write_concurrency`` writes to one firewall at a time.

    Creates that leave a field OPNsense computes (a VLAN's device name, ``auto`` in the spec) to the
    server are also serialised per type: the server derives the value from the configuration it
    loaded when the request started, so two such creates in flight pick the same value and one of
    them fails ("The device name must be unique."; opnsense-api/generic.md 8 on stale models).
    Not on a release whose controller takes the config lock before it computes the value
    (``ResourceSpec.computes_under_lock_since``; the executor decides, ``_writer.one_at_a_time``).
    """

    def __init__(self, write_concurrency: int = 1) -> None:
        self.limit = max(1, int(write_concurrency))
        self._sem = threading.BoundedSemaphore(self.limit)
        self._types: Dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def __enter__(self) -> "Throttle":
        self._sem.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._sem.release()

    def exclusive(self, type_name: str) -> threading.Lock:
        with self._guard:
            return self._types.setdefault(type_name, threading.Lock())


__all__ = ["ClientPool", "Throttle"]
