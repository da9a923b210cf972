"""The glossary and the article agree with the figures data: every entry is
reached from the text, and every figure reads exactly as the data says."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from helpers import ROOT

from macrohard_docs.figures.data import Dataset, format_figure, load

DATA = ROOT / "docs" / "data" / "figures.toml"
GLOSSARY = "glossary.html"
ARTICLE = "article/"
ENTRY_PREFIXES = ("fig-", "name-", "unit-")


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(DATA)


@pytest.fixture(scope="module")
def glossary(soups: dict[str, BeautifulSoup]) -> BeautifulSoup:
    return soups[GLOSSARY]


def entries(glossary: BeautifulSoup) -> dict[str, Tag]:
    """Glossary entries: id -> its <dt>."""
    return {dt["id"]: dt for dt in glossary.find_all("dt", id=True) if dt["id"].startswith(ENTRY_PREFIXES)}


def entry_parts(dt: Tag) -> list[Tag]:
    """The <dt> and the <dd>s that follow it, up to the next term."""
    parts = [dt]
    for sibling in dt.find_next_siblings():
        if sibling.name != "dd":
            break
        parts.append(sibling)
    return parts


def label(tag: Tag) -> str:
    """The visible text of a tag, without Sphinx's "¶" permalinks."""
    tag = BeautifulSoup(str(tag), "html.parser")
    for permalink in tag.select("a.headerlink"):
        permalink.decompose()
    return tag.get_text().strip()


def links_to(page: str, soup: BeautifulSoup | Tag, target: str) -> list[Tag]:
    """<a> elements in *soup* (which lives at *page*) pointing at *target* ("glossary.html#id")."""
    found = []
    for anchor in soup.find_all("a", href=True):
        parts = urlsplit(anchor["href"])
        if parts.scheme or parts.netloc:
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) if parts.path else page
        if f"{path}#{unquote(parts.fragment)}" == target:
            found.append(anchor)
    return found


def test_glossary_has_an_entry_for_everything_in_the_data(data: Dataset, glossary: BeautifulSoup) -> None:
    expected = ({"fig-" + i for i in [*data.figures, *data.derived]} | {"name-" + i for i in data.names}
                | {unit.anchor for unit in data.units.values() if unit.about})
    found = set(entries(glossary))
    assert found == expected, (f"glossary entries missing: {sorted(expected - found)}; "
                               f"unexpected: {sorted(found - expected)}")


def test_every_glossary_entry_is_linked_from_elsewhere(soups: dict[str, BeautifulSoup],
                                                       glossary: BeautifulSoup) -> None:
    """fig-/name- entries from an article page; unit- entries from another glossary entry."""
    article_pages = {page: soup for page, soup in soups.items() if page.startswith(ARTICLE)}
    assert len(article_pages) > 1, f"no article pages among {sorted(soups)}"
    orphans = []
    all_entries = entries(glossary)
    assert all_entries, "the glossary has no fig-/name-/unit- entries"
    for entry_id, dt in all_entries.items():
        target = f"{GLOSSARY}#{entry_id}"
        if entry_id.startswith("unit-"):
            own = set(map(id, entry_parts(dt)))
            linked = [a for a in links_to(GLOSSARY, glossary, target)
                      if not any(id(parent) in own for parent in a.parents)]
            where = "any other glossary entry"
        else:
            linked = [a for page, soup in article_pages.items() for a in links_to(page, soup, target)]
            where = "any article page"
        if not linked:
            orphans.append(f"{entry_id} is not linked from {where}")
    assert not orphans, "glossary entries nobody links to:\n  " + "\n  ".join(orphans)


def test_every_figure_reads_as_the_data_says(data: Dataset, soups: dict[str, BeautifulSoup],
                                             glossary: BeautifulSoup) -> None:
    """The glossary term and the figure's own section page show format_figure()'s text."""
    glossary_entries = entries(glossary)
    problems = []
    items = [*data.figures.values(), *data.derived.values()]
    assert items, "the data holds no figures"
    for item in items:
        expected = format_figure(item, data, "en")
        anchor = "fig-" + item.id
        dt = glossary_entries.get(anchor)
        if dt is None:
            problems.append(f"{anchor}: no glossary entry")
        elif label(dt) != expected:
            problems.append(f"{anchor}: glossary shows {label(dt)!r}, data says {expected!r}")
        page = f"{ARTICLE}{item.section}.html"
        if page not in soups:
            problems.append(f"{anchor}: its section page {page} was not built")
            continue
        texts = [label(a) for a in links_to(page, soups[page], f"{GLOSSARY}#{anchor}")]
        if expected not in texts:
            problems.append(f"{anchor}: {page} has no link to ../{GLOSSARY}#{anchor} reading {expected!r}"
                            f" (links found: {texts!r})")
    assert not problems, "figures that do not match the data:\n  " + "\n  ".join(problems)
