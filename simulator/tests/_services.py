"""Running a simulator with a test-only service module (see _widgets.py, _probes.py) in its catalogue."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from opnsense_sim import Simulator
from opnsense_sim.services import catalogue


@contextlib.contextmanager
def service_installed(module: str):
    """The service catalogue with a test-only service module in it, while an App is being built."""
    added = module not in catalogue.SERVICE_MODULES
    if added:
        catalogue.SERVICE_MODULES.append(module)
    try:
        yield
    finally:
        if added:
            catalogue.SERVICE_MODULES.remove(module)


def service_fixtures(module: str, simulator: str, sim: str, api: str) -> tuple[Any, Any, Any]:
    """Fixtures named `simulator` (one per test module, with `module` installed), `sim` (reset to
    26.7 factory state per test) and `api` (an HTTPS client for it)."""

    @pytest.fixture(scope="module", name=simulator)
    def _simulator():
        with service_installed(module):
            instance = Simulator(port=0, profile="instant").start()
        try:
            yield instance
        finally:
            instance.stop()

    @pytest.fixture(name=sim)
    def _sim(request):
        instance = request.getfixturevalue(simulator)
        with service_installed(module):
            instance.reset("26.7")
        instance.set_profile("instant")
        return instance

    @pytest.fixture(name=api)
    def _api(request):
        from conftest import Api

        return Api(request.getfixturevalue(sim))

    return _simulator, _sim, _api
