"""Where a reader is (issue 27), in the built HTML of both editions: each part of
the article says its place in the story and its reading time, and every page
gives its places the same ids in both languages, which is what lets the
language switcher (place.js) carry a #fragment over unchanged."""

from __future__ import annotations

import math
import re

from bs4 import BeautifulSoup
from helpers import Edition

# The article's parts in reading order (docs/source/article/index.md's toctree).
PARTS = ["name", "colossus", "money", "macrohard", "giants", "shadow", "conclusion"]
WORDING = {
    "en": re.compile(r"^Part (\d) of (\d) · (\d+)\u00a0min read$"),
    "fr": re.compile(r"^Partie (\d) sur (\d) · (\d+)\u00a0min de lecture$"),
}


def order_of_parts(edition: Edition) -> list[str]:
    """The article's pages as its index links them, in order."""
    index = edition.soup("article/index.html")
    links = index.select("article[role=main] .toctree-wrapper > ul > li > a")
    return [link["href"].removesuffix(".html") for link in links]


def test_each_part_says_where_it_stands_and_how_long_it_takes(edition: Edition) -> None:
    parts = order_of_parts(edition)
    assert parts == PARTS, f"the article index lists {parts}: update PARTS"
    for number, part in enumerate(parts, start=1):
        page = edition.soup(f"article/{part}.html")
        line = page.select_one("article[role=main] > .reading-position")
        assert line is not None, f"{edition.language} {part}: no reading position"
        found = WORDING[edition.language].match(line.get_text())
        assert found, f"{edition.language} {part}: {line.get_text()!r}"
        assert (int(found[1]), int(found[2])) == (number, len(parts))
        words = len(page.select_one("article[role=main] > section").get_text(" ").split())
        assert int(found[3]) == max(1, math.ceil(words / 220)), f"{edition.language} {part}: {words} words"
        # Above the title it introduces.
        assert line.find_next_sibling().find("h1") is not None


def test_only_article_parts_carry_a_reading_position(edition: Edition) -> None:
    for page in edition.pages():
        name = page.relative_to(edition.html_dir).as_posix()
        if not re.fullmatch(r"article/(?!index)[a-z]+\.html", name):
            assert edition.soup(name).select_one(".reading-position") is None, name


def ids(page: BeautifulSoup) -> list[str]:
    return [element["id"] for element in page.select("article[role=main] [id]")]


def test_both_editions_give_each_place_the_same_id(editions: list[Edition]) -> None:
    """Sections, glossary entries and mentions: the switcher keeps #fragment as it is."""
    root, *others = editions
    names = [p.relative_to(root.html_dir).as_posix() for p in root.pages()]
    assert "article/colossus.html" in names and "glossary.html" in names
    for other in others:
        for name in names:
            if name == "genindex.html":  # its letters are the language's own
                continue
            mine, theirs = ids(root.soup(name)), ids(other.soup(name))
            assert mine == theirs or set(mine) == set(theirs), (
                f"{name}: ids only in {root.language}: {sorted(set(mine) - set(theirs))[:5]}, "
                f"only in {other.language}: {sorted(set(theirs) - set(mine))[:5]}")
    # The single page too.
    single = [ids(e.soup("single/index.html")) for e in editions]
    assert all(set(s) == set(single[0]) for s in single)
