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


def imported_modules(path: Path) -> set[str]:
    """The package's modules a module imports, as "layer/name", wherever the import
    is written (in a function, under TYPE_CHECKING): a circle is one in any of them."""
    layer, found = path.parent.name, set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or node.level not in (1, 2):
            continue
        parts = node.module.split(".") if node.module else []
        if node.level == 2:  # from ..site.x import y: the layer is the module's first part
            if not parts:
                continue
            layer_of, parts = parts[0], parts[1:]
        else:
            layer_of = layer
        names = parts[:1] or [alias.name for alias in node.names]
        found |= {f"{layer_of}/{name}" for name in names if (PACKAGE / layer_of / f"{name}.py").is_file()}
    return found


def test_no_import_circle() -> None:
    graph = {f"{p.parent.name}/{p.stem}": imported_modules(p) for layer in ORDER
             for p in sorted((PACKAGE / layer).glob("*.py"))}
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for other in sorted(graph.get(module, ())):
            if other == path[0]:
                circles.append(" -> ".join([*path, other]))
            elif other not in path and other > path[0]:  # each circle once, from its least module
                visit(other, [*path, other])

    for module in graph:
        visit(module, [module])
    assert circles == []
