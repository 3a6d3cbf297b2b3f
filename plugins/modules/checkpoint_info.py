#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the work is done on the controller by the action plugin plugins/action/checkpoint_info.py.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: checkpoint_info
short_description: List the checkpoints of an OPNsense firewall, or show one and what restoring it would change
version_added: 0.1.0
description:
  - Without O(id) and O(path), lists the checkpoints saved for the firewall under O(state_dir), newest first, and
    the damaged checkpoint files (truncated or edited) with the reason. Sends no request to the firewall.
  - With O(id) (or O(path)), shows that checkpoint and, with O(restore_preview), the plan a restore would run
    against the firewall right now - what would be created, set back and deleted.
  - Never writes anything. Runs on the controller.
extends_documentation_fragment:
  - opnform.opnsense.connection
  - opnform.opnsense.state
options:
  id:
    description:
      - Id of the checkpoint to show.
    type: str
    aliases:
      - checkpoint_id
  path:
    description:
      - Show the checkpoint file at this path instead of looking O(id) up in the firewall's state folder.
    type: path
  deployment:
    description:
      - List only the checkpoints of this deployment.
    type: str
  restore_preview:
    description:
      - When showing a checkpoint, read the firewall and return the restore plan (RV(restore)).
    type: bool
    default: true
  show_objects:
    description:
      - When showing a checkpoint, also return the objects it holds (RV(objects)).
    type: bool
    default: false
  parallelism:
    description:
      - How many reads are in progress at once for the restore preview.
    type: int
    default: 5
  state_dir:
    description:
      - Folder of the controller state; defaults to E(OPNFORM_STATE_DIR), else C($XDG_STATE_HOME/opnform), else
        C(~/.local/state/opnform).
    type: path
attributes:
  check_mode:
    support: full
    description: Reads only, in check mode or not.
  diff_mode:
    support: full
    description: The restore preview also returns its changes as before/after pairs.
  action_group:
    support: full
    membership:
      - opnform.opnsense.all
    description: Use C(group/opnform.opnsense.all) in C(module_defaults) to set the connection options once.
seealso:
  - module: opnform.opnsense.checkpoint
author:
  - opnform developers (@opnform)
"""

EXAMPLES = r"""
- name: List the checkpoints of the firewall
  opnform.opnsense.checkpoint_info:
  register: saved

- name: Show the newest one and what restoring it would change now
  opnform.opnsense.checkpoint_info:
    id: "{{ saved.checkpoints[0].id }}"
  register: one

- name: Print the restore plan
  ansible.builtin.debug:
    var: one.restore.plan.lines
"""

RETURN = r"""
---
checkpoints:
  description:
    - The valid checkpoints, newest first, each as RV(checkpoint) describes.
  returned: when listing
  type: list
  elements: dict
damaged:
  description: Checkpoint files that cannot be used, each with C(id), C(path) and C(error).
  returned: when listing
  type: list
  elements: dict
count:
  description: Number of valid checkpoints listed.
  returned: when listing
  type: int
checkpoint:
  description:
    - The checkpoint without its objects - C(id), C(description), C(deployment), C(origin), C(created),
      C(firewall) (identity), C(scope), C(counts), C(withheld), C(config_backup), C(format_version), C(checksum).
  returned: when showing one
  type: dict
objects:
  description: The objects the checkpoint holds per type, each with C(uuid), C(name) and C(values).
  returned: when showing one with O(show_objects)
  type: dict
restore:
  description:
    - What a restore would do now - C(changed), C(summary) (C(create), C(update), C(delete), C(unchanged)),
      C(plan) (with C(lines) for humans), C(not_restored), C(warnings) and C(problems).
    - C(problems) lists why a restore would be refused before any write (for example a restored rule
      naming an alias that is neither in the checkpoint nor on the firewall); then C(plan) and C(summary)
      are null.
  returned: when showing one with O(restore_preview)
  type: dict
restorable:
  description:
    - False when the checkpoint was taken on another firewall (a restore would need C(force)), or when a
      restore would be refused (see RV(restore)).
  returned: when showing one with O(restore_preview)
  type: bool
identity_differences:
  description: How this firewall differs from the one the checkpoint was taken on.
  returned: when showing one with O(restore_preview)
  type: list
  elements: str
"""
