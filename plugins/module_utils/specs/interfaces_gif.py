# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type interfaces_gif: GIF tunnels (core models/OPNsense/Interfaces/Gif.xml and Gif.php,
controllers/OPNsense/Interfaces/Api/GifSettingsController.php); what tunnels share is ``_tunnel``,
the flags only GIF has are here."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import boolean
from ansible_collections.opnform.opnsense.plugins.module_utils.specs._tunnel import tunnel_spec

SPEC = tunnel_spec(
    "gif",
    "IPv4/IPv6 in IPv4/IPv6",
    flags=(
        boolean(
            "link1",
            False,
            "ECN friendly behaviour (the C(link1) flag); it violates RFC 2893, so agree on it with the peer.",
            name="ecn_friendly",
        ),
        boolean(
            "link2",
            False,
            "Disable ingress filtering on the outer tunnel source (the C(link2) flag), for asymmetrically routed "
            "networks.",
            name="no_ingress_filter",
        ),
        boolean(
            "noclamp",
            False,
            "Do not clamp the effective MTU to 1280 bytes when the outer tunnel protocol is IPv6.",
            name="no_mtu_clamp",
        ),
    ),
)
