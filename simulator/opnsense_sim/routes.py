"""The route table as documentation: every simulated endpoint, from the controllers themselves.

    python -m opnsense_sim.routes --markdown        # print the endpoint list
    python -m opnsense_sim.routes --write-readme    # refresh simulator/README.md between its markers

The README's endpoint section is generated here so it cannot drift from the code; a test compares
the two.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

from .app import _action_table
from .services import catalogue

BEGIN = "<!-- BEGIN GENERATED ROUTES (python -m opnsense_sim.routes --write-readme) -->"
END = "<!-- END GENERATED ROUTES -->"
README = Path(__file__).resolve().parent.parent / "README.md"


def snake(name: str) -> str:
    """CamelCase -> snake_case, the spelling of core ACL patterns (generic.md 1)."""
    # An upper-case letter before a capitalised word starts a word of its own: DNat -> d_nat.
    name = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", name)
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _params(fn) -> str:
    out = ""
    for p in list(inspect.signature(fn).parameters.values())[1:]:
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            break  # surplus segments are accepted by every action anyway
        if p.default is inspect.Parameter.empty:
            out += f"/<{p.name}>"
        else:
            out += f"[/<{p.name}>]"
    return out


def endpoints() -> list[tuple[str, list[tuple[str, str]], str, bool]]:
    """(base URL, [(action, parameters)], module, catch_all) per controller, sorted by URL."""
    rows = []
    for cls in catalogue.controllers():
        base = f"/api/{cls.namespace.lower()}/{snake(cls.name)}/"
        actions = sorted((snake(name), _params(fn)) for fn, _, _, name in _action_table(cls).values())
        rows.append((base, actions, cls.__module__, bool(cls.catch_all)))
    return sorted(rows)


def markdown() -> str:
    lines = [
        "Paths are shown in snake_case (the form narrow-privilege ACLs need); the router also accepts",
        "camelCase and lower-case action names. `<x>` is a required path parameter, `[/<x>]` optional.",
        "",
        "| controller | actions |",
        "| --- | --- |",
    ]
    for base, actions, _module, catch_all in endpoints():
        cells = ", ".join(f"`{name}{params}`" for name, params in actions)
        if catch_all:
            cells += " (any other action: empty 200)"
        lines.append(f"| `{base}` | {cells} |")
    return "\n".join(lines) + "\n"


def readme_section(text: str) -> str | None:
    if BEGIN not in text or END not in text:
        return None
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip("\n") + "\n"


def write_readme(path: Path = README) -> bool:
    """Replaces the generated section; returns whether the file changed."""
    text = path.read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{path}: markers {BEGIN!r} and {END!r} not found")
    new = text[: text.index(BEGIN) + len(BEGIN)] + "\n" + markdown() + text[text.index(END) :]
    if new != text:
        path.write_text(new)
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m opnsense_sim.routes", description=__doc__.splitlines()[0])
    p.add_argument("--markdown", action="store_true", help="print the endpoint table as Markdown")
    p.add_argument("--write-readme", action="store_true", help=f"refresh the generated section of {README}")
    args = p.parse_args(argv)
    if args.write_readme:
        print(f"{README}: {'updated' if write_readme() else 'already up to date'}")
    else:
        sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
