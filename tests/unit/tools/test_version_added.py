"""version_added: the release that first shipped a module, else the next release."""

from __future__ import annotations

from version_added import VersionAdded, first_releases, next_version

RELEASES = {
    "0.2.0": {"modules": [{"name": "b"}, {"name": "a"}]},
    "0.1.0": {"modules": [{"name": "a"}]},
    "0.1.1": {"changes": {}},
}


def test_a_module_keeps_the_version_it_came_with():
    assert first_releases(RELEASES) == {"a": "0.1.0", "b": "0.2.0"}


def test_the_next_version_is_galaxys_until_it_is_released():
    assert next_version("0.3.0", RELEASES) == "0.3.0"
    assert next_version("0.2.0", RELEASES) == "0.3.0"


def test_version_added_of_the_collection(tmp_path):
    (tmp_path / "changelogs").mkdir()
    (tmp_path / "changelogs" / "changelog.yaml").write_text("releases:\n  0.1.0:\n    modules:\n      - name: a\n")
    (tmp_path / "galaxy.yml").write_text("version: 0.1.0\n")
    version_added = VersionAdded(tmp_path)
    assert (version_added("a"), version_added("new")) == ("0.1.0", "0.2.0")
