# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type interfaces_gre: GRE tunnels (core models/OPNsense/Interfaces/Gre.xml and Gre.php,
controllers/OPNsense/Interfaces/Api/GreSettingsController.php); what tunnels share is ``_tunnel``."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils.specs._tunnel import tunnel_spec

SPEC = tunnel_spec("gre", "Generic Routing Encapsulation")
