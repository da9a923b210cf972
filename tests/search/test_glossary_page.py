"""The glossary page as a reader meets it (issue 15, item 1), in both editions.

Expected entries, units and statuses come from the figures data file; the
page is read as built (BeautifulSoup) or as shown (Chromium).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from helpers import ROOT, page_soup

from macrohard_docs.figures.data import Dataset, Derived, Figure, format_figure, load

GLOSSARY = "glossary.html"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(ROOT / "docs" / "data" / "figures.toml", languages=("en", "fr"))


def soup_of(html_dir: Path, page: str) -> BeautifulSoup:
    return page_soup(html_dir / page)


def definition_of(glossary: BeautifulSoup, anchor: str) -> Tag:
    dd = glossary.find(id=anchor).find_next_sibling("dd")
    assert dd is not None, anchor
    return dd


# --- The first screen --------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_filter_box_and_first_entry_are_on_the_first_screen(new_visit: Any, edition: Any,
                                                            viewport: tuple[int, int]) -> None:
    width, height = viewport
    with new_visit(edition.html_dir, viewport={"width": width, "height": height}) as visit:
        page = visit.open(GLOSSARY)
        box = page.locator("#glossary-filter-input").bounding_box()
        first_term = page.locator("dl.figures-glossary > dt").first
        term = first_term.bounding_box()
        definition = page.locator("dl.figures-glossary > dd").first.bounding_box()
        assert box and box["y"] + box["height"] <= height, box
        assert term and definition and definition["y"] + definition["height"] <= height, (
            term, definition)
        # Nothing about data columns stands between the title and the entries.
        assert page.locator("dl.data-columns").count() == 0
        visit.assert_clean()


def test_the_filter_is_in_the_page_as_built_before_the_first_entry(edition: Any) -> None:
    """Made by the script once the page was shown, the box pushed every entry down
    by its height on a phone (Lighthouse: a layout shift of 0.11). It is in the
    page as delivered, counting every entry, and the script only wires it up."""
    glossary = soup_of(edition.html_dir, GLOSSARY)
    box = glossary.select_one("article .glossary-filter")
    first_entry = glossary.select_one("dl.figures-glossary > dt")
    assert box is not None and first_entry is not None
    assert box.find_next("dt") is first_entry  # above the entries, not moved by them
    label = box.select_one("label[for=glossary-filter-input]").get_text()
    assert label and box.select_one("input#glossary-filter-input[type=search]") is not None
    total = len(glossary.select("dl.figures-glossary > dt"))
    assert box.select_one("#glossary-filter-count").get_text().count(str(total)) == 2


def test_the_column_guide_lives_on_its_own_page(edition: Any) -> None:
    glossary = soup_of(edition.html_dir, GLOSSARY)
    assert glossary.select("dl.data-columns") == []
    data_page = soup_of(edition.html_dir, "data.html")
    assert data_page.select("dl.data-columns dt code"), "the data page documents no column"
    # The glossary links to it, and so does the site's navigation.
    assert glossary.select_one("article a[href='data.html']") is not None
    assert glossary.select_one(".sidebar-tree a[href='data.html']") is not None


def test_glossary_snippets_hold_no_column_notes(edition: Any) -> None:
    import json

    text = (edition.html_dir / "_static" / "snippets.js").read_text(encoding="utf-8")
    pages = json.loads(text[text.index("=") + 1:text.rindex(";")])
    assert "unit_scale" not in pages["glossary"]["t"]
    assert "unit_scale" in pages["data"]["t"]


# --- Each entry ------------------------------------------------------------------------

def test_terms_are_set_apart_with_their_own_link(edition: Any) -> None:
    glossary = soup_of(edition.html_dir, GLOSSARY)
    terms = glossary.select("dl.figures-glossary > dt")
    assert len(terms) > 40
    for dt in terms:
        link = dt.select_one("a.headerlink")
        assert link is not None and link["href"] == f"#{dt['id']}", dt
        assert len(dt.find_next_sibling("dd").select("p.entry-definition")) == 1, dt["id"]


@pytest.mark.browser
def test_terms_look_like_small_headings(visit: Any) -> None:
    page = visit.open(GLOSSARY)
    term = page.locator("dl.figures-glossary > dt").first
    body = page.locator("dl.figures-glossary > dd p.entry-definition").first
    weight, size = term.evaluate("e => [getComputedStyle(e).fontWeight, parseFloat(getComputedStyle(e).fontSize)]")
    body_size = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert int(weight) >= 700 and size > body_size


STATUS = {"en": {"stated": "stated in the source", "promised": "promised",
                 "projection": "projected", "ours": "our arithmetic"},
          "fr": {"stated": "cité par la source", "promised": "promis",
                 "projection": "projeté", "ours": "notre calcul"}}


def test_every_figure_has_one_facts_line(edition: Any, data: Dataset) -> None:
    glossary = soup_of(edition.html_dir, GLOSSARY)
    language = edition.language
    problems = []
    for item in [*data.figures.values(), *data.derived.values()]:
        dd = definition_of(glossary, item.anchor)
        facts = dd.select("p.entry-facts")
        if len(facts) != 1:
            problems.append(f"{item.id}: {len(facts)} facts lines")
            continue
        line = facts[0]
        value = line.select_one(".fact-value .figure-value")
        if value is None or value.get_text() != format_figure(item, data, language):
            problems.append(f"{item.id}: value {value and value.get_text()!r}")
        unit = data.units[item.unit]
        unit_link = line.select_one(".fact-unit a")
        if unit.style == "date":
            if line.select_one(".fact-unit"):
                problems.append(f"{item.id}: a date shows a unit")
        elif unit_link is None or unit_link["href"] != f"#{unit.anchor}":
            problems.append(f"{item.id}: unit not linked to #{unit.anchor}")
        elif glossary.find(id=unit.anchor) is None:
            problems.append(f"{item.id}: unit {unit.id} has no entry")
        status = item.status if isinstance(item, Figure) else "ours"
        shown = line.select_one(".fact-status .status")
        if shown is None or shown.get_text() != STATUS[language][status]:
            problems.append(f"{item.id}: status {shown and shown.get_text()!r}, want {status}")
        formula = line.select(".fact-formula")
        if isinstance(item, Derived):
            if len(formula) != 1 or len(dd.select(".fact-formula, p.formula")) != 1:
                problems.append(f"{item.id}: the formula is not there exactly once")
            # The description is said once: in the definition, not again beside the formula.
            definition = dd.select_one("p.entry-definition").get_text()
            if dd.get_text().count(definition) != 1:
                problems.append(f"{item.id}: the description is repeated")
        elif formula:
            problems.append(f"{item.id}: a stated figure shows a formula")
    assert not problems, "\n".join(problems)


def test_statuses_follow_the_data(data: Dataset) -> None:
    """The data marks promises and projections; the test would be empty otherwise."""
    statuses = {f.status for f in data.figures.values()}
    assert {"stated", "promised", "projection"} <= statuses


def test_every_unit_in_use_has_an_entry(edition: Any, data: Dataset) -> None:
    glossary = soup_of(edition.html_dir, GLOSSARY)
    used = {item.unit for item in [*data.figures.values(), *data.derived.values()]}
    missing = [u for u in sorted(used) if data.units[u].style != "date"
               and glossary.find(id=data.units[u].anchor) is None]
    assert missing == []
    assert glossary.find(id=data.units["kW"].anchor) is not None


def resolve(page: str, href: str) -> tuple[str, str]:
    parts = urlsplit(href)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path)) if parts.path else page
    return path, parts.fragment


def test_mentioned_in_links_land_on_the_mention(edition: Any, data: Dataset) -> None:
    """Each link names the section the mention is in and points at the mention itself."""
    glossary = soup_of(edition.html_dir, GLOSSARY)
    checked = 0
    for item in [*data.figures.values(), *data.derived.values(), *data.names.values()]:
        dd = definition_of(glossary, item.anchor)
        for link in dd.select("p.mentioned-in a"):
            path, fragment = resolve(GLOSSARY, link["href"])
            assert fragment, f"{item.id}: {link['href']} goes to the top of the page"
            target_page = soup_of(edition.html_dir, path)
            target = target_page.find(id=fragment)
            assert target is not None, f"{item.id}: no #{fragment} in {path}"
            # The mention shows the item, and sits in the section the link names.
            reference = target.find_parent("a") or target
            assert reference.get("href", "").endswith(f"#{item.anchor}") or target.find_parent(
                "a") is None, (item.id, fragment)
            section = target.find_parent("section")
            heading = section.find(["h1", "h2", "h3", "h4"]) if section else None
            title = heading.get_text().rstrip("¶").strip() if heading else ""
            assert link.get_text().strip() == title, (item.id, link.get_text(), title)
            checked += 1
    assert checked > 50


def test_an_unknown_status_is_a_data_error(tmp_path: Path) -> None:
    from macrohard_docs.figures.data import FiguresDataError

    source = (ROOT / "docs" / "data" / "figures.toml").read_text(encoding="utf-8")
    broken = source.replace('status = "promised"', 'status = "promissed"', 1)
    assert broken != source
    path = tmp_path / "figures.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(FiguresDataError) as caught:
        load(path)
    line = broken.splitlines().index('status = "promissed"') + 1
    assert str(caught.value) == (
        f"{path}:{line}: figure 'colossus-2-gpus' has unknown status 'promissed'. "
        "Fix: use one of stated, promised, projection.")
