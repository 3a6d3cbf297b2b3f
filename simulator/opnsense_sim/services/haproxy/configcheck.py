"""`haproxy -c -f /usr/local/etc/haproxy.conf.staging 2>&1`, simulated over the abridged staging file.

The facts leave haproxy's own behaviour UNVERIFIED (haproxy.md 2, 5). The checks and texts here
were read from haproxy's source at tag v3.2.0 (the plugin depends on haproxy32):
- output format (src/errors.c): "[LABEL]" padded to 10 columns, " (<pid>) : ", an optional
  context ("config : " while the file is parsed), the message. The first alert or warning is
  preceded by two NOTICE lines with the version and the executable path.
- a valid file prints nothing: since haproxy 2.9 (commit a06f6212c) "Configuration file is valid"
  needs -V, which the plugin does not pass. Warnings add "Warnings were found." on stdout. A file
  without any listener prints "Configuration file has no error but will not start (no listener)
  => exit(2)." and exits 2, which setup.sh treats as a failure too (no deploy).
- while parsing (src/cfgparse-listen.c, src/tools.c str2sa_range), fatal: two enabled frontends,
  or two enabled backends, with the same name (a frontend and a backend may share one); a bind
  address that does not parse (bad port or range, an address that is neither an IP literal nor a
  resolvable name; names under ".invalid" or with a numeric last label stand for unresolvable ones,
  all other well-formed names resolve); `default_backend`/`use_backend` without a name. A warning: `use_backend` in a
  backend ("no frontend capability"). Parsing errors end with "Error(s) found in configuration file"
  and "Fatal errors found in configuration." and stop the check.
- then (src/cfgparse.c check_config_validity), fatal: a `default_backend` or `use_backend` naming
  a backend that is not in the file (missing or disabled, the template writes the name anyway), or
  one of an incompatible mode (an http frontend to a tcp backend; tcp to http is allowed); two
  servers of the same name in one backend.
Not simulated: two frontends binding the same address and port (haproxy -c never binds, and
haproxy sets SO_REUSEPORT), ACL and action syntax, certificates, server address resolution, and
an enabled frontend without a bind line (bind is Required in the model, so the API never lets one
exist; haproxy would only warn).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from ...core.store import View
from .render import STAGING, Section, render

VERSION = "3.2.4"
EXECUTABLE = "/usr/local/sbin/haproxy"
NO_LISTENER = "Configuration file has no error but will not start (no listener) => exit(2)."
_HOSTNAME = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$")
_PREFIXES = ("ipv4@", "ipv6@", "tcp@", "tcp4@", "tcp6@", "quic4@", "quic6@")


@dataclass
class CheckResult:
    output: str
    exit_code: int  # 0 valid, 1 errors, 2 valid but nothing listens

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class _Output:
    """ha_alert()/ha_warning() on stderr, qfprintf() on stdout (flushed at exit, so it comes last)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.stderr: list[str] = []
        self.stdout: list[str] = []
        self.warned = False

    def _emit(self, label: str, text: str) -> None:
        if not self.stderr:
            self.stderr.append(self._line("NOTICE", f"haproxy version is {VERSION}"))
            self.stderr.append(self._line("NOTICE", f"path to executable is {EXECUTABLE}"))
        self.stderr.append(self._line(label, text))

    def _line(self, label: str, text: str) -> str:
        return f"{('[' + label + ']').ljust(10)} ({self.pid}) : {text}"

    def alert(self, text: str) -> None:
        self._emit("ALERT", text)

    def warning(self, text: str) -> None:
        self.warned = True
        self._emit("WARNING", text)

    def result(self, exit_code: int) -> CheckResult:
        lines = self.stderr + self.stdout
        return CheckResult("".join(f"{line}\n" for line in lines), exit_code)


def check(view: View, pid: int = 40000) -> CheckResult:
    staging = render(view)
    out = _Output(pid)
    if _parse(staging.sections, out):
        out.alert(f"config : Error(s) found in configuration file : {STAGING}")
        out.alert("config : Fatal errors found in configuration.")
        return out.result(1)
    if _validity(staging.sections, out):
        out.alert("Fatal errors found in configuration.")
        return out.result(1)
    if out.warned:
        out.stdout.append("Warnings were found.")
    if not any(section.binds for section in staging.sections):
        out.stdout.append(NO_LISTENER)
        return out.result(2)
    return out.result(0)


def _kind(section: Section) -> str:
    """proxy_type_str(): a listen section has both capabilities and reads "proxy"."""
    return "proxy" if section.kind == "listen" else section.kind


def _parse(sections: list[Section], out: _Output) -> bool:
    """The parse-time messages in file order; True when one of them is fatal."""
    events: list[tuple[int, bool, str]] = []  # (line, fatal, text)
    frontends: dict[str, Section] = {}
    backends: dict[str, Section] = {}
    for s in sections:
        fe, be = s.kind in ("frontend", "listen"), s.kind in ("backend", "listen")
        other = (frontends.get(s.name) if fe else None) or (backends.get(s.name) if be else None)
        if other is not None:
            text = (
                f"config : Parsing [{STAGING}:{s.line}]: {_kind(s)} '{s.name}' has the same name as "
                f"{_kind(other)} '{other.name}' declared at {STAGING}:{other.line}."
            )
            events.append((s.line, True, text))
        if fe:
            frontends.setdefault(s.name, s)
        if be:
            backends.setdefault(s.name, s)
        for line, address in s.binds:
            error = bind_error(address)
            if error:
                events.append((line, True, f"config : parsing [{STAGING}:{line}] : 'bind' : {error}"))
        if s.default_backend is not None and not s.default_backend[1]:
            line = s.default_backend[0]
            events.append(
                (line, True, f"config : parsing [{STAGING}:{line}] : 'default_backend' expects a backend name.")
            )
        for line, name in s.use_backends:
            if not fe:
                text = f"'use_backend' ignored because backend '{s.name}' has no frontend capability."
                events.append((line, False, f"config : parsing [{STAGING}:{line}] : {text}"))
            if not name:
                events.append(
                    (line, True, f"config : parsing [{STAGING}:{line}] : 'use_backend' expects a backend name.")
                )
    fatal = False
    for _line, is_fatal, text in sorted(events, key=lambda e: e[0]):
        (out.alert if is_fatal else out.warning)(text)
        fatal = fatal or is_fatal
    return fatal


def _validity(sections: list[Section], out: _Output) -> bool:
    """check_config_validity(), proxy by proxy in file order; True when something is fatal."""
    backends: dict[str, Section] = {}
    for s in sections:
        if s.kind in ("backend", "listen"):
            backends.setdefault(s.name, s)
    errors = 0
    for s in sections:
        rules = [(s.default_backend, "default_backend", "as its default backend")] if s.default_backend else []
        rules += [(rule, "use_backend", "in a 'use_backend' rule") for rule in s.use_backends]
        for (_line, name), keyword, where in rules:
            target = backends.get(name)
            if target is None:
                out.alert(f"Proxy '{s.name}': unable to find required {keyword}: '{name}'.")
            elif target is s:
                out.alert(f"Proxy '{s.name}': loop detected for {keyword}: '{name}'.")
            elif target.mode != s.mode and not (s.mode == "tcp" and target.mode == "http"):
                out.alert(
                    f"{s.mode} {_kind(s)} '{s.name}' ({STAGING}:{s.line}) tries to use incompatible "
                    f"{target.mode} {_kind(target)} '{target.name}' ({STAGING}:{target.line}) {where} (see 'mode')."
                )
            else:
                continue
            errors += 1
        last_line: dict[str, int] = {}
        for line, name in s.servers:
            if name in last_line:
                out.alert(
                    f"parsing [{STAGING}:{line}] : {_kind(s)} '{s.name}', another server named '{name}' "
                    f"was already defined at line {last_line[name]}, please use distinct names."
                )
                errors += 1
            last_line[name] = line
    return errors > 0


def bind_error(spec: str) -> str | None:
    """str2sa_range() for a `bind` address: the error text, or None when the address parses."""
    if spec.startswith("/") or spec.startswith("unix@"):
        return None
    address = spec
    for prefix in _PREFIXES:
        if address.startswith(prefix):
            address = address[len(prefix) :]
            break
    # The port separator is the last ':' unless a ']' comes after it (index 0 counts only if nothing else).
    cut = next((i for i in range(len(address) - 1, 0, -1) if address[i] in ":]"), 0)
    if not address or address[cut] != ":":
        return f"missing port specification in '{spec}'"
    host, port = address[:cut], address[cut + 1 :]
    error = _port_error(spec, port)
    if error:
        return error
    if not _host_ok(host):
        return f"invalid address: '{host}' in '{spec}'"
    return None


def _port_error(spec: str, port: str) -> str | None:
    if not port:
        return f"missing port specification in '{spec}'"
    if port[0] in "+-":
        return f"port offset not permitted here in '{spec}'"
    if not port[0].isdigit():
        return f"invalid character '{port[0]}' in port number '{port}' in '{spec}'"
    low_text, _, high_text = port.partition("-")
    high_text = high_text if "-" in port else low_text
    for text in (low_text, high_text):
        digits = re.match(r"[0-9]*", text).group(0)  # type: ignore[union-attr]
        if digits != text:
            return f"invalid character '{text[len(digits)]}' in port number '{text}' in '{spec}'"
    low, high = int(low_text or 0), int(high_text or 0)
    if low < 1 or low > 65535:
        return f"invalid port '{low_text}'"
    if high < 1 or high > 65535:
        return f"invalid port '{high_text}'"
    if low > high:
        return f"invalid port range '{low}-{high}'"
    return None


def _host_ok(host: str) -> bool:
    """str2ip2(): any address, an IP literal (IPv6 possibly in brackets), or a name that resolves."""
    if host.startswith("["):
        if len(host) < 4 or not host.endswith("]"):
            return False
        host = host[1:-1]
    if host in ("", "*"):
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    # Simulated DNS: a well-formed name resolves unless it sits under the reserved .invalid TLD or
    # its last label is numeric (no such TLD, e.g. "999.1.1.1", which is not an IP literal either).
    name = host.rstrip(".").lower()
    last = name.rsplit(".", 1)[-1]
    return bool(_HOSTNAME.match(host)) and last != "invalid" and not last.isdigit()
