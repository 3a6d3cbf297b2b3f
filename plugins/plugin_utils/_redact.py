# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeping secrets out of everything the engine writes or shows.

Nothing the controller stores (plans, deployment state, journal, checkpoints) or emits (events, the
task result, Ansible diffs) may hold a secret (design.md 4). Secrets reach the engine three ways:
the API secret, values of fields a spec marks ``sensitive`` (alias ``password``, ...), and text that
echoes either of them (an error message quoting a payload). This module owns all three defences:

- :func:`redact_values` replaces sensitive field values with ``********`` for display;
- :func:`strip_sensitive` drops sensitive values from API payloads before they are stored, and says
  which fields were withheld, so a recovery knows it cannot restore them from disk;
- :class:`Redactor` scrubs every known secret string (and values under secret-looking keys) out of
  any JSON-like structure right before it is written or returned.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec

REDACTED = "********"
# Keys whose values are secrets whatever their content (connection options, generic API bodies).
SECRET_KEY = re.compile(r"(^|[_-])(secret|password|passwd|passphrase|token)($|[_-])", re.I)
# Secrets shorter than this are not scrubbed from free text: replacing "1" everywhere would destroy
# messages and protect nothing (such a value is guessable anyway).
MIN_SECRET_LENGTH = 4


def redact_values(spec: ResourceSpec, values: Dict[str, Any]) -> Dict[str, Any]:
    """User-keyed values with every non-empty sensitive field shown as ``********``."""
    out = dict(values)
    for item in spec.fields:
        if item.sensitive and out.get(item.name) not in (None, "", []):
            out[item.name] = REDACTED
    return out


def sensitive_api_fields(spec: ResourceSpec) -> List[str]:
    """API names of the spec's sensitive fields."""
    return [item.api for item in spec.fields if item.sensitive]


def strip_sensitive(
    spec: ResourceSpec, payload: Optional[Dict[str, Any]]
) -> Tuple[Optional[Dict[str, Any]], List[str]]:
    """An API-keyed payload without its sensitive values, and the API names that were withheld.

    Withheld rather than masked: a stored ``********`` could be sent back to OPNsense by a recovery
    and silently become the new password; a missing key is left unchanged by ``set`` (generic.md 4).
    """
    if payload is None:
        return None, []
    out = dict(payload)
    withheld = []
    for api in sensitive_api_fields(spec):
        if api in out:
            if out[api] not in (None, ""):
                withheld.append(api)
            del out[api]
    return out, withheld


class Redactor(object):
    """Scrubs known secret strings and secret-keyed values from text and JSON-like structures.

    Thread-safe: workers register secrets they meet (sensitive values read from the firewall) while
    other threads write events.
    """

    def __init__(self, secrets: Iterable[Any] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: List[str] = []
        self.add(*secrets)

    def add(self, *values: Any) -> None:
        """Register secret values (strings; lists of strings are added item by item)."""
        with self._lock:
            for value in values:
                for item in value if isinstance(value, (list, tuple, set)) else [value]:
                    if item is None:
                        continue
                    text = str(item)
                    if len(text) >= MIN_SECRET_LENGTH and text not in self._secrets:
                        self._secrets.append(text)
            # Longest first, so a secret that contains another is replaced whole.
            self._secrets.sort(key=len, reverse=True)

    def add_record(self, spec: ResourceSpec, values: Dict[str, Any], api_keyed: bool = False) -> None:
        """Register the sensitive values of one record (user-keyed, or API-keyed when ``api_keyed``)."""
        for item in spec.fields:
            if item.sensitive:
                value = values.get(item.api if api_keyed else item.name)
                if value not in (None, "", []):
                    self.add(value)

    def text(self, text: str) -> str:
        return _replace(text, self._snapshot())

    def scrub(self, value: Any) -> Any:
        """A deep copy of ``value`` with secrets replaced; dict keys that look secret lose their value."""
        return _scrub(value, self._snapshot())

    def scrub_new(self, value: Any) -> Any:
        """:meth:`scrub` for a JSON-like value built just now that nothing else holds (a plan's
        dict): returned as it is when one pass over its JSON text finds neither a secret nor a
        secret-looking key, else scrubbed. The walk of :meth:`scrub` over a 15,000-action plan was a
        tenth of planning it; the text is made at C speed."""
        secrets = self._snapshot()
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            return _scrub(value, secrets)
        # A secret shows in JSON text as JSON escapes it (a quote as \", a backslash doubled).
        if any(json.dumps(secret, ensure_ascii=False)[1:-1] in text for secret in secrets):
            return _scrub(value, secrets)
        if SECRET_WORD.search(text):  # a key might look secret: let the walk decide
            return _scrub(value, secrets)
        return value

    def _snapshot(self) -> Tuple[str, ...]:
        """The secrets known now: one copy per call, not one per string of a large result."""
        with self._lock:
            return tuple(self._secrets)


# The words of SECRET_KEY anywhere in a text: where none occurs, no key in it looks secret.
SECRET_WORD = re.compile(r"secret|passwd|password|passphrase|token", re.I)
# Values nothing is scrubbed from, by exact type (subclasses, such as Ansible's tagged str, take the slow way).
PLAIN = frozenset([int, float, bool, type(None)])
_SECRET_KEYS: Dict[str, bool] = {}
SECRET_KEYS_KEPT = 10000  # object UUIDs are keys too: the memo stops growing here


def secret_key(key: str) -> bool:
    """Whether a dict key names a secret. Memoised: a plan's result repeats a few keys thousands of times."""
    found = _SECRET_KEYS.get(key)
    if found is None:
        found = SECRET_KEY.search(key) is not None
        if len(_SECRET_KEYS) < SECRET_KEYS_KEPT:
            _SECRET_KEYS[key] = found
    return found


def _replace(text: str, secrets: Tuple[str, ...]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _scrub(value: Any, secrets: Tuple[str, ...]) -> Any:
    """:meth:`Redactor.scrub` with the secrets taken once (it was a third of a 15,000-resource plan).
    Plain values are passed over without a call: most of a result's millions of values are."""
    if type(value) in PLAIN:
        return value
    if isinstance(value, str):
        return _replace(value, secrets)
    if isinstance(value, dict):
        return _scrub_dict(value, secrets)
    if isinstance(value, (list, tuple)):
        return [item if type(item) in PLAIN else _scrub(item, secrets) for item in value]
    return value


def _scrub_dict(value: Dict[Any, Any], secrets: Tuple[str, ...]) -> Dict[Any, Any]:
    """A dict scrubbed; a scalar under a secret-looking key becomes ``********`` whatever it holds."""
    out = {}
    known = _SECRET_KEYS
    for key, item in value.items():
        secret = known.get(key)
        if secret is None:
            secret = isinstance(key, str) and secret_key(key)
        if secret and isinstance(item, (str, int, float)) and item not in ("", REDACTED):
            out[key] = REDACTED
        elif type(item) in PLAIN:
            out[key] = item
        elif isinstance(item, str):
            out[key] = _replace(item, secrets)
        else:
            out[key] = _scrub(item, secrets)
    return out
