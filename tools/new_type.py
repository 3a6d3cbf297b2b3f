#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scaffold a resource type with a standard OPNsense MVC controller (``make new-type``).

Writes, from ``tools/templates/new_type/``, the four files a person then completes (each marked
``TODO(new-type)`` where something must be filled in; ``tests/unit/tools/test_new_type.py`` fails
while a marker is left):

- ``plugins/module_utils/specs/<type>.py``: the spec, data only (fields, identity, summary);
- ``tools/module_examples/<type>.yml``: the module's examples, which also run against the simulator;
- ``tests/integration/targets/<type>/tasks/main.yml``: create, re-run, check-mode change, change,
  delete;
- ``changelogs/fragments/new-type-<type>.yml``: the antsibull-changelog fragment (the module
  itself is listed as new from its ``version_added``).

Then it runs ``gen_module_docs.py``, which writes the rest from the spec: the module, the registry's
import table, the action group, the module tables, the examples target and the target's
``aliases`` and ``meta``. The simulator's side of the type is written by hand (docs/contributing.md).

    python tools/new_type.py dnsmasq_host --module dnsmasq --controller settings --item host --reload dnsmasq

With ``--settings`` the type is a service's settings (one object per firewall, docs/apply.md
"Settings resources"): ``--item`` is the dotted node of the model (``haproxy.general``), the spec
has no identity and the controller's whole-model ``get`` and ``set``, and the integration target
has no create or delete.

    python tools/new_type.py haproxy_settings --module haproxy --controller settings --item haproxy.general --settings
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template
from typing import Dict, List

import gen_module_docs as gen
from gen_module_docs import ROOT

from ansible_collections.opnform.opnsense.plugins.module_utils._reload import BY_NAME

TEMPLATES = Path(__file__).resolve().parent / "templates" / "new_type"
MARKER = "TODO(new-type)"
VERBS = (("search", "search"), ("get", "get"), ("add", "add"), ("set", "set"), ("delete", "del"), ("toggle", "toggle"))
NAMES = {
    "type": r"^[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]$",
    "module": r"^[a-z][a-z0-9_]*$",
    "controller": r"^[a-z][a-z0-9_]*$",
    "item": r"^[a-z][A-Za-z0-9_]*$",
    "command_noun": r"^[A-Za-z_][A-Za-z0-9_]*$",
    "plugin": r"^os-[a-z0-9-]+$",
}
SETTINGS_NODE = r"^[a-z][A-Za-z0-9_]*(\.[a-z][A-Za-z0-9_]*)+$"  # a node of the model: haproxy.general


def paths(type_name: str) -> Dict[str, Path]:
    """Where each template goes, by template name."""
    return {
        "spec.py": ROOT / "plugins" / "module_utils" / "specs" / ("%s.py" % type_name),
        "examples.yml": ROOT / "tools" / "module_examples" / ("%s.yml" % type_name),
        "target.yml": ROOT / "tests" / "integration" / "targets" / type_name / "tasks" / "main.yml",
        "fragment.yml": ROOT / "changelogs" / "fragments" / ("new-type-%s.yml" % type_name),
    }


def spec_options(args: argparse.Namespace) -> List[str]:
    """The optional ``ResourceSpec`` arguments, one source line each."""
    lines = []
    if args.settings:
        lines.append("    commands=SETTINGS_COMMANDS,\n")
    elif args.command_noun:
        words = "".join('        %s="%s%s",\n' % (field, verb, args.command_noun) for field, verb in VERBS)
        lines.append("    commands=Commands(\n%s    ),\n" % words)
    if args.reload:
        lines.append('    reload="%s",\n' % args.reload)
    else:
        lines.append("    # %s the subsystem that applies a change (_reload.SUBSYSTEMS), or none.\n" % MARKER)
    if args.plugin:
        lines.append('    plugin="%s",\n' % args.plugin)
    return lines


def values(args: argparse.Namespace) -> Dict[str, str]:
    """What the templates are filled with."""
    imports = (["Commands"] if args.command_noun else []) + ["ResourceSpec", "boolean", "text"]
    reload_text = ""
    writes = ["'/api/%s/%s/%s/' ~ created.uuid" % (args.module, args.controller, "set" + (args.command_noun or "Item"))]
    if args.settings:
        imports = ["SETTINGS_COMMANDS", "ResourceSpec", "boolean", "text"]
        writes = ["'/api/%s/%s/set'" % (args.module, args.controller)]
    if args.reload:
        subsystem = BY_NAME[args.reload]
        reload_text = (
            '        "By default the change is applied at once (C(%s));"\n'
            '        " with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(%s)"\n'
            '        " applies it later.",\n'
        ) % (subsystem.path, subsystem.name)
        writes += ["'/api/%s'" % path for path in (subsystem.precheck, subsystem.path) if path]
    return {
        "type": args.type,
        "module": args.module,
        "controller": args.controller,
        "item": args.item,
        "imports": "".join("    %s,\n" % name for name in imports),
        "options": "".join(spec_options(args)),
        "reload_text": reload_text,
        "reload_words": " and a reload" if args.reload else "",
        "writes": ", ".join(writes),
        "reloaded": "['%s']" % args.reload if args.reload else "[]",
    }


def parse(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("type", help="<area>_<object> in OPNsense's words, e.g. dnsmasq_host")
    parser.add_argument("--module", required=True, help="the API module, e.g. dnsmasq")
    parser.add_argument("--controller", required=True, help="the API controller, e.g. settings")
    parser.add_argument("--item", required=True, help="the body key of one object, e.g. host")
    parser.add_argument("--reload", choices=sorted(BY_NAME), help="the subsystem that applies a change, if any")
    parser.add_argument("--plugin", help="the os-* plugin that provides the API, if any")
    parser.add_argument(
        "--settings",
        action="store_true",
        help="a service's settings, one object per firewall (--item is the model node, e.g. haproxy.general)",
    )
    parser.add_argument(
        "--command-noun",
        help="the controller's command words are <verb><noun> (searchHost: Host) instead of <verb>Item",
    )
    args = parser.parse_args(argv)
    if args.settings and args.command_noun:
        parser.error("--settings uses the whole-model get and set: no --command-noun")
    for name, pattern in dict(NAMES, item=SETTINGS_NODE if args.settings else NAMES["item"]).items():
        value = getattr(args, name)
        if value is not None and not re.match(pattern, value):
            parser.error("%s %r does not match %s" % (name.replace("_", "-"), value, pattern))
    return args


def main(argv: List[str] = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    targets = paths(args.type)
    existing = [str(path.relative_to(ROOT)) for path in targets.values() if path.exists()]
    if existing or (ROOT / "plugins" / "modules" / ("%s.py" % args.type)).exists():
        print("%s exists already (%s)" % (args.type, ", ".join(existing) or "its module"), file=sys.stderr)
        return 1
    filled = values(args)
    for template, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        source = TEMPLATES / ("%s.tmpl" % template)
        variant = TEMPLATES / ("%s_settings.%s.tmpl" % tuple(template.split(".", 1)))
        if args.settings and variant.exists():
            source = variant
        path.write_text(Template(source.read_text()).substitute(filled))
        print("wrote %s" % path.relative_to(ROOT))
    status = gen.main([])
    print(
        "\nNow replace every %s in:\n  %s" % (MARKER, "\n  ".join(str(p.relative_to(ROOT)) for p in targets.values()))
    )
    print("then run tools/gen_module_docs.py again, and add the type to the simulator (docs/contributing.md).")
    return status


if __name__ == "__main__":
    sys.exit(main())
