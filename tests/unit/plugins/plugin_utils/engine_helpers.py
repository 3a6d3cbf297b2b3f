"""What the engine's unit tests share: the fake firewall set up as the engine reads it, one Engine
per call as the action plugins make them, and readers of the firewall's and the state folder's
contents. The fixtures are registered by this folder's ``conftest.py``."""

from __future__ import annotations

import json

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import TransportError
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
from ansible_collections.opnform.opnsense.plugins.plugin_utils._engine import Engine
from ansible_collections.opnform.opnsense.plugins.plugin_utils._journal import unfinished_runs
from ansible_collections.opnform.opnsense.plugins.plugin_utils._options import Connection, Options
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import StateDir
from ansible_collections.opnform.opnsense.plugins.plugin_utils._steps import RunFailed

API_URL = "https://fw.test/api/"
API_SECRET = "api-secret-value-123"
THREE = ["firewall_alias/web_hosts", "firewall_category/web", "firewall_filter_rule/allow web"]


@pytest.fixture
def fw(fake_fw):
    """The fake firewall answering the firmware status and system information the engine reads."""
    fake_fw.answers["core/firmware/status"] = {"product": {"product_version": "26.7.2", "product_name": "OPNsense"}}
    fake_fw.answers["diagnostics/system/system_information"] = {"name": "fw.test"}
    return fake_fw


@pytest.fixture
def engine(fw, tmp_path):
    """``engine(**options)``: a new Engine on the fake firewall, deployment ``web`` unless told."""

    def make(**options):
        options.setdefault("deployment", "web")
        return Engine(
            Connection(API_URL, "key", API_SECRET),
            Options(state_dir=str(tmp_path), **options),
            client_factory=lambda: fw,
        )

    return make


@pytest.fixture
def run(engine):
    """``run(method, raw, **options)``: one fresh Engine per call, as the action plugins make them."""

    def call(method, raw, **options):
        return getattr(engine(**options), method)(raw)

    return call


@pytest.fixture
def state(tmp_path):
    return StateDir(str(tmp_path), API_URL)


def names(fw, type_name):
    """The names (first identity field) of the objects of one type on the fake firewall."""
    spec = REGISTRY[type_name]
    return sorted(row[spec.field(spec.identity[0]).api] for row in fw.objects[type_name].values())


def all_names(fw):
    return dict((t, names(fw, t)) for t in ("firewall_alias", "firewall_category", "firewall_filter_rule"))


def owned(state, deployment="web"):
    return sorted(state.load_deployment(deployment).resources)


def refuse_rules(fw):
    fw.prefix_answers[REGISTRY["firewall_filter_rule"].path("set")] = {
        "result": "failed",
        "validations": {"rule.description": "refused by the test"},
    }


def journal_records(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def cut_off_during_reload(run, fw, resources):
    """An apply whose filter reload loses the connection, with no wait for the API to come back
    (``reconnect_timeout: 0``): its journal is left unfinished."""
    fw.answers["firewall/filter/apply"] = TransportError("connection reset")
    with pytest.raises(RunFailed) as err:
        run("apply", resources, reconnect_timeout=0)
    del fw.answers["firewall/filter/apply"]
    return err.value


def killed_after_first_write(state):
    """Cut the unfinished journal after its first ``done`` record, as if the run were SIGKILLed there;
    return the ids of the actions it did not finish."""
    path = unfinished_runs(state)[0].path
    records = journal_records(path)
    first = next(i for i, r in enumerate(records) if r["rec"] == "done")
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records[: first + 1])
    return [a for a in records[0]["actions"] if a["id"] not in records[first]["actions"]]
