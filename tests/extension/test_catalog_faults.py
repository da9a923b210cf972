"""Issue 14, item 6: a translation never fails silently.

On the tiny bilingual project: a catalog in the wrong encoding or declaring
another charset names its .po and line; a page of the French edition with no
catalog stops the build; a .mo left without its .po is refused; compiling
writes the .mo whole or not at all, never a 0-byte file among the sources.
"""

from __future__ import annotations

import itertools
import shutil
from io import StringIO
from pathlib import Path

import pytest
import sphinx.locale
from helpers import ROOTS
from sphinx.testing.util import SphinxTestApp

from macrohard_docs.site.catalogs import CatalogError

BILINGUAL = ROOTS / "test-i18n"
MESSAGES = Path("locales") / "fr" / "LC_MESSAGES"
PAGE_PO = MESSAGES / "article" / "page.po"
_serial = itertools.count()


def copy(tmp_path: Path) -> Path:
    srcdir = tmp_path / f"src-{next(_serial)}"
    shutil.copytree(BILINGUAL, srcdir)
    return srcdir


def build(srcdir: Path, **overrides: object) -> SphinxTestApp:
    sphinx.locale.translators.clear()
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO(),
                        confoverrides={"language": "fr", **overrides})
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def fails(srcdir: Path, **overrides: object) -> str:
    with pytest.raises(CatalogError) as caught:
        build(srcdir, **overrides)
    message = str(caught.value)
    assert "\n" not in message and ". Fix: " in message
    return message


def test_a_catalog_saved_as_latin1_names_its_line(tmp_path: Path) -> None:
    srcdir = copy(tmp_path)
    po = srcdir / PAGE_PO
    text = po.read_text(encoding="utf-8")
    po.write_bytes(text.encode("latin-1", errors="replace"))
    first_accent = next(n for n, line in enumerate(text.splitlines(), 1) if any(ord(c) > 127 for c in line))
    message = fails(srcdir)
    assert message.startswith(f"{po}:{first_accent}: the catalog is not UTF-8 text")


def test_a_charset_header_that_does_not_match_names_its_line(tmp_path: Path) -> None:
    srcdir = copy(tmp_path)
    po = srcdir / PAGE_PO
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("charset=UTF-8", "charset=ASCII", 1), encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "charset=" in l)
    message = fails(srcdir)
    assert message.startswith(f"{po}:{line}: the catalog declares charset=ASCII")
    assert [m for m in (srcdir / MESSAGES).rglob("*.mo") if m.stat().st_size == 0] == []


def test_a_page_without_a_catalog_stops_the_french_edition(tmp_path: Path) -> None:
    srcdir = copy(tmp_path)
    (srcdir / PAGE_PO).unlink()
    message = fails(srcdir, catalogs_required=True)
    assert message.startswith(f"{srcdir / 'article' / 'page.md'}: the 'fr' edition has no catalog")
    assert "nox -s translation" in message


def test_every_page_with_a_catalog_passes_the_requirement(tmp_path: Path) -> None:
    srcdir = copy(tmp_path)
    (srcdir / MESSAGES / "index.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    app = build(srcdir, catalogs_required=True)
    assert "La page" in (app.outdir / "article" / "page.html").read_text(encoding="utf-8")


def test_a_stale_mo_without_its_po_is_refused(tmp_path: Path) -> None:
    srcdir = copy(tmp_path)
    build(srcdir)  # compiles article/page.mo
    mo = srcdir / PAGE_PO.with_suffix(".mo")
    assert mo.stat().st_size > 0
    (srcdir / PAGE_PO).unlink()
    message = fails(srcdir)
    assert message.startswith(f"{mo}: a compiled catalog with no page.po beside it")


def test_compiling_leaves_whole_mo_files_and_no_temporary_ones(tmp_path: Path) -> None:
    srcdir = copy(tmp_path)
    app = build(srcdir)
    assert "La page" in (app.outdir / "article" / "page.html").read_text(encoding="utf-8")
    compiled = sorted((srcdir / MESSAGES).rglob("*.mo"))
    assert {m.relative_to(srcdir / MESSAGES).as_posix() for m in compiled} == {"article/page.mo", "glossary.mo"}
    assert all(m.stat().st_size > 0 for m in compiled)
    assert not list((srcdir / MESSAGES).rglob("*.tmp"))
