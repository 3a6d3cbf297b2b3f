"""The HTTPS server, the request log, fault effects and the Python `Simulator` handle.

Threaded (one thread per connection, HTTP/1.1 keep-alive) so a client's parallel reads are served
in parallel, as lighttpd + php-fpm do; writes then serialise in the config store.
"""

from __future__ import annotations

import collections
import email.utils
import http
import ipaddress
import json
import secrets
import socket
import ssl
import struct
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import web
from .app import App
from .control import Control
from .costs import CostModel
from .environment import SUPPORTED_VERSIONS, Environment
from .faults import Faults
from .http import Request, Response
from .tls import make_certificates


class RequestLog:
    """Every request to the firewall (not the control API), oldest first; the newest `limit` are kept
    so a long-running simulator does not grow without bound."""

    def __init__(self, limit: int = 100_000) -> None:
        self.entries: collections.deque[dict[str, Any]] = collections.deque(maxlen=limit)
        self.lock = threading.Lock()
        self.seq = 0

    def add(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.seq += 1
            entry["seq"] = self.seq
            self.entries.append(entry)

    def list(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.entries)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out without waiting for a delayed ACK
    server_version = "OPNsense"
    sys_version = ""
    sim: "Simulator"
    served = 0  # requests answered on this connection

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base class
        pass

    def parse_request(self) -> bool:
        """A lean HTTP/1.x request parser (the stdlib one goes through the email package, which
        cost more than the whole API action); anything unusual falls back to the stdlib."""
        requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = requestline.split(" ")
        if len(words) != 3 or words[2] not in ("HTTP/1.1", "HTTP/1.0"):
            return super().parse_request()
        self.command, self.path, self.request_version = words
        self.requestline = requestline
        fields: dict[str, str] = {}
        for _ in range(101):
            line = self.rfile.readline(65537)
            if len(line) > 65536:
                self.send_error(431, "Line too long")
                return False
            if line in (b"\r\n", b"\n", b""):
                break
            name, sep, value = str(line, "iso-8859-1").partition(":")
            if not sep:
                self.send_error(400, "Bad header line")
                return False
            name = name.strip().lower()
            value = value.strip()
            fields[name] = f"{fields[name]}, {value}" if name in fields else value
        else:
            self.send_error(431, "Too many headers")
            return False
        self.headers = _Fields(fields)  # type: ignore[assignment]
        connection = fields.get("connection", "").lower()
        if self.request_version == "HTTP/1.1":
            self.close_connection = connection == "close"
            if fields.get("expect", "").lower() == "100-continue":
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        else:
            self.close_connection = connection != "keep-alive"
        return True

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline(1024).split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, resp: Response) -> None:
        self.served += 1
        lines = [f"HTTP/1.1 {resp.status} {_REASONS.get(resp.status, '')}", f"Date: {_http_date()}", "Server: OPNsense"]
        lines += [f"{k}: {v}" for k, v in resp.headers.items()]
        lines.append(f"Content-Length: {len(resp.body)}")
        limit = self.sim.costs.keepalive_requests
        if limit and self.served >= limit:
            # lighttpd's server.max-keep-alive-requests (costs.py).
            lines.append("Connection: close")
            self.close_connection = True
        elif self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        # One write for headers and body.
        self.wfile.write(head if self.command == "HEAD" else head + resp.body)

    def _reset(self) -> None:
        """Drop the connection without an answer (RST, not FIN)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            self.connection.close()
        except OSError:
            pass

    def _dispatch(self) -> None:
        body = self._read_body()
        headers = (
            dict(self.headers.items())
            if isinstance(self.headers, _Fields)
            else {k.lower(): v for k, v in self.headers.items()}
        )
        req = Request(self.command, self.path, headers, body, self.client_address[0])
        if req.path.startswith("/__sim__/") and _is_loopback(self.client_address[0]):
            self._send(self.sim.control.handle(req))
            return
        # Anything else, the control API seen from another host included, is the firewall's.
        self.sim.serve(self, req)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch


class _Fields(dict):
    """Request headers, lower-cased names; `get` ignores case like the stdlib's message object."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(name.lower(), default)


_REASONS = {code: status.phrase for code, status in http.HTTPStatus.__members__.items() for code in [status.value]}
_date_cache: list[Any] = [0, ""]


def _http_date() -> str:
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, email.utils.formatdate(now, usegmt=True)]
    return _date_cache[1]


def _is_loopback(addr: str) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
        return ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback)
    except ValueError:
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    ssl_context: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        if self.ssl_context is not None:
            # The handshake happens in the connection's own thread, not in the accept loop.
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that drops its connection is not the server's problem


class Simulator:
    """`with Simulator(port=0, profile="instant") as sim:` runs a simulated firewall on loopback."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        api_secret: str | None = None,
        tls: bool = True,
        profile: str = "instant",
        opnsense_version: str = "26.7",
        state_file: str | Path | None = None,
        unsafe_concurrent_writes: bool = False,
        workdir: str | Path | None = None,
    ) -> None:
        if opnsense_version not in SUPPORTED_VERSIONS:
            raise ValueError(
                f"unsupported OPNsense version {opnsense_version!r}; choose {', '.join(SUPPORTED_VERSIONS)}"
            )
        self.host = host
        self.port = port
        self.api_key = api_key or secrets.token_urlsafe(60)[:80]
        self.api_secret = api_secret or secrets.token_urlsafe(60)[:80]
        self.tls = tls
        self.costs = CostModel.named(profile)
        self.opnsense_version = opnsense_version
        self.state_file = Path(state_file) if state_file else None
        self.unsafe = unsafe_concurrent_writes
        self._tmp = tempfile.TemporaryDirectory(prefix="opnsense-sim-") if workdir is None else None
        self.workdir = Path(workdir) if workdir else Path(self._tmp.name)  # type: ignore[union-attr]
        self.faults = Faults()
        self.requests = RequestLog()
        self.control = Control(self)
        self.app = self._new_app(opnsense_version)
        self.ca_file: str | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def _new_app(self, version: str, load_state: bool = True) -> App:
        env = Environment(version=version)
        env.api_users[self.api_key] = (self.api_secret, "root")
        app = App(env, self.costs, self.unsafe)
        app.extra["boot_time"] = time.time()
        if self.state_file is not None:
            from .configxml import attach_state_file

            attach_state_file(app, self.state_file, load=load_state)
        return app

    def start(self) -> "Simulator":
        handler = type("Handler", (_Handler,), {"sim": self})
        self._server = _Server((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        if self.tls:
            ca, cert, key = make_certificates(self.workdir / "tls", self.host)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self._server.ssl_context = ctx
            self.ca_file = str(ca)
        self._thread = threading.Thread(target=self._server.serve_forever, name="opnsense-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    # -- the API, with costs, faults and the request log -------------------------------------------
    def serve(self, handler: _Handler, req: Request) -> None:
        """One request to the simulated firewall: costs, faults, the request log, then the answer."""
        start = time.time()
        entry: dict[str, Any] = {"method": req.method, "path": req.path, "query": req.query_string, "start": start}
        costs = self.costs
        delay = costs.rtt_seconds() * (1 if handler.served else 3) + costs.request_seconds()
        rule = self.faults.match(req.method, req.path) if self.faults.rules else None
        effect = rule.effect if rule else None
        if effect:
            entry["fault"] = effect
        if effect == "delay":
            delay += rule.delay_ms / 1000.0  # type: ignore[union-attr]
        if delay:
            time.sleep(delay)
        if effect in ("reset", "timeout"):
            if effect == "timeout":
                time.sleep((rule.delay_ms or 30000) / 1000.0)  # type: ignore[union-attr]
            entry.update(status=None, end=time.time())
            self.requests.add(entry)
            handler._reset()
            return
        app = self.app
        if effect == "http500":
            resp = app.error_response(500, {"errorMessage": "Unexpected error, check log for details"})
        elif effect == "validation":
            resp = Response.json({"result": "failed", "validations": _injected_validation(req)})
        elif req.path.startswith("/api/") and len(req.path) > 5:
            resp = app.handle(req)
        else:
            resp = web.handle(app.env, req)
        entry.update(status=None if effect == "commit_then_reset" else resp.status, end=time.time())
        self.requests.add(entry)
        if effect == "commit_then_reset":
            handler._reset()
            return
        handler._send(resp)

    # -- Python control API (the same operations as /__sim__/) --------------------------------------
    def state(self) -> dict[str, Any]:
        return self.control.state()

    def reset(self, opnsense_version: str | None = None) -> None:
        self.control.reset(opnsense_version)

    def inject(self, rules: list[dict[str, Any]] | dict[str, Any] | None = None, **rule: Any) -> None:
        if rules is None:
            rules = [rule]
        elif isinstance(rules, dict):
            rules = [rules]
        self.faults.add(rules)

    def clear_faults(self) -> None:
        self.faults.clear()

    def log(self) -> list[dict[str, Any]]:
        return self.requests.list()

    def clear_log(self) -> None:
        self.requests.clear()

    def set_profile(self, profile: str | None = None, **values: Any) -> None:
        """The Python twin of POST /__sim__/profile: a named profile and/or single cost values."""
        self.control.profile({"profile": profile, **values} if profile else values)


def _injected_validation(req: Request) -> dict[str, str]:
    """An OPNsense-shaped validation failure naming the first posted field."""
    try:
        body = json.loads(req.body or b"{}")
    except ValueError:
        body = {}
    key, fieldname = "item", "name"
    if isinstance(body, dict) and body:
        key = next(iter(body))
        if isinstance(body[key], dict) and body[key]:
            fieldname = next(iter(body[key]))
    return {f"{key}.{fieldname}": "Injected validation error."}
