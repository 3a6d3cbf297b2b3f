# -*- coding: utf-8 -*-
"""Subsystem reloads, and a reload that drops the connection: bounded wait for the API, then finish
or stop (issue 10)."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ServerError, TransportError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import options_from
from ansible_collections.opnform.opnsense.plugins.plugin_utils._reloads import (
    LIVENESS_PATH,
    Reconnect,
    UnreachableError,
    check_alive,
    reload_all,
    wait_for_api,
)

CONN = {"api_url": "https://fw/api", "api_key": "k", "api_secret": "s"}


class FakeClient(object):
    """Answers every call OK unless a script says otherwise: ``drops`` maps a path to how many of
    its next calls lose the connection (``"commit"`` counts the call as done first)."""

    def __init__(self, drops=None, down_for=0, fail=None):
        self.drops = dict(drops or {})
        self.down_for = down_for  # liveness probes that fail after the first drop
        self.down = 0
        self.fail = dict(fail or {})
        self.calls = []
        self.applied = []

    def _drop(self, path):
        left = self.drops.get(path, 0)
        if left:
            self.drops[path] = left - 1
            self.down, self.down_for = self.down_for, 0
            raise TransportError("connection reset by peer")

    def post(self, path):
        self.calls.append(("POST", path))
        if self.fail.get(path):
            self.fail[path] -= 1
            raise ServerError("Unexpected error, check log for details")
        self._drop(path)
        self.applied.append(path)
        return {"status": "OK\n\n"} if path.endswith("apply") else {"status": "ok"}

    def get(self, path):
        self.calls.append(("GET", path))
        if self.down:
            self.down -= 1
            raise TransportError("connection refused")
        return {"status": "none"}

    def close(self):
        pass


class Sink(object):
    def __init__(self):
        self.events = []

    def emit(self, kind, **data):
        self.events.append(dict(data, event=kind))


def reconnect_for(client, timeout=30.0, record=None):
    return Reconnect(lambda: check_alive(client), timeout, record, sleep=lambda s: None)


def run(client, names, reconnect):
    sink = Sink()
    results, error = reload_all(lambda: client, names, sink, lambda: check_alive(client), reconnect)
    return results, error, sink


def test_wait_for_api_backs_off_until_the_probe_answers():
    answers = iter([TransportError("down"), UnreachableError("down"), TransportError("down"), None])
    pauses = []

    def probe():
        error = next(answers)
        if error is not None:
            raise error

    assert wait_for_api(probe, 60.0, sleep=pauses.append, clock=lambda: 0.0)
    assert pauses == [0.5, 1.0, 2.0]


def test_wait_for_api_gives_up_at_the_bound():
    now = [0.0]
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        now[0] += seconds

    def probe():
        raise TransportError("down")

    assert not wait_for_api(probe, 4.0, sleep=sleep, clock=lambda: now[0])
    assert sum(pauses) == pytest.approx(4.0)  # never sleeps past the deadline
    assert max(pauses) <= 5.0


def test_a_lost_reload_answer_is_waited_for_and_the_reload_sent_again():
    client = FakeClient(drops={"firewall/filter/apply": 1}, down_for=2)
    records = []
    results, error, sink = run(
        client, ["filter", "aliases", "unbound"], reconnect_for(client, record=lambda k, **d: records.append(k))
    )
    assert error is None
    assert [r["status"] for r in results] == ["ok", "reconnected", "ok"]
    # the interrupted reload ran once more; the later ones ran after it, in order
    assert client.applied == ["firewall/alias/reconfigure", "firewall/filter/apply", "unbound/service/reconfigure"]
    assert ("GET", LIVENESS_PATH) in client.calls
    assert records == ["reconnect_wait", "reconnect_done"]
    done = [e for e in sink.events if e["event"] == "reload_done"]
    assert [e["status"] for e in done] == ["ok", "reconnected", "ok"]


def test_an_answered_reload_is_not_sent_again_when_only_the_liveness_check_dropped():
    client = FakeClient()
    probes = iter([TransportError("reset"), None, None])

    def liveness():
        error = next(probes)
        if error is not None:
            raise error

    sink = Sink()
    reconnect = Reconnect(liveness, 30.0, sleep=lambda s: None)
    results, error = reload_all(lambda: client, ["aliases"], sink, liveness, reconnect)
    assert error is None and results[0]["status"] == "reconnected"
    assert client.applied == ["firewall/alias/reconfigure"]


def test_a_dropped_configtest_is_retried_before_any_reconfigure():
    client = FakeClient(drops={"haproxy/service/configtest": 1})
    results, error = run(client, ["haproxy"], reconnect_for(client))[:2]
    assert error is None and results[0]["status"] == "reconnected"
    posts = [p for m, p in client.calls if m == "POST"]
    assert posts == ["haproxy/service/configtest", "haproxy/service/configtest", "haproxy/service/reconfigure"]


def test_a_firewall_that_stays_silent_stops_the_run_as_unreachable():
    client = FakeClient(drops={"firewall/alias/reconfigure": 1}, down_for=10**6)
    records = []
    results, error, sink = run(
        client, ["aliases", "filter"], reconnect_for(client, 0.0, lambda k, **d: records.append((k, d.get("status"))))
    )
    assert isinstance(error, UnreachableError)
    assert "reconnect_timeout" in str(error) and "aliases" in str(error)
    assert [r["status"] for r in results] == ["unreachable"]
    assert client.applied == []  # nothing after the silent one
    assert records == [("reconnect_wait", None), ("reconnect_done", "unreachable")]


def test_a_reload_that_fails_after_the_reconnect_is_an_ordinary_failure():
    client = FakeClient(drops={"firewall/filter/apply": 1}, fail={})
    reconnect = reconnect_for(client)

    def fail_next(name, error):
        reconnect(name, error)
        client.fail["firewall/filter/apply"] = 1

    results, error = run(client, ["filter"], fail_next)[:2]
    assert error is not None and not isinstance(error, UnreachableError)
    assert results[0]["status"] == "failed"


def test_without_reconnect_a_drop_stops_at_once():
    client = FakeClient(drops={"firewall/filter/apply": 1})
    results, error = run(client, ["filter"], None)[:2]
    assert isinstance(error, UnreachableError) and results[0]["status"] == "unreachable"
    assert not [c for c in client.calls if c[0] == "GET"]


def test_reconnect_timeout_option():
    assert options_from(dict(CONN), False, False)[1].reconnect_timeout == 60.0
    assert options_from(dict(CONN, reconnect_timeout=0), False, False)[1].reconnect_timeout == 0.0
    with pytest.raises(Exception, match="reconnect_timeout"):
        options_from(dict(CONN, reconnect_timeout=-1), False, False)
