#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the work is done on the controller by the action plugin plugins/action/plan.py.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: plan
short_description: Compute and save a plan of changes for a set of OPNsense resources
version_added: 0.1.0
description:
  - Reads the firewall (one request per resource type, in parallel), compares it with O(resources) and the
    deployment's state, and saves the resulting plan under an id that M(opnform.opnsense.apply) accepts as
    O(opnform.opnsense.apply#module:plan_id).
  - The plan lists every create, update (including adoptions of existing unmanaged objects and moves of
    firewall rules), delete (only with O(prune)) and unchanged resource, with field-level changes, in
    dependency stages.
  - Nothing is written to the firewall. In check mode the plan is computed but not saved.
  - Bad input fails the plan with every problem at once, as M(opnform.opnsense.apply) checks it (see the
    collection's docs/apply.md).
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
    type: list
    elements: dict
  deployment:
    description:
      - Name of the deployment. Its state (which objects it manages) is kept per firewall under O(state_dir).
    type: str
    default: default
  prune:
    description:
      - Plan deletes for objects this deployment manages that are no longer in O(resources).
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
  parallelism:
    description:
      - How many reads run in parallel.
    type: int
    default: 5
  state_dir:
    description:
      - Folder of the controller state (deployments, plans, journals, events).
      - Defaults to E(OPNFORM_STATE_DIR), else C($XDG_STATE_HOME/opnform), else C(~/.local/state/opnform).
    type: path
attributes:
  check_mode:
    support: full
    description: Computes the plan without saving it.
  diff_mode:
    support: full
    description: Returns the planned changes as before/after pairs.
  action_group:
    support: full
    membership:
      - opnform.opnsense.all
    description: Use C(group/opnform.opnsense.all) in C(module_defaults) to set the connection options once.
notes:
  - Secrets (values of sensitive options such as an alias password) are never written to the saved plan;
    pass the same O(resources) to M(opnform.opnsense.apply) when applying a plan that has them.
  - Connection options fall back to environment variables of the controller, not of the task.
seealso:
  - module: opnform.opnsense.apply
author:
  - opnform developers (@opnform)
"""

EXAMPLES = r"""
# Connection options are set once for group/opnform.opnsense.all in module_defaults.
- name: Plan the web deployment
  opnform.opnsense.plan:
    deployment: web
    resources:
      - type: firewall_alias
        name: web_servers
        properties:
          type: host
          content:
            - 192.0.2.10
      - type: firewall_filter_rule
        name: allow-web
        properties:
          interface:
            - wan
          protocol: TCP
          destination_net:
            - web_servers
          destination_port: "443"
  register: web_plan

- name: Apply exactly that plan later
  opnform.opnsense.apply:
    deployment: web
    plan_id: "{{ web_plan.plan_id }}"
"""

RETURN = r"""
---
plan_id:
  description: Id of the plan; pass it to M(opnform.opnsense.apply).
  returned: always
  type: str
  sample: plan-20261128T110203Z-6c1f0e
plan_path:
  description: File the plan was saved to (not in check mode).
  returned: when saved
  type: str
has_changes:
  description: Whether applying the plan would write anything.
  returned: always
  type: bool
plan:
  description:
    - The plan, without secrets; C(actions) has one entry per resource with C(op) (create, update, delete,
      noop), C(changes), C(adopted), C(move), C(stage) and C(after); C(lines) is a readable summary.
  returned: always
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
timings:
  description: Milliseconds spent per step.
  returned: always
  type: dict
"""
