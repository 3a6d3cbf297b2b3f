"""The engine's task options (``_options``): translated from task arguments, worker counts of 0
refused instead of replaced."""

from __future__ import annotations

import pytest
from engine_helpers import API_URL

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import options_from


def test_options_from_task_arguments():
    args = {"api_url": API_URL, "api_key": "k", "api_secret": "s", "timeout": 7, "lock_timeout": 0, "prune": True}
    conn, opts = options_from(args, check_mode=True, diff=False)
    assert (conn.timeout, conn.validate_certs) == (7.0, True)
    assert (opts.lock_timeout, opts.prune, opts.check_mode, opts.deployment) == (0.0, True, True, "default")
    with pytest.raises(OpnError, match="at least 1"):
        options_from(dict(args, write_concurrency=-1), check_mode=False, diff=False)


@pytest.mark.parametrize("name", ["parallelism", "write_concurrency"])
def test_zero_workers_are_refused(name):
    args = {"api_url": API_URL, "api_key": "k", "api_secret": "s", name: 0}
    with pytest.raises(OpnError, match="%s must be at least 1, got 0" % name):
        options_from(args, check_mode=False, diff=False)


@pytest.mark.parametrize(
    "given, mode", [(None, "auto"), ("auto", "auto"), (True, "auto"), ("off", "off"), (False, "off"), ("OFF", "off")]
)
def test_bulk_is_auto_or_off_and_a_bare_yaml_off_counts(given, mode):
    args = {"api_url": API_URL, "api_key": "k", "api_secret": "s", "bulk": given}
    assert options_from(args, check_mode=False, diff=False)[1].bulk == mode


def test_any_other_bulk_value_is_refused():
    args = {"api_url": API_URL, "api_key": "k", "api_secret": "s", "bulk": "sometimes"}
    with pytest.raises(OpnError, match="bulk must be one of auto, off, got 'sometimes'"):
        options_from(args, check_mode=False, diff=False)
