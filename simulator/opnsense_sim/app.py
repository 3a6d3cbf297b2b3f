"""The API front door: routing (Router.php), authentication (ApiControllerBase) and error bodies (api.php).

Order matters and follows upstream: the endpoint is resolved first (unknown -> 404 even without
credentials), then the Authorization header is checked (401/403), then the body is parsed (400 for
a JSON content type with an empty body), then the action runs.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import threading
import time
from typing import Any, Callable

from .core.controller import Controller
from .core.errors import DispatchError, UnexpectedError, UserException
from .core.fields import Model
from .core.store import Store
from .costs import CostModel
from .environment import Environment
from .http import Request, Response, parse_body

Routes = dict[str, dict[str, type[Controller]]]  # namespace -> "<Name>Controller" -> class


def ucwords_underscore(element: str) -> str:
    """str_replace('_', '', ucwords($element, '_'))."""
    return "".join(part[:1].upper() + part[1:] for part in element.split("_"))


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
        self.reloaders: dict[str, Callable[[], None]] = {}
        self.store = Store(self.models, unsafe_concurrent_writes, write_cost=costs.write_seconds)
        self.reload_lock = threading.Lock()
        self.extra: dict[str, Any] = {}  # per-service runtime state (haproxy running config, ...)
        catalogue.install(self)

    # -- routing -----------------------------------------------------------------------------------
    def resolve(self, path: str) -> tuple[type[Controller], Callable[..., Any] | None, str, list[str]]:
        elements = [e for e in path[len("/api/") :].split("/") if e != ""]
        if len(elements) < 2:
            raise DispatchError("Invalid route path")
        namespace = ucwords_underscore(elements[0])
        controllers = self.routes.get(namespace)
        if controllers is None:
            # Namespaces fall back to a case-insensitive folder match; controller files do not.
            controllers = next((v for k, v in self.routes.items() if k.lower() == namespace.lower()), None)
        if controllers is None:
            raise DispatchError("namespace not found")
        cls = controllers.get(ucwords_underscore(elements[1]) + "Controller")
        if cls is None:
            raise DispatchError("controller not found")
        action_name = elements[2] if len(elements) > 2 else "index"
        params = elements[3:]
        wanted = action_name.replace("_", "").lower()
        method = None
        for attr in dir(cls):
            if attr.lower() == wanted and not attr.startswith("_") and getattr(getattr(cls, attr), "_is_action", False):
                method = getattr(cls, attr)
                break
        if method is None:
            if cls.catch_all:
                return cls, None, action_name, params
            raise DispatchError("action not found")
        required = 0
        for p in list(inspect.signature(method).parameters.values())[1:]:
            if p.default is not inspect.Parameter.empty or p.kind is inspect.Parameter.VAR_POSITIONAL:
                break
            required += 1
        if required > len(params):
            raise DispatchError("parameter mismatch")
        return cls, method, action_name, params

    # -- request handling --------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        try:
            return self._handle(req)
        except DispatchError:
            return Response.error(404, {"errorMessage": "Endpoint not found"})
        except UserException as exc:
            if self.env.version == "26.1":
                # 26.1: warnings were plain UserExceptions and no errorLevel existed (generic.md 5).
                return Response.error(500, {"errorMessage": exc.message, "errorTitle": exc.title})
            message = "Unexpected error, check log for details" if exc.generic else exc.message
            return Response.error(500, {"errorMessage": message, "errorTitle": exc.title, "errorLevel": exc.level})
        except UnexpectedError:
            return Response.error(500, {"errorMessage": "Unexpected error, check log for details"})

    def _handle(self, req: Request) -> Response:
        cls, method, _action, params = self.resolve(req.path)
        denied = self.authenticate(req)
        if denied is not None:
            return denied
        error = parse_body(req)
        if error is not None:
            return Response.json({"status": 400, "message": error}, status=400)
        controller = cls(self, req)
        if method is None:
            return Response(200, b"", {"Content-Type": "text/html; charset=UTF-8"})
        result = method(controller, *params)
        if isinstance(result, Response):
            return result
        if isinstance(result, str):
            return Response(200, result.encode(), {"Content-Type": "text/html; charset=UTF-8"})
        return Response.json(result)

    def authenticate(self, req: Request) -> Response | None:
        header = req.header("authorization")
        if not header:
            # The UI session path: no session, so 401 with no JSON body.
            return Response(401, b"", {"Content-Type": "text/html; charset=UTF-8"})
        parts = header.split(" ")
        if len(parts) > 1:
            try:
                decoded = base64.b64decode(parts[1], validate=False).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                decoded = ""
            pieces = decoded.split(":")
            if len(pieces) > 1:
                user = self.env.authenticate(pieces[0], pieces[1])
                if user is not None:
                    req.username, req.api_key = user, pieces[0]
                    return None
        return Response.json({"status": 401, "message": "Authentication Failed"}, status=401)

    # -- services ----------------------------------------------------------------------------------
    def reload(self, subsystem: str) -> None:
        """A configd reload: costs its time, then running catches up with config."""
        time.sleep(self.costs.reload_seconds(subsystem))
        hook = self.reloaders.get(subsystem)
        if hook is not None:
            hook()
        else:
            self.store.reload(subsystem)


def action(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a controller method as an API action (only these are routable)."""
    fn._is_action = True  # type: ignore[attr-defined]
    return fn
