"""Shared fixtures: one simulator over HTTPS per test session, reset to factory state per test."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from opnsense_sim import Simulator


class Api:
    """A thin HTTPS client for tests: verifies TLS with the simulator's CA on every request.

    `verify` is passed per request because requests lets REQUESTS_CA_BUNDLE override a session's.
    """

    def __init__(self, sim: Simulator, auth: tuple[str, str] | None = None) -> None:
        self.sim = sim
        self.session = requests.Session()
        self.auth = auth if auth is not None else (sim.api_key, sim.api_secret)

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        kw.setdefault("verify", self.sim.ca_file)
        kw.setdefault("auth", self.auth)
        kw.setdefault("timeout", 10)
        return self.session.request(method, self.sim.url + path, **kw)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> requests.Response:
        if json is not None:
            kw["json"] = json
        return self.request("POST", path, **kw)


@pytest.fixture(scope="session")
def simulator():
    with Simulator(port=0, profile="instant") as sim:
        yield sim


@pytest.fixture
def sim(simulator):
    simulator.reset("26.7")
    simulator.set_profile("instant")
    yield simulator


@pytest.fixture
def api(sim) -> Api:
    return Api(sim)
