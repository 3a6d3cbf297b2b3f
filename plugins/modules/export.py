#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the work is done on the controller by the action plugin plugins/action/export.py.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: export
short_description: Write what an OPNsense firewall holds as the resource list M(opnform.opnsense.apply) takes
version_added: 0.2.0
description:
  - Reads the firewall (one request per resource type, in parallel) and returns its objects as the list of
    resources that M(opnform.opnsense.apply) and M(opnform.opnsense.plan) take, in RV(resources), and writes it
    to O(dest) as YAML.
  - This is how a firewall configured by hand comes under management - export it, review and commit the file,
    then apply it with O(opnform.opnsense.apply#module:resources_file) - every exported object is adopted as it
    is, with no write to the firewall (see the collection's docs/export.md).
  - References to other objects are written as the referenced objects' names, as apply expects them. Properties
    equal to their default and computed properties (a rule's C(sequence), a VLAN's C(device)) are left out.
    Built-in, legacy and automatic objects (built-in aliases, automatic rules and categories) are skipped.
  - Objects are written in dependency order (types after the types they refer to), by name within a type, and
    filter rules in the order OPNsense evaluates them. Exporting an unchanged firewall again leaves O(dest) as
    it is (RV(changed) is false).
  - No secret is ever written. An object holding one (an alias with a password) is left out of the list and
    shown in the file as a commented-out entry with a vault placeholder, to complete by hand; applying it
    without its secret would clear the secret on the firewall.
  - Never writes to the firewall or to the controller's state folder; it records no deployment. Applying the
    export with a O(opnform.opnsense.apply#module:deployment) is what makes that deployment manage the objects.
  - Runs on the controller; it needs no connection to the inventory host.
extends_documentation_fragment:
  - opnform.opnsense.connection
options:
  types:
    description:
      - The resource types to export, for example V(firewall_alias) or an alias such as V(opnsense:firewall:alias).
        The types their references name are read too (for the names), but not exported.
      - Default is every type the collection manages; the types of a plugin the firewall does not have are then
        skipped (RV(missing_types)). A type named here whose plugin is missing fails the task.
    type: list
    elements: str
  dest:
    description:
      - File on the controller to write the YAML to. A relative path is relative to the playbook's directory,
        as O(opnform.opnsense.apply#module:resources_file) is, so the same path names the same file in both tasks.
      - The folder must exist. The file is written atomically with mode C(0600), only when what it says changes
        (the export date in its header alone does not count).
      - Without O(dest) the export is only returned.
    type: path
  parallelism:
    description:
      - How many reads are in progress at once.
    type: int
    default: 5
attributes:
  check_mode:
    support: full
    description: Reads the firewall and computes the file, but does not write O(dest); RV(changed) says whether it would change.
  diff_mode:
    support: full
    description: Returns the old and the new content of O(dest) when it changes.
  action_group:
    support: full
    membership:
      - opnform.opnsense.all
    description: Use C(group/opnform.opnsense.all) in C(module_defaults) to set the connection options once.
notes:
  - A resources file is plain data and never templated, so it cannot carry a C(lookup) for a secret; list the
    objects that hold secrets in an inline O(opnform.opnsense.apply#module:resources) list instead (docs/export.md).
  - Objects apply could not match are not exported, with a warning - rules without a description, and several
    objects sharing one identity (RV(skipped)).
  - Connection options fall back to environment variables of the controller, not of the task.
seealso:
  - module: opnform.opnsense.apply
  - module: opnform.opnsense.plan
author:
  - opnform developers (@opnform)
"""

EXAMPLES = r"""
# Connection options are set once for group/opnform.opnsense.all in module_defaults.
- name: Export everything the firewall holds
  opnform.opnsense.export:
    dest: "exports/{{ inventory_hostname }}.yml"

- name: Adopt it - the plan shows only adoptions, and nothing is written to the firewall
  opnform.opnsense.apply:
    deployment: baseline
    resources_file: "exports/{{ inventory_hostname }}.yml"

- name: Export only the aliases and rules, without writing a file
  opnform.opnsense.export:
    types:
      - firewall_alias
      - firewall_filter_rule
  register: exported

- name: Show what holds a secret and was left out
  ansible.builtin.debug:
    var: exported.withheld
"""

RETURN = r"""
---
changed:
  description: Whether O(dest) was (in check mode, would be) written.
  returned: always
  type: bool
dest:
  description: The absolute path of O(dest).
  returned: when O(dest) is given
  type: str
resources:
  description:
    - The exported resources in file order, each with C(type), C(name) and C(properties), as
      O(opnform.opnsense.apply#module:resources) takes them.
  returned: always
  type: list
  elements: dict
  sample:
    - type: firewall_alias
      name: web_servers
      properties:
        type: host
        content:
          - 192.0.2.10
        categories:
          - web
types:
  description: The exported types, in file order (referenced types first).
  returned: always
  type: list
  elements: str
counts:
  description: Number of exported resources per type.
  returned: always
  type: dict
withheld:
  description: Objects left out because they hold a secret, each with C(type), C(name) and C(fields) (the secrets).
  returned: always
  type: list
  elements: dict
skipped:
  description: Objects apply could not match, each with C(type), C(uuid), C(name) when it has one, and C(reason).
  returned: always
  type: list
  elements: dict
builtin:
  description: Number of built-in, legacy and automatic objects skipped per type.
  returned: always
  type: dict
missing_types:
  description: Types whose plugin the firewall does not have (skipped).
  returned: always
  type: list
  elements: str
firewall:
  description: The firewall's URL, without credentials or path.
  returned: always
  type: str
version:
  description: The firewall's OPNsense version.
  returned: always
  type: str
timings:
  description: Milliseconds spent per step.
  returned: always
  type: dict
"""
