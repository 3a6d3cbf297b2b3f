"""tools/new_type.py: a scaffolded type is complete for the generators and costs at most five
hand-written files; no scaffold marker is left in the real tree."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MARKER = "TODO(new-type)"
# Not part of the collection: the simulator's side of a type is written by hand (docs/contributing.md).
OUTSIDE = ("simulator/", "bench/", ".ci/", "requirements/")
HAND_WRITTEN = {
    "plugins/module_utils/specs/zoo_keeper.py",
    "tools/module_examples/zoo_keeper.yml",
    "tests/integration/targets/zoo_keeper/tasks/main.yml",
    "changelogs/fragments/new-type-zoo_keeper.yml",
}
SCAFFOLD = ["zoo_keeper", "--module", "zoo", "--controller", "keeper", "--item", "keeper", "--reload", "haproxy"]
OTHER = ["zoo_feeder", "--module", "zoo", "--controller", "feeder", "--item", "feeder", "--command-noun", "_feeder"]
SETTINGS = ["zoo_settings", "--module", "zoo", "--controller", "settings", "--item", "zoo.general", "--settings"]


def copy_collection(dest: Path) -> Path:
    """The checkout's files as git lists them (tracked and new, not ignored), without the simulator."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=str(ROOT), capture_output=True, check=True
    )
    tree = dest / "ansible_collections" / "opnform" / "opnsense"
    for name in listed.stdout.decode().split("\0"):
        source = ROOT / name
        if name and not name.startswith(OUTSIDE) and source.is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(str(source), str(tree / name))
    return tree


def digests(tree: Path) -> dict:
    return dict(
        (str(path.relative_to(tree)), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in tree.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def run(tree: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable] + list(args), cwd=str(tree), capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    """A copy of the collection with two throw-away types scaffolded, and the files the first touched."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs the git checkout")
    tree = copy_collection(tmp_path_factory.mktemp("scaffold"))
    before = digests(tree)
    done = run(tree, "tools/new_type.py", *SCAFFOLD)
    assert done.returncode == 0, done.stdout + done.stderr
    after = digests(tree)
    touched = set(name for name, digest in after.items() if before.get(name) != digest)
    done = run(tree, "tools/new_type.py", *OTHER)  # the other variant: no reload, own command words
    assert done.returncode == 0, done.stdout + done.stderr
    done = run(tree, "tools/new_type.py", *SETTINGS)  # a service's settings, one object per firewall
    assert done.returncode == 0, done.stdout + done.stderr
    return tree, touched


def test_the_generators_are_in_step_after_the_scaffold(scaffolded):
    tree, touched = scaffolded
    check = run(tree, "tools/gen_module_docs.py", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert {"plugins/modules/zoo_keeper.py", "meta/runtime.yml", "docs/modules.md"} <= touched
    registered = run(
        tree.parents[2],
        "-c",
        "from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY; "
        "print(REGISTRY['zoo_keeper'].reload, REGISTRY['zoo_feeder'].path('delete'))",
    )
    assert registered.stdout.split() == ["haproxy", "zoo/feeder/del_feeder"], registered.stderr


def test_a_standard_type_costs_at_most_five_hand_written_files(scaffolded):
    tree, touched = scaffolded
    listed = run(tree, "tools/gen_module_docs.py", "--list")
    generated = set(listed.stdout.split())
    assert "plugins/module_utils/_registry_specs.py" in generated
    hand_written = touched - generated
    assert hand_written == HAND_WRITTEN and len(hand_written) <= 5
    for name in hand_written:
        assert MARKER in (tree / name).read_text(), name


def test_the_scaffold_is_lint_clean(scaffolded):
    tree = scaffolded[0]
    bin_dir = Path(sys.executable).parent
    ruff, antsibull = bin_dir / "ruff", bin_dir / "antsibull-changelog"
    if not ruff.exists() or not antsibull.exists():
        pytest.skip("needs ruff and antsibull-changelog beside the test's Python")
    python = ["plugins/module_utils/specs/zoo_%s.py" % name for name in ("keeper", "feeder")]
    python.append("plugins/module_utils/_registry_specs.py")
    for command in ([str(ruff), "check"] + python, [str(ruff), "format", "--check"] + python):
        done = subprocess.run(command, cwd=str(tree), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    fragment = ["changelogs/fragments/new-type-zoo_keeper.yml"]
    done = subprocess.run(
        [str(antsibull), "lint"] + fragment, cwd=str(tree), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_the_scaffold_refuses_an_existing_type_and_bad_names(scaffolded):
    tree = scaffolded[0]
    again = run(tree, "tools/new_type.py", *SCAFFOLD)
    assert again.returncode == 1 and "zoo_keeper exists already" in again.stderr
    bad = run(tree, "tools/new_type.py", "ZooKeeper", "--module", "zoo", "--controller", "keeper", "--item", "keeper")
    assert bad.returncode == 2 and "does not match" in bad.stderr


def test_no_scaffold_marker_is_left():
    """A scaffolded type is finished when no TODO(new-type) is left in the files a person completes."""
    places = [
        "plugins/module_utils/specs/*.py",
        "tools/module_examples/*.yml",
        "tests/integration/targets/*/tasks/main.yml",
        "changelogs/fragments/*.yml",
    ]
    left = [str(p.relative_to(ROOT)) for place in places for p in ROOT.glob(place) if MARKER in p.read_text()]
    assert left == [], "fill in every %s (docs/contributing.md): %s" % (MARKER, ", ".join(left))


def test_a_settings_type_is_scaffolded_as_settings(scaffolded):
    tree = scaffolded[0]
    check = run(tree, "tools/gen_module_docs.py", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    registered = run(
        tree.parents[2],
        "-c",
        "from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY; "
        "s = REGISTRY['zoo_settings']; print(s.settings, s.identity, s.key, s.path('get'), s.path('set'))",
    )
    assert registered.stdout.split() == ["True", "()", "zoo.general", "zoo/settings/get", "zoo/settings/set"], (
        registered.stderr
    )
    module = (tree / "plugins" / "modules" / "zoo_settings.py").read_text()
    assert "A singleton" in module and "- absent" not in module
    target = (tree / "tests" / "integration" / "targets" / "zoo_settings" / "tasks" / "main.yml").read_text()
    assert "'/api/zoo/settings/set'" in target and MARKER in target
    bad = run(
        tree, "tools/new_type.py", "zoo_other", "--module", "zoo", "--controller", "x", "--item", "x", "--settings"
    )
    assert bad.returncode == 2 and "does not match" in bad.stderr
