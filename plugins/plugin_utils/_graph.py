# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Order: the dependency graph of a plan's writes (design.md 3 step 4), and nothing else.

Edges, "X must finish before Y", come from three facts the planner records on each action:

- ``requires``: what the desired object refers to (reference fields, names in text fields that
  name other objects, ``depends_on``). A referenced object that is created or updated goes first,
  because OPNsense checks every reference on save (opnsense-api/haproxy.md 3.5).
- ``current_refs``: what the object refers to *now*. An object that stops referring to something
  being deleted (by an update or its own delete) goes before that delete, because safe delete
  refuses objects still in use (opnsense-api/haproxy.md 4, firewall.md 2.3).
- for deletes, ``requires`` read from the deployment state: deletes run in reverse dependency order.
- ``after`` the planner set itself: a write that takes a unique key (a VLAN device name) from an
  object the plan deletes goes after that delete, because OPNsense checks the key on save.

A cycle is an error that names every resource on it. Stages are topological generations: they are
for display and progress only; the executor walks the edges (each write starts once its own
predecessors are done), not stage by stage.

The graph is built once per plan: :func:`stages` hands it on with the stages it computed
(:class:`Stages`), the plan keeps those, and the executor walks that very graph
(:func:`graph_of`). Only a plan read from disk has plain lists; its graph is built from the
``after`` edges saved with it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import ConfigurationError, OpnError

try:
    import networkx as nx

    HAS_NETWORKX = True
except ImportError:  # pragma: no cover - networkx is a controller requirement
    nx = None
    HAS_NETWORKX = False
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import CREATE, DELETE, UPDATE, Action


class CycleError(OpnError):
    """The desired resources depend on each other in a circle."""

    kind = "cycle"


def add_edges(actions: List[Action]) -> None:
    """Fill ``action.after`` for every write of the plan (noops take no part)."""
    by_id: Dict[str, Action] = dict((a.id, a) for a in actions)
    writes = [a for a in actions if a.is_write]
    ids = set(a.id for a in writes)
    after: Dict[str, set] = dict((a.id, set(a.after) & ids) for a in writes)
    for action in writes:
        if action.op in (CREATE, UPDATE):
            for target_id in action.requires:
                target = by_id.get(target_id)
                if target is not None and target.op in (CREATE, UPDATE) and target.id != action.id:
                    after[action.id].add(target.id)
        else:  # delete: what it depended on is deleted after it
            for target_id in action.requires:
                target = by_id.get(target_id)
                if target is not None and target.op == DELETE and target.id != action.id:
                    after[target.id].add(action.id)
    deletes = dict((a.uuid, a) for a in writes if a.op == DELETE)
    if deletes:
        for action in writes:
            if action.op not in (UPDATE, DELETE):
                continue
            for uuid in action.current_refs:
                doomed = deletes.get(uuid)
                if doomed is not None and doomed.id != action.id:
                    after[doomed.id].add(action.id)
    for action in writes:
        action.after = sorted(after[action.id])


def require_networkx() -> None:
    if not HAS_NETWORKX:
        raise ConfigurationError(
            "the Python library 'networkx' is required on the Ansible controller (pip install networkx)"
        )


def build(actions: List[Action]) -> "nx.DiGraph":
    """The graph of writes: an edge X -> Y when X must finish before Y."""
    require_networkx()
    graph = nx.DiGraph()
    for action in actions:
        if action.is_write:
            graph.add_node(action.id)
    for action in actions:
        if action.is_write:
            for before in action.after:
                graph.add_edge(before, action.id)
    return graph


def check_acyclic(graph: "nx.DiGraph", actions: List[Action]) -> None:
    """Raise :class:`CycleError` printing one cycle as ``a -> b -> a``."""
    if nx.is_directed_acyclic_graph(graph):
        return  # the usual case, and a quicker test than looking for a cycle edge by edge
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    names = [edge[0] for edge in cycle] + [cycle[0][0]]
    raise CycleError(
        "dependency cycle between resources: %s. Break it, for example by creating one side without "
        "the back-reference and adding it in a later apply" % " -> ".join(names),
        details={"cycle": names},
    )


class Stages(list):
    """A plan's stages (lists of action ids, in order), carrying the graph they were computed from.

    It is a plain list to everything that reads stages (plan files, the plan's text, events); the
    executor takes ``graph`` from it instead of building the graph a second time.
    """

    graph: Optional["nx.DiGraph"] = None


def stages(graph: "nx.DiGraph", actions: List[Action]) -> Stages:
    """Topological generations, each sorted by plan order; also stored on the actions (1-based)."""
    order = dict((a.id, a.order) for a in actions)
    out = Stages()
    for generation in nx.topological_generations(graph):
        out.append(sorted(generation, key=lambda i: (order.get(i, 0), i)))
    by_id = dict((a.id, a) for a in actions)
    for number, stage in enumerate(out, 1):
        for action_id in stage:
            by_id[action_id].stage = number
    out.graph = graph
    return out


def order_plan(actions: List[Action]) -> Stages:
    """Edges, cycle check and stages in one call: what the planner needs."""
    add_edges(actions)
    graph = build(actions)
    check_acyclic(graph, actions)
    return stages(graph, actions)


def graph_of(plan: Any) -> "nx.DiGraph":
    """The graph of ``plan``'s writes, for the executor to walk.

    The one :func:`stages` left on the plan's stages when the plan was made in this process; built
    from the actions' ``after`` when the plan was read from disk, or when its writes are no longer
    the ones the graph was made for (a plan narrowed after ordering).
    """
    writes = plan.writes
    graph = getattr(plan.stages, "graph", None)
    if graph is not None and graph.number_of_nodes() == len(writes):
        if graph.number_of_edges() == sum(len(a.after) for a in writes) and all(a.id in graph for a in writes):
            return graph
    return build(writes)
