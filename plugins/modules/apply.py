#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the work is done on the controller by the action plugin plugins/action/apply.py.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: apply
short_description: Bring a set of OPNsense resources to the desired state, with rollback
version_added: 0.1.0
description:
  - Plans like M(opnform.opnsense.plan) (or takes a saved plan with O(plan_id)), then writes the changes in
    dependency order, reloads each touched subsystem once (aliases, VLANs, routes, filter, Unbound, HAProxy
    after a passing configtest), reads back what was written, and checks that the API still answers.
  - On a failure the writes are undone in reverse order (O(rollback_on_failure)), deleted objects are restored
    under their original UUIDs, and the subsystems are reloaded again.
  - Every write is journaled on the controller before and after it is sent. If a run is killed, the next run
    refuses to start until it is recovered with O(recover).
  - Bad input is refused before anything is written, in check mode too, with every problem at once, each
    named C(type/name.field) with OPNsense's own message and the offending value. Each field is checked by
    its OPNsense field type; option fields (interfaces, VLAN parents, protocols, gateways, certificates) by
    the option lists this firewall offers; names in network and port fields must be aliases of the task or of
    the firewall (or valid addresses, networks or ports); unique keys (alias names, a VLAN tag per parent,
    device names), references and C(depends_on) across the task. See the collection's docs/apply.md.
  - One apply per firewall at a time; a second one waits up to O(lock_timeout) for the first.
  - Runs on the controller; it needs no connection to the inventory host.
extends_documentation_fragment:
  - opnform.opnsense.connection
  - opnform.opnsense.state
  - opnform.opnsense.resources_file
options:
  resources:
    description:
      - The desired resources, each a dict with C(type) (for example V(firewall_alias), or an alias such as
        V(opnsense:firewall:alias)), C(name), C(properties) (the options of the per-resource module of that
        type) and optionally C(depends_on) (names, or C(type/name), of other resources of this list).
      - References to other objects are given by name; dependencies are inferred from them.
      - Firewall rules keep the order in which they are listed (per interface) unless they set C(sequence).
      - May be left out to only recover an unfinished run (O(recover)), or with O(plan_id).
    type: list
    elements: dict
  deployment:
    description:
      - Name of the deployment. Its state (which objects it manages) is kept per firewall under O(state_dir).
      - Two deployments never manage the same object.
    type: str
    default: default
  prune:
    description:
      - Delete objects this deployment manages that are no longer in O(resources).
      - Objects that no deployment manages, or that another deployment manages, are never deleted.
    type: bool
    default: false
  adopt:
    description:
      - Take over an object that is already on the firewall, has the identity of a resource and is managed by no
        deployment (created by hand, through the GUI or the API). Adoption writes nothing when the object already
        holds the described values; the plan lists adoptions in C(plan.adoptions) and C(plan.summary.adopt).
      - With V(false), such an object fails the plan before any write, naming it.
    type: bool
    default: true
    version_added: 0.2.0
  plan_id:
    description:
      - Apply a plan saved by M(opnform.opnsense.plan). It is refused, saying what changed, if the firewall or
        the deployment changed since the plan was made.
    type: str
  parallelism:
    description:
      - How many reads and writes are in progress at once (writes are further limited by O(write_concurrency)).
    type: int
    default: 5
  write_concurrency:
    description:
      - How many writes may be sent to the firewall at the same time. Keep V(1) for OPNsense releases before
        25.1.2, which lose concurrent writes.
    type: int
    default: 1
  rollback_on_failure:
    description:
      - Undo the completed writes when a write, the read-back, a reload or the configtest fails.
    type: bool
    default: true
  continue_on_error:
    description:
      - V(false) starts nothing new after the first failure; V(true) keeps running every action that does not
        depend on a failed one.
    type: bool
    default: false
  bulk:
    description:
      - V(auto) sends the writes of one type that are ready at the same time as one request where OPNsense
        has an endpoint that saves many objects at once and keeps every guarantee of a one-object write -
        the filter rules' CSV import (26.1 and later), the categories' CSV upload (26.1.3 and later), the
        alias import, and the whole-model set for HAProxy servers, health checks, backends, frontends,
        ACLs and actions. Each object is validated, OPNsense saves its configuration once, and each object
        still gets its own result.
      - The alias import and the whole-model set create under UUIDs the firewall picks - such objects are
        found by their name right after the request, and everything that references them, the results
        and the deployment state use the firewall's UUID. See docs/apply.md, "Bulk writes".
      - V(off) sends each create and update in its own request. Deletes of one type go out together either
        way (OPNsense 26.1.3 and later).
      - V(auto) or V(off); a bare C(off) (which YAML reads as false) means V(off).
    type: raw
    default: auto
    version_added: 0.2.0
  checkpoint:
    description:
      - Save a snapshot of the affected objects on the controller before the first write; RV(checkpoint_id)
        names it.
    type: bool
    default: true
  recover:
    description:
      - What to do with a run against this firewall that did not finish (for example because it was killed).
      - V(rollback) undoes what it wrote; V(resume) completes it.
      - Without O(resources) and O(plan_id) the task only recovers.
    type: str
    choices:
      - rollback
      - resume
  lock_timeout:
    description:
      - Seconds to wait for another apply against the same firewall to finish before failing.
    type: float
    default: 300
  reconnect_timeout:
    description:
      - Seconds to wait, polling with a growing pause, for the API to answer again when a reload or
        configtest drops the connection. When it answers, the interrupted reload is sent again (every
        reload re-applies the saved configuration, so twice does what once does) and the run goes on,
        or rolls back per O(rollback_on_failure); that reload reports the status V(reconnected).
      - When the firewall stays silent past this bound, or with V(0), the run stops unfinished as an
        unreachable run, to be completed or undone later with O(recover).
    type: float
    default: 60
    version_added: 0.2.0
  state_dir:
    description:
      - Folder of the controller state (deployments, plans, journals, checkpoints, events).
      - Defaults to E(OPNFORM_STATE_DIR), else C($XDG_STATE_HOME/opnform), else C(~/.local/state/opnform).
    type: path
  progress_file:
    description:
      - A file to append every progress event to, as JSON lines naming the inventory host.
      - Defaults to E(OPNFORM_PROGRESS_FILE). See C(docs/progress.md).
    type: path
attributes:
  check_mode:
    support: full
    description: Computes and returns the plan; writes nothing, neither to the firewall nor to the controller state.
  diff_mode:
    support: full
    description: Returns the planned changes as before/after pairs.
  action_group:
    support: full
    membership:
      - opnform.opnsense.all
    description: Use C(group/opnform.opnsense.all) in C(module_defaults) to set the connection options once.
notes:
  - Secrets (values of sensitive options such as an alias password) are never written to plans, state,
    journals, checkpoints or events. A recovery from the journal therefore cannot restore them.
  - Connection options fall back to environment variables of the controller, not of the task.
seealso:
  - module: opnform.opnsense.plan
author:
  - opnform developers (@opnform)
"""

EXAMPLES = r"""
# Connection options are set once for group/opnform.opnsense.all in module_defaults.
- name: Apply the web deployment
  opnform.opnsense.apply:
    deployment: web
    prune: true
    resources:
      - type: firewall_category
        name: web
        properties:
          color: 0088cc
      - type: firewall_alias
        name: web_servers
        properties:
          type: host
          content:
            - 192.0.2.10
          categories:
            - web
      - type: firewall_filter_rule
        name: allow-web
        properties:
          interface:
            - wan
          protocol: TCP
          destination_net:
            - web_servers
          destination_port: "443"

- name: Undo a run that was interrupted
  opnform.opnsense.apply:
    recover: rollback
"""

RETURN = r"""
---
run_id:
  description: Id of this run (journal, events).
  returned: always
  type: str
plan_id:
  description: Id of the plan that was applied.
  returned: when a plan was made or given
  type: str
plan:
  description: The plan, without secrets (see M(opnform.opnsense.plan)).
  returned: when a plan was made or given
  type: dict
drift:
  description:
    - Objects this deployment manages that were changed or deleted outside Ansible since its last apply, apart
      from the changes the task asks for. Per object its C(id), C(uuid), C(deleted) and C(fields), each with
      C(field), C(applied) (what the last apply left) and C(now) (what the firewall holds). Fields of types this
      task did not read, and sensitive fields, are not compared.
  returned: when a plan was made or given
  type: list
  elements: dict
  version_added: 0.2.0
  sample:
    - id: firewall_alias/web_hosts
      uuid: 7b3f2c1e-5d4a-4c2b-9a8e-1f2d3c4b5a69
      deleted: false
      fields:
        - field: content
          applied: ["10.0.0.1"]
          now: ["10.0.0.9"]
results:
  description: Per action its C(id), C(op), C(uuid), C(status) (ok, failed, skipped, noop), C(duration_ms) and C(error).
  returned: when a plan was executed
  type: list
  elements: dict
reloads:
  description: The subsystems reloaded, in order, with their status and time.
  returned: when something was written
  type: list
  elements: dict
rolled_back:
  description: The undone writes, in the order they were undone.
  returned: after a rollback
  type: list
  elements: dict
rollback_failures:
  description: Undos that failed or left a difference, each with the reason.
  returned: after a rollback
  type: list
  elements: dict
recovered:
  description: The unfinished runs recovered with O(recover), with what was undone or completed.
  returned: when O(recover) recovered a run
  type: list
  elements: dict
checkpoint_id:
  description: Id of the snapshot saved before the first write.
  returned: when something was written
  type: str
events_path:
  description: File of this run's progress events (JSON lines).
  returned: when not in check mode
  type: str
journal_path:
  description: File of this run's journal.
  returned: when something was written
  type: str
timings:
  description: Milliseconds spent per step (validate, lock_wait, refresh, plan, execute, verify, reload, rollback, total).
  returned: always
  type: dict
"""
