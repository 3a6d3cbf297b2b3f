"""The dependency graph of a plan's writes: edges from references, current references and the
planner's own ``after``, reversed edges for deletes, noops left out, cycles that print themselves,
stages as topological generations."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ConfigurationError
from ansible_collections.opnform.opnsense.plugins.plugin_utils import _graph
from ansible_collections.opnform.opnsense.plugins.plugin_utils._graph import (
    CycleError,
    Stages,
    add_edges,
    build,
    check_acyclic,
    graph_of,
    order_plan,
    stages,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import Action, Plan


def act(action_id, op="create", order=0, **more):
    """An action named ``type/name``; its uuid is ``u-<name>``."""
    type_name, name = action_id.split("/")
    return Action(id=action_id, op=op, type=type_name, name=name, uuid="u-" + name, order=order, **more)


def after(actions):
    add_edges(actions)
    return dict((a.id, a.after) for a in actions if a.is_write)


def test_a_created_or_updated_reference_goes_first():
    rule = act("rule/r", requires=["alias/a", "cat/c"])
    actions = [rule, act("alias/a"), act("cat/c", op="update")]
    assert after(actions) == {"rule/r": ["alias/a", "cat/c"], "alias/a": [], "cat/c": []}


def test_references_to_unchanged_missing_or_itself_add_no_edge():
    actions = [act("rule/r", requires=["alias/a", "alias/gone", "rule/r"]), act("alias/a", op="noop")]
    assert after(actions) == {"rule/r": []}


def test_a_create_does_not_wait_for_the_delete_of_what_it_requires():
    actions = [act("rule/r", requires=["alias/a"]), act("alias/a", op="delete")]
    assert after(actions) == {"rule/r": [], "alias/a": []}


def test_deletes_run_in_reverse_dependency_order():
    actions = [act("rule/r", op="delete", requires=["alias/a"]), act("alias/a", op="delete")]
    assert after(actions) == {"rule/r": [], "alias/a": ["rule/r"]}


def test_what_stops_referring_to_a_deleted_object_goes_before_the_delete():
    dropped = act("alias/old", op="delete")
    actions = [
        act("rule/r", op="update", current_refs=["u-old"]),
        act("rule/s", op="delete", current_refs=["u-old"]),
        act("rule/t", op="create", current_refs=["u-old"]),  # a create has no current references
        dropped,
    ]
    assert after(actions)["alias/old"] == ["rule/r", "rule/s"]


def test_the_planners_own_order_is_kept_among_writes_only():
    actions = [act("vlan/new", after=["vlan/old", "vlan/unchanged"]), act("vlan/old", op="delete")]
    actions.append(act("vlan/unchanged", op="noop"))
    assert after(actions)["vlan/new"] == ["vlan/old"]


def test_the_graph_holds_writes_and_an_edge_per_after():
    actions = [act("rule/r", after=["alias/a"]), act("alias/a"), act("cat/c", op="noop")]
    graph = build(actions)
    assert sorted(graph.nodes) == ["alias/a", "rule/r"]
    assert list(graph.edges) == [("alias/a", "rule/r")]


def test_a_cycle_is_an_error_that_prints_it():
    actions = [act("alias/a", after=["alias/b"]), act("alias/b", after=["alias/a"]), act("alias/c")]
    with pytest.raises(CycleError) as err:
        check_acyclic(build(actions), actions)
    cycle = err.value.details["cycle"]
    assert sorted(cycle) == ["alias/a", "alias/a", "alias/b"] and cycle[0] == cycle[-1]
    assert " -> ".join(cycle) in str(err.value)
    assert err.value.kind == "cycle"


def test_no_cycle_passes():
    actions = [act("alias/a", after=["alias/b"]), act("alias/b")]
    check_acyclic(build(actions), actions)


def test_stages_are_generations_in_plan_order_stored_on_the_actions():
    actions = [
        act("rule/r", order=0, after=["alias/b", "cat/c"]),
        act("alias/b", order=2),
        act("cat/c", order=1),
        act("alias/a", order=3, after=["cat/c"]),
    ]
    result = stages(build(actions), actions)
    assert result == [["cat/c", "alias/b"], ["rule/r", "alias/a"]]
    assert [a.stage for a in actions] == [2, 1, 1, 2]


def test_order_plan_adds_edges_checks_and_stages():
    actions = [act("rule/r", requires=["alias/a"]), act("alias/a"), act("alias/x", op="noop")]
    assert order_plan(actions) == [["alias/a"], ["rule/r"]]
    assert actions[2].stage is None
    cyclic = [act("alias/a", requires=["alias/b"]), act("alias/b", requires=["alias/a"])]
    with pytest.raises(CycleError):
        order_plan(cyclic)


def test_without_networkx_the_controller_requirement_is_named(monkeypatch):
    monkeypatch.setattr(_graph, "HAS_NETWORKX", False)
    with pytest.raises(ConfigurationError) as err:
        build([act("alias/a")])
    assert "networkx" in str(err.value)


def test_stages_carry_the_graph_and_the_executor_takes_it_from_there():
    actions = [act("rule/r", requires=["alias/a"]), act("alias/a", order=1), act("cat/c", op="noop")]
    ordered = order_plan(actions)
    assert isinstance(ordered, Stages) and ordered == [["alias/a"], ["rule/r"]]
    plan = Plan(id="p", deployment="d", firewall="fw", actions=actions, stages=ordered)
    assert graph_of(plan) is ordered.graph
    # a plan read from disk has plain lists: its graph comes from the saved ``after`` edges
    loaded = Plan(id="p", deployment="d", firewall="fw", actions=actions, stages=[list(s) for s in ordered])
    graph = graph_of(loaded)
    assert graph is not ordered.graph and sorted(graph.edges) == [("alias/a", "rule/r")]
    # a plan whose writes are no longer those the graph was made for gets its own
    narrowed = Plan(id="p", deployment="d", firewall="fw", actions=actions[1:], stages=ordered)
    assert sorted(graph_of(narrowed).nodes) == ["alias/a"]
