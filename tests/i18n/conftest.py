"""Fixtures for the French-edition tests: a tiny bilingual Sphinx project."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import sphinx.locale
from helpers import ROOTS
from sphinx.testing.util import SphinxTestApp

_serial = itertools.count()


def _build(base: Path, language: str, builder: str = "html",
           edit: Callable[[Path], None] | None = None, parallel: int = 0,
           **overrides: Any) -> SphinxTestApp:
    srcdir = base / f"src-{language}-{builder}-{next(_serial)}"
    shutil.copytree(ROOTS / "test-i18n", srcdir)
    if edit:
        edit(srcdir)
    sphinx.locale.translators.clear()  # each app starts from its own language
    app = SphinxTestApp(builder, srcdir=srcdir, status=StringIO(), warning=StringIO(),
                        parallel=parallel, confoverrides={"language": language, **overrides})
    try:
        app.build()
    finally:
        app.cleanup()
    return app


@pytest.fixture
def tiny(tmp_path: Path) -> Callable[..., SphinxTestApp]:
    """Build a fresh copy of tests/roots/test-i18n: ``tiny("fr", edit=...)``.

    `edit` gets the copy's folder before the build, to change a catalog or a page.
    Returns the built app; its warnings are in ``app.warning.getvalue()``.
    """
    return lambda language="fr", **kwargs: _build(tmp_path, language, **kwargs)


@pytest.fixture(scope="module")
def tiny_fr(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """The tiny project built once in French, shared by a module's read-only tests."""
    yield _build(tmp_path_factory.mktemp("tiny"), "fr")


@pytest.fixture(scope="module")
def tiny_en(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    yield _build(tmp_path_factory.mktemp("tiny"), "en")
