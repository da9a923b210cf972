"""The extension uses Sphinx, MyST and docutils through their API (issue 25).

Read from the source, not run: no module of src/ assigns to an attribute of
another package's module, class or object at run time (a patch), and none but
the private-API module names their private parts (``._x``, ``_x`` modules).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "macrohard_docs"
PRIVATE_API = PACKAGE / "figures" / "sphinx_private.py"
# Patches still allowed: none since issue 25 (an entry the code no longer needs fails below).
KNOWN_PATCHES: set[str] = set()
# Names with a leading underscore that their library documents as public.
DOCUMENTED_PUBLIC = {"os._exit"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix() if path.is_relative_to(PACKAGE) else path.name


def imported_names(tree: ast.AST) -> set[str]:
    """Names bound to another package's module or object by an import, anywhere in the module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                      if not alias.name.startswith("macrohard_docs")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and not node.module.startswith("macrohard_docs"):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def local_functions(tree: ast.AST) -> set[str]:
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def root(node: ast.expr) -> str | None:
    """The name an attribute chain starts from: `app` in app.builder.templates."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def dotted(node: ast.expr) -> str:
    return ast.unparse(node)


def patches(path: Path) -> list[str]:
    """Assignments that change another package's code or module at run time:

    * any attribute of a name an import bound (a module, a class, a function):
      ``base.make_document = ...``, ``setattr(errors, "handle_exception", ...)``;
    * a function put in place of an object's attribute: ``builder.build_content =
      build_content``, ``app.builder.templates.render = render_with_policy``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported, functions = imported_names(tree), local_functions(tree)
    found = []

    def check(target: ast.expr, value: ast.expr | None) -> None:
        if not isinstance(target, ast.Attribute) or root(target) in ("self", "cls"):
            return
        replaces_code = isinstance(value, ast.Lambda) or (isinstance(value, ast.Name) and value.id in functions)
        if root(target) in imported or replaces_code:
            found.append(f"{name(path)}: {dotted(target)}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for part in target.elts if isinstance(target, ast.Tuple) else [target]:
                    check(part, node.value)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            check(node.target, node.value)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                check(target, None)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("setattr", "delattr") and node.args \
                and root(node.args[0]) in imported:
            found.append(f"{name(path)}: {node.func.id}({dotted(node.args[0])}, ...)")
    return found


def private_names(path: Path) -> list[str]:
    """``x._name`` (not on self's own attributes), ``getattr(x, "_name")``, and
    imports of a ``_module`` or ``_name`` of another package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = {node.attr for node in ast.walk(tree)  # private attributes the module's classes set on themselves
           if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and root(node) == "self"}

    def private(word: str) -> bool:
        return word.startswith("_") and not word.startswith("__") and word != "_"  # "_": gettext

    # Names a loop takes from a literal: `for name in ("_mapping", ...): getattr(x, name)`.
    looped: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) \
                and isinstance(node.iter, ast.Tuple | ast.List | ast.Set):
            looped.setdefault(node.target.id, []).extend(
                item.value for item in node.iter.elts
                if isinstance(item, ast.Constant) and isinstance(item.value, str))

    def attribute_names(argument: ast.expr) -> list[str]:
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            return [argument.value]
        return looped.get(argument.id, []) if isinstance(argument, ast.Name) else []

    found = []
    for node in ast.walk(tree):
        where = f"{name(path)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and private(node.attr) \
                and not (root(node) == "self" and node.attr in own) and dotted(node) not in DOCUMENTED_PUBLIC:
            found.append(f"{where}: {dotted(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("getattr", "setattr", "hasattr", "delattr") and len(node.args) > 1:
            found += [f"{where}: {node.func.id}(..., {word!r})"
                      for word in attribute_names(node.args[1]) if private(word)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and not node.module.startswith("macrohard_docs"):
            parts = [*node.module.split("."), *(alias.name for alias in node.names)]
            if any(private(part) for part in parts):
                found.append(f"{where}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            found += [f"{where}: import {alias.name}" for alias in node.names
                      if any(private(part) for part in alias.name.split("."))]
    return found


def test_no_module_patches_another_package() -> None:
    found = {patch for path in modules() for patch in patches(path)}
    assert sorted(found - KNOWN_PATCHES) == []
    assert sorted(KNOWN_PATCHES - found) == [], "patch gone: take it off KNOWN_PATCHES"


def test_private_names_only_in_the_private_api_module() -> None:
    found = [use for path in modules() if path != PRIVATE_API for use in private_names(path)]
    assert found == []


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """Each form a patch or a private name takes today or took before issue 25."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from myst_parser.mdit_to_docutils import base\n"
        "from sphinx.builders.html import _assets\n"
        "def build_content(): pass\n"
        "def render_with_policy(*args): pass\n"
        "def setup(app, builder):\n"
        "    base.make_document = lambda: None\n"
        "    builder.build_content = build_content\n"
        "    app.builder.templates.render = render_with_policy\n"
        "    setattr(base, 'make_document', None)\n"
        "    app.builder.indexer._mapping.clear()\n"
        "    getattr(app.builder.indexer, '_title_mapping')\n"
        "    for name in ('_mapping', 'titles'):\n"
        "        getattr(app.builder.indexer, name, None)\n"
        "    config.html_static_path = [*config.html_static_path, 'x']\n"
        "    config.edition_epoch = epoch(config)\n",
        encoding="utf-8")
    assert sorted(patches(sample)) == [
        "sample.py: app.builder.templates.render", "sample.py: base.make_document",
        "sample.py: builder.build_content", "sample.py: setattr(base, ...)"]
    assert sorted(private_names(sample)) == [
        "sample.py:10: app.builder.indexer._mapping",
        "sample.py:11: getattr(..., '_title_mapping')",
        "sample.py:13: getattr(..., '_mapping')",
        "sample.py:2: from sphinx.builders.html import ..."]
