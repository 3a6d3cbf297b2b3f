"""Request parsing and response encoding exactly as OPNsense's Mvc layer does it (generic.md 2, 3)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit


@dataclass
class Request:
    method: str
    uri: str  # raw request URI, query included
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    remote: str = "127.0.0.1"
    post: dict[str, Any] = field(default_factory=dict)  # $_POST after parseJsonBodyData
    username: str = ""
    api_key: str = ""

    @property
    def path(self) -> str:
        return urlsplit(self.uri).path

    @property
    def query(self) -> dict[str, Any]:
        return php_form(urlsplit(self.uri).query)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def is_post(self) -> bool:
        return self.method == "POST"

    def get_post(self, name: str, default: Any = None) -> Any:
        return self.post.get(name, default)

    def get_request(self, name: str, default: Any = None) -> Any:
        """$_REQUEST: query string values, overridden by POST values."""
        if name in self.post:
            return self.post[name]
        return self.query.get(name, default)

    def has_post(self, name: str) -> bool:
        return name in self.post


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
    def error(cls, status: int, body: dict[str, Any]) -> "Response":
        """api.php error_output(): JSON_UNESCAPED_SLASHES, then htmlspecialchars(ENT_NOQUOTES)."""
        text = html_escape(php_json(body, escape_slashes=False))
        return cls(status, text.encode(), {"Content-Type": "application/json;charset=utf-8"})


def _phpify(data: Any) -> Any:
    """PHP arrays: an empty one encodes as [] whether it was meant as a list or a map."""
    if isinstance(data, dict):
        if not data:
            return []
        return {str(k): _phpify(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_phpify(v) for v in data]
    return data


def php_json(data: Any, escape_slashes: bool = True) -> str:
    """json_encode(): compact, non-ASCII as \\uXXXX, and slashes escaped unless told otherwise."""
    text = json.dumps(_phpify(data), separators=(",", ":"), ensure_ascii=True)
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
        m = re.match(r"^([^\[]+)((?:\[[^\]]*\])*)$", key)
        if not m:
            out[key] = value
            continue
        parts = [m.group(1)] + re.findall(r"\[([^\]]*)\]", m.group(2))
        node: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(node, list):
                node_dict = {str(n): v for n, v in enumerate(node)}
                node = node_dict
            if part == "":
                part = str(sum(1 for k in node if str(k).isdigit()))
            if last:
                node[part] = value
            else:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
    return out


def parse_body(req: Request) -> str | None:
    """ApiControllerBase::parseJsonBodyData: fills req.post; returns an error text for a 400."""
    ctype = req.header("content-type").replace(" ", "").lower()
    if ctype in ("application/json", "application/json;charset=utf-8"):
        raw = req.body
        try:
            decoded = json.loads(raw.decode("utf-8")) if raw.strip() else None
        except (ValueError, UnicodeDecodeError):
            decoded = None
        if not raw and not decoded:
            return "Invalid JSON syntax"
        req.post = decoded if isinstance(decoded, dict) else {}
    elif ctype.startswith("application/x-www-form-urlencoded"):
        req.post = php_form(req.body.decode("utf-8", "replace"))
    else:
        # Any other content type: the body is ignored (logged as unparsable upstream).
        req.post = {}
    return None


def qs_values(qs: str) -> dict[str, list[str]]:
    return parse_qs(qs)
