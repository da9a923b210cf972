"""The package's three layers import one way: figures <- site <- publish."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "macrohard_docs"
ORDER = ["figures", "site", "publish"]


def imported_layers(path: Path) -> set[str]:
    """The layers a module imports, by relative or absolute import."""
    layer = path.parent.name
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 2 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.add(layer)
            elif node.module and node.module.startswith("macrohard_docs."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("macrohard_docs.")}
    return found & set(ORDER)


def test_every_module_sits_in_a_layer() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert loose == []


def test_layers_import_only_the_layers_before_them() -> None:
    wrong = []
    for rank, layer in enumerate(ORDER):
        allowed = set(ORDER[: rank + 1])
        for path in sorted((PACKAGE / layer).glob("*.py")):
            if bad := imported_layers(path) - allowed:
                wrong.append(f"{layer}/{path.name} imports {sorted(bad)}")
    assert wrong == []
