"""Module files must be in step with their specs (tools/gen_module_docs.py renders them)."""

from __future__ import annotations

import ast
import importlib.util
import os

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_module_docs", os.path.join(ROOT, "tools", "gen_module_docs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_files_are_up_to_date():
    gen = load_generator()
    stale = [str(path.relative_to(gen.ROOT)) for path, content in gen.outdated()]
    assert stale == [], "run: python tools/gen_module_docs.py (out of date: %s)" % ", ".join(stale)


def test_module_docs_match_the_argument_spec():
    gen = load_generator()
    from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import resource_argspec
    from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

    for name, spec in REGISTRY.items():
        with open(os.path.join(ROOT, "plugins", "modules", name + ".py")) as handle:
            tree = ast.parse(handle.read())
        docs = dict(
            (node.targets[0].id, node.value.value)
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        options = yaml.safe_load(docs["DOCUMENTATION"])["options"]
        argspec = resource_argspec(spec)
        own = set(argspec) - set(gen._argspec.connection_argspec())
        assert set(options) == own, name
        for option, doc in options.items():
            assert doc["type"] == argspec[option]["type"], (name, option)
            assert doc.get("default") == argspec[option].get("default"), (name, option)
            assert doc.get("choices") == argspec[option].get("choices"), (name, option)
        examples = yaml.safe_load(docs["EXAMPLES"])
        assert examples and all("name" in task for task in examples), name
        assert any("opnform.opnsense.%s" % name in task for task in examples), name
        assert yaml.safe_load(docs["RETURN"])["resource"]["type"] == "dict"


def test_examples_only_use_documented_options():
    from ansible_collections.opnform.opnsense.plugins.module_utils._argspec import resource_argspec
    from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

    for name, spec in REGISTRY.items():
        with open(os.path.join(ROOT, "tools", "module_examples", name + ".yml")) as handle:
            tasks = yaml.safe_load(handle)
        argspec = resource_argspec(spec)
        allowed = set(argspec) | set(a for o in argspec.values() for a in o.get("aliases", []))
        for task in tasks:
            args = task.get("opnform.opnsense.%s" % name)
            if isinstance(args, dict):
                assert set(args) <= allowed, (name, set(args) - allowed)


def test_examples_run_after_the_examples_they_refer_to():
    gen = load_generator()
    specs = gen.load_specs()
    order = gen.example_order(specs)
    assert order[0] == "system_info" and order[-1] == "reload" and sorted(order[1:-1]) == sorted(specs)
    for name, dependencies in gen.example_dependencies(specs).items():
        for dependency in dependencies:
            assert dependency == name or order.index(dependency) < order.index(name), (name, dependency)
    assert "haproxy_server" in gen.example_dependencies(specs)["haproxy_backend"]
