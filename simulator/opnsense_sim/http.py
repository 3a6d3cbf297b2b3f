"""Request parsing and response encoding exactly as OPNsense's Mvc layer does it (generic.md 2, 3)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from .core.values import php_float_str

PHP_INT_MAX = 2**63 - 1


@dataclass
class Request:
    method: str
    uri: str  # raw request URI ($_SERVER['REQUEST_URI']), query included
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    remote: str = "127.0.0.1"
    post: dict[str, Any] = field(default_factory=dict)  # $_POST after parseJsonBodyData
    username: str = ""
    api_key: str = ""

    def __post_init__(self) -> None:
        # Router::routeRequest: parse_url('/' . ltrim($uri, '/')), so "//api/x" is "/api/x" and the
        # query string and fragment never take part in routing; segments stay URL-encoded.
        target = "/" + self.uri.lstrip("/")
        path, _, rest = target.partition("?")
        self.path = path.partition("#")[0]
        self.query_string = rest.partition("#")[0]
        self._query: dict[str, Any] | None = None

    @property
    def query(self) -> dict[str, Any]:
        """$_GET."""
        if self._query is None:
            self._query = php_form(self.query_string)
        return self._query

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def is_post(self) -> bool:
        return self.method == "POST"

    @property
    def is_get(self) -> bool:
        return self.method == "GET"

    def get_post(self, name: str, default: Any = None) -> Any:
        """Request::getPost: isset() semantics, so a JSON null reads as missing."""
        value = self.post.get(name)
        return default if value is None else value

    def get_request(self, name: str, default: Any = None) -> Any:
        """$_REQUEST: query string values, overridden by POST values."""
        value = self.post.get(name)
        if value is None:
            value = self.query.get(name)
        return default if value is None else value

    def has_post(self, name: str) -> bool:
        """Request::hasPost is isset($_POST[$name]): false for a JSON null."""
        return self.post.get(name) is not None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json; charset=UTF-8"})

    @classmethod
    def json(cls, data: Any, status: int = 200, escape_html: bool = False) -> "Response":
        text = php_json(data)
        if escape_html:
            text = html_escape(text)
        return cls(status, text.encode())

    @classmethod
    def plain(cls, data: Any, status: int = 200) -> "Response":
        """Ordinary JSON, for the simulator's own control API."""
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json"})

    @classmethod
    def html(cls, text: str | bytes, status: int = 200) -> "Response":
        """PHP's default output: text/html when nothing set a content type."""
        body = text.encode() if isinstance(text, str) else text
        return cls(status, body, {"Content-Type": "text/html; charset=UTF-8"})

    @classmethod
    def error(cls, status: int, body: dict[str, Any], escape_html: bool = True) -> "Response":
        """api.php error_output(): JSON_UNESCAPED_SLASHES, then (26.7+) htmlspecialchars(ENT_NOQUOTES)."""
        text = php_json(body, escape_slashes=False)
        if escape_html:
            text = html_escape(text)
        return cls(status, text.encode(), {"Content-Type": "application/json;charset=utf-8"})


def _phpify(data: Any) -> Any:
    """PHP arrays: an empty one encodes as [] whether it was meant as a list or a map."""
    if isinstance(data, dict):
        if not data:
            return []
        return {k: _phpify(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_phpify(v) for v in data]
    return data


_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True).encode


def php_json(data: Any, escape_slashes: bool = True) -> str:
    """json_encode(): compact, non-ASCII as \\uXXXX, and slashes escaped unless told otherwise."""
    text = _ENCODE(data)
    if "{}" in text:
        # Rare: re-encode with empty maps as [] (a "{}" inside a string value also lands here).
        text = _ENCODE(_phpify(data))
    return text.replace("/", "\\/") if escape_slashes else text


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def php_form(qs: str) -> dict[str, Any]:
    """PHP's form decoding, including bracket keys such as alias[name]=x and a[]=1."""
    out: dict[str, Any] = {}
    for pair in qs.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        key, value = unquote_plus(key), unquote_plus(value)
        m = re.match(r"^([^\[]+)((?:\[[^\]]*\])*)", key)
        if not m:
            continue
        # PHP turns spaces and dots in the top-level name into underscores.
        base = m.group(1).replace(" ", "_").replace(".", "_")
        parts = [base] + re.findall(r"\[([^\]]*)\]", m.group(2))
        node: Any = out
        for i, part in enumerate(parts):
            if part == "" and i > 0:
                part = str(1 + max((int(k) for k in node if str(k).lstrip("-").isdigit()), default=-1))
            if i == len(parts) - 1:
                node[part] = value
            else:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
    return out


def _json_int(text: str) -> Any:
    """json_decode turns integers beyond PHP_INT_MAX into floats."""
    n = int(text)
    return float(n) if abs(n) > PHP_INT_MAX else n


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_decode(raw: bytes) -> Any:
    """json_decode($raw, true): None for anything PHP cannot decode."""
    try:
        return json.loads(raw.decode("utf-8"), parse_int=_json_int, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def _php_empty(value: Any) -> bool:
    return value is None or value is False or value == 0 or value in ("", "0") or value == [] or value == {}


def _as_post(decoded: Any) -> dict[str, Any]:
    """$_POST is a PHP array: a JSON object as is, a JSON list keyed 0..n-1, anything else empty."""
    if isinstance(decoded, dict):
        return decoded
    if isinstance(decoded, list):
        return {str(i): v for i, v in enumerate(decoded)}
    return {}


def parse_body(req: Request) -> str | None:
    """ApiControllerBase::parseJsonBodyData plus PHP's own POST parsing; an error text means HTTP 400.

    JSON bodies are read for any verb. Form bodies are parsed by PHP itself, which it does only for
    POST. A body of any other type is ignored (upstream logs "unparsable Content-Type").
    """
    ctype = req.header("content-type").replace(" ", "").lower()
    if ctype in ("application/json", "application/json;charset=utf-8"):
        raw = req.body
        decoded = json_decode(raw) if raw else None
        # empty($rawBody) && empty($jsonRawBody): "" and "0" are empty in PHP (generic.md 2).
        if raw in (b"", b"0") and _php_empty(decoded):
            return "Invalid JSON syntax"
        req.post = _as_post(decoded)
        return None
    mime = ctype.split(";", 1)[0]
    if req.method == "POST" and mime == "application/x-www-form-urlencoded":
        req.post = php_form(req.body.decode("utf-8", "replace"))
    elif req.method == "POST" and mime == "multipart/form-data" and req.body:
        req.post = _multipart(req.header("content-type"), req.body)
    else:
        req.post = {}
    return None


def _multipart(ctype: str, body: bytes) -> dict[str, Any]:
    """PHP's multipart/form-data parsing of plain fields (uploaded files are not simulated)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
    pairs = []
    for part in msg.iter_parts() if msg.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        if name is None or part.get_filename() is not None:
            continue
        payload = part.get_payload(decode=True) or b""
        pairs.append(f"{_qs_quote(name)}={_qs_quote(payload.decode('utf-8', 'replace'))}")
    return php_form("&".join(pairs))


def _qs_quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text, safe="[]")


__all__ = ["Request", "Response", "php_json", "php_form", "parse_body", "html_escape", "json_decode", "php_float_str"]
