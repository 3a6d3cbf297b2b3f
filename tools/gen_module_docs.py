#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render the module files of opnform.opnsense, and everything else derived from the resource specs.

Ansible needs DOCUMENTATION / EXAMPLES / RETURN as static text in each module file, while the
argument spec is generated at runtime from ``plugins/module_utils/specs/<type>.py``. This tool keeps
the two in step: it writes ``plugins/modules/<type>.py`` (docs + ``main()``) for every spec file,
plus ``reload.py`` and ``system_info.py``, taking the examples from
``tools/module_examples/<module>.yml``. It also writes the integration target that runs every
example against the simulator (``tests/integration/targets/module_examples``), in the order of the
types' dependencies, so the examples are known to work. From the same specs it writes the
registry's import table (``registry_source.py``), the ``action_groups`` of ``meta/runtime.yml``,
the module tables of ``docs/modules.md`` and ``README.md`` and the boilerplate of each type's
integration target (``registry_views.py``).

    python tools/gen_module_docs.py           # rewrite what is out of date
    python tools/gen_module_docs.py --check   # exit 1 and list files that are out of date
    python tools/gen_module_docs.py --list    # the files this tool writes (wholly or in part)

``tests/unit/tools/test_gen_module_docs.py`` runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODULES_DIR = ROOT / "plugins" / "modules"
EXAMPLES_DIR = ROOT / "tools" / "module_examples"
EXAMPLES_TARGET = ROOT / "tests" / "integration" / "targets" / "module_examples"
TARGETS_DIR = ROOT / "tests" / "integration" / "targets"
AUTHOR = "opnform developers (@opnform)"
COLLECTION = "opnform.opnsense"
# The examples run in this order: system_info first, the types by their dependencies, reload last.
EXAMPLES_FIRST = ("system_info",)
EXAMPLES_LAST = ("reload",)


def _import_collection() -> None:
    """Make ``ansible_collections.opnform.opnsense`` importable from this checkout."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from collection_link import collection_parent

    parent = collection_parent(ROOT, "docs")
    if parent not in sys.path:
        sys.path.insert(0, parent)


_import_collection()
sys.path.insert(0, str(Path(__file__).resolve().parent))

import registry_source  # noqa: E402
import registry_views  # noqa: E402
from version_added import VersionAdded  # noqa: E402

from ansible_collections.opnform.opnsense.plugins.module_utils import _argspec  # noqa: E402
from ansible_collections.opnform.opnsense.plugins.module_utils._reload import SUBSYSTEMS  # noqa: E402
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (  # noqa: E402
    INT,
    LIST_KINDS,
    FieldSpec,
    ResourceSpec,
)

VERSION_ADDED = VersionAdded(ROOT)


def load_specs() -> Dict[str, ResourceSpec]:
    """The registry as the spec files define it (not through ``_registry``, whose table this writes)."""
    return registry_source.load_registry(registry_source.spec_names(ROOT / registry_source.SPECS_PATH))


class _Dumper(yaml.SafeDumper):
    """Indent sequences inside mappings (the style of Ansible's own docs)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_presenter)


def _fold_long_tokens(text: str, limit: int = 120) -> str:
    """Split ``key: <long token without spaces>`` lines (pep8 allows 160 characters) into a
    double-quoted scalar continued with escaped line breaks, which YAML joins without a space."""
    out = []
    for line in text.splitlines():
        match = re.match(r"^(\s*)([A-Za-z_]+: |- )([^ '\"]+)$", line)
        if len(line) <= limit or not match:
            out.append(line)
            continue
        indent, key, value = match.groups()
        step = limit - len(indent) - 8
        chunks = [value[i : i + step] for i in range(0, len(value), step)]
        out.append('%s%s"%s\\' % (indent, key, chunks[0]))
        for chunk in chunks[1:-1]:
            out.append("%s  %s\\" % (indent, chunk))
        out.append('%s  %s"' % (indent, chunks[-1]))
    return "\n".join(out) + "\n"


def dump(data: Any) -> str:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=110, allow_unicode=True, default_flow_style=False)
    folded = _fold_long_tokens(text)
    if yaml.safe_load(folded) != yaml.safe_load(text):
        raise AssertionError("folding long lines changed the YAML")
    return folded


# -- option documentation -------------------------------------------------------------------------


def field_description(spec: ResourceSpec, item: FieldSpec) -> List[str]:
    lines = [item.doc or "OPNsense field C(%s)." % item.api]
    limits = []
    if item.kind == INT and (item.minimum is not None or item.maximum is not None):
        if item.minimum is not None and item.maximum is not None:
            limits.append("Between %d and %d." % (item.minimum, item.maximum))
        elif item.minimum is not None:
            limits.append("At least %d." % item.minimum)
        else:
            limits.append("At most %d." % item.maximum)
    if item.max_length is not None:
        limits.append("At most %d characters." % item.max_length)
    if limits:
        lines.append(" ".join(limits))
    if item.case == "lower":
        lines.append("OPNsense lower-cases the value, so it is compared lower-cased.")
    elif item.case == "upper":
        kept = " (except %s)" % ", ".join("V(%s)" % k for k in item.keep_case) if item.keep_case else ""
        lines.append("OPNsense upper-cases the value%s, so it is compared that way." % kept)
    if item.is_ref:
        lines.append("Given by name; the module sends the uuid of that M(%s.%s) object." % (COLLECTION, item.ref))
    if item.kind in LIST_KINDS:
        lines.append("The order matters and is kept." if item.ordered else "The order does not matter.")
    if item.sensitive:
        lines.append("Never logged; masked in results and diffs.")
    if item.name in spec.identity:
        lines.append("Part of the identity: together with the other identity options it selects the object.")
    if item.api != item.name:
        lines.append("OPNsense API field C(%s)." % item.api)
    return lines


def option_doc(spec: ResourceSpec, item: FieldSpec) -> Dict[str, Any]:
    argspec = _argspec.field_argspec(item, identity=item.name in spec.identity)
    doc: Dict[str, Any] = {"description": field_description(spec, item), "type": argspec["type"]}
    if "elements" in argspec:
        doc["elements"] = argspec["elements"]
    if argspec.get("required"):
        doc["required"] = True
    if "default" in argspec:
        doc["default"] = argspec["default"]
    if "choices" in argspec:
        doc["choices"] = argspec["choices"]
    if "aliases" in argspec:
        doc["aliases"] = argspec["aliases"]
    return doc


def attributes() -> Dict[str, Any]:
    return {
        "check_mode": {
            "support": "full",
            "description": "Can run in check mode and return the changed status prediction; no write request is sent.",
        },
        "diff_mode": {
            "support": "full",
            "description": "Returns the normalised object before and after the change.",
        },
        "action_group": {
            "support": "full",
            "membership": ["%s.all" % COLLECTION],
            "description": "Use C(group/%s.all) in C(module_defaults) to set the connection options once." % COLLECTION,
        },
    }


def resource_documentation(spec: ResourceSpec) -> Dict[str, Any]:
    options: Dict[str, Any] = {}
    for item in spec.fields:
        options[item.name] = option_doc(spec, item)
    options["state"] = {
        "description": ["Whether the object should exist."],
        "type": "str",
        "choices": ["present", "absent"],
        "default": "present",
    }
    if spec.settings:
        options["state"] = {
            "description": ["Settings exist once per firewall and are only ever updated: V(present) is the only state."],
            "type": "str",
            "choices": ["present"],
            "default": "present",
        }
    if spec.reload:
        reload_text = [
            "Apply a change at once by reloading the V(%s) subsystem (only when something changed)." % spec.reload,
            "Set to V(false) to batch several changes and apply them later with M(%s.reload)." % COLLECTION,
        ]
    else:
        reload_text = ["Ignored: %s objects take effect without a reload." % spec.type]
    options["reload"] = {"description": reload_text, "type": "bool", "default": True}
    description = list(spec.description)
    if spec.settings:
        description.append(
            "A singleton: there is exactly one such object per firewall. It is never created or deleted, only "
            "updated; with M(%s.apply) any resource name matches it (use the service's name) and the first apply "
            "adopts it." % COLLECTION
        )
    description.append(
        "Options not given are set to OPNsense's defaults (shown below), so a task describes the whole "
        "object; fields OPNsense fills in itself are only managed when given."
    )
    return {
        "module": spec.type,
        "short_description": spec.summary,
        "version_added": VERSION_ADDED(spec.type),
        "description": description,
        "extends_documentation_fragment": ["%s.connection" % COLLECTION],
        "options": options,
        "attributes": attributes(),
        "notes": list(spec.notes) or ["See the collection's docs/modules.md for connection, batching and errors."],
        "seealso": [{"module": "%s.reload" % COLLECTION}],
        "author": [AUTHOR],
    }


def resource_return(spec: ResourceSpec) -> Dict[str, Any]:
    sample = {}
    for item in spec.fields:
        if item.name in spec.identity or len(sample) < 6:
            sample[item.name] = item.default
    return {
        "uuid": {
            "description": "UUID of the object; null when it does not exist (or would only be created, in check mode).",
            "returned": "always",
            "type": "str",
            "sample": "0b4c3c3f-6f73-4d2c-9d3e-2a3f6f0a9b11",
        },
        "resource": {
            "description": [
                "The object as OPNsense stored it after the task, normalised like the options "
                "(references by name, sensitive values masked); empty when the object is absent.",
            ],
            "returned": "always",
            "type": "dict",
            "sample": sample,
        },
        "changed_fields": {
            "description": "Options whose values differ(ed) from the firewall's.",
            "returned": "always",
            "type": "list",
            "elements": "str",
            "sample": [spec.fields[0].name],
        },
        "reloaded": {
            "description": "Subsystems that were reloaded.",
            "returned": "always",
            "type": "list",
            "elements": "str",
            "sample": [spec.reload] if spec.reload else [],
        },
    }


def reload_documentation() -> Dict[str, Any]:
    choices = [s.name for s in SUBSYSTEMS]
    lines = ["V(%s): %s, via C(%s)." % (s.name, s.description, s.path) for s in SUBSYSTEMS]
    return {
        "module": "reload",
        "short_description": "Apply saved OPNsense configuration of named subsystems",
        "version_added": VERSION_ADDED("reload"),
        "description": [
            "Applies what earlier tasks saved with O(opnform.opnsense.firewall_alias#module:reload=false) "
            "and the like: each named subsystem is reloaded once, in dependency order (%s)." % ", ".join(choices),
            "For V(haproxy) the configuration test runs first; if it reports an ALERT the module fails "
            "and does not reconfigure HAProxy.",
        ],
        "extends_documentation_fragment": ["%s.connection" % COLLECTION],
        "options": {
            "subsystems": {
                "description": ["Subsystems to reload; the order given does not matter."] + lines,
                "type": "list",
                "elements": "str",
                "required": True,
                "choices": choices,
            }
        },
        "attributes": attributes(),
        "notes": [
            "The module always reports a change, except in check mode where it only returns O(subsystems) as RV(would_reload)."
        ],
        "author": [AUTHOR],
    }


def reload_return() -> Dict[str, Any]:
    return {
        "reloaded": {
            "description": "Subsystems reloaded, in the order they were reloaded.",
            "returned": "always",
            "type": "list",
            "elements": "str",
            "sample": ["aliases", "filter"],
        },
        "would_reload": {
            "description": "Subsystems that are (or in check mode would be) reloaded, in order.",
            "returned": "always",
            "type": "list",
            "elements": "str",
            "sample": ["aliases", "filter"],
        },
        "results": {
            "description": "Per subsystem: its name, the status OPNsense answered and, for V(haproxy), the configtest output.",
            "returned": "success",
            "type": "list",
            "elements": "dict",
            "sample": [{"subsystem": "filter", "status": "OK"}],
        },
    }


def system_info_documentation() -> Dict[str, Any]:
    return {
        "module": "system_info",
        "short_description": "Read the OPNsense version, reachability and installed plugins",
        "version_added": VERSION_ADDED("system_info"),
        "description": [
            "Checks that the firewall answers and accepts the credentials, and returns its version, host "
            "name and installed plugins, including whether the plugins this collection's modules need "
            "(such as C(os-haproxy)) are present.",
            "Only reads: uses C(GET core/firmware/status), which does not start an update check.",
        ],
        "extends_documentation_fragment": ["%s.connection" % COLLECTION],
        "options": {
            "fail_unreachable": {
                "description": [
                    "Fail when the firewall cannot be reached or rejects the credentials.",
                    "With V(false) the module succeeds and reports RV(reachable), RV(authenticated) and RV(error) instead.",
                ],
                "type": "bool",
                "default": True,
            }
        },
        "attributes": attributes(),
        "author": [AUTHOR],
    }


def system_info_return() -> Dict[str, Any]:
    return {
        "reachable": {"description": "Whether the API answered.", "returned": "always", "type": "bool", "sample": True},
        "authenticated": {
            "description": "Whether the credentials were accepted.",
            "returned": "always",
            "type": "bool",
            "sample": True,
        },
        "version": {
            "description": "OPNsense product version.",
            "returned": "always",
            "type": "str",
            "sample": "26.7.2",
        },
        "product": {
            "description": "The C(product) record of C(core/firmware/status).",
            "returned": "always",
            "type": "dict",
            "sample": {"product_name": "OPNsense", "product_version": "26.7.2", "product_arch": "amd64"},
        },
        "hostname": {
            "description": "Host name and domain.",
            "returned": "always",
            "type": "str",
            "sample": "OPNsense.localdomain",
        },
        "versions": {
            "description": "Version strings of OPNsense, FreeBSD and OpenSSL.",
            "returned": "always",
            "type": "list",
            "elements": "str",
            "sample": ["OPNsense 26.7.2-amd64", "FreeBSD 14.3-RELEASE-p4"],
        },
        "plugins": {
            "description": "For each plugin a module of this collection needs: whether its API is available.",
            "returned": "always",
            "type": "dict",
            "sample": {"os-haproxy": True},
        },
        "installed_plugins": {
            "description": "Names of the installed C(os-*) plugins.",
            "returned": "always",
            "type": "list",
            "elements": "str",
            "sample": ["os-haproxy"],
        },
        "api_url": {
            "description": "The API base URL used.",
            "returned": "always",
            "type": "str",
            "sample": "https://fw.example.com/api/",
        },
        "error": {
            "description": "Why the firewall could not be used.",
            "returned": "when O(fail_unreachable=false) and it failed",
            "type": "str",
        },
    }


# -- module files --------------------------------------------------------------------------------

HEADER = """#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Generated by tools/gen_module_docs.py from {source}; edit that, then re-run the tool.

from __future__ import annotations

"""


def module_source(
    name: str, documentation: Dict[str, Any], examples: str, returns: Dict[str, Any], body: str, source: str
) -> str:
    return (
        HEADER.format(source=source)
        + 'DOCUMENTATION = r"""\n---\n'
        + dump(documentation)
        + '"""\n\nEXAMPLES = r"""\n'
        + examples.strip()
        + '\n"""\n\nRETURN = r"""\n---\n'
        + dump(returns)
        + '"""\n\n'
        + body
    )


RESOURCE_BODY = """from ansible_collections.opnform.opnsense.plugins.module_utils._runner import run_resource_module
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.{type} import SPEC


def main():
    run_resource_module(SPEC)


if __name__ == "__main__":
    main()
"""

COMMAND_BODY = """from ansible_collections.opnform.opnsense.plugins.module_utils._runner import {func}


def main():
    {func}()


if __name__ == "__main__":
    main()
"""


def examples_for(name: str) -> str:
    path = EXAMPLES_DIR / ("%s.yml" % name)
    if not path.exists():
        raise SystemExit("missing examples file %s" % path)
    text = path.read_text()
    lines = [line for line in text.splitlines() if not line.startswith("---")]
    return "\n".join(lines).strip() + "\n"


COMMANDS = (
    ("reload", reload_documentation, reload_return, "run_reload_module", "plugins/module_utils/_reload.py"),
    ("system_info", system_info_documentation, system_info_return, "run_system_info_module", "plugins/module_utils/_commands.py"),
)  # fmt: skip


def rendered_files(registry: Dict[str, ResourceSpec] = None) -> Dict[Path, str]:
    """Every generated file and its content (``registry`` defaults to the spec files)."""
    registry = load_specs() if registry is None else registry
    files: Dict[Path, str] = {}
    for type_name, spec in registry.items():
        files[MODULES_DIR / ("%s.py" % type_name)] = module_source(
            type_name,
            resource_documentation(spec),
            examples_for(type_name),
            resource_return(spec),
            RESOURCE_BODY.format(type=type_name),
            "plugins/module_utils/specs/%s.py" % type_name,
        )
    for name, documentation, returns, func, source in COMMANDS:
        files[MODULES_DIR / ("%s.py" % name)] = module_source(
            name, documentation(), examples_for(name), returns(), COMMAND_BODY.format(func=func), source
        )
    files.update(example_target(registry))
    files.update(registry_files(registry, [path.stem for path in files if path.parent == MODULES_DIR]))
    return files


def registry_files(registry: Dict[str, ResourceSpec], modules: List[str]) -> Dict[Path, str]:
    """The registry's import table and its views: action group, module tables, target boilerplate."""
    files = {ROOT / registry_source.TABLE_PATH: registry_source.table_source(registry)}
    stubs = [path.stem for path in MODULES_DIR.glob("*.py") if not path.name.startswith("_")]
    runtime = ROOT / "meta" / "runtime.yml"
    files[runtime] = registry_views.action_group(runtime.read_text(), modules + stubs)
    commands = [(command[0], command[1]()["short_description"]) for command in COMMANDS]
    commands = [(name, text[0].lower() + text[1:]) for name, text in commands]
    files.update(registry_views.doc_tables(ROOT, registry, commands))
    files.update(registry_views.target_boilerplate(TARGETS_DIR, registry))
    return files


def example_dependencies(registry: Dict[str, ResourceSpec]) -> Dict[str, List[str]]:
    """For each type, the types whose objects its examples name (in reference and mention fields).

    Only the fields the examples set count: the types' own references form cycles (a HAProxy
    backend may link actions that use backends), the objects of the examples do not.
    """
    found = {}
    for name, spec in registry.items():
        given = set()
        for task in yaml.safe_load(examples_for(name)) or []:
            args = task.get("%s.%s" % (COLLECTION, name))
            given |= set(args) if isinstance(args, dict) else set()
        named = [
            f for f in spec.fields if (f.is_ref or f.mentions) and given & set([f.name] + _argspec.option_aliases(f))
        ]
        found[name] = sorted(set(f.ref or f.mentions for f in named))
    return found


def example_order(registry: Dict[str, ResourceSpec]) -> List[str]:
    """system_info, then every type after the types its examples refer to (ties alphabetical), then reload."""
    order = registry_source.dependency_order(example_dependencies(registry))
    return list(EXAMPLES_FIRST) + order + list(EXAMPLES_LAST)


def example_target(registry: Dict[str, ResourceSpec]) -> Dict[Path, str]:
    """The integration target that runs every module's EXAMPLES against the simulator."""
    files: Dict[Path, str] = {}
    main = [
        "---",
        "# Generated by tools/gen_module_docs.py: runs the EXAMPLES of every module, in dependency order.",
        "- name: Start from a factory-fresh simulator",
        "  ansible.builtin.include_role:",
        "    name: setup_opnsense",
        "    tasks_from: reset.yml",
        "",
        "- name: Run the examples",
        "  module_defaults:",
        "    group/opnform.opnsense.all:",
        '      api_url: "{{ opn_api_url }}"',
        '      api_key: "{{ opn_api_key }}"',
        '      api_secret: "{{ opn_api_secret }}"',
        '      ca_path: "{{ opn_ca_path }}"',
        "  block:",
    ]
    for name in example_order(registry):
        main += [
            "    - name: Examples of %s" % name,
            "      ansible.builtin.include_tasks: %s.yml" % name,
        ]
        files[EXAMPLES_TARGET / "tasks" / ("%s.yml" % name)] = (
            "---\n# Generated by tools/gen_module_docs.py from tools/module_examples/%s.yml.\n" % name
            + examples_for(name)
        )
    files[EXAMPLES_TARGET / "tasks" / "main.yml"] = "\n".join(main) + "\n"
    files[EXAMPLES_TARGET / "meta" / "main.yml"] = registry_views.TARGET_FILES[Path("meta") / "main.yml"]
    files[EXAMPLES_TARGET / "aliases"] = "# Generated by tools/gen_module_docs.py.\nlocal\n"
    return files


def outdated(registry: Dict[str, ResourceSpec] = None) -> List[Tuple[Path, str]]:
    result = []
    for path, content in sorted(rendered_files(registry).items()):
        if not path.exists() or path.read_text() != content:
            result.append((path, content))
    return result


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    parser.add_argument("--list", action="store_true", help="list the files this tool writes, wholly or in part")
    args = parser.parse_args(argv)
    if args.list:
        for path in sorted(rendered_files()):
            print(path.relative_to(ROOT))
        return 0
    stale = outdated()
    if args.check:
        for path in [item[0] for item in stale]:
            print("out of date: %s" % path.relative_to(ROOT))
        return 1 if stale else 0
    for path, content in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        print("wrote %s" % path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
