"""The build's input stamp: what makes a build with nothing new skip its work."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

from helpers import ROOT

from macrohard_docs.publish import stamp

OPTIONS = {"pdf": "auto", "base_url": ""}


def copy_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("_build", "*.mo"))
    return docs


def test_same_inputs_give_the_same_digest(tmp_path: Path) -> None:
    docs = copy_docs(tmp_path)
    assert stamp.digest(docs, OPTIONS, {}) == stamp.digest(docs, dict(OPTIONS), {})


def test_every_kind_of_input_changes_the_digest(tmp_path: Path) -> None:
    docs = copy_docs(tmp_path)
    before = stamp.digest(docs, OPTIONS, {})
    changed = {
        "an option": stamp.digest(docs, {**OPTIONS, "pdf": "off"}, {}),
        "an environment variable": stamp.digest(docs, OPTIONS, {"SOURCE_DATE_EPOCH": "1"}),
    }
    page = docs / "source" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed["a page"] = stamp.digest(docs, OPTIONS, {})
    catalog = next((docs / "locales").rglob("*.po"))
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed["a catalog"] = stamp.digest(docs, OPTIONS, {})
    (docs / "source" / "new.md").write_text("# New\n", encoding="utf-8")
    changed["a new page"] = stamp.digest(docs, OPTIONS, {})
    assert [what for what, value in changed.items() if value == before] == []
    # Each change moved the digest on from the one before it, and undoing one moves it back.
    steps = list(changed.values())[2:]
    assert all(a != b for a, b in itertools.pairwise(steps))
    (docs / "source" / "new.md").unlink()
    assert stamp.digest(docs, OPTIONS, {}) == changed["a catalog"]


def test_build_products_among_the_sources_do_not_count(tmp_path: Path) -> None:
    docs = copy_docs(tmp_path)
    before = stamp.digest(docs, OPTIONS, {})
    (docs / "_build").mkdir()
    (docs / "_build" / "page.html").write_text("<p>built</p>", encoding="utf-8")
    compiled = next((docs / "locales").rglob("*.po")).with_suffix(".mo")
    compiled.write_bytes(b"compiled")
    assert stamp.digest(docs, OPTIONS, {}) == before


def test_a_stamp_is_current_only_with_its_site_in_place(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "html").mkdir(parents=True)
    assert not stamp.is_current(out, ["html"], "abc")
    stamp.record(out, "abc")
    assert not stamp.is_current(out, ["html"], "abc")  # no site published yet
    (out / "html" / "index.html").write_text("<p>site</p>", encoding="utf-8")
    assert stamp.is_current(out, ["html"], "abc")
    assert not stamp.is_current(out, ["html"], "abd")
    stamp.forget(out)
    assert not stamp.is_current(out, ["html"], "abc")
