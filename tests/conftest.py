"""Shared fixtures.

`site_dir` is the built site that readers get: the one `nox -s tests` builds
(SITE_DIR=docs/_build), or, when pytest runs on its own, a fresh strict build
into a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output root: html/ (and later the other formats) below it."""
    if os.environ.get("SITE_DIR"):
        out = Path(os.environ["SITE_DIR"])
        if not out.is_absolute():
            out = ROOT / out
        assert (out / "html" / "index.html").is_file(), f"no built site in {out}"
        return out
    from macrohard_docs.build import build

    out = tmp_path_factory.mktemp("site")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        assert build(out, jobs="1") == 0, "the strict site build failed"
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="session")
def html_dir(site_dir: Path) -> Path:
    return site_dir / "html"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Tiny Sphinx projects for `@pytest.mark.sphinx(testroot=...)`."""
    return ROOT / "tests" / "roots"
