# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checkpoint store (design.md 4, ``checkpoints/<id>.json``): durable snapshots of firewall objects.

A checkpoint holds the normalised state of every object of the types in its *scope* (the API
payload of each object under its UUID, exactly what a restore writes back), who took it and why
(id, description, deployment, origin, time), the identity of the firewall it was taken on, the
deployment states of that firewall at that moment, and optionally a copy of the firewall's own
``config.xml`` backup. The apply engine saves one before its first write (:func:`save_checkpoint`);
``opnform.opnsense.checkpoint`` saves them on request.

This module owns the file and nothing that talks to the firewall beyond reading facts:

- the format: one self-describing JSON document per checkpoint with ``format``,
  ``format_version`` and a ``checksum`` (SHA-256 over the canonical JSON of everything else),
  written atomically with mode 0600 (``_state``);
- reading it back: a truncated, edited, foreign or newer file is refused with a message that says
  which (:class:`CheckpointDamaged`), never half-used;
- the firewall identity (:func:`firewall_identity`) and the comparison that refuses a checkpoint
  taken on another firewall (:func:`identity_differences`);
- listing, deleting and retention (keep the newest N);
- the config.xml copy, with every secret-looking element masked (:func:`mask_config_xml`).

No secret is ever written: sensitive fields are withheld from the payloads and listed per object
(``withheld``), and everything passes through the run's ``Redactor`` (the API secret, sensitive
values met while reading) before it reaches the disk. Planning a restore is ``_checkpoints_restore``;
the operations the action plugins call are ``_checkpoints_ops``.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any, Dict, Iterable, List, Optional, Tuple
from urllib.parse import unquote_plus

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    ForbiddenError,
    NotFoundError,
    OpnError,
    TransportError,
)
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.plugin_utils._plan import new_id
from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import (
    REDACTED,
    SECRET_KEY,
    Redactor,
    sensitive_api_fields,
    strip_sensitive,
)
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import StateBackend, check_name

FORMAT = "opnform-checkpoint"
FORMAT_VERSION = 1
ORIGINS = ("checkpoint", "apply")
REQUIRED_KEYS = ("id", "created", "scope", "objects", "firewall")
SYSTEM_INFORMATION = "diagnostics/system/system_information"
FIRMWARE_STATUS = "core/firmware/status"
# The newest file in /conf/backup, i.e. the current config.xml (opnsense-api/interfaces-and-services.md 6).
CONFIG_BACKUP = "core/backup/download/this"


class CheckpointError(OpnError):
    """A checkpoint cannot be created, found or used."""

    kind = "checkpoint"


class CheckpointNotFound(CheckpointError):
    kind = "checkpoint_not_found"


class CheckpointDamaged(CheckpointError):
    """The file is truncated, edited, not a checkpoint, or of a newer format: it is never used."""

    kind = "checkpoint_damaged"


class WrongFirewall(CheckpointError):
    """The checkpoint was taken on another firewall (refused unless ``force``)."""

    kind = "checkpoint_wrong_firewall"


def new_checkpoint_id(run_id: str) -> str:
    """The id of the checkpoint an apply run saves before its first write."""
    return "cp-" + run_id


def generate_id() -> str:
    """A sortable unique id for a checkpoint taken on request: ``cp-20260101T120000Z-1a2b3c``."""
    return new_id("cp-")


# -- the firewall's identity ---------------------------------------------------------------------

IDENTITY_KEYS = (
    ("endpoint", "API endpoint"),
    ("hostname", "host name"),
    ("product_id", "product"),
    ("product_name", "product name"),
    ("arch", "architecture"),
)


def firewall_identity(
    client: Any,
    endpoint: str,
    version: Optional[str] = None,
    strict: bool = True,
) -> Dict[str, Any]:
    """What identifies the firewall behind ``client``.

    OPNsense's API exposes no installation id, so the identity is what the firewall says about
    itself plus where it is reached: the host name from ``diagnostics/system/system_information``
    (``<hostname>.<domain>``), the product id, name and architecture from ``core/firmware/status``
    (a GET: a POST starts an update check, interfaces-and-services.md 7), and ``endpoint``, the
    state folder name of the API URL (host and port). The version is recorded but is not part of
    the identity: an upgraded firewall is the same firewall.

    When ``version`` is given (the apply engine already read the firmware status) only the host name
    is read. With ``strict=False`` a failed read leaves the value unknown instead of raising.
    """
    identity: Dict[str, Any] = {
        "endpoint": endpoint,
        "hostname": None,
        "product_id": None,
        "product_name": None,
        "arch": None,
        "version": version,
    }
    try:
        info = client.get(SYSTEM_INFORMATION)
        if isinstance(info, dict) and info.get("name"):
            identity["hostname"] = str(info["name"])
    except (ForbiddenError, NotFoundError, AuthError, ApiError) as exc:
        if strict and isinstance(exc, AuthError) and not isinstance(exc, ForbiddenError):
            raise  # wrong credentials; a missing privilege for this one page only hides the host name
        identity["notes"] = ["host name unknown: %s" % exc]
    except OpnError:
        if strict:
            raise
    if version is None:
        try:
            status = client.get(FIRMWARE_STATUS)
        except OpnError:
            if strict:
                raise
            status = None
        product = status.get("product") if isinstance(status, dict) else None
        if isinstance(product, dict):
            identity["product_id"] = product.get("product_id")
            identity["product_name"] = product.get("product_name")
            identity["arch"] = product.get("product_arch")
            identity["version"] = product.get("product_version")
    return identity


def describe_identity(identity: Optional[Dict[str, Any]]) -> str:
    if not isinstance(identity, dict):
        return "an unknown firewall"
    parts = [str(identity.get("hostname") or "(host name unknown)"), "at %s" % identity.get("endpoint", "?")]
    if identity.get("product_name") or identity.get("version"):
        parts.append("(%s)" % " ".join(str(identity[k]) for k in ("product_name", "version") if identity.get(k)))
    return " ".join(parts)


def identity_differences(recorded: Any, live: Dict[str, Any]) -> List[str]:
    """How the firewall a checkpoint was taken on differs from ``live``; empty when it is the same.

    Only values known on both sides are compared (an apply's checkpoint records no product name).
    """
    if not isinstance(recorded, dict):
        return ["the checkpoint records no firewall identity"]
    out = []
    for key, label in IDENTITY_KEYS:
        then, now = recorded.get(key), live.get(key)
        if then in (None, "") or now in (None, ""):
            continue
        if str(then).strip().lower() != str(now).strip().lower():
            out.append("%s is %r here but %r in the checkpoint" % (label, now, then))
    return out


# -- the file ------------------------------------------------------------------------------------


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_checksum(data: Dict[str, Any]) -> str:
    """``sha256:<hex>`` of the canonical JSON of every key but ``checksum``."""
    body = dict((k, v) for k, v in data.items() if k != "checksum")
    return "sha256:" + hashlib.sha256(_canonical(body).encode("utf-8")).hexdigest()


def write_checkpoint(state: StateBackend, data: Dict[str, Any]) -> str:
    """Stamp format and checksum on ``data`` and store it atomically (a 0600 file, or one row of the
    database backend); returns where it went."""
    pure = json.loads(json.dumps(data, default=str))  # what a reader will see, so the checksum matches
    pure["format"] = FORMAT
    pure["format_version"] = FORMAT_VERSION
    pure["checksum"] = compute_checksum(pure)
    checkpoint_id = check_name("checkpoint", str(pure["id"]))
    path = state.write_checkpoint_text(checkpoint_id, json.dumps(pure, indent=2, sort_keys=True, default=str) + "\n")
    data.update(pure)
    return path


def read_checkpoint(path: str, expected_id: Optional[str] = None) -> Dict[str, Any]:
    """A checkpoint file, verified: complete JSON, our format, a version we read, an intact checksum."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise CheckpointNotFound("no checkpoint file %s" % path) from None
    except OSError as exc:
        raise CheckpointError("cannot read checkpoint file %s: %s" % (path, exc)) from None
    return verify_checkpoint(raw, path, expected_id)


def read_stored_checkpoint(state: StateBackend, checkpoint_id: str) -> Dict[str, Any]:
    """Checkpoint ``checkpoint_id`` from the state backend, verified as :func:`read_checkpoint` does."""
    path = state.checkpoint_path(check_name("checkpoint", checkpoint_id))
    try:
        raw = state.read_checkpoint_bytes(checkpoint_id)
    except OSError as exc:
        raise CheckpointError("cannot read checkpoint file %s: %s" % (path, exc)) from None
    if raw is None:
        raise CheckpointNotFound("no checkpoint file %s" % path)
    return verify_checkpoint(raw, path, checkpoint_id)


def verify_checkpoint(raw: bytes, path: str, expected_id: Optional[str] = None) -> Dict[str, Any]:
    """A stored checkpoint document (``raw``, found at ``path``) checked: complete JSON, our format,
    a version we read, an intact checksum, the id it is stored under."""
    refuse = "It was not used. Delete it (state: absent) or put back an intact copy."
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CheckpointDamaged(
            "checkpoint file %s is damaged: it is not complete JSON (%s; %d bytes), so it was probably "
            "truncated, for example by a full disk or an interrupted copy. %s" % (path, exc, len(raw), refuse),
            details={"checkpoint_path": path},
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        if isinstance(data, dict) and "objects" in data and "format" not in data:
            reason = "it has no format version or checksum (written by an earlier opnform), so it cannot be verified"
        else:
            reason = 'it is not an opnform checkpoint (no "format": %r)' % FORMAT
        raise CheckpointDamaged(
            "checkpoint file %s is refused: %s. %s" % (path, reason, refuse), details={"checkpoint_path": path}
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CheckpointDamaged(
            "checkpoint file %s is refused: its format_version %r is not a number. %s" % (path, version, refuse),
            details={"checkpoint_path": path},
        )
    if version > FORMAT_VERSION:
        raise CheckpointDamaged(
            "checkpoint file %s has format version %d; this opnform.opnsense reads version %d and older. "
            "Use a newer collection to read it" % (path, version, FORMAT_VERSION),
            details={"checkpoint_path": path},
        )
    recorded = data.get("checksum")
    computed = compute_checksum(data)
    if recorded != computed:
        raise CheckpointDamaged(
            "checkpoint file %s was modified after it was written: its checksum does not match its content "
            "(recorded %s, computed %s). Restoring an edited snapshot could write values nobody reviewed, "
            "so it is refused. %s" % (path, recorded, computed, refuse),
            details={"checkpoint_path": path},
        )
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing or not isinstance(data.get("objects"), dict) or not isinstance(data.get("scope"), list):
        raise CheckpointDamaged(
            "checkpoint file %s is refused: it lacks %s. %s" % (path, ", ".join(missing) or "valid objects", refuse),
            details={"checkpoint_path": path},
        )
    if expected_id is not None and data.get("id") != expected_id:
        raise CheckpointDamaged(
            "checkpoint file %s holds checkpoint %r, not %r; it was renamed or copied over. %s"
            % (path, data.get("id"), expected_id, refuse),
            details={"checkpoint_path": path},
        )
    data["path"] = path
    return data


def get_checkpoint(state: StateBackend, checkpoint_id: str) -> Dict[str, Any]:
    """The verified checkpoint ``checkpoint_id`` of this firewall; a clear error when there is none."""
    try:
        return read_stored_checkpoint(state, checkpoint_id)
    except CheckpointNotFound:
        known = checkpoint_ids(state)
        raise CheckpointNotFound(
            "no checkpoint %r for firewall %s (looked in %s; known: %s)"
            % (checkpoint_id, state.firewall, state.checkpoint_folder(), ", ".join(known[-10:]) or "none"),
            details={"checkpoint_id": checkpoint_id},
        ) from None


def load_checkpoint(state: StateBackend, checkpoint_id: str) -> Optional[Dict[str, Any]]:
    """The verified checkpoint, or None when it does not exist (damaged files still raise)."""
    try:
        return read_stored_checkpoint(state, checkpoint_id)
    except CheckpointNotFound:
        return None


# -- saving --------------------------------------------------------------------------------------


def snapshot_objects(
    objects: Dict[str, Dict[str, Dict[str, Any]]], specs: Dict[str, ResourceSpec]
) -> Tuple[Dict[str, Dict[str, Dict[str, Any]]], Dict[str, List[str]]]:
    """``{type: {uuid: payload}}`` without sensitive values, and ``{"type/uuid": [withheld api names]}``."""
    stored: Dict[str, Dict[str, Dict[str, Any]]] = {}
    withheld: Dict[str, List[str]] = {}
    for type_name, items in sorted(objects.items()):
        spec = specs[type_name]
        stored[type_name] = {}
        for uuid, payload in sorted(items.items()):
            clean, missing = strip_sensitive(spec, payload)
            stored[type_name][uuid] = clean or {}
            if missing:
                withheld["%s/%s" % (type_name, uuid)] = missing
    return stored, withheld


def save_checkpoint(
    state: StateBackend,
    checkpoint_id: str,
    run_id: Optional[str],
    deployment: str,
    objects: Dict[str, Dict[str, Dict[str, Any]]],
    specs: Dict[str, Any],
    redactor: Optional[Redactor] = None,
    firewall_version: Optional[str] = None,
    client: Any = None,
    identity: Optional[Dict[str, Any]] = None,
    description: Optional[str] = None,
    origin: str = "apply",
    scope: Optional[List[str]] = None,
    skipped: Optional[Dict[str, str]] = None,
    config_backup: Optional[Dict[str, Any]] = None,
    deployments: Optional[Dict[str, Any]] = None,
) -> str:
    """Write the snapshot ``{type: {uuid: api payload}}`` (the scope is its types); returns the path.

    The apply engine calls this with the objects of the types it is about to change and its API
    client, which is used to record the firewall's host name (a failed read only leaves it unknown).
    The deployment states of the firewall are recorded as they are now, unless given.
    """
    redactor = redactor or Redactor()
    stored, withheld = snapshot_objects(objects, specs)
    if identity is None:
        identity = {"endpoint": state.firewall, "version": firewall_version}
        if client is not None:
            identity = firewall_identity(client, state.firewall, firewall_version, strict=False)
    identity = dict(identity)
    identity.setdefault("endpoint", state.firewall)
    if deployments is None:
        deployments = dict((name, d.as_dict()) for name, d in sorted(state.all_deployments().items()))
    now = time.time()
    if description is None:
        description = "before apply run %s of deployment %s" % (run_id, deployment) if origin == "apply" else ""
    data: Dict[str, Any] = {
        "id": checkpoint_id,
        "description": description,
        "origin": origin,
        "run_id": run_id,
        "deployment": deployment,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "created_ts": round(now, 6),
        "firewall": identity,
        "firewall_version": identity.get("version") or firewall_version,
        "scope": sorted(scope if scope is not None else stored),
        "skipped": dict(skipped or {}),
        "counts": dict((t, len(items)) for t, items in stored.items()),
        "objects": stored,
        "withheld": withheld,
        "deployments": deployments,
        "config_backup": config_backup,
    }
    return write_checkpoint(state, redactor.scrub(data))


# -- listing, deleting, retention ----------------------------------------------------------------


def checkpoint_ids(state: StateBackend) -> List[str]:
    """Ids of the checkpoints of this firewall (valid or not), sorted by name."""
    return state.checkpoint_ids()


def summary(data: Dict[str, Any]) -> Dict[str, Any]:
    """What a listing shows of a checkpoint (no objects, no config copy)."""
    backup = data.get("config_backup")
    counts = data.get("counts") or dict((t, len(v)) for t, v in (data.get("objects") or {}).items())
    return {
        "id": data.get("id"),
        "description": data.get("description"),
        "deployment": data.get("deployment"),
        "origin": data.get("origin"),
        "run_id": data.get("run_id"),
        "created": data.get("created"),
        "firewall": data.get("firewall"),
        "firewall_version": data.get("firewall_version"),
        "scope": list(data.get("scope") or []),
        "skipped": dict(data.get("skipped") or {}),
        "counts": counts,
        "objects_total": sum(counts.values()),
        "withheld": dict(data.get("withheld") or {}),
        "config_backup": None if not backup else dict((k, v) for k, v in backup.items() if k != "xml"),
        "format_version": data.get("format_version"),
        "checksum": data.get("checksum"),
        "path": data.get("path"),
        "valid": True,
    }


def _created_ts(data: Dict[str, Any]) -> float:
    try:
        return float(data.get("created_ts") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def list_checkpoints(
    state: StateBackend, deployment: Optional[str] = None
) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Every checkpoint of this firewall as ``(valid summaries newest first, damaged files)``.

    A damaged file is listed with the reason, never used and never deleted by retention.
    """
    valid: List[Tuple[float, Dict[str, Any]]] = []
    damaged: List[Dict[str, Any]] = []
    for checkpoint_id in checkpoint_ids(state):
        path = state.checkpoint_path(checkpoint_id)
        try:
            data = read_stored_checkpoint(state, checkpoint_id)
        except CheckpointNotFound:
            continue  # deleted meanwhile
        except CheckpointError as exc:
            damaged.append({"id": checkpoint_id, "path": path, "valid": False, "error": exc.message})
            continue
        if deployment is not None and data.get("deployment") != deployment:
            continue
        valid.append((_created_ts(data), summary(data)))
    valid.sort(key=lambda item: (item[0], item[1]["id"]), reverse=True)
    return [s for _ts, s in valid], damaged


def delete_checkpoint(state: StateBackend, checkpoint_id: str) -> bool:
    """Remove a checkpoint (valid or damaged); False when there was none."""
    return state.delete_checkpoint(check_name("checkpoint", checkpoint_id))


def retention(
    state: StateBackend, keep: int, deployment: Optional[str] = None, protect: Iterable[str] = ()
) -> List[str]:
    """Ids that keeping the newest ``keep`` checkpoints (of ``deployment``, or all) would delete.

    Ordered by creation time; ``protect`` ids are never returned. Damaged files are not counted.
    """
    if keep < 1:
        raise CheckpointError("retain must be at least 1 (got %r)" % keep)
    valid, _damaged = list_checkpoints(state, deployment)
    kept = set(protect)
    doomed = []
    for item in valid[keep:]:
        if item["id"] not in kept:
            doomed.append(item["id"])
    return doomed


# -- the firewall's own config.xml ---------------------------------------------------------------

LEAF = re.compile(r"<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]*)</\1\s*>")


def secret_tags(specs: Dict[str, ResourceSpec]) -> List[str]:
    """Element names masked in a config copy: every sensitive field's API name."""
    names = set()
    for spec in specs.values():
        names.update(sensitive_api_fields(spec))
    return sorted(names)


def mask_config_xml(text: str, tags: Iterable[str], redactor: Optional[Redactor] = None) -> Tuple[str, int]:
    """``text`` with the content of secret elements replaced by ``********``; returns it and the count.

    Masked: leaf elements named after a sensitive field of any resource type (``password``), and any
    leaf element whose name looks like a secret (``secret``, ``password``, ``passwd``,
    ``passphrase``, ``token``, alone or as a ``_``/``-`` separated part). Known secret strings (the
    API secret, sensitive values read during the run) are replaced anywhere. Everything else is kept
    byte for byte.
    """
    wanted = set(tags)
    count = [0]

    def replace(match: "re.Match[str]") -> str:
        tag, attrs, body = match.group(1), match.group(2) or "", match.group(3)
        local = tag.split(":")[-1]
        if body.strip() == "" or body == REDACTED or not (local in wanted or SECRET_KEY.search(local)):
            return match.group(0)
        count[0] += 1
        return "<%s%s>%s</%s>" % (tag, attrs, REDACTED, tag)

    masked = LEAF.sub(replace, text)
    if redactor is not None:
        masked = redactor.text(masked)
    return masked, count[0]


def download_config_backup(
    client: Any, specs: Dict[str, ResourceSpec], redactor: Optional[Redactor] = None
) -> Dict[str, Any]:
    """The firewall's current config.xml (``GET core/backup/download/this``, raw XML, not JSON), with
    secrets masked, plus its file name on the firewall and the SHA-256 of the unmasked original (to
    find the same file in the firewall's own backups)."""
    url = client.url(CONFIG_BACKUP)
    try:
        import requests
    except ImportError:  # pragma: no cover - requests is a requirement of the client
        raise CheckpointError("the Python library 'requests' is required for include_config_backup") from None
    try:
        response = client.session.request("GET", url, timeout=client.timeout, verify=client.verify)
    except requests.exceptions.RequestException as exc:
        raise TransportError(client.redact("GET %s failed: %s" % (url, exc))) from None
    if response.status_code != 200:
        client._decode("GET", url, response)  # raises the client's error for that status
        raise ApiError("unexpected HTTP %d from GET %s" % (response.status_code, url))
    body = response.content or b""
    text = body.decode("utf-8", errors="replace")
    if not text.strip():
        raise CheckpointError(
            "the firewall returned no config backup (GET %s answered with an empty body: there is no file "
            "in /conf/backup)" % url
        )
    if not text.lstrip().startswith("<"):
        raise CheckpointError("the answer of GET %s is not XML (it starts with %r)" % (url, text.strip()[:40]))
    filename = None
    disposition = response.headers.get("Content-Disposition", "")
    found = re.search(r"filename=\"?([^\";]+)\"?", disposition)
    if found:
        filename = unquote_plus(found.group(1))
    masked, count = mask_config_xml(text, secret_tags(specs), redactor)
    return {
        "filename": filename,
        "sha256": hashlib.sha256(body).hexdigest(),
        "size": len(body),
        "masked_elements": count,
        "xml": masked,
    }
