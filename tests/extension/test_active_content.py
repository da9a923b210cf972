"""Issue 14, item 1: content can never bring its own script.

A raw <script>, an inline event handler or a javascript: URL, in a page or in
a translation, stops every builder (HTML, single page, EPUB) with an error
naming the page or the .po file and the line. (A Markdown link to a
javascript: URL never becomes a link: MyST's parser refuses that scheme.)
And the policy hashes only the
inline scripts the site ships: one that slipped into a page would not run.
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

from macrohard_docs.site.allowlist import leaves_the_site, refused_html, refused_meta
from macrohard_docs.site.csp import ActiveContentError, active_html, active_url, content_security_policy, sha256

BILINGUAL = ROOTS / "test-i18n"
PAGE = Path("article") / "page.md"
CATALOG = Path("locales") / "fr" / "LC_MESSAGES" / "article" / "page.po"
ENGLISH = "The machine has {fig}`gpus` and needs {fig}`power`; it cost {fig}`cost`."
FRENCH = "La machine compte {fig}`gpus` et demande {fig}`power` ; elle a coûté {fig}`cost`."
_serial = itertools.count()


def build(tmp_path: Path, language: str, builder: str, page: tuple[str, str] | None = None,
          msgstr: tuple[str, str] | None = None) -> tuple[Path, str]:
    """Build a copy of the tiny bilingual project with one text replaced; return (srcdir, error)."""
    srcdir = tmp_path / f"src-{next(_serial)}"
    shutil.copytree(BILINGUAL, srcdir)
    for relative, change in ((PAGE, page), (CATALOG, msgstr)):
        if change:
            text = (srcdir / relative).read_text(encoding="utf-8")
            assert change[0] in text
            (srcdir / relative).write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    sphinx.locale.translators.clear()
    app = SphinxTestApp(builder, srcdir=srcdir, status=StringIO(), warning=StringIO(),
                        confoverrides={"language": language})
    try:
        with pytest.raises(ActiveContentError) as caught:
            app.build()
    finally:
        app.cleanup()
    return srcdir, str(caught.value)


def line_in(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


@pytest.mark.parametrize("builder", ["html", "singlehtml", "epub"])
@pytest.mark.parametrize(("inserted", "says"), [
    ("<script>alert(1)</script>", "a <script> element"),
    ('<img src="x.png" alt="" onerror="alert(1)">', "an inline event handler (onerror=)"),
    ('<a href="java&#x09;script:alert(1)">here</a>', "a javascript: URL"),
])
def test_a_page_with_active_html_stops_the_build(tmp_path: Path, builder: str, inserted: str,
                                                 says: str) -> None:
    srcdir, error = build(tmp_path, "en", builder, page=(ENGLISH, f"{ENGLISH} {inserted}"))
    page = srcdir / PAGE
    assert error.startswith(f"{page}:{line_in(page, inserted)}: {says} in the page. Fix: "), error


@pytest.mark.parametrize("builder", ["html", "singlehtml", "epub"])
@pytest.mark.parametrize(("inserted", "says"), [
    ("<script>alert(1)</script>", "a <script> element"),
    ("<b onmouseover='alert(1)'>là</b>", "an inline event handler (onmouseover=)"),
])
def test_a_msgstr_with_active_html_names_the_po_line(tmp_path: Path, builder: str, inserted: str,
                                                     says: str) -> None:
    srcdir, error = build(tmp_path, "fr", builder, msgstr=(FRENCH, f"{FRENCH} {inserted}"))
    catalog = srcdir / CATALOG
    assert error.startswith(f"{catalog}:{line_in(catalog, inserted)}: {says} in the page. Fix: "), error


def test_plain_text_about_scripts_is_not_refused() -> None:
    assert active_html("<kbd>on</kbd> <span class=\"onion\">onclick is an attribute</span>") is None
    assert active_html("<abbr title=\"JavaScript\">JS</abbr>") is None
    assert not active_url("https://example.org/javascript:")
    assert active_url(" JaVaScRiPt:alert(1)") and active_url("&#106;avascript:x")


def test_the_policy_hashes_only_known_scripts() -> None:
    page = "<script>known()</script><p><script>injected()</script></p>"
    policy = content_security_policy(page, frozenset({"known()"}))
    assert sha256("known()") in policy
    assert sha256("injected()") not in policy


# --- Issue 26: raw HTML through the allow-list; files inside the project -----------------


@pytest.mark.parametrize(("inserted", "says"), [
    ('<meta http-equiv="refresh" content="1; url=https://example.com/">', "the element <meta>"),
    ('<iframe src="https://example.com/"></iframe>', "the element <iframe>"),
    ('<form action="https://example.com/"><button>go</button></form>', "the element <form>"),
    ('<span style="background: url(https://example.com/x.png)">x</span>', "a style= attribute on <span>"),
    ('<a href="page.html" ping="https://example.com/">x</a>', "a ping= attribute on <a>"),
    ('<a href="https://example.com/">x</a>', "a raw link out of the site (https://example.com/)"),
    ('<a href="//example.com/">x</a>', "a raw link out of the site (//example.com/)"),
])
def test_raw_html_off_the_allow_list_stops_the_build(tmp_path: Path, inserted: str, says: str) -> None:
    srcdir, error = build(tmp_path, "en", "html", page=(ENGLISH, f"{ENGLISH} {inserted}"))
    page = srcdir / PAGE
    assert error.startswith(f"{page}:{line_in(page, inserted)}: {says} in the page. Fix: "), error


def test_a_msgstr_with_a_refresh_names_the_po_line(tmp_path: Path) -> None:
    inserted = '<meta http-equiv="refresh" content="0; url=https://example.com/">'
    srcdir, error = build(tmp_path, "fr", "html", msgstr=(FRENCH, f"{FRENCH} {inserted}".replace('"', '\\"')))
    catalog = srcdir / CATALOG
    assert error.startswith(f"{catalog}:{line_in(catalog, 'http-equiv')}: the element <meta> in the page. "), error


def test_front_matter_meta_may_only_describe_the_page(tmp_path: Path) -> None:
    front = '---\nmyst:\n  html_meta:\n    "http-equiv=refresh": "1; url=https://example.com/"\n---\n# The page'
    srcdir, error = build(tmp_path, "en", "html", page=("# The page", front))
    assert error.startswith(f"{srcdir / PAGE}:4: a <meta http-equiv=...> in the page. Fix: remove it"), error


@pytest.mark.parametrize(("block", "says"), [
    ("```{literalinclude} ../../../../../../../../../../etc/passwd\n```", "a file outside the project (/etc/passwd)"),
    ("```{include} ../../../../../../../../../../etc/hostname\n```", "a file outside the project (/etc/hostname)"),
    ("```{raw} html\n:file: ../../../../../../../../../../etc/hostname\n```", "a file outside the project"),
    ("![chart](https://example.com/chart.png)", "a file from another site (https://example.com/chart.png)"),
    ("```{csv-table} Rows\n:file: ../../../../../../../../../../etc/hostname\n```", "a file outside the project"),
    ("Get {download}`this <../../../../../../../../../../etc/hostname>`.", "a file outside the project"),
])
def test_a_file_outside_the_project_is_refused(tmp_path: Path, block: str, says: str) -> None:
    srcdir, error = build(tmp_path, "en", "html", page=(ENGLISH, f"{ENGLISH}\n\n{block}\n"))
    page = srcdir / PAGE
    line = line_in(page, block.splitlines()[0])
    assert error.startswith((f"{page}:{line}: {says}", f"{page}:{line + 1}: {says}")), error  # or its :file:
    assert "Fix: keep the file inside the docs/ folder" in error


def test_allowed_markup_and_files_inside_pass() -> None:
    assert refused_html('<abbr title="graphics processing unit">GPU</abbr> <a href="../glossary.html#x">'
                        '<em lang="fr">là</em></a> <span class="onion">on</span><br/>') is None
    assert refused_html("<!-- a comment --><table><tr><td colspan=\"2\">x</td></tr></table>") is None
    assert refused_meta({"name": "description", "content": "x"}) is None
    assert refused_meta({"http-equiv": "refresh", "content": "0"}) is not None
    assert refused_meta({"name": "referrer", "content": "x"}) is not None
    for url in ("https://x", " https://x", "java\tscript:x", "/etc/passwd", "\\\\host\\x", "&#x68;ttps://x"):
        assert leaves_the_site(url), url
    assert not leaves_the_site("../glossary.html#entry") and not leaves_the_site("#top")
