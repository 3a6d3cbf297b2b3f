# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every module of opnform.opnsense (mirrors module_utils/_argspec.py)."""

from __future__ import annotations


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - URL of the OPNsense web GUI, for example V(https://firewall.example.com:8443). A trailing C(/api) is optional.
      - If not given, the E(OPNSENSE_URL) environment variable is used.
    type: str
    required: true
  api_key:
    description:
      - API key of an OPNsense user (System > Access > Users > API keys).
      - If not given, the E(OPNSENSE_API_KEY) environment variable is used.
    type: str
    required: true
  api_secret:
    description:
      - API secret belonging to O(api_key). It is never logged or shown in messages.
      - If not given, the E(OPNSENSE_API_SECRET) environment variable is used.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the firewall's TLS certificate. Leave this on and give the CA with O(ca_path) when the
        certificate is self-signed or signed by a private CA.
      - If not given, the E(OPNSENSE_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM file with the CA certificate(s) that signed the firewall's certificate.
      - If not given, the E(OPNSENSE_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request. Reads and upserts under a known UUID are retried with
        backoff after a timeout or connection error; other writes are not.
      - If not given, the E(OPNSENSE_TIMEOUT) environment variable is used, else 30 seconds.
    type: float
notes:
  - All modules of the collection are in the C(group/opnform.opnsense.all) action group, so the
    connection options can be set once in C(module_defaults).
  - "The modules talk HTTPS to the firewall from the host they run on, usually with
    C(connection: local) or C(delegate_to: localhost). They need the Python C(requests) library there."
"""
