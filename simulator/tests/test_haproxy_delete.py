"""Safe delete on every HAProxy del* endpoint (haproxy.md 4)."""

from __future__ import annotations

import uuid as uuidlib

BASE = "/api/haproxy/settings"


def add(api, kind: str, body: dict) -> str:
    r = api.post(f"{BASE}/add{kind.capitalize()}", json={kind: body})
    assert r.json()["result"] == "saved", r.json()
    return r.json()["uuid"]


def exists(api, kind: str, uuid: str) -> bool:
    return api.get(f"{BASE}/get{kind.capitalize()}/{uuid}").json() != []


def test_unreferenced_item_is_deleted(api):
    """haproxy.md 1.2: del answers {"result":"deleted"} and the item is gone."""
    uuid = add(api, "server", {"name": "web1", "address": "10.0.0.1"})
    assert api.post(f"{BASE}/delServer/{uuid}").json() == {"result": "deleted"}
    assert not exists(api, "server", uuid)


def test_unknown_uuid_is_not_found(api):
    """haproxy.md 1.2: an unknown uuid answers {"result":"not found"}."""
    assert api.post(f"{BASE}/delBackend/{uuidlib.uuid4()}").json() == {"result": "not found"}


def test_del_needs_post(api):
    """haproxy.md 1.2: del is POST only."""
    uuid = add(api, "server", {"name": "web1"})
    assert api.get(f"{BASE}/delServer/{uuid}").json() == {"result": "failed"}
    assert exists(api, "server", uuid)


def test_referenced_backend_is_in_use(api):
    """haproxy.md 4: HTTP 500 UserException naming every referrer; the title names the item's path."""
    backend = add(api, "backend", {"name": "pool", "description": "web pool"})
    frontend = add(api, "frontend", {"name": "web", "bind": "*:80", "defaultBackend": backend})
    r = api.post(f"{BASE}/delBackend/{backend}")
    assert r.status_code == 500
    assert r.json() == {
        "errorMessage": f"HAProxy - web {{HAProxy.frontends.frontend.{frontend}}}\n",
        "errorTitle": "Item backends.backend {web pool} in use by:",
        "errorLevel": "error",
    }
    assert exists(api, "backend", backend)


def test_title_uses_the_description_field_even_when_empty(api):
    """haproxy.md 4 (corrected): the title takes `$n->description ?: ... ?: $n->name`; field objects are
    always truthy, so an item type with a description field shows it even when empty."""
    server = add(api, "server", {"name": "web1", "address": "10.0.0.1"})
    add(api, "backend", {"name": "pool", "linkedServers": server})
    r = api.post(f"{BASE}/delServer/{server}")
    assert r.json()["errorTitle"] == "Item servers.server {} in use by:"
    # CPU affinity rules have no description field: their name is used
    cpu = add(api, "cpu", {"name": "pin", "thread_id": "all", "cpu_id": "all"})
    add(api, "frontend", {"name": "web", "bind": "*:80", "linkedCpuAffinityRules": cpu})
    assert api.post(f"{BASE}/delCpu/{cpu}").json()["errorTitle"] == "Item cpus.cpu {pin} in use by:"


def test_referrer_label_prefers_description_then_name(api):
    """haproxy.md 4: each line shows the referrer's description, else its name."""
    server = add(api, "server", {"name": "web1", "address": "10.0.0.1"})
    a = add(api, "backend", {"name": "plain", "linkedServers": server})
    b = add(api, "backend", {"name": "described", "description": "Main pool", "linkedServers": server})
    message = api.post(f"{BASE}/delServer/{server}").json()["errorMessage"]
    assert message == (
        f"HAProxy - plain {{HAProxy.backends.backend.{a}}}\nHAProxy - Main pool {{HAProxy.backends.backend.{b}}}\n"
    )


def test_disabled_referrer_still_blocks(api):
    """haproxy.md 4: a disabled referrer still blocks."""
    backend = add(api, "backend", {"name": "pool"})
    add(api, "frontend", {"name": "web", "bind": "*:80", "defaultBackend": backend, "enabled": "0"})
    assert api.post(f"{BASE}/delBackend/{backend}").status_code == 500


def test_one_line_per_referencing_field(api):
    """haproxy.md 4: every text node containing the uuid is a hit, so two fields of one action give two lines."""
    backend = add(api, "backend", {"name": "pool"})
    mapfile = add(api, "mapfile", {"name": "hosts", "content": "a b"})
    action = add(
        api,
        "action",
        {
            "name": "route",
            "type": "map_use_backend",
            "map_use_backend_file": mapfile,
            "use_backend": backend,
            "map_use_backend_default": backend,
        },
    )
    message = api.post(f"{BASE}/delBackend/{backend}").json()["errorMessage"]
    line = f"HAProxy - route {{HAProxy.actions.action.{action}}}\n"
    assert message == line * 2


def test_helper_objects_are_protected_too(api):
    """haproxy.md 1 and 4: internalModelUseSafeDelete covers every del*, e.g. users referenced by groups."""
    user = add(api, "user", {"name": "alice", "password": "secret"})
    group = add(api, "group", {"name": "admins", "members": user})
    r = api.post(f"{BASE}/delUser/{user}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == f"HAProxy - admins {{HAProxy.groups.group.{group}}}\n"
    assert r.json()["errorTitle"] == "Item users.user {} in use by:"


def test_settings_references_do_not_block(api):
    """haproxy.md 4: only hits inside items with a uuid count; general.stats.allowedUsers is not an item."""
    user = add(api, "user", {"name": "alice", "password": "secret"})
    assert api.post(f"{BASE}/set", json={"haproxy": {"general": {"stats": {"allowedUsers": user}}}}).json() == {
        "result": "saved"
    }
    assert api.post(f"{BASE}/delUser/{user}").json() == {"result": "deleted"}


def test_comma_list_deletes_all_when_none_is_in_use(api):
    """haproxy.md 1.2: del takes a comma-separated list (26.1.3+)."""
    a = add(api, "server", {"name": "a"})
    b = add(api, "server", {"name": "b"})
    assert api.post(f"{BASE}/delServer/{a},{b}").json() == {"result": "deleted"}
    assert not exists(api, "server", a) and not exists(api, "server", b)


def test_comma_list_aborts_on_the_first_item_in_use(api):
    """haproxy.md 4: the first in-use uuid aborts the whole call and nothing is deleted."""
    free = add(api, "server", {"name": "free"})
    used = add(api, "server", {"name": "used"})
    add(api, "backend", {"name": "pool", "linkedServers": used})
    r = api.post(f"{BASE}/delServer/{free},{used}")
    assert r.status_code == 500
    assert exists(api, "server", free) and exists(api, "server", used)


def test_any_text_containing_the_uuid_blocks_even_if_deleted_in_the_same_call(api):
    """haproxy.md 4: any text containing the uuid is a reference (here a server's free-text `advanced`),
    and the scan reads config.xml, which is only written after the loop: deleting the referrer
    earlier in the same list does not free the item, and nothing is deleted."""
    target = add(api, "server", {"name": "b"})
    referrer = add(api, "server", {"name": "a", "advanced": f"# twin of {target}"})
    r = api.post(f"{BASE}/delServer/{referrer},{target}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == f"HAProxy - a {{HAProxy.servers.server.{referrer}}}\n"
    assert exists(api, "server", referrer) and exists(api, "server", target)


def test_non_token_uuid_is_rejected_by_safe_delete(api):
    """haproxy.md 4 (checkAndThrowValueInUse): only [0-9a-z-] tokens are accepted, else "Invalid token"."""
    r = api.post(f"{BASE}/delBackend/not_a_token")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == "Invalid input token provided"
    assert r.json()["errorTitle"] == "Invalid token"


def test_deleting_the_last_reference_frees_the_item(api):
    """haproxy.md 3.5: delete in reverse creation order."""
    server = add(api, "server", {"name": "web1"})
    backend = add(api, "backend", {"name": "pool", "linkedServers": server})
    frontend = add(api, "frontend", {"name": "web", "bind": "*:80", "defaultBackend": backend})
    for kind, uuid in (("frontend", frontend), ("backend", backend), ("server", server)):
        assert api.post(f"{BASE}/del{kind.capitalize()}/{uuid}").json() == {"result": "deleted"}
