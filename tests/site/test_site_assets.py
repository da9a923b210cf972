"""Code-block assets load where there is code, and nowhere else."""

from __future__ import annotations

import re

from helpers import page_soup

from macrohard_docs.site.pages import CODE_ONLY


def assets(page) -> set[str]:
    soup = page_soup(page)
    found = {tag.get("href") or tag.get("src") for tag in soup.select("link[rel=stylesheet], script[src]")}
    return {name.split("?")[0].rsplit("/", 1)[-1] for name in found if name}


def test_pages_load_code_assets_only_with_code(edition) -> None:
    with_code = edition.html_dir / "about.html"  # the "cite this" block, with copy buttons
    assert "pre" in with_code.read_text(encoding="utf-8")
    assert {"pygments.css", "copybutton.js"} <= assets(with_code)
    for name in ("article/colossus.html", "glossary.html", "search.html"):
        loaded = assets(edition.html_dir / name)
        assert "furo.css" in loaded, name  # the page's own styles are still there
        assert not loaded & set(CODE_ONLY), (name, loaded & set(CODE_ONLY))


def test_pages_describe_themselves(edition) -> None:
    """Each article page carries a meta description taken from its own text."""
    for page in ("index.html", "article/colossus.html", "glossary.html"):
        soup = edition.soup(page)
        [meta] = soup.select('meta[name="description"]')
        # Ordinary white space collapsed; French no-break spaces kept, as in the description.
        first = re.sub(r"[ \t\n\r\f\v]+", " ", soup.select_one("article p").get_text()).strip()
        assert 40 <= len(meta["content"]) <= 160
        assert first.startswith(meta["content"].rstrip("…")), (page, meta["content"])


def test_search_and_index_pages_describe_themselves(edition) -> None:
    """Sphinx's own pages have no text to quote: each gets its own sentence, in the edition's language."""
    descriptions = set()
    for page in ("search.html", "genindex.html"):
        soup = edition.soup(page)
        [meta] = soup.select('meta[name="description"]')
        assert 40 <= len(meta["content"]) <= 160, (page, meta["content"])
        assert "Macrohard" in meta["content"]
        descriptions.add(meta["content"])
    assert len(descriptions) == 2
    french = any("dossier sur Macrohard" in text for text in descriptions)
    assert french == (edition.language == "fr"), descriptions


def test_search_page_may_be_indexed(edition) -> None:
    """Lighthouse's SEO audit fails a page marked noindex (furo marks its search
    page so); ours drops the tag and keeps the rest of the head."""
    soup = edition.soup("search.html")
    assert soup.select('meta[name="robots"]') == []
    assert soup.select_one('meta[name="viewport"]') is not None
    assert soup.select("nav.edition-switcher a[lang]")


def test_a_site_without_an_address_has_no_sitemap_and_no_open_graph(site_dir, editions) -> None:
    """Built with no --base-url (the build the tests read), nothing can name a page
    in full: no sitemap, no canonical link, no Open Graph tag, no preview picture."""
    assert not list(site_dir.rglob("sitemap.xml"))
    for edition in editions:
        assert not list(edition.html_dir.glob("_static/preview*"))
        for page in ("index.html", "article/colossus.html"):
            soup = edition.soup(page)
            assert soup.select('meta[property^="og:"]') == [], page
            assert soup.select('link[rel="canonical"]') == [], page
            assert soup.select_one('meta[name="description"]')["content"], page


def test_our_scripts_and_style_sheets_reach_readers_without_comments(edition) -> None:
    """The package's static files are commented for maintainers, and so are Sphinx's own
    scripts; readers load them minified (publish/build.py: minify_static), the same code in
    fewer bytes. (That the minified scripts still work is what every browser test of the site shows.)"""
    from macrohard_docs import STATIC
    from macrohard_docs.publish.build import SPHINX_STATIC

    ours = [p for p in STATIC.iterdir() if p.suffix in (".js", ".css")]
    sphinx_scripts = list(SPHINX_STATIC.glob("*.js"))
    assert len(ours) >= 8 and {p.name for p in sphinx_scripts} >= {"doctools.js", "searchtools.js"}
    for source in ours + sphinx_scripts:
        built = edition.html_dir / "_static" / source.name
        text = built.read_text(encoding="utf-8")
        assert "/*" not in text and not re.search(r"^\s*//", text, re.MULTILINE), built
        assert not re.search(r"^\s{2,}\S", text, re.MULTILINE), f"{built}: still indented"
        assert len(text) < len(source.read_text(encoding="utf-8")), built
