"""Values derived from a config container (option lists, name indexes), cached on its identity.

A committed container never changes: the store copies a container before a transaction writes to
it and commits by swapping containers in (store.py). So "same object" means "same content", and a
value derived from it can be reused by every later request until a write replaces it. A container
the current transaction has touched can still change and is never cached.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


def committed(view: Any, key: str) -> bool:
    """Whether `view.items(key)` is a committed (immutable) container."""
    return key not in getattr(view, "touched", ())


class Memo(Generic[T]):
    """The last value built from a container (plus a signature of anything else it depends on)."""

    def __init__(self) -> None:
        self._entry: tuple[Any, Any, T] | None = None
        self._lock = threading.Lock()

    def get(self, container: Any, build: Callable[[], T], signature: Any = None, cacheable: bool = True) -> T:
        if not cacheable:
            return build()
        with self._lock:
            entry = self._entry
        if entry is not None and entry[0] is container and entry[1] == signature:
            return entry[2]
        value = build()
        with self._lock:
            self._entry = (container, signature, value)
        return value
