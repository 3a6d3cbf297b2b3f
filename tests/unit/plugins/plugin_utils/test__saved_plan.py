"""A saved plan run later (``_saved_plan``): applied as planned while the firewall is unchanged,
refused as stale when an object or the deployment changed since, and given back its secrets from
the task (they are never on disk)."""

from __future__ import annotations

import pytest
from test__planner import ALIAS, CAT

from ansible_collections.opnform.opnsense.plugins.plugin_utils._planner import PlanError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._saved_plan import StalePlanError


def test_a_stale_plan_is_refused_before_any_write(run, fw):
    planned = run("plan", [ALIAS, CAT])
    fw.add("firewall_category", name="web", color="ff0000")
    with pytest.raises(StalePlanError) as err:
        run("apply", [ALIAS, CAT], plan_id=planned["plan_id"])
    assert "firewall_category/web: an object with the same identity was created" in str(err.value)
    assert fw.writes == []


def test_an_object_changed_since_the_plan_makes_it_stale(run, fw):
    uuid = fw.add("firewall_category", name="web", color="111111")
    planned = run("plan", [CAT])
    fw.objects["firewall_category"][uuid]["color"] = "222222"
    with pytest.raises(StalePlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"], check_mode=True)
    assert "firewall_category/web: changed on the firewall since the plan (color)" in str(err.value)


def test_a_plan_of_another_deployment_is_refused(run, fw):
    planned = run("plan", [CAT], deployment="other")
    with pytest.raises(StalePlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"])
    assert "belongs to deployment 'other'" in str(err.value) and fw.writes == []


def test_a_plan_is_stale_once_another_run_changed_the_deployment(run, fw):
    planned = run("plan", [CAT])
    run("apply", [ALIAS])
    with pytest.raises(StalePlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"])
    assert "deployment 'web' was changed by another run" in str(err.value)


def test_an_object_deleted_since_the_plan_makes_it_stale(run, fw):
    uuid = fw.add("firewall_category", name="web", color="111111")
    planned = run("plan", [CAT])
    del fw.objects["firewall_category"][uuid]
    with pytest.raises(StalePlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"])
    assert "firewall_category/web: deleted from the firewall since the plan" in str(err.value)


FEED = {
    "type": "firewall_alias",
    "name": "feed",
    "properties": {
        "type": "url",
        "content": ["https://x"],
        "authtype": "Basic",
        "username": "u",
        "password": "pw-1234",
    },
}


def test_a_saved_plan_holds_no_secret_and_gets_it_back_from_the_task(run, fw):
    planned = run("plan", [FEED])
    assert "pw-1234" not in open(planned["plan_path"], encoding="utf-8").read()
    run("apply", [FEED], plan_id=planned["plan_id"])
    assert [row["password"] for row in fw.objects["firewall_alias"].values()] == ["pw-1234"]


def test_a_saved_plan_is_refused_when_the_task_lacks_its_secret(run, fw):
    planned = run("plan", [FEED, CAT])
    with pytest.raises(PlanError) as err:
        run("apply", [CAT], plan_id=planned["plan_id"])
    assert "left out secret value(s) firewall_alias/feed.password" in str(err.value) and fw.writes == []
