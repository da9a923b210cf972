"""The build command: strict, and never leaves a broken site.

(A failed build keeps the last good site: tests/proof/test_bad_input.py; a
parallel build gives the same HTML: tests/proof/test_parallel_build.py.)"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from helpers import ROOT, copy_docs, edit, run_build


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A private copy of the real docs/ folder to break."""
    return copy_docs(tmp_path / "docs")


def test_unknown_figure_in_a_page_fails_with_its_location(docs: Path, tmp_path: Path) -> None:
    page = docs / "source" / "article" / "colossus.md"
    edit(page, "{fig}`colossus-power`", "{fig}`colossus-powr`")
    result = run_build(ROOT, tmp_path / "out", "--jobs", "1", "--html-only", docs=docs)
    assert result.returncode != 0
    assert f"{page}:" in result.stderr
    assert "unknown figure id 'colossus-powr' (did you mean 'colossus-power'?)" in result.stderr
    assert not (tmp_path / "out" / "html").exists()


def test_the_french_edition_has_only_french_catalogs(fr_html_dir: Path) -> None:
    """Sphinx keeps the catalogs it loads for the life of its process: the French edition,
    built after the English one in the same process, named its module index in English in
    its inventory. Each language now has a process of its own (issue 25)."""
    header, body = (fr_html_dir / "objects.inv").read_bytes().split(b"compressed using zlib.\n", 1)
    inventory = zlib.decompress(body).decode("utf-8")
    assert "Index des modules Python" in inventory and "Python Module Index" not in inventory
