"""AWX's custom credential types, re-implemented for tests: the checks AWX makes when a credential
type is created, and what a job gets when it starts with a credential of that type.

Follows AWX's ``CredentialTypeInjectorField.validate`` (awx/main/fields.py) and
``CredentialType.inject_credential`` (awx/main/models/credential.py):

- templates are rendered by Jinja2's immutable sandbox; when the type is created, every input is
  ``"EXAMPLE"`` and an undefined name is an error (so a typo in a field name is refused);
- when a job starts, a string input that is empty is left out (undefined, rendered as ``""``), a
  secret is rendered as itself for the job and as ``**********`` for the copy AWX stores
  (``safe_env``), and a boolean field the credential does not set is ``False``;
- each file injector is rendered into a new mode-0600 file under ``<private_data_dir>/env`` and
  ``tower.filename`` is its path (in AWX the path inside the execution environment,
  ``/runner/env/tmp...``; here, with no container, the path on disk);
- environment variables starting with ``ANSIBLE_`` or on AWX's block list are refused.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from typing import Any, Dict, List

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

# awx/main/constants.py ENV_BLOCKLIST
ENV_BLOCKLIST = frozenset(
    "VIRTUAL_ENV PATH PYTHONPATH PROOT_TMP_DIR JOB_ID INVENTORY_ID INVENTORY_SOURCE_ID INVENTORY_UPDATE_ID "
    "AD_HOC_COMMAND_ID REST_API_URL REST_API_TOKEN MAX_EVENT_RES CALLBACK_QUEUE CALLBACK_CONNECTION CACHE "
    "JOB_CALLBACK_DEBUG INVENTORY_HOSTVARS AWX_HOST PROJECT_REVISION SUPERVISOR_WEB_CONFIG_PATH".split()
)
NAME = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")
CUSTOM_KINDS = ("cloud", "net")
FIELD_TYPES = ("string", "boolean")
MASK = "**********"


class Namespace(object):
    """``tower`` (and ``tower.filename`` for several files) in the templates."""


def _render(template: str, namespace: Dict[str, Any], strict: bool = False) -> str:
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined) if strict else ImmutableSandboxedEnvironment()
    return env.from_string(template).render(**namespace)


def validate(ctype: Dict[str, Any]) -> None:
    """Refuse, as AWX does, a credential type it would not accept; ``ValueError`` says why."""
    problems: List[str] = []
    if ctype.get("kind") not in CUSTOM_KINDS:
        problems.append("kind must be one of %s" % (CUSTOM_KINDS,))
    fields = ctype.get("inputs", {}).get("fields", [])
    ids = [item.get("id") for item in fields]
    for item in fields:
        if not NAME.match(str(item.get("id"))) or not item.get("label"):
            problems.append("field %r needs an identifier id and a label" % (item,))
        if item.get("type", "string") not in FIELD_TYPES:
            problems.append("field %s: type must be one of %s" % (item.get("id"), FIELD_TYPES))
        if item.get("type") == "boolean" and item.get("secret"):
            problems.append("field %s: a boolean cannot be secret" % item.get("id"))
    if len(set(ids)) != len(ids):
        problems.append("field ids repeat: %s" % ids)
    problems += [
        "required field %s is not defined" % name for name in ctype["inputs"].get("required", []) if name not in ids
    ]
    injectors = ctype.get("injectors", {})
    problems += ["unknown injector kind %s" % kind for kind in injectors if kind not in ("env", "file", "extra_vars")]
    for var in injectors.get("env", {}):
        if not NAME.match(var) or var.startswith("ANSIBLE_") or var in ENV_BLOCKLIST:
            problems.append("environment variable %s is not allowed in credentials" % var)
    files = list(injectors.get("file", {}))
    if "template" in files and len(files) > 1:
        problems.append("must use multi-file syntax (template.<name>) when injecting several files")
    namespace: Dict[str, Any] = {name: "EXAMPLE" for name in ids}
    namespace["tower"] = Namespace()
    if "template" in files:
        namespace["tower"].filename = "EXAMPLE_FILENAME"
    elif files:
        namespace["tower"].filename = Namespace()
        for label in files:
            setattr(namespace["tower"].filename, label.split(".", 1)[1], "EXAMPLE_FILENAME")
    for kind, templates in injectors.items():
        for key, template in templates.items():
            try:
                _render(template, namespace, strict=True)
            except Exception as exc:  # UndefinedError, TemplateSyntaxError, SecurityError
                problems.append("%s.%s: %s" % (kind, key, exc))
    if problems:
        raise ValueError("; ".join(problems))


@dataclass
class Injection:
    env: Dict[str, str] = field(default_factory=dict)  # what the job's environment gets
    safe_env: Dict[str, str] = field(default_factory=dict)  # what AWX stores and shows (secrets masked)
    files: Dict[str, str] = field(default_factory=dict)  # file injector label -> path written


def inject(ctype: Dict[str, Any], inputs: Dict[str, Any], private_data_dir: str) -> Injection:
    """What a job started with a credential of ``ctype`` holding ``inputs`` gets."""
    fields = ctype.get("inputs", {}).get("fields", [])
    secret = {item["id"] for item in fields if item.get("secret")}
    tower = Namespace()
    namespace: Dict[str, Any] = {"tower": tower}
    safe: Dict[str, Any] = {"tower": tower}
    for name, value in inputs.items():
        if isinstance(value, bool):
            namespace[name] = safe[name] = value
            continue
        if value:
            namespace[name] = value
            safe[name] = MASK if name in secret else value
    for item in fields:
        if item.get("type") == "boolean" and item["id"] not in inputs:
            namespace[item["id"]] = safe[item["id"]] = False
    injection = Injection()
    env_dir = os.path.join(private_data_dir, "env")
    os.makedirs(env_dir, exist_ok=True)
    for label, template in ctype.get("injectors", {}).get("file", {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w") as stream:
            stream.write(_render(template, namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        injection.files[label] = path
        if "." not in label:
            tower.filename = path
        else:
            if not hasattr(tower, "filename"):
                tower.filename = Namespace()
            setattr(tower.filename, label.split(".", 1)[1], path)
    for var, template in ctype.get("injectors", {}).get("env", {}).items():
        injection.env[var] = _render(template, namespace)
        injection.safe_env[var] = _render(template, safe)
    return injection
