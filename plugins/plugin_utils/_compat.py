# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adapters over ``module_utils`` for what the engine needs and the spec records do not say yet.

Everything here is a stop-gap with a named owner: the engine asks these functions, never a type
name, so when a spec gains the attribute the fallback below simply stops being used.

- :func:`ordering`: a type whose objects are evaluated in sequence (filter rules: pf evaluates rules
  in order, opnsense-api/firewall.md 1.4). Read from ``spec.ordering`` when the spec has it.
- :func:`mentions`: text fields that may *name* objects of another type without being a reference
  field (a rule's ``source_net`` names an alias; alias ``content`` names nested aliases). They make
  dependencies but stay names in the API. Read from ``FieldSpec.mentions`` when the spec has it.
- :func:`make_client`: a ``_client.Client`` that passes ``verify`` on every request, because
  requests lets ``REQUESTS_CA_BUNDLE`` override a session's ``verify`` (so ``ca_path`` would be
  ignored on machines that set it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._client import Client
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec


@dataclass(frozen=True)
class Ordering:
    """Objects of a type are ordered by the integer ``field`` within groups of equal ``group``
    fields; new positions are spaced ``step`` apart inside ``[minimum, maximum]``."""

    field: str
    group: Tuple[str, ...] = ()
    step: int = 100
    minimum: int = 1
    maximum: int = 999999


# Fallback data until the specs carry it (report: module_utils owner to add ResourceSpec.ordering
# and FieldSpec.mentions). Keyed by type, but only consulted through the two functions below.
_FALLBACK_ORDERING: Dict[str, Ordering] = {
    # pf evaluates rules in sequence inside a priority group; a rule's group follows its interface
    # set (opnsense-api/firewall.md 1.4).
    "firewall_filter_rule": Ordering(field="sequence", group=("interface",), step=100, minimum=1, maximum=999999),
}
_FALLBACK_MENTIONS: Dict[str, Dict[str, str]] = {
    # source/destination may be alias names, ports may be port alias names (firewall.md 1.3).
    "firewall_filter_rule": {
        "source_net": "firewall_alias",
        "destination_net": "firewall_alias",
        "source_port": "firewall_alias",
        "destination_port": "firewall_alias",
    },
    # networkgroup (and host/network) content may list other aliases by name (firewall.md 2.2).
    "firewall_alias": {"content": "firewall_alias"},
}


def ordering(spec: ResourceSpec) -> Optional[Ordering]:
    value = getattr(spec, "ordering", None)
    if value is not None:
        if isinstance(value, Ordering):
            return value
        return Ordering(
            field=value.field,
            group=tuple(getattr(value, "group", ()) or ()),
            step=int(getattr(value, "step", 100) or 100),
            minimum=int(getattr(value, "minimum", 1) or 1),
            maximum=int(getattr(value, "maximum", 999999) or 999999),
        )
    return _FALLBACK_ORDERING.get(spec.type)


def mentions(spec: ResourceSpec) -> Dict[str, str]:
    """``{field name: type}`` of the fields whose values may name objects of ``type``."""
    found = dict((f.name, f.mentions) for f in spec.fields if getattr(f, "mentions", None))
    if found:
        return found
    names = set(f.name for f in spec.fields)
    return dict((k, v) for k, v in _FALLBACK_MENTIONS.get(spec.type, {}).items() if k in names)


def make_client(
    api_url: str,
    api_key: str,
    api_secret: str,
    validate_certs: bool = True,
    ca_path: Optional[str] = None,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 0.5,
) -> Client:
    client = Client(
        api_url,
        api_key,
        api_secret,
        validate_certs=validate_certs,
        ca_path=ca_path,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
    )
    verify: Any = client.session.verify
    client.session.request = functools.partial(client.session.request, verify=verify)  # type: ignore[method-assign]
    return client
