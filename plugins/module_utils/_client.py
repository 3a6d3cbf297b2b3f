# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTPS client for the OPNsense REST API.

Owns one keep-alive ``requests`` session per task, HTTP Basic auth with the API key and secret,
timeouts, and retries with exponential backoff for requests that are safe to repeat (reads, and
upserts under a UUID the client chose). It turns every HTTP, TLS and JSON failure into an error from
``_errors`` with a message that says what to fix, and never lets the API secret into a message.

It knows the API's transport quirks (opnsense-api/generic.md 2, 3, 5) and nothing about resources.
"""

from __future__ import annotations

import html
import json
import time
import traceback
import warnings
from typing import Any, Dict, Optional

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    ConfigurationError,
    ForbiddenError,
    NotFoundError,
    ServerError,
    TlsError,
    TransportError,
)

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import InsecureRequestWarning

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

USER_AGENT = "opnform.opnsense"
# Gateway errors come from a proxy in front of the firewall, not from OPNsense itself: worth a retry
# when the request is safe to repeat. A 500 from OPNsense is a real answer ("in use", validation of
# a whole-model save, ...) and is never retried.
RETRY_STATUSES = frozenset([502, 503, 504])


def unverified_tls_warning(api_url: str) -> str:
    """The one warning a task with ``validate_certs: false`` reports, saying what it means."""
    return (
        "validate_certs is false: the TLS certificate of %s is not verified, so anyone on the network "
        "path can pose as the firewall and receive the API key and secret. Pass the firewall's CA "
        "certificate with ca_path (or OPNSENSE_CA_PATH) instead." % api_url
    )


def _silence_urllib3_tls_warning() -> None:
    """Stop urllib3 from printing InsecureRequestWarning once per request.

    The task reports :func:`unverified_tls_warning` once instead. Printing matters beyond noise: on
    ansible-core 2.16-2.18 a request thread writing to stderr in a forked worker blocks for ever on
    Display's lock (see ``plugin_utils/_captured_output``), and 2.19+ flags it as an errant write.
    """
    warnings.filterwarnings("ignore", category=InsecureRequestWarning)


def normalise_base_url(url: str) -> str:
    """Turn ``https://fw``, ``https://fw/`` or ``https://fw/api`` into ``https://fw/api/``."""
    if not url or "://" not in url:
        raise ConfigurationError(
            "api_url %r is not a URL; expected something like https://firewall.example.com" % (url,)
        )
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("https", "http"):
        raise ConfigurationError("api_url %r must start with https:// (or http://)" % (url,))
    base = url.rstrip("/")
    if not base.endswith("/api"):
        base += "/api"
    return base + "/"


class Client(object):
    """A session against one firewall's ``/api/``; one instance per task."""

    def __init__(
        self,
        api_url: str,
        api_key: str,
        api_secret: str,
        validate_certs: bool = True,
        ca_path: Optional[str] = None,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        sleep: Any = None,
    ) -> None:
        if not HAS_REQUESTS:
            raise ConfigurationError("the Python library 'requests' is required on the host that runs the module")
        if not api_key:
            raise ConfigurationError("api_key is empty; set it or the OPNSENSE_API_KEY environment variable")
        if not api_secret:
            raise ConfigurationError("api_secret is empty; set it or the OPNSENSE_API_SECRET environment variable")
        self.base_url = normalise_base_url(api_url)
        self.api_key = api_key
        self._secret = api_secret
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self._sleep = sleep or time.sleep
        self.session = requests.Session()
        self.session.auth = (api_key, api_secret)
        # ca_path wins over validate_certs=true; validate_certs=false disables verification entirely.
        # It is passed with every request too: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE in the
        # environment override a session-level verify, which would silently ignore ca_path.
        self.verify = (ca_path or True) if validate_certs else False
        if not validate_certs:
            _silence_urllib3_tls_warning()
        self.session.verify = self.verify
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        # Our own retry loop decides what is safe to repeat; urllib3 must not retry behind our back.
        adapter = HTTPAdapter(max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.request_count = 0

    # -- public API -------------------------------------------------------------------------

    def get(self, path: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """GET ``/api/<path>``; reads are always safe to retry."""
        return self.request("GET", path, params=params, retry=True)

    def post(self, path: str, body: Optional[Dict[str, Any]] = None, retry: bool = False) -> Any:
        """POST ``/api/<path>``; ``retry`` only for idempotent calls (search, upsert by known UUID)."""
        return self.request("POST", path, body=body, retry=retry)

    def close(self) -> None:
        self.session.close()

    def redact(self, text: str) -> str:
        """Remove the secret from any text that might echo it (exception strings, bodies)."""
        if self._secret and self._secret in text:
            text = text.replace(self._secret, "********")
        return text

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def request(
        self,
        method: str,
        path: str,
        body: Optional[Dict[str, Any]] = None,
        params: Optional[Dict[str, Any]] = None,
        retry: bool = False,
    ) -> Any:
        """Send one request (plus retries if allowed) and return the decoded JSON body."""
        url = self.url(path)
        headers = {}
        data = None
        if body is not None:
            # OPNsense answers 400 "Invalid JSON syntax" to a JSON content type with an empty body
            # (opnsense-api/generic.md 2), so the header is only sent together with a body.
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        attempts = self.retries + 1 if retry else 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                self.request_count += 1
                response = self.session.request(
                    method, url, data=data, params=params, headers=headers, timeout=self.timeout, verify=self.verify
                )
            except requests.exceptions.SSLError as exc:
                raise self._tls_error(url, exc) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if last:
                    raise self._transport_error(method, url, exc) from None
                self._sleep(self.backoff * (2**attempt))
                continue
            except requests.exceptions.RequestException as exc:
                raise TransportError(self.redact("%s %s failed: %s" % (method, url, exc))) from None
            if response.status_code in RETRY_STATUSES and not last:
                self._sleep(self.backoff * (2**attempt))
                continue
            return self._decode(method, url, response)
        raise TransportError("%s %s: no attempt was made" % (method, url))  # pragma: no cover

    # -- helpers ----------------------------------------------------------------------------

    def _key_hint(self) -> str:
        key = self.api_key or ""
        return "%s..." % key[:6] if len(key) > 6 else "(%d characters)" % len(key)

    def _tls_error(self, url: str, exc: Exception) -> TlsError:
        if self.ca_path:
            hint = (
                "the certificate is not signed by the CA in ca_path %r (check that the file is the "
                "firewall's CA and that the api_url host name matches the certificate)" % self.ca_path
            )
        else:
            hint = (
                "the firewall's certificate is not trusted; pass its CA certificate file with ca_path "
                "(or the OPNSENSE_CA_PATH environment variable), or set validate_certs: false to skip "
                "verification (not recommended)"
            )
        return TlsError(self.redact("TLS verification failed for %s: %s. Cause: %s" % (url, hint, exc)))

    def _transport_error(self, method: str, url: str, exc: Exception) -> TransportError:
        text = str(exc)
        if isinstance(exc, requests.exceptions.Timeout):
            message = "%s %s timed out after %ss (option timeout)" % (method, url, self.timeout)
        elif "Connection aborted" in text or "RemoteDisconnected" in text or "Connection reset" in text:
            # The request reached the firewall; whether it took effect is unknown. Only requests
            # that are safe to repeat were retried before giving up.
            message = (
                "the connection was lost during %s %s; the firewall may or may not have applied it. "
                "Re-running the task is safe: it reads the current state first. Cause: %s" % (method, url, exc)
            )
        else:
            message = "cannot connect to %s: check api_url (host, port, https). Cause: %s" % (url, exc)
        return TransportError(self.redact(message))

    def _decode(self, method: str, url: str, response: Any) -> Any:
        status = response.status_code
        text = response.text or ""
        payload = None
        if text.strip():
            try:
                payload = json.loads(text)
            except ValueError:
                payload = None
        if status == 401:
            looks_opnsense = isinstance(payload, dict) and ("message" in payload or "status" in payload)
            if looks_opnsense:
                message = (
                    "authentication failed (HTTP 401) at %s. The URL reaches the OPNsense API, so the "
                    "API key or secret is wrong: check that api_key %s exists for an enabled, unexpired "
                    "user and that api_secret belongs to that key (the secret is not shown)"
                    % (self.base_url, self._key_hint())
                )
            else:
                message = "HTTP 401 from %s, which does not look like the OPNsense API: check api_url" % self.base_url
            raise AuthError(self.redact(message))
        if status == 403:
            raise ForbiddenError(
                self.redact(
                    "the API key %s is valid but its user lacks the privilege for %s %s (HTTP 403): "
                    "grant the page privilege in System > Access > Users" % (self._key_hint(), method, url)
                )
            )
        if status == 404:
            raise NotFoundError(
                "endpoint not found (HTTP 404): %s %s. Check api_url, and that the OPNsense version or "
                "plugin providing it is installed" % (method, url),
                details={"url": url},
            )
        if status >= 500 or status == 400:
            message = None
            title = None
            if isinstance(payload, dict):
                message = payload.get("errorMessage") or payload.get("message")
                title = payload.get("errorTitle")
            # api.php escapes <, > and & in error messages (opnsense-api/generic.md 3).
            message = html.unescape(str(message)) if message else text.strip()[:500]
            title = html.unescape(str(title)) if title else None
            full = "%s: %s" % (title, message) if title else message
            raise ServerError(
                self.redact("HTTP %d from %s %s: %s" % (status, method, url, full)),
                details={"http_status": status, "error_title": title, "error_message": self.redact(message or "")},
            )
        if status >= 300:
            raise ApiError(self.redact("unexpected HTTP %d from %s %s: %s" % (status, method, url, text[:300])))
        if not text.strip():
            return None
        if payload is None:
            ctype = response.headers.get("Content-Type", "")
            raise ApiError(
                self.redact(
                    "the answer from %s is not JSON (Content-Type %r): check that api_url points at the "
                    "OPNsense web GUI" % (url, ctype)
                )
            )
        return payload
