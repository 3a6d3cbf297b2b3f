"""The execution environment definition ``meta/execution-environment.yml`` through the real
``ansible-builder create``, and the two build stages that need no container runtime replayed on
the generated context: the galaxy stage (install the collection from the context) and the builder
stage's introspection (collect the Python requirements of every installed collection).

The collection is built and installed into a copy of the tree the definition expects
(``meta/`` beside ``build/collections``, as ``make collection`` leaves it), so the test does not
depend on, or disturb, the checkout's ``build/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml
from e2e_helpers import BIN, ROOT

REQUIRED = {"requests", "jsonschema", "networkx", "psycopg"}
VERSION = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]


def run(*cmd, cwd=None) -> str:
    # Without the caller's ANSIBLE_* settings: ansible-galaxy skips installing a collection it finds
    # in ANSIBLE_COLLECTIONS_PATH (as `make test` sets it), which would leave the target empty.
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("ANSIBLE_"))
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def names(requirements: str) -> set:
    """Distribution names of a pip requirements text."""
    lines = (line.split("#", 1)[0].strip() for line in requirements.splitlines())
    return {re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0].lower() for line in lines if line}


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    """``ansible-builder create`` of the collection's definition; returns (context dir, its output)."""
    tree = tmp_path_factory.mktemp("ee")
    shutil.copytree(ROOT / "meta", tree / "meta")
    run(BIN / "ansible-galaxy", "collection", "build", "--output-path", tree / "dist", ROOT)
    tarball = tree / "dist" / ("opnform-opnsense-%s.tar.gz" % VERSION)
    run(BIN / "ansible-galaxy", "collection", "install", "-p", tree / "build" / "collections", tarball)
    ctx = tree / "context"
    out = run(
        BIN / "ansible-builder", "create", "-f", tree / "meta" / "execution-environment.yml",
        "-c", ctx, "--output-filename", "Containerfile",
    )  # fmt: skip
    return ctx, out


def test_create_writes_a_complete_context(context):
    ctx, out = context
    assert "does not exist" not in out and "No matches" not in out  # ansible-builder only warns
    containerfile = (ctx / "Containerfile").read_text()
    base = yaml.safe_load((ROOT / "meta" / "execution-environment.yml").read_text())["images"]["base_image"]["name"]
    assert 'ARG EE_BASE_IMAGE="%s"' % base in containerfile
    assert re.search(r"ansible-galaxy collection install .*-r requirements.yml", containerfile)
    assert "introspect --user-pip=requirements.txt" in containerfile
    assert REQUIRED <= names((ctx / "_build" / "requirements.txt").read_text())
    collections = yaml.safe_load((ctx / "_build" / "requirements.yml").read_text())["collections"]
    assert [c["type"] for c in collections] == ["dir"]
    manifest = json.loads((ctx / "_build" / collections[0]["name"] / "MANIFEST.json").read_text())
    info = manifest["collection_info"]
    assert (info["namespace"], info["name"], info["version"]) == ("opnform", "opnsense", VERSION)


def test_build_stages_install_the_collection_and_find_its_requirements(context, tmp_path):
    ctx = context[0]
    build = ctx / "_build"  # the Containerfile copies it to /build, the galaxy stage's WORKDIR
    target = tmp_path / "usr-share-ansible-collections"
    run(
        BIN / "ansible-galaxy",
        "collection",
        "install",
        "-r",
        "requirements.yml",
        "--collections-path",
        target,
        cwd=build,
    )
    installed = target / "ansible_collections" / "opnform" / "opnsense"
    assert json.loads((installed / "MANIFEST.json").read_text())["collection_info"]["version"] == VERSION
    # The builder stage: the collection's own meta/execution-environment.yml names its requirements,
    # which is all an EE that lists opnform.opnsense as one of its collections relies on.
    pip = tmp_path / "pip.txt"
    run(
        BIN / "python", build / "scripts" / "introspect.py", "introspect",
        "--user-pip", build / "requirements.txt", "--write-pip", pip, "--write-bindep", tmp_path / "bindep.txt", target,
    )  # fmt: skip
    from_collection = [line for line in pip.read_text().splitlines() if "from collection opnform.opnsense" in line]
    assert names("\n".join(from_collection)) == REQUIRED
