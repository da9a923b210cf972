"""A build told where the site will be served (--base-url), through the real
build command: what crawlers and link previews read. One sitemap at the
site's address listing the pages of both editions, each
page's canonical address (Sphinx's html_baseurl) and hreflang alternates,
and its Open Graph tags (sphinxext-opengraph). The HTML editions alone:
nothing here depends on the offline formats.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, checkout, differences, run_build, snapshot

BASE = "https://example.org/dossier/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
EDITIONS = runpy.run_path(str(ROOT / "docs" / "conf.py"))["site_editions"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A checkout built with the site's address: (the project, its html/ folder)."""
    project = checkout(tmp_path_factory.mktemp("address") / "project")
    out = project.parent / "out"
    run = run_build(project, out, "--html-only", "--base-url", BASE)
    assert run.returncode == 0, run.stderr
    return project, out / "html"


def sitemap_addresses(html: Path) -> list[str]:
    urlset = ElementTree.parse(html / "sitemap.xml").getroot()
    assert urlset.tag == f"{SITEMAP}urlset"
    return [url.findtext(f"{SITEMAP}loc") for url in urlset]


def site_pages(html: Path) -> list[str]:
    """Every page of every edition, by its path below html/, but the search form."""
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not any(part.startswith("_") for part in p.relative_to(html).parts)
                  and p.name != "search.html")


def test_one_sitemap_lists_every_page_of_both_editions(served: tuple[Path, Path]) -> None:
    _project, html = served
    addresses = sitemap_addresses(html)
    pages = site_pages(html)
    assert any(page.startswith("fr/") for page in pages) and "article/colossus.html" in pages
    assert addresses == [BASE + page for page in pages]  # every page once, in order of address
    # One sitemap, where crawlers look for it: the editions' own are gathered into it.
    assert sorted(html.rglob("sitemap.xml")) == [html / "sitemap.xml"]
    # And robots.txt, at the site's root, says where it is.
    assert (html / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    assert sorted(html.rglob("robots.txt")) == [html / "robots.txt"]


def test_a_rebuild_lists_every_page_again_and_changes_nothing(served: tuple[Path, Path]) -> None:
    """A sitemap lists every page, not only the ones its run writes, in order
    of address; a rebuild (Sphinx's incremental run, nothing new to read) must
    still list them all, and give the same bytes."""
    project, html = served
    before = snapshot(html)
    run = run_build(project, html.parent, "--html-only", "--base-url", BASE, "--force")
    assert run.returncode == 0, run.stderr
    assert sitemap_addresses(html) == [BASE + page for page in site_pages(html)]
    assert differences(snapshot(html), before) == []


def head(page: Path) -> tuple[BeautifulSoup, dict[str, list[str]]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    tags: dict[str, list[str]] = {}
    for meta in soup.head.find_all("meta"):
        if meta.get("property") or meta.get("name"):
            tags.setdefault(meta.get("property") or meta["name"], []).append(meta["content"])
    return soup, tags


@pytest.mark.parametrize("edition", EDITIONS, ids=[e["language"] for e in EDITIONS])
def test_an_article_page_names_its_address_and_previews_in_its_language(
        served: tuple[Path, Path], edition: dict[str, str]) -> None:
    _project, html = served
    folder = f"{edition['path']}/" if edition["path"] else ""
    soup, tags = head(html / folder / "article/colossus.html")
    address = f"{BASE}{folder}article/colossus.html"
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [address]
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate")}
    assert alternates == {e["language"]: f"{BASE}{e['path'] + '/' if e['path'] else ''}article/colossus.html"
                          for e in EDITIONS}
    assert tags["og:url"] == [address] and tags["og:type"] == ["website"]
    assert tags["og:title"] == [soup.select_one("article h1").get_text().rstrip("¶")]
    assert tags["og:site_name"] == [edition["title"]]
    assert tags["og:locale"][0].split("_")[0] == edition["language"]
    assert {t.split("_")[0] for t in tags["og:locale:alternate"]} == {
        e["language"] for e in EDITIONS if e is not edition}
    assert tags["og:description"] == tags["description"]
    [image] = tags["og:image"]
    assert image.startswith(f"{BASE}{folder}_static/")
    assert (html / image.removeprefix(BASE)).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# Last in this file: it rebuilds the served site without its address.
def test_a_rebuild_without_the_address_leaves_no_sitemap_and_no_robots(served: tuple[Path, Path]) -> None:
    """Staging outlives a build: the sitemap, robots.txt and link-preview picture an
    earlier build with an address wrote there must not be published by a build without one."""
    project, html = served
    assert (html / "sitemap.xml").is_file()
    run = run_build(project, html.parent, "--html-only")
    assert run.returncode == 0, run.stderr
    assert sorted(html.rglob("sitemap.xml")) == [] and sorted(html.rglob("robots.txt")) == []
    assert sorted(html.rglob("_static/preview*")) == []  # no og:image names it any more
    assert 'rel="canonical"' not in (html / "index.html").read_text(encoding="utf-8")
