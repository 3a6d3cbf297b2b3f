# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of the engine's tasks: how to reach the firewall (:class:`Connection`), how to run
(:class:`Options`), the argument specs of ``plan`` and ``apply`` and the translation of validated
task arguments into both.

Kept apart from the engine so that the action plugins, the checkpoint operations and the engine
agree on one definition, and so that an option's default lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from ansible.module_utils.basic import env_fallback

from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import DEFAULT_TIMEOUT, connection_argspec
from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError

RECOVER_MODES = ("rollback", "resume")
DEFAULT_RECONNECT_TIMEOUT = 60.0  # seconds a reload may keep the API silent before the run stops
DEFAULT_PARALLELISM = 5
DEFAULT_WRITE_CONCURRENCY = 1
DEFAULT_LOCK_TIMEOUT = 300.0
STATE_BACKENDS = ("local", "postgresql")
STATE_DSN_ENV = "OPNFORM_STATE_DSN"


@dataclass
class Connection:
    api_url: str
    api_key: str
    api_secret: str
    validate_certs: bool = True
    ca_path: Optional[str] = None
    timeout: float = DEFAULT_TIMEOUT


@dataclass
class Options:
    deployment: str = "default"
    prune: bool = False
    adopt: bool = True
    plan_id: Optional[str] = None
    parallelism: int = DEFAULT_PARALLELISM
    write_concurrency: int = DEFAULT_WRITE_CONCURRENCY
    rollback_on_failure: bool = True
    continue_on_error: bool = False
    bulk: str = "auto"  # auto: writes of one type go out in one request where OPNsense has an endpoint for it
    checkpoint: bool = True
    recover: Optional[str] = None
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    reconnect_timeout: float = DEFAULT_RECONNECT_TIMEOUT
    state_dir: Optional[str] = None
    state_backend: Optional[str] = None  # None: $OPNFORM_STATE_BACKEND, else local (_state.open_state)
    state_dsn: Optional[str] = None
    check_mode: bool = False
    diff: bool = False


def plan_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of ``opnform.opnsense.plan`` (documented in ``plugins/modules/plan.py``)."""
    spec: Dict[str, Dict[str, Any]] = {
        "resources": {"type": "list", "elements": "dict"},
        "resources_file": {"type": "path"},
        "deployment": {"type": "str", "default": "default"},
        "prune": {"type": "bool", "default": False},
        "adopt": {"type": "bool", "default": True},
        "parallelism": {"type": "int", "default": DEFAULT_PARALLELISM},
        "state_dir": {"type": "path"},
    }
    spec.update(state_argspec())
    spec.update(connection_argspec())
    return spec


def state_argspec() -> Dict[str, Dict[str, Any]]:
    """Where the controller state lives (doc fragment ``opnform.opnsense.state``; docs/state.md)."""
    return {
        "state_backend": {"type": "str", "choices": list(STATE_BACKENDS)},
        "state_dsn": {"type": "str", "no_log": True, "fallback": (env_fallback, [STATE_DSN_ENV])},
    }


def apply_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of ``opnform.opnsense.apply`` (documented in ``plugins/modules/apply.py``)."""
    spec = plan_argspec()
    spec.update(
        {
            "plan_id": {"type": "str"},
            "write_concurrency": {"type": "int", "default": DEFAULT_WRITE_CONCURRENCY},
            "rollback_on_failure": {"type": "bool", "default": True},
            "continue_on_error": {"type": "bool", "default": False},
            # raw: YAML reads a bare ``bulk: off`` as false (bulk_mode turns it into "off")
            "bulk": {"type": "raw", "default": "auto"},
            "checkpoint": {"type": "bool", "default": True},
            "recover": {"type": "str", "choices": list(RECOVER_MODES)},
            "lock_timeout": {"type": "float", "default": DEFAULT_LOCK_TIMEOUT},
            "reconnect_timeout": {"type": "float", "default": DEFAULT_RECONNECT_TIMEOUT},
            "progress_file": {"type": "path"},
        }
    )
    return spec


def reconnect_timeout(args: Dict[str, Any]) -> float:
    """``reconnect_timeout`` in seconds (0 turns the wait off); negative values are refused."""
    value = args.get("reconnect_timeout")
    value = DEFAULT_RECONNECT_TIMEOUT if value is None else float(value)
    if value < 0:
        raise OpnError("reconnect_timeout must be 0 or more seconds, got %g" % value)
    return value


def bulk_mode(value: Any) -> str:
    """``bulk`` as ``auto`` or ``off``. A bare ``off`` in YAML arrives as false (and ``on`` as
    true), so booleans are read as what the user wrote; anything else is refused."""
    if value is None or value is True or str(value).strip().lower() == "auto":
        return "auto"
    if value is False or str(value).strip().lower() == "off":
        return "off"
    raise OpnError("bulk must be one of auto, off, got %r" % (value,))


def _count(args: Dict[str, Any], name: str, default: int) -> int:
    """A worker count option: unset means ``default``; 0 or less is refused, not silently replaced."""
    value = args.get(name)
    if value is None:
        return default
    if int(value) < 1:
        raise OpnError("%s must be at least 1, got %s" % (name, value))
    return int(value)


def options_from(args: Dict[str, Any], check_mode: bool, diff: bool) -> Tuple[Connection, Options]:
    """The engine's inputs from validated task arguments."""
    conn = Connection(
        api_url=args["api_url"],
        api_key=args["api_key"],
        api_secret=args["api_secret"],
        validate_certs=bool(args.get("validate_certs", True)),
        ca_path=args.get("ca_path"),
        timeout=float(args.get("timeout") or DEFAULT_TIMEOUT),
    )
    lock_timeout = args.get("lock_timeout")
    opts = Options(
        deployment=args.get("deployment") or "default",
        prune=bool(args.get("prune")),
        adopt=bool(args.get("adopt", True)),
        plan_id=args.get("plan_id"),
        parallelism=_count(args, "parallelism", DEFAULT_PARALLELISM),
        write_concurrency=_count(args, "write_concurrency", DEFAULT_WRITE_CONCURRENCY),
        rollback_on_failure=bool(args.get("rollback_on_failure", True)),
        continue_on_error=bool(args.get("continue_on_error", False)),
        bulk=bulk_mode(args.get("bulk")),
        checkpoint=bool(args.get("checkpoint", True)),
        recover=args.get("recover"),
        lock_timeout=float(lock_timeout if lock_timeout is not None else DEFAULT_LOCK_TIMEOUT),
        reconnect_timeout=reconnect_timeout(args),
        state_dir=args.get("state_dir"),
        state_backend=args.get("state_backend") or None,
        state_dsn=args.get("state_dsn") or None,
        check_mode=check_mode,
        diff=diff,
    )
    return conn, opts
