# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the controller state lives: options of apply, plan, checkpoint and checkpoint_info
(mirrors plugin_utils/_options.py state_argspec; docs/state.md)."""

from __future__ import annotations


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  state_backend:
    description:
      - Where the controller state is kept - deployments (what prune may delete),
        saved plans, checkpoints, the journal that makes a killed apply recoverable, and the lock that keeps two
        applies against one firewall apart.
      - V(local) keeps it in the folder O(state_dir) on the controller, as files (the default).
      - V(postgresql) keeps it in the PostgreSQL database O(state_dsn), for controllers that do not keep
        their disk between jobs (AWX, Automation Platform) or that several people share. The tables are created
        or migrated on first use; the lock is a PostgreSQL advisory lock, released when its holder's connection
        ends. Progress events stay in O(state_dir). Needs the C(psycopg) Python library on the controller.
      - If not given, the E(OPNFORM_STATE_BACKEND) environment variable is used, else V(local).
      - Set it once for a play with C(module_defaults) of these four modules, or for a whole job with the
        environment (in AWX, a credential that injects E(OPNFORM_STATE_BACKEND) and E(OPNFORM_STATE_DSN)).
        See the collection's docs/state.md.
    type: str
    choices: [local, postgresql]
  state_dsn:
    description:
      - The PostgreSQL database of O(state_backend=postgresql), as a libpq connection URI
        (V(postgresql://opnform@db.example.com:5432/opnform?sslmode=verify-full&sslrootcert=/path/ca.pem))
        or C(key=value) string. Every libpq parameter passes through, TLS ones (C(sslmode), C(sslrootcert),
        C(sslcert), C(sslkey)) included; the password may also come from E(PGPASSWORD) or a C(.pgpass) file.
      - If not given, the E(OPNFORM_STATE_DSN) environment variable is used.
      - Its password is never logged, stored or shown in messages.
    type: str
"""
