"""The HTTP client against a real local HTTP server that reproduces OPNsense's transport quirks."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._client import Client, normalise_base_url
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

SECRET = "s3cr3t-NEVER-SHOWN"


class Handler(BaseHTTPRequestHandler):
    """Answers from ``server.script`` (path -> list of (status, body) consumed in order)."""

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append(
            {
                "method": self.command,
                "path": self.path,
                "ctype": self.headers.get("Content-Type"),
                "body": body,
                "auth": self.headers.get("Authorization"),
            }
        )
        # OPNsense: a JSON content type with an empty body is a 400 (generic.md 2).
        if self.headers.get("Content-Type", "").startswith("application/json") and not body:
            return self._send(400, {"status": 400, "message": "Invalid JSON syntax"})
        script = self.server.script.get(self.path.split("?")[0], [(200, {"ok": True})])
        status, payload = script.pop(0) if len(script) > 1 else script[0]
        self._send(status, payload)

    def _send(self, status, payload):
        data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if isinstance(payload, str) else "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer
    do_POST = _answer


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.script = {}
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def client_for(httpd, **kw):
    url = "http://127.0.0.1:%d" % httpd.server_address[1]
    kw.setdefault("sleep", lambda s: None)
    return Client(url, "KEY1234567890", SECRET, **kw)


def test_base_url_gets_api_suffix_once():
    assert normalise_base_url("https://fw") == "https://fw/api/"
    assert normalise_base_url("https://fw/api/") == "https://fw/api/"
    with pytest.raises(ConfigurationError, match="not a URL"):
        normalise_base_url("fw.example.com")


def test_body_less_post_sends_no_json_content_type(server):
    """The 'OK' answer proves no 400: OPNsense rejects a JSON content type without a body."""
    server.script["/api/firewall/filter/apply"] = [(200, {"status": "OK\n\n"})]
    assert client_for(server).post("firewall/filter/apply") == {"status": "OK\n\n"}
    assert server.seen[0]["ctype"] is None and server.seen[0]["body"] == b""


def test_post_with_body_is_json_with_basic_auth(server):
    client_for(server).post("firewall/alias/setItem/x", {"alias": {"name": "a"}})
    seen = server.seen[0]
    assert seen["ctype"] == "application/json" and json.loads(seen["body"]) == {"alias": {"name": "a"}}
    assert seen["auth"].startswith("Basic ")


def test_one_keep_alive_session_for_all_requests(server):
    client = client_for(server)
    client.get("a/b/c")
    client.get("a/b/c")
    assert client.request_count == 2
    assert len(client.session.adapters["http://"].poolmanager.pools) == 1


def test_401_says_key_or_secret_and_hides_the_secret(server):
    server.script["/api/core/firmware/status"] = [(401, {"status": 401, "message": "Authentication Failed"})]
    with pytest.raises(AuthError) as err:
        client_for(server).get("core/firmware/status")
    message = str(err.value)
    assert "API key or secret is wrong" in message and "KEY123..." in message
    assert SECRET not in message


def test_401_from_something_else_points_at_the_url(server):
    server.script["/api/core/firmware/status"] = [(401, "<html>login</html>")]
    with pytest.raises(AuthError, match="does not look like the OPNsense API: check api_url"):
        client_for(server).get("core/firmware/status")


def test_403_names_the_privilege_problem(server):
    server.script["/api/routes/routes/searchroute"] = [(403, {"status": 403, "message": "Forbidden"})]
    with pytest.raises(ForbiddenError, match="lacks the privilege"):
        client_for(server).get("routes/routes/searchroute")


def test_404_is_not_found(server):
    server.script["/api/haproxy/settings/searchServers"] = [(404, {"errorMessage": "Endpoint not found"})]
    with pytest.raises(NotFoundError) as err:
        client_for(server).get("haproxy/settings/searchServers")
    assert err.value.details["url"].endswith("/api/haproxy/settings/searchServers")


def test_500_carries_unescaped_message_and_title(server):
    server.script["/api/firewall/alias/delItem/u"] = [
        (
            500,
            {
                "errorMessage": "Cannot delete alias a. Currently in use by\n[rule] &lt;allow&gt;",
                "errorTitle": "Alias in use",
            },
        )
    ]
    with pytest.raises(ServerError) as err:
        client_for(server).post("firewall/alias/delItem/u")
    assert err.value.details["error_title"] == "Alias in use"
    assert "<allow>" in err.value.details["error_message"]
    assert server.seen.__len__() == 1, "a 500 is an answer, never retried"


def test_reads_are_retried_on_gateway_errors(server):
    server.script["/api/x/y/search"] = [(503, "busy"), (502, "busy"), (200, {"rows": []})]
    sleeps = []
    assert client_for(server, sleep=sleeps.append).get("x/y/search") == {"rows": []}
    assert len(server.seen) == 3 and sleeps == [0.5, 1.0]


def test_unsafe_posts_are_not_retried(server):
    server.script["/api/x/y/delItem/u"] = [(503, "busy"), (200, {"result": "deleted"})]
    with pytest.raises(ServerError):
        client_for(server).post("x/y/delItem/u")
    assert len(server.seen) == 1


def test_safe_posts_are_retried(server):
    server.script["/api/x/y/setItem/u"] = [(504, "slow"), (200, {"result": "saved"})]
    assert client_for(server).post("x/y/setItem/u", {"k": {}}, retry=True) == {"result": "saved"}
    assert len(server.seen) == 2


def test_connection_refused_retries_then_names_api_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    sleeps = []
    client = Client("http://127.0.0.1:%d" % port, "KEY", SECRET, retries=2, sleep=sleeps.append)
    with pytest.raises(TransportError, match="cannot connect to .* check api_url") as err:
        client.get("core/firmware/status")
    assert len(sleeps) == 2 and SECRET not in str(err.value)


def test_non_json_answer_points_at_the_url(server):
    server.script["/api/core/firmware/status"] = [(200, "<html>web GUI login</html>")]
    with pytest.raises(ApiError, match="not JSON"):
        client_for(server).get("core/firmware/status")


def test_empty_200_is_none(server):
    server.script["/api/unbound/settings/unknownThing"] = [(200, "")]
    assert client_for(server).get("unbound/settings/unknownThing") is None


def test_tls_failure_says_how_to_pass_a_ca(server):
    """An https URL against a plain-HTTP port fails the handshake like an untrusted certificate would."""
    client = Client("https://127.0.0.1:%d" % server.server_address[1], "KEY", SECRET, sleep=lambda s: None)
    with pytest.raises(TlsError) as err:
        client.get("core/firmware/status")
    assert "ca_path" in str(err.value) and "OPNSENSE_CA_PATH" in str(err.value)


def test_validate_certs_and_ca_path_reach_the_session(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    assert Client("https://fw", "K", SECRET).session.verify is True
    assert Client("https://fw", "K", SECRET, ca_path=str(ca)).session.verify == str(ca)
    assert Client("https://fw", "K", SECRET, validate_certs=False, ca_path=str(ca)).session.verify is False


def test_empty_credentials_are_configuration_errors():
    with pytest.raises(ConfigurationError, match="OPNSENSE_API_SECRET"):
        Client("https://fw", "K", "")
    with pytest.raises(ConfigurationError, match="OPNSENSE_API_KEY"):
        Client("https://fw", "", "S")


def test_redact_removes_the_secret():
    client = Client("https://fw", "K", SECRET)
    assert client.redact("x %s y" % SECRET) == "x ******** y"


def test_ca_path_survives_a_ca_bundle_in_the_environment(monkeypatch, tmp_path):
    """requests lets REQUESTS_CA_BUNDLE override a session-level verify; ca_path must still win."""
    ca = tmp_path / "fw-ca.pem"
    ca.write_text("x")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    client = Client("https://fw", "K", SECRET, ca_path=str(ca))
    settings = client.session.merge_environment_settings("https://fw/api/x", {}, None, client.verify, None)
    assert settings["verify"] == str(ca)


def test_every_request_carries_verify(monkeypatch, tmp_path):
    """The session's verify alone loses to REQUESTS_CA_BUNDLE, so request() passes it each time."""
    ca = tmp_path / "fw-ca.pem"
    ca.write_text("x")
    client = Client("https://fw", "K", SECRET, ca_path=str(ca))
    seen = []

    class Response(object):
        status_code = 200
        text = '{"ok": true}'

    def request(method, url, **kwargs):
        seen.append(kwargs.get("verify", "missing"))
        return Response()

    monkeypatch.setattr(client.session, "request", request)
    client.get("core/firmware/status")
    client.post("firewall/alias/searchItem", {"current": 1})
    assert seen == [str(ca), str(ca)]
    off = Client("https://fw", "K", SECRET, validate_certs=False, ca_path=str(ca))
    monkeypatch.setattr(off.session, "request", request)
    off.get("core/firmware/status")
    assert seen[-1] is False


def _insecure_warnings_after(validate_certs):
    import warnings

    from urllib3.exceptions import InsecureRequestWarning

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")
        Client("https://fw.example", "key", SECRET, validate_certs=validate_certs)
        warnings.warn("Unverified HTTPS request", InsecureRequestWarning, stacklevel=2)
    return [w for w in seen if issubclass(w.category, InsecureRequestWarning)]


def test_validate_certs_false_silences_urllib3s_per_request_warning():
    # The task reports one warning of its own instead; urllib3's would go to stderr per request.
    assert _insecure_warnings_after(validate_certs=False) == []
    assert len(_insecure_warnings_after(validate_certs=True)) == 1


def test_unverified_tls_warning_names_the_url_and_the_fix():
    from ansible_collections.opnform.opnsense.plugins.module_utils._client import unverified_tls_warning

    text = unverified_tls_warning("https://fw.example:8443")
    assert "https://fw.example:8443 is not verified" in text and "ca_path" in text
