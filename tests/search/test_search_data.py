"""The data files behind the search layer follow the pages after an incremental
rebuild, as Sphinx's own index does. (Parallel builds: tests/test_build.py
compares every file of a -j 1 and a -j 2 build, these data files included.)"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import ROOT

from macrohard_docs.publish.build import Edition, Settings, build

# Each test builds the English site of its own (twice).
pytestmark = pytest.mark.proof

EN = [Edition("html", "en", "html")]


def read_global(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1:text.rindex(";")])


def run(out: Path, docs: Path, jobs: str) -> Path:
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        assert build(Settings(out, docs=docs, jobs=jobs, offline=False, editions=tuple(EN))) == 0
    finally:
        os.chdir(cwd)
    return out / "html" / "_static"


def test_an_edited_page_gets_a_new_snippet_text(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("_build"))
    out = tmp_path / "out"
    before = read_global(run(out, docs, "1") / "snippets.js")
    page = docs / "source" / "article" / "money.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added for the rebuild.\n",
                    encoding="utf-8")
    after = read_global(run(out, docs, "1") / "snippets.js")
    assert "A sentence added for the rebuild." not in before["article/money"]["t"]
    assert after["article/money"]["t"].endswith("A sentence added for the rebuild.")
    assert after["article/colossus"] == before["article/colossus"]
