"""Issue 7, point 5: a hostile query runs nothing; links out cannot reach back.

The search page reads its query from the address (``?q=``), result pages
read ``?highlight=``, and every page may be opened with any ``#fragment``:
all three are attacker-controlled when someone sends a link. Opened with
markup, script and ``javascript:`` URLs there, a page must run none of it,
show the query as text, ask nothing of the network, and log no error (a
Content-Security-Policy report would mean markup got into the page).

Every link to another site carries ``rel="noopener noreferrer"``: ours
(macrohard_docs.site.links) and the theme's footer (docs/_templates/page.html).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from helpers import Watch, settle

PAYLOADS = [
    "<img src=x onerror=window.__pwned=1>",
    '"><script>window.__pwned=1</script>',
    "'><svg onload=window.__pwned=1>",
    "javascript:window.__pwned=1",
    # Markup around a real word: the one query here whose words are all in the
    # index, so that results, their summaries and their highlights are drawn.
    '"><u>Colossus</u>',
]
# Elements that only the payload, turned into markup, would create. (A link of the
# page's own scheme may carry it, percent-encoded, in its query or fragment: the
# language switcher keeps the reader's query and place, issue 27.)
INJECTED = """[...document.querySelectorAll("*")].filter((el) =>
  (el.tagName === "SCRIPT" && el.textContent.includes("__pwned"))
  || [...el.attributes].some((a) => a.name.startsWith("on") || (a.value.includes("__pwned")
     && !(a.name === "href" && new URL(a.value, location.href).protocol === location.protocol
          && !/[<>"' ]/.test(a.value))))
  || (el.tagName === "IMG" && el.getAttribute("src") === "x") || el.tagName === "U").map((el) => el.outerHTML)"""
REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)


@pytest.fixture
def visit(tabs):
    """visit(url) -> (page, watch): a fresh page, loaded; every request, dialog,
    console error, uncaught error and policy violation is a problem."""
    def opener(url: str):
        tab = tabs()
        tab.open(url)
        return tab.page, tab.watch

    return opener


def problems(page, watch: Watch) -> list[str]:
    return ([f"dialog: {m}" for m in watch.dialogs] + [f"console: {m}" for m in watch.console_errors]
            + [f"error: {e}" for e in watch.page_errors] + [f"request: {u}" for u in watch.remote(("file://",))]
            + watch.csp(page))


def assert_nothing_ran(page, watch: Watch) -> None:
    settle(page)  # let deferred scripts, handlers and failed images run
    assert page.evaluate("window.__pwned") is None, "the payload ran"
    assert page.evaluate(INJECTED) == [], "the payload became markup"
    assert problems(page, watch) == []


@pytest.mark.browser
def test_the_watch_sees_markup_that_got_in(visit, html_dir: Path) -> None:
    """The checks below can fail: markup put into a page is found, and its
    handler is stopped by the page's policy, which reports it."""
    page, _ = visit((html_dir / "search.html").as_uri())
    page.evaluate("(markup) => document.body.insertAdjacentHTML('beforeend', markup)", PAYLOADS[0])
    # The image fails, its handler is refused, and the policy says so.
    page.wait_for_function("() => window.__cspViolations.some(v => v.includes('script-src'))")
    settle(page)
    assert page.evaluate(INJECTED) == ['<img src="x" onerror="window.__pwned=1">']
    assert page.evaluate("window.__pwned") is None  # the policy held


@pytest.mark.browser
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("edition", ["", "fr/"], ids=["en", "fr"])
def test_hostile_query_runs_nothing_and_shows_as_text(visit, html_dir: Path, edition: str,
                                                      payload: str) -> None:
    search = (html_dir / edition / "search.html").as_uri()
    page, watch = visit(f"{search}?q={quote(payload)}#{quote(payload)}")
    page.wait_for_selector("#search-results p.search-summary:not(:empty)")  # the search has finished
    # The query is shown back as the search box's text, exactly as typed.
    values = page.eval_on_selector_all("input[name=q]", "inputs => inputs.map(i => i.value)")
    assert values and set(values) == {payload}
    assert_nothing_ran(page, watch)

    results = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    if "Colossus" in payload:
        assert results, "a query with a real word finds pages"
        # The result page highlights the query's words (handed over in localStorage).
        page, watch = visit(results[0])
        assert_nothing_ran(page, watch)
        assert page.locator("span.highlighted").count() > 0


@pytest.mark.browser
@pytest.mark.parametrize("name", ["index.html", "glossary.html", "article/colossus.html", "single/index.html"])
def test_hostile_fragment_and_highlight_run_nothing(tabs, html_dir: Path, name: str) -> None:
    tab = tabs()  # one page: each address (its query differs) loads a new document into it
    for payload in PAYLOADS:
        tab.open(f"{(html_dir / name).as_uri()}?highlight={quote(payload)}#{quote(payload)}")
        assert_nothing_ran(tab.page, tab.watch)


# --- Links to other sites ---------------------------------------------------------


def external_links(markup: str) -> list[tuple[str, set[str]]]:
    """(href, rel words) of every link to another site."""
    soup = BeautifulSoup(markup, "html.parser")
    return [(a["href"], set(a.get("rel") or [])) for a in soup.find_all("a", href=True) if REMOTE.match(a["href"])]


def test_every_link_out_of_the_site_has_noopener_noreferrer(html_dir: Path) -> None:
    documents = {p.relative_to(html_dir).as_posix(): p.read_text(encoding="utf-8")
                 for p in sorted(html_dir.rglob("*.html"))}
    for book in sorted(html_dir.rglob("_editions/*.epub")):
        with zipfile.ZipFile(book) as archive:
            documents |= {f"{book.name}!{name}": archive.read(name).decode("utf-8")
                          for name in archive.namelist() if name.endswith(".xhtml")}
    links = [(name, href, rel) for name, markup in documents.items() for href, rel in external_links(markup)]
    # Not vacuous: the footer of every page links to Sphinx and furo, in both languages.
    assert {name.split("/")[0] for name, _, _ in links} >= {"index.html", "fr", "single", "search.html"}
    bad = [f"{name}: {href} rel={sorted(rel)}" for name, href, rel in links if not {"noopener", "noreferrer"} <= rel]
    assert bad == []


def test_references_to_other_sites_get_rel_in_every_builder(make_app, tmp_path: Path) -> None:
    """macrohard_docs.site.links on a page of every kind of link, with the HTML, single-page and EPUB writers."""
    (tmp_path / "conf.py").write_text(
        'from macrohard_docs.site.links import setup_links\n\n'
        'extensions = ["myst_parser"]\nproject = "links"\n'
        'def setup(app):\n    setup_links(app)\n\n'
        'version = "1"\ncopyright = "nobody"\n', encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "# Links\n\n"
        "[a site](https://example.org/page) and <https://example.com/auto>, "
        "[plain http](http://example.edu/),\n"
        "[a page of ours](other.md), [a file of ours](data.csv), [an anchor](#links), "
        "[mail](mailto:someone@example.org).\n\n"
        "```{toctree}\nother\n```\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("# Other\n\n[back](index.md)\n", encoding="utf-8")
    (tmp_path / "data.csv").write_text("a\n", encoding="utf-8")
    expected = {"https://example.org/page", "https://example.com/auto", "http://example.edu/"}
    for builder, page in (("html", "index.html"), ("singlehtml", "index.html"), ("epub", "index.xhtml")):
        app = make_app(builder, srcdir=tmp_path, builddir=tmp_path / "_build" / builder, parallel=2)
        app.build()
        app.cleanup()  # the next app starts with docutils as it was
        soup = BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")
        with_rel = {a["href"] for a in soup.find_all("a", href=True) if {"noopener", "noreferrer"} <= set(a.get("rel") or [])}
        assert with_rel == expected, builder
        assert app.warning.getvalue() == "", app.warning.getvalue()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["article/colossus.html", "fr/article/colossus.html", "glossary.html"])
def test_highlighting_a_search_runs_without_error(visit, html_dir: Path, name: str) -> None:
    """Words that are also in the SVG icons' and charts' titles ("dark", "menu",
    "contents", "Colossus"): Sphinx highlights text, and skips those titles."""
    page, watch = visit(f"{(html_dir / name).as_uri()}?highlight=colossus+dark+menu+contents+gpus")
    assert_nothing_ran(page, watch)
    assert page.locator("span.highlighted").count() > 0
