# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Subsystem reloads (design.md 3 step 6) and the firewall going silent during them.

A reload is the step that can cut this controller off (a filter or interface reload drops
connections), so whether the API still answers, and how long to wait for it, belongs with the
reloads and not with the writes: a write's lost answer is retried by the writer, a reload's lost
answer needs a bounded wait and a liveness probe first. Each subsystem is reloaded once per run, in
dependency order (``module_utils._reload``).
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError, TransportError
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import ordered as reload_order
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import reload_subsystem
from ansible_collections.opnform.opnsense.plugins.plugin_utils._events import EventSink

LIVENESS_PATH = "core/firmware/status"


class UnreachableError(OpnError):
    """The firewall's API stopped answering (typically after a reload cut this controller off)."""

    kind = "unreachable"


def check_alive(client: Any) -> None:
    """One cheap authenticated GET; raise :class:`UnreachableError` when the API does not answer.

    GET only: a POST to firmware status runs an update probe (interfaces-and-services.md 7).
    """
    try:
        client.get(LIVENESS_PATH)
    except TransportError as exc:
        raise UnreachableError("the firewall's API stopped answering (%s)" % exc.message) from None


RECONNECT_FIRST_DELAY = 0.5
RECONNECT_MAX_DELAY = 5.0


def wait_for_api(
    probe: Callable[[], None],
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """Call ``probe`` with exponential backoff until it answers (True) or ``timeout`` seconds pass
    (False). A firewall that reloads its filter or interfaces drops connections for a moment; the
    backoff keeps the polling cheap while the deadline keeps a dead firewall from hanging the run."""
    deadline = clock() + max(0.0, float(timeout))
    delay = RECONNECT_FIRST_DELAY
    while True:
        try:
            probe()
            return True
        except (TransportError, UnreachableError):
            pass
        left = deadline - clock()
        if left <= 0:
            return False
        sleep(min(delay, left))
        delay = min(delay * 2, RECONNECT_MAX_DELAY)


class Reconnect(object):
    """What a reload does when its connection drops: wait, bounded, for the API to answer again.

    ``record`` (the journal) is told before and after the wait, so a run killed while waiting is
    journaled as unfinished and ``recover`` still applies. Raises :class:`UnreachableError` when the
    firewall stays silent past ``timeout``, which stops the run as before this existed.
    """

    def __init__(
        self,
        probe: Callable[[], None],
        timeout: float,
        record: Optional[Callable[..., Any]] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.probe = probe
        self.timeout = float(timeout)
        self.record = record or (lambda *args, **kwargs: None)
        self.sleep = sleep

    def __call__(self, subsystem: str, error: str) -> None:
        self.record("reconnect_wait", subsystem=subsystem, error=error, timeout=self.timeout)
        started = time.time()
        back = wait_for_api(self.probe, self.timeout, sleep=self.sleep)
        waited = int(round((time.time() - started) * 1000.0))
        self.record("reconnect_done", subsystem=subsystem, status="ok" if back else "unreachable", waited_ms=waited)
        if not back:
            raise UnreachableError(
                "reloading %s: the firewall's API stopped answering (%s) and did not answer again within "
                "reconnect_timeout (%g s)" % (subsystem, error, self.timeout)
            )


def _reload_and_check(client: Any, name: str, liveness: Optional[Callable[[], None]]) -> Dict[str, Any]:
    outcome = reload_subsystem(client, name)
    if liveness is not None:
        liveness()
    return outcome


def reload_one(
    client: Any,
    name: str,
    liveness: Optional[Callable[[], None]] = None,
    reconnect: Optional[Callable[[str, str], None]] = None,
) -> Tuple[Dict[str, Any], bool]:
    """Reload one subsystem; returns its outcome and whether the connection had to be waited for.

    When the connection drops, ``reconnect`` waits for the API. If OPNsense had answered the reload
    it took effect and only the liveness check is repeated (inside the wait); if the answer was
    lost, nothing the API offers tells whether it ran (simulator/README.md, "Reloads after a lost
    answer"), so it is sent again: every reload renders config.xml afresh, so a second one lands
    the same running state as one.
    """
    answered: Optional[Dict[str, Any]] = None
    try:
        answered = reload_subsystem(client, name)
        if liveness is not None:
            liveness()
        return answered, False
    except (TransportError, UnreachableError) as exc:
        if reconnect is None:
            raise
        reconnect(name, exc.message)
    if answered is None:
        answered = _reload_and_check(client, name, liveness)
    return answered, True


def reload_all(
    client_factory: Callable[[], Any],
    subsystems: Iterable[str],
    events: EventSink,
    liveness: Optional[Callable[[], None]] = None,
    reconnect: Optional[Callable[[str, str], None]] = None,
) -> Tuple[List[Dict[str, Any]], Optional[OpnError]]:
    """Reload each subsystem once, in dependency order (aliases before filter, HAProxy after its
    configtest passed; ``_reload``), checking after each that the API still answers.

    Returns the per-subsystem results and the first error (None when all went well); stops at the
    first error, since a later subsystem may depend on the failed one. With ``reconnect`` a dropped
    connection is waited for (:func:`reload_one`); such a reload reports ``status: reconnected``.
    """
    results: List[Dict[str, Any]] = []
    client = client_factory()
    try:
        for name in reload_order(subsystems):
            started = time.time()
            events.emit("reload_start", subsystem=name)
            try:
                outcome, reconnected = reload_one(client, name, liveness, reconnect)
            except OpnError as exc:
                duration = int(round((time.time() - started) * 1000.0))
                failure = exc
                if isinstance(exc, TransportError) and not isinstance(exc, UnreachableError):
                    failure = UnreachableError(
                        "reloading %s: the firewall's API stopped answering (%s)" % (name, exc.message)
                    )
                status = "unreachable" if isinstance(failure, UnreachableError) else "failed"
                results.append({"subsystem": name, "status": status, "duration_ms": duration, "error": str(failure)})
                events.emit("reload_done", subsystem=name, status=status, duration_ms=duration, error=str(failure))
                return results, failure
            duration = int(round((time.time() - started) * 1000.0))
            status = "reconnected" if reconnected else "ok"
            entry = {"subsystem": name, "status": status, "duration_ms": duration}
            if outcome.get("warnings"):
                entry["warnings"] = list(outcome["warnings"])
            if outcome.get("configtest"):
                entry["configtest"] = outcome["configtest"]
            results.append(entry)
            events.emit("reload_done", subsystem=name, status=status, duration_ms=duration)
    finally:
        try:
            client.close()
        except Exception:  # noqa: BLE001
            pass
    return results, None


__all__ = [
    "LIVENESS_PATH",
    "Reconnect",
    "UnreachableError",
    "check_alive",
    "reload_all",
    "reload_one",
    "wait_for_api",
]
