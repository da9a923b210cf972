"""Every internal link of the built site lands on a file that exists and, when
it names one, on an element with that id: pages, glossary anchors, the index
(genindex), the search page, and the anchors the search index hands out."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from helpers import EDITIONS

# Elements and attributes that point at another resource or place.
LINK_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "use": ("href", "xlink:href"),
    "script": ("src",), "img": ("src",), "source": ("src",), "iframe": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "embed": ("src",),
    "object": ("data",), "form": ("action",),
}
# A URL with a scheme ("https:", "mailto:", "data:") or protocol-relative ("//").
NOT_INTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def ids_of(soup: BeautifulSoup) -> set[str]:
    return {tag["id"] for tag in soup.find_all(id=True)}


def internal_links(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(tag description, url) for every internal URL in the page."""
    found = []
    for name, attributes in LINK_ATTRIBUTES.items():
        for tag in soup.find_all(name):
            for attribute in attributes:
                url = tag.get(attribute)
                if url is None or NOT_INTERNAL.match(url):
                    continue
                found.append((f"<{name} {attribute}={url!r}>", url))
    return found


def resolve(html_dir: Path, page: str, url: str) -> tuple[str | None, str, str]:
    """(target page below html/ or None if outside the site, fragment, problem)."""
    parts = urlsplit(url)
    if not parts.path:  # "#anchor" or "" or "?q=": this page
        return page, unquote(parts.fragment), ""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if target.startswith("../") or target == "..":
        return None, "", "points outside the built site"
    if parts.path.endswith("/") or (html_dir / target).is_dir():
        target = posixpath.join(target, "index.html")
    if not (html_dir / target).is_file():
        return None, "", f"no file {target}"
    return target, unquote(parts.fragment), ""


def test_every_internal_link_and_anchor_resolves(html_dir: Path, soups: dict[str, BeautifulSoup]) -> None:
    ids = {page: ids_of(soup) for page, soup in soups.items()}
    broken: list[str] = []
    checked_anchors: set[str] = set()
    links = 0
    for page, soup in soups.items():
        for tag, url in internal_links(soup):
            links += 1
            target, fragment, problem = resolve(html_dir, page, url)
            if problem:
                broken.append(f"{page}: {tag} {problem}")
                continue
            assert target is not None
            if not fragment:  # "#" alone is the top of the page
                continue
            if not target.endswith(".html"):
                broken.append(f"{page}: {tag} has an anchor on a non-page file {target}")
                continue
            target_ids = ids.get(target)
            if target_ids is None:  # an HTML file that is not a page (should not happen)
                target_ids = ids_of(BeautifulSoup((html_dir / target).read_text(encoding="utf-8"), "html.parser"))
            if fragment not in target_ids:
                broken.append(f"{page}: {tag} -> {target} has no id {fragment!r}")
            else:
                checked_anchors.add(f"{target}#{fragment}")
    assert not broken, "broken internal links:\n  " + "\n  ".join(broken)
    # Not vacuous: the pages link each other, the glossary, genindex and search.
    assert links > 100, f"only {links} internal links found: is the parser seeing the pages?"
    assert any(anchor.startswith("glossary.html#fig-") for anchor in checked_anchors)
    assert any(anchor.startswith("glossary.html#name-") for anchor in checked_anchors)
    assert any(anchor.startswith("glossary.html#unit-") for anchor in checked_anchors)
    assert any(anchor.startswith("genindex.html#") for anchor in checked_anchors), (
        "genindex.html's letter jump links were not checked")


NESTED_EDITIONS = [e.target.removeprefix("html/") for e in EDITIONS
                   if e.builder == "html" and e.target != "html"]


def test_genindex_and_search_are_linked(html_dir: Path, soups: dict[str, BeautifulSoup]) -> None:
    """Every page offers the search form and points at the index (genindex)."""
    for page, soup in soups.items():
        if page.endswith("single/index.html"):
            continue  # the single page is its own search: it has no search page to go to
        forms = soup.select("form[role=search]")
        assert forms, f"{page} has no search form"
        # Each edition searches its own pages: fr/… pages use fr/search.html.
        edition = next((p + "/" for p in NESTED_EDITIONS if page.startswith(p + "/")), "")
        for form in forms:
            target, _, problem = resolve(html_dir, page, form.get("action", ""))
            assert target == f"{edition}search.html", f"{page}: search form goes to {target} {problem}"
        if page != f"{edition}genindex.html":
            assert soup.select('link[rel=index][href$="genindex.html"]'), f"{page} does not link genindex.html"


def test_search_index_anchors_resolve(html_dir: Path, soups: dict[str, BeautifulSoup]) -> None:
    """Search results link to docname.html#anchor: each must exist (titles,
    index entries and objects, as Sphinx's searchtools.js builds the links)."""
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1: text.rindex(")")])
    docnames = index["docnames"]
    targets: list[tuple[str, int, str | None]] = []
    for title, entries in index["alltitles"].items():
        targets += [(f"title {title!r}", doc, anchor) for doc, anchor in entries]
    for entry, entries in index["indexentries"].items():
        targets += [(f"index entry {entry!r}", doc, anchor) for doc, anchor, *_ in entries]
    # Objects (the glossary's figures, names and units), decoded as
    # searchtools.js does: "" means the anchor is the full name, "-" means
    # "<type>-<full name>", anything else is the anchor itself.
    for prefix, objects in index["objects"].items():
        for doc, type_index, _priority, short_anchor, name in objects:
            fullname = f"{prefix}.{name}" if prefix else name
            if short_anchor == "":
                anchor = fullname
            elif short_anchor == "-":
                anchor = f"{index['objnames'][str(type_index)][1]}-{fullname}"
            else:
                anchor = short_anchor
            targets.append((f"object {fullname!r}", doc, anchor))
    assert targets, "the search index holds no titles"
    ids = {page: ids_of(soup) for page, soup in soups.items()}
    broken = []
    for what, doc, anchor in targets:
        page = docnames[doc] + ".html"
        if page not in ids:
            broken.append(f"{what}: no page {page}")
        elif anchor and anchor not in ids[page]:
            broken.append(f"{what}: {page} has no id {anchor!r}")
    assert not broken, "search index points nowhere:\n  " + "\n  ".join(broken)
