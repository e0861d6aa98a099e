"""Data flows one way: each step of the chain may import only steps before it (or itself).

The chain is the README's design section:
errors -> units/fileio -> physics -> schema -> plant -> carbon -> economics -> report -> api -> cli.
Imports under ``if TYPE_CHECKING:`` count too: a type that names a later step is a back-arrow in the
design even when it costs nothing at run time. A new top-level module must be placed in ``LAYER``
before it can be imported at all, so that its position in the chain is a decision, not an accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "steelworks"

#: position of each top-level module or package of ``steelworks`` in the chain
LAYER = {
    "errors": 0,
    "units": 1,
    "fileio": 1,
    "physics": 2,
    "schema": 3,
    "plant": 4,
    "carbon": 5,
    "results": 6,
    "sourcing": 6.5,  # issue 11: sources, logistics, ore blend; physics, schema, plant below it
    "economics": 7,
    "planning": 7.5,  # the revival planner: reads economics, plant, schema; report/api/cli may import it
    "report": 8,
    "batch": 9,
    "store": 9.2,  # the DuckDB results store: writes and reads what it is given, computes nothing
    "risk": 9.5,  # the risk engine: distributions, designs, the batched chain per chunk, Dask; above batch
    "api": 10,
    "app": 10.5,  # issue 13: the Dash dashboard; calls api, report, planning; only cli imports it
    "cli": 11,
    "__main__": 12,
    "__init__": 12,
}


def _top(module_path: Path) -> str:
    rel = module_path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level steelworks module) of every import in a file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package_parts = list(path.relative_to(PACKAGE).parent.parts)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "steelworks" and len(parts) > 1:
                    found.append((node.lineno, parts[1]))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                parts = [*base, *(node.module.split(".") if node.module else [])]
                if parts:
                    found.append((node.lineno, parts[0]))
                else:  # "from . import x" at the package root
                    found.extend((node.lineno, a.name) for a in node.names)
            elif node.module and node.module.split(".")[0] == "steelworks":
                parts = node.module.split(".")
                if len(parts) > 1:
                    found.append((node.lineno, parts[1]))
                else:
                    found.extend((node.lineno, a.name) for a in node.names)
    return found


def _violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _top(path)
        if here not in LAYER:
            out.append(f"{path.relative_to(PACKAGE)}: module '{here}' has no place in the chain (add it to LAYER)")
            continue
        for line, target in _imports(path):
            if target == here:
                continue
            if target not in LAYER:
                out.append(f"{path.relative_to(PACKAGE)}:{line} imports '{target}', which has no place in the chain")
            elif LAYER[target] >= LAYER[here]:
                out.append(
                    f"{path.relative_to(PACKAGE)}:{line}: '{here}' (step {LAYER[here]}) imports '{target}' "
                    f"(step {LAYER[target]}), which is not before it"
                )
    return out


def test_no_module_imports_against_the_chain() -> None:
    problems = _violations()
    assert not problems, "imports against the chain:\n" + "\n".join(problems)


def test_the_checker_sees_a_back_arrow(tmp_path: Path) -> None:
    """The walker is not vacuous: it finds the package's own imports and flags a planted back-arrow."""
    imports = dict.fromkeys(t for _, t in _imports(PACKAGE / "plant" / "build.py"))
    assert {"errors", "physics", "schema", "units"} <= set(imports)
    planted = PACKAGE / "physics" / "_planted_back_arrow_test.py"
    planted.write_text("from steelworks.economics import evaluate  # planted by the test\n", encoding="utf-8")
    try:
        problems = _violations()
    finally:
        planted.unlink()
    assert any("_planted_back_arrow_test.py:1: 'physics'" in p for p in problems), problems


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from steelworks.plant.build import Plant\n", ["plant"]),
        ("import steelworks.carbon\n", ["carbon"]),
        ("from steelworks import api\n", ["api"]),
        ("from ..schema.loader import x\n", ["schema"]),
    ],
)
def test_import_forms_are_recognised(tmp_path: Path, source: str, expected: list[str]) -> None:
    path = PACKAGE / "report" / "_import_form_probe_test.py"
    path.write_text(source, encoding="utf-8")
    try:
        assert [t for _, t in _imports(path)] == expected
    finally:
        path.unlink()
