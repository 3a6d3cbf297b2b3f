"""The registry's views (action group, module tables, target boilerplate), on a fixture registry."""

from __future__ import annotations

from pathlib import Path

import pytest
import registry_views as views

COMMANDS = [("reload", "apply saved configuration")]
RUNTIME = '---\nrequires_ansible: ">=2.16.0"\naction_groups:\n  all:\n    - old\nplugin_routing: {}\n'


def test_action_group_lists_the_modules_and_keeps_the_rest():
    text = views.action_group(RUNTIME, ["zoo_keeper", "apply", "zoo_keeper"])
    assert text == RUNTIME.replace("    - old\n", "    - apply\n    - zoo_keeper\n")
    with pytest.raises(SystemExit, match="no action_groups.all"):
        views.action_group("---\nrequires_ansible: x\n", ["apply"])


def test_type_rows_have_one_row_per_type_then_the_commands(fixture_registry):
    rows = views.type_rows(fixture_registry, COMMANDS)
    assert rows[0] == "| module | manages | identified by | refers to | reload subsystem |"
    assert rows[2:] == [
        "| `aquarium_tank` | aquarium tanks; plugin `os-aquarium` | `site` + `number` | - | `aliases` |",
        "| `zoo_animal` | zoo animals | `name` | `zoo_keeper` | `filter` |",
        "| `zoo_enclosure` | zoo enclosures | `name` | `zoo_animal`, `zoo_keeper` | none |",
        "| `zoo_keeper` | zoo keepers | `name` | - | none |",
        "| `reload` | apply saved configuration | | | |",
    ]


def test_area_rows_group_the_types_of_an_area(fixture_registry):
    assert views.area_rows(fixture_registry, COMMANDS)[2:] == [
        "| `aquarium_tank` | aquarium tanks (the os-aquarium plugin) |",
        "| `zoo_animal`, `zoo_enclosure`, `zoo_keeper` | zoo animals, enclosures, keepers |",
        "| `reload` | apply saved configuration |",
    ]


def test_with_table_replaces_what_is_between_the_markers():
    text = "intro\n%s\nold table\n%s\noutro\n" % (views.BEGIN, views.END)
    table = views.with_table(text, ["| a |", "| --- |"], "doc.md")
    assert table == "intro\n%s\n%s\n\n| a |\n| --- |\n\n%s\noutro\n" % (views.BEGIN, views.NOTE, views.END)
    assert views.with_table(table, ["| a |", "| --- |"], "doc.md") == table
    assert views.with_table("no markers\n", ["| a |"], "README.md") is None


@pytest.mark.parametrize(
    "text,required",
    [("no markers\n", True), (views.END + "\n" + views.BEGIN + "\n", False), (views.BEGIN * 2 + views.END, False)],
)
def test_with_table_refuses_missing_or_unpaired_markers(text, required):
    with pytest.raises(SystemExit, match="doc.md: needs one line"):
        views.with_table(text, ["| a |"], "doc.md", required)


def test_doc_tables_need_their_markers(tmp_path, fixture_registry):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "modules.md").write_text("%s\n%s\n" % (views.BEGIN, views.END))
    (tmp_path / "README.md").write_text("# readme\n")
    with pytest.raises(SystemExit, match="README.md: needs one line"):
        views.doc_tables(tmp_path, fixture_registry, COMMANDS)
    (tmp_path / "README.md").write_text("# readme\n%s\n%s\n" % (views.BEGIN, views.END))
    files = views.doc_tables(tmp_path, fixture_registry, COMMANDS)
    assert sorted(files) == [tmp_path / "README.md", tmp_path / "docs" / "modules.md"]
    assert "| `zoo_keeper` | zoo keepers |" in files[tmp_path / "docs" / "modules.md"]


def test_every_type_gets_the_target_boilerplate(fixture_registry):
    files = views.target_boilerplate(Path("targets"), fixture_registry)
    assert len(files) == 2 * len(fixture_registry)
    assert files[Path("targets/zoo_keeper/aliases")] == "context/controller\n"
    assert "setup_opnsense" in files[Path("targets/zoo_keeper/meta/main.yml")]
