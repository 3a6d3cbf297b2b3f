"""The API front door: routing (Router.php, Dispatcher.php), authentication (ApiControllerBase) and
error bodies (api.php).

Order matters and follows upstream: the endpoint is resolved first (unknown -> 404 even without
credentials), then the Authorization header is checked (401/403), then the body is parsed (400 for
a JSON content type with an empty body), then the action runs.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import re
import threading
import time
from typing import Any, Callable

from .core.controller import Controller
from .core.errors import DispatchError, UnexpectedError, UserException
from .core.fields import Model
from .core.store import Store
from .core.values import ascii_lower
from .costs import CostModel
from .environment import Environment
from .http import Request, Response, parse_body

Routes = dict[str, dict[str, type[Controller]]]  # namespace -> "<Name>Controller" -> class
# An action: the method, how many path parameters it requires, how many it takes (None = any), and
# the attribute name it is registered under.
Action = tuple[Callable[..., Any], int, int | None, str]

_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")


def ucwords_underscore(element: str) -> str:
    """str_replace('_', '', ucwords($element, '_')): ASCII upper-casing after each underscore."""
    return "".join(part[:1].upper() + part[1:] if part[:1].isascii() else part for part in element.split("_"))


def _action_table(cls: type[Controller]) -> dict[str, Action]:
    """PHP finds `<name>Action` methods case-insensitively (ASCII); only @action methods are routable."""
    table: dict[str, Action] = {}
    for klass in reversed(cls.__mro__):
        for attr, fn in vars(klass).items():
            if getattr(fn, "_is_action", False):
                method = getattr(cls, attr)
                required, maximum = 0, 0
                for p in list(inspect.signature(method).parameters.values())[1:]:
                    if p.kind is inspect.Parameter.VAR_POSITIONAL:
                        maximum = None
                        break
                    if p.default is inspect.Parameter.empty and maximum == required:
                        required += 1
                    maximum += 1
                table[ascii_lower(attr)] = (method, required, maximum, attr)
    return table


class App:
    """One simulated firewall: its models, config store, environment, costs and controllers."""

    def __init__(self, env: Environment, costs: CostModel, unsafe_concurrent_writes: bool = False) -> None:
        from .services import catalogue

        self.env = env
        self.costs = costs
        self.models: list[Model] = catalogue.models()
        self.routes: Routes = {}
        for cls in catalogue.controllers():
            self.routes.setdefault(cls.namespace, {})[f"{cls.name}Controller"] = cls
        self._actions: dict[type[Controller], dict[str, Action]] = {}
        self._decoded: dict[str, list[str]] = {}  # Authorization token -> decoded key:secret pieces
        self.reloaders: dict[str, Callable[[], None]] = {}
        self.store = Store(self.models, unsafe_concurrent_writes, write_cost=costs.write_seconds)
        self.reload_lock = threading.Lock()
        self.extra: dict[str, Any] = {}  # per-service runtime state (haproxy running config, ...)
        catalogue.install(self)

    # -- routing -----------------------------------------------------------------------------------
    def actions(self, cls: type[Controller]) -> dict[str, Action]:
        table = self._actions.get(cls)
        if table is None:
            table = self._actions[cls] = _action_table(cls)
        return table

    def resolve(self, path: str) -> tuple[type[Controller], Callable[..., Any] | None, str, list[str]]:
        """Router::parsePath + Dispatcher::resolve; every failure is a DispatchException (404)."""
        if not path.startswith("/api/"):
            raise DispatchError("Invalid route path")
        elements = [e for e in path[len("/api/") :].split("/") if e != ""]
        if len(elements) < 2:
            raise DispatchError("Invalid route path, no action, controller, and / or namespace")
        namespace = ucwords_underscore(elements[0])
        controllers = self.routes.get(namespace)
        if controllers is None:
            # Namespace folders fall back to a case-insensitive match; controller files do not (generic.md 1).
            wanted_ns = ascii_lower(namespace)
            controllers = next((v for k, v in self.routes.items() if ascii_lower(k) == wanted_ns), None)
        if controllers is None:
            raise DispatchError("namespace not found")
        cls = controllers.get(ucwords_underscore(elements[1]) + "Controller")
        if cls is None:
            raise DispatchError("controller not found")
        # The command: lcfirst(ucwords(...)) + "Action", looked up without regard to (ASCII) case.
        action_name = ucwords_underscore(elements[2]) if len(elements) > 2 else "index"
        params = elements[3:]
        found = self.actions(cls).get(ascii_lower(action_name))
        if found is not None and self.env.version not in getattr(found[0], "_versions", (self.env.version,)):
            found = None  # an action this release does not have (`_versions`; filter/savepoint is 26.1 only)
        if found is None:
            if cls.catch_all:
                return cls, None, action_name, params
            raise DispatchError("action not found")
        method, required, maximum, _name = found
        if required > len(params):
            raise DispatchError("parameter mismatch")
        # PHP passes surplus path segments and the method ignores them.
        return cls, method, action_name, params if maximum is None else params[:maximum]

    # -- request handling --------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        try:
            return self._handle(req)
        except DispatchError:
            return self.error_response(404, {"errorMessage": "Endpoint not found"})
        except UserException as exc:
            if self.env.version == "26.1":
                # 26.1: warnings were plain UserExceptions and no errorLevel existed (generic.md 5).
                return self.error_response(500, {"errorMessage": exc.message, "errorTitle": exc.title})
            message = "Unexpected error, check log for details" if exc.generic else exc.message
            return self.error_response(500, {"errorMessage": message, "errorTitle": exc.title, "errorLevel": exc.level})
        except UnexpectedError:
            return self.error_response(500, {"errorMessage": "Unexpected error, check log for details"})
        except Exception:  # noqa: BLE001 - api.php turns every other \Error/\Exception into the generic 500
            return self.error_response(500, {"errorMessage": "Unexpected error, check log for details"})

    def error_response(self, status: int, body: dict[str, Any]) -> Response:
        """api.php error_output(); 26.1 did not pass the JSON through htmlspecialchars (26.7 does)."""
        return Response.error(status, body, escape_html=self.env.version != "26.1")

    def _handle(self, req: Request) -> Response:
        cls, method, action, params = self.resolve(req.path)
        denied = self.authenticate(req)
        if denied is not None:
            return denied
        error = parse_body(req)
        if error is not None:
            return Response.json({"status": 400, "message": error}, status=400)
        controller = cls(self, req)
        if method is None:
            result = controller.call_missing(action, params)
        else:
            result = method(controller, *params)
        if isinstance(result, Response):
            return result
        if isinstance(result, (dict, list)):
            return Response.json(result)
        if isinstance(result, str):
            # ApiControllerBase::afterExecuteRoute: a string goes out as is, PHP's default content type.
            return Response.html(result)
        return Response.html(b"")

    def authenticate(self, req: Request) -> Response | None:
        """ApiControllerBase::beforeExecuteRoute for API clients (generic.md 2)."""
        header = req.header("authorization")
        if not header:
            # Without an Authorization header the UI session path runs: no session, 401, empty body.
            return Response.html(b"", status=401)
        parts = header.split(" ")
        if len(parts) > 1:
            pieces = self._credentials(parts[1])
            if len(pieces) > 1:
                user = self.env.authenticate(pieces[0], pieces[1])
                if user is not None:
                    req.username, req.api_key = user, pieces[0]
                    return None
        return Response.json({"status": 401, "message": "Authentication Failed"}, status=401)

    def _credentials(self, token: str) -> list[str]:
        pieces = self._decoded.get(token)
        if pieces is None:
            pieces = _php_base64_decode(token).split(":")
            if len(self._decoded) > 256:
                self._decoded.clear()
            self._decoded[token] = pieces
        return pieces

    # -- services ----------------------------------------------------------------------------------
    def reload(self, subsystem: str) -> None:
        """A configd reload: costs its time, then running catches up with config."""
        cost = self.costs.reload_seconds(subsystem)
        if cost > 0:
            time.sleep(cost)
        hook = self.reloaders.get(subsystem)
        if hook is not None:
            hook()
        else:
            self.store.reload(subsystem)


def _php_base64_decode(text: str) -> str:
    """base64_decode() in non-strict mode: characters outside the alphabet are skipped."""
    data = _B64_JUNK.sub(b"", text.encode("latin-1", "replace"))
    if len(data) % 4 == 1:
        data = data[:-1]
    try:
        return base64.b64decode(data + b"=" * (-len(data) % 4)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def action(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a controller method as an API action (only these are routable)."""
    fn._is_action = True  # type: ignore[attr-defined]
    return fn
