# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resources_file option of apply and plan (plugin_utils/_resources_file.py reads it)."""

from __future__ import annotations


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  resources_file:
    description:
      - A file on the controller holding the resources, read by the action plugin itself instead of O(resources);
        a JSON file (name ending in C(.json)) or a YAML file, with the list itself or a mapping whose
        C(resources) key holds it.
      - The recommended input for large sets (thousands of resources). Ansible templates every task
        argument, and a long O(resources) list costs more to template than to plan; the file is never
        templated, so it must hold plain values (no Jinja2 expressions, no vault).
      - A relative path is relative to the playbook's directory.
      - Mutually exclusive with O(resources).
    type: path
    version_added: 0.2.0
"""
