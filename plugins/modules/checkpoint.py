#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the work is done on the controller by the action plugin plugins/action/checkpoint.py.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: checkpoint
short_description: Take, delete or restore a snapshot of an OPNsense firewall's objects
version_added: 0.1.0
description:
  - With O(state=present), saves a checkpoint on the controller, under O(state_dir), of every object of the
    supported resource types (or of the types in O(scope)) as it is on the firewall now, with the firewall's
    identity, version and the deployment states, and optionally a copy of the firewall's own config.xml
    (O(include_config_backup)).
  - With O(state=restored), brings the firewall back to a checkpoint over its scope, as a plan run by the same
    engine as M(opnform.opnsense.apply) - objects created since are deleted, objects changed since are set back,
    objects deleted since are re-created under their original UUIDs. Types outside the scope, and built-in
    objects, are never touched.
  - A restore is journaled and rolled back on failure like an apply, so a restore that fails half-way leaves the
    firewall as it was before the restore. Before its first write it saves a checkpoint of what it changes
    (RV(safety_checkpoint_id)).
  - With O(state=absent), deletes a checkpoint file.
  - Checkpoint files are written atomically with mode 0600, carry a format version and a checksum, and never hold
    a secret. A truncated or edited file is refused with a message saying so.
  - Runs on the controller; it needs no connection to the inventory host. See C(docs/checkpoints.md).
extends_documentation_fragment:
  - opnform.opnsense.connection
  - opnform.opnsense.state
options:
  state:
    description:
      - V(present) takes a checkpoint, V(absent) deletes one, V(restored) restores one.
    type: str
    choices:
      - present
      - absent
      - restored
    default: present
  id:
    description:
      - Id of the checkpoint (its file name without C(.json)); letters, digits, C(.), C(_) and C(-).
      - Optional with O(state=present), where a new id such as C(cp-20260101T120000Z-1a2b3c) is made when it is
        not given; taking a checkpoint under an id that exists already changes nothing.
      - Required with O(state=absent), and with O(state=restored) unless O(path) is given.
    type: str
    aliases:
      - checkpoint_id
  description:
    description:
      - Free text saved with the checkpoint (O(state=present)).
    type: str
  deployment:
    description:
      - The deployment the checkpoint is taken for (O(state=present)); O(retain) counts the checkpoints of this
        deployment. A restore always uses the deployment recorded in the checkpoint.
    type: str
    default: default
  scope:
    description:
      - Resource types to snapshot (O(state=present)), for example V(firewall_alias) and V(firewall_filter_rule);
        the original design's type names such as V(opnsense:firewall:rule) are accepted too.
      - By default every type this collection supports; types of a plugin that is not installed (HAProxy) are
        then left out and listed under C(skipped) in RV(checkpoint).
      - A restore only ever changes objects of the types in the checkpoint's scope.
    type: list
    elements: str
  include_config_backup:
    description:
      - Also save a copy of the firewall's current config.xml (C(GET /api/core/backup/download/this)) in the
        checkpoint, with secret elements masked, its file name and the SHA-256 of the original.
      - The copy is for reference; a restore never uploads it.
    type: bool
    default: false
  retain:
    description:
      - After taking the checkpoint, keep only the newest O(retain) checkpoints of O(deployment) on this firewall
        (checkpoints saved by M(opnform.opnsense.apply) included) and delete the older ones.
    type: int
  path:
    description:
      - Restore the checkpoint file at this path instead of looking O(id) up in the firewall's state folder, for
        example one taken on another firewall (which needs O(force)).
    type: path
  force:
    description:
      - Restore a checkpoint that was taken on another firewall (another host name, product or API endpoint).
        Without it such a restore is refused before anything is written.
    type: bool
    default: false
  secrets:
    description:
      - Values of sensitive fields for objects a restore re-creates, which a checkpoint never holds, keyed by
        C(<type>/<name>) as the restore plan names the object, each a dict of field names and values (see the
        examples).
      - Needed when OPNsense refuses the object without them (an alias with C(authtype=Basic) needs its
        password). Objects the restore only updates keep their current secret values.
    type: dict
  checkpoint_before_restore:
    description:
      - Save a checkpoint of the objects a restore changes before its first write, so the restore itself can be
        undone with another restore.
    type: bool
    default: true
  parallelism:
    description:
      - How many reads and writes are in progress at once.
    type: int
    default: 5
  write_concurrency:
    description:
      - How many writes of a restore may be sent to the firewall at the same time.
    type: int
    default: 1
  lock_timeout:
    description:
      - Seconds to wait for an apply against the same firewall to finish before failing. Taking and restoring a
        checkpoint hold the same lock as M(opnform.opnsense.apply).
    type: float
    default: 300
  state_dir:
    description:
      - Folder of the controller state; checkpoints are in C(<state_dir>/<host>_<port>/checkpoints/).
      - Defaults to E(OPNFORM_STATE_DIR), else C($XDG_STATE_HOME/opnform), else C(~/.local/state/opnform).
    type: path
  progress_file:
    description:
      - A file to append the progress events of a restore to, as JSON lines naming the inventory host.
      - Defaults to E(OPNFORM_PROGRESS_FILE). See C(docs/progress.md).
    type: path
attributes:
  check_mode:
    support: full
    description:
      - O(state=present) reads the firewall and reports what it would save; O(state=restored) computes and returns
        the restore plan. Nothing is written, neither to the firewall nor to the controller state.
  diff_mode:
    support: full
    description: A restore returns its changes as before/after pairs.
  action_group:
    support: full
    membership:
      - opnform.opnsense.all
    description: Use C(group/opnform.opnsense.all) in C(module_defaults) to set the connection options once.
notes:
  - Secrets are never written to a checkpoint - the API secret, and the values of sensitive fields such as an
    alias C(password). A restore leaves such a field as it is on the firewall; an object the restore re-creates
    has it empty, which the result reports in RV(not_restored) and as a warning. Set it again with
    M(opnform.opnsense.apply).
  - The firewall identity is the host name from C(diagnostics/system/system_information), the product id, name and
    architecture from C(core/firmware/status), and the API URL's host and port. The version is recorded but may
    differ (an upgraded firewall is the same firewall).
seealso:
  - module: opnform.opnsense.checkpoint_info
  - module: opnform.opnsense.apply
author:
  - opnform developers (@opnform)
"""

EXAMPLES = r"""
# Connection options are set once for group/opnform.opnsense.all in module_defaults.
- name: Take a checkpoint before a change window, keeping the newest five
  opnform.opnsense.checkpoint:
    description: Before the change window
    deployment: web
    retain: 5
  register: before

- name: Snapshot only aliases and rules, with a copy of config.xml
  opnform.opnsense.checkpoint:
    id: rules-before-migration
    scope:
      - firewall_alias
      - firewall_filter_rule
    include_config_backup: true

- name: Show what a restore would change (check mode)
  opnform.opnsense.checkpoint:
    state: restored
    id: "{{ before.checkpoint_id }}"
  check_mode: true
  diff: true

- name: Restore it
  opnform.opnsense.checkpoint:
    state: restored
    id: "{{ before.checkpoint_id }}"

- name: Restore it, re-creating a URL table alias with its password (a checkpoint holds no secrets)
  opnform.opnsense.checkpoint:
    state: restored
    id: "{{ before.checkpoint_id }}"
    secrets:
      firewall_alias/blocklist:
        password: "{{ vault_blocklist_password }}"

- name: Delete a checkpoint
  opnform.opnsense.checkpoint:
    state: absent
    id: rules-before-migration
"""

RETURN = r"""
---
checkpoint_id:
  description: Id of the checkpoint taken, deleted or restored.
  returned: always
  type: str
  sample: cp-20260101T120000Z-1a2b3c
checkpoint:
  description:
    - The checkpoint without its objects - C(id), C(description), C(deployment), C(origin) (V(checkpoint), or
      V(apply) for the snapshot an apply saved), C(created), C(firewall) (identity), C(firewall_version),
      C(scope), C(skipped), C(counts) per type, C(withheld) (sensitive fields left out, per object),
      C(config_backup) (file name, size, SHA-256, masked elements), C(format_version), C(checksum) and C(path).
  returned: when a checkpoint was taken or restored
  type: dict
deleted:
  description: Ids of the checkpoints deleted (O(state=absent), or by O(retain)).
  returned: with O(state=absent) or O(retain)
  type: list
  elements: str
restore:
  description: Counts of the restore plan - C(create), C(update), C(delete), C(unchanged).
  returned: with O(state=restored)
  type: dict
  sample:
    create: 1
    update: 1
    delete: 1
    unchanged: 4
plan:
  description: The restore plan (as M(opnform.opnsense.plan) returns it), without secrets.
  returned: with O(state=restored)
  type: dict
results:
  description: Per action of the restore its C(id), C(op), C(uuid), C(status), C(duration_ms) and C(error).
  returned: when a restore wrote something
  type: list
  elements: dict
rolled_back:
  description: The writes a failed restore undid, in the order they were undone.
  returned: after a failed restore
  type: list
  elements: dict
rollback_failures:
  description: Undos that failed or left a difference.
  returned: after a failed restore
  type: list
  elements: dict
not_restored:
  description: Objects a restore re-created without some fields (secrets are never in a checkpoint).
  returned: with O(state=restored)
  type: list
  elements: dict
safety_checkpoint_id:
  description: Id of the checkpoint of the objects the restore changed, saved before its first write.
  returned: with O(state=restored)
  type: str
identity_differences:
  description: How the firewall differs from the one the checkpoint was taken on (restored with O(force)).
  returned: when they differ
  type: list
  elements: str
deployments_restored:
  description: Deployments whose state (managed objects and their UUIDs) the restore set back.
  returned: after a successful restore
  type: list
  elements: str
run_id:
  description: Id of the restore run (journal, events).
  returned: with O(state=restored)
  type: str
events_path:
  description: File of the restore's progress events (JSON lines).
  returned: when a restore wrote something
  type: str
"""
