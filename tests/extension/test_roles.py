"""The roles, glossary and arithmetic, as a reader sees them in built HTML."""

from __future__ import annotations

import pytest
from docutils import nodes
from bs4 import BeautifulSoup


NODES_PER_ENTRY = 23  # its index, term, definition, facts line and "Mentioned in", and their links and texts


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / name).read_text(encoding="utf-8"), "html.parser")


def mentions(soup: BeautifulSoup) -> list[tuple[str, str | None]]:
    """(text, link target or None) for every rendered figure or name, in order."""
    found = []
    for span in soup.select("span.mention"):
        link = span.find_parent("a")
        found.append((span.get_text(), link["href"] if link else None))
    return found


@pytest.mark.sphinx("html", testroot="figures", freshenv=True)
def test_english_figures_link_first_mention_only(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    found = mentions(page(app, "article/one.html"))
    assert found[:4] == [
        ("Colossus", "../glossary.html#name-colossus"),
        ("100,000\u00a0GPUs", "../glossary.html#fig-gpus"),
        ("less than 1.55\u00a0GW", "../glossary.html#fig-power"),
        ("$7 billion", "../glossary.html#fig-cost"),
    ]
    # Second mentions on the same page are text, not links.
    assert ("The machine", None) in found
    assert ("100,000\u00a0GPUs", None) in found
    assert ("August 22, 2025", "../glossary.html#fig-post") in found


@pytest.mark.sphinx("html", testroot="figures", freshenv=True, confoverrides={"language": "fr"})
def test_french_figures_come_from_the_same_data(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    texts = [text for text, _ in mentions(page(app, "article/one.html"))]
    assert "100\u202f000\u00a0GPU" in texts
    assert "moins de 1,55\u00a0GW" in texts
    assert "7 milliards de dollars" in texts
    assert "22 août 2025" in texts


@pytest.mark.sphinx("html", testroot="figures", freshenv=True)
def test_derived_figures_are_computed_and_marked_as_ours(app) -> None:
    app.build()
    soup = page(app, "article/one.html")
    box = soup.select_one(".our-arithmetic")
    assert box is not None
    assert "Our arithmetic" in box.get_text()
    formulas = [p.get_text(" ", strip=True) for p in box.select("p.formula")]
    # 1.55 GW / 100,000 GPUs = 15.5 kW; $7 billion / 100,000 = $70,000.
    assert formulas[0].startswith("less than 1.55\u00a0GW ÷ 100,000\u00a0GPUs = 15.5\u00a0kW")
    assert formulas[1].startswith("$7 billion ÷ 100,000\u00a0GPUs = $70,000")


@pytest.mark.sphinx("html", testroot="figures", freshenv=True)
def test_glossary_lists_every_entry_with_where_it_is_mentioned(app) -> None:
    app.build()
    soup = page(app, "glossary.html")
    ids = [dt["id"] for dt in soup.select("dl.figures-glossary dt[id]")]
    assert ids == [
        "fig-gpus", "fig-power", "fig-cost", "fig-post",
        "fig-power-per-gpu", "fig-cost-per-gpu",
        "name-colossus", "unit-gpu", "unit-gw",
    ]
    entry = soup.find(id="fig-gpus").find_next_sibling("dd")
    assert "GPUs in the machine." in entry.get_text()
    mentioned = entry.select_one(".mentioned-in")
    assert mentioned.get_text(" ", strip=True).startswith("Mentioned in:")
    # Each link lands on the mention itself: one per section of the page that mentions it.
    assert mentioned.get_text(" ", strip=True) == "Mentioned in: One ( Later )."
    assert {a["href"].partition("#")[0] for a in mentioned.select("a")} == {"article/one.html"}
    target = mentioned.select_one("a")["href"].partition("#")[2]
    assert page(app, "article/one.html").find(id=target).get_text() == "100,000\u00a0GPUs"
    unit = entry.select_one(".fact-unit a")
    assert unit["href"] == "#unit-gpu"
    # Glossary entries are objects in the search index, and in the general index.
    index = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert "fig-gpus" in index and "name-colossus" in index
    genindex = page(app, "genindex.html").get_text()
    assert "Colossus" in genindex


@pytest.mark.sphinx("html", testroot="figures", freshenv=True)
def test_link_titles_preview_the_glossary_definition(app) -> None:
    app.build()
    glossary = page(app, "glossary.html")
    shown = glossary.find(id="fig-gpus").find_next_sibling("dd").select_one(".entry-definition")
    link = page(app, "article/one.html").select_one('a[href="../glossary.html#fig-gpus"]')
    assert link["title"] == shown.get_text() == "GPUs in the machine."


def test_a_glossary_part_shared_between_pages(make_app, project) -> None:
    """`:page: 1/2` and `:page: 2/2`: each entry once, on its page, linked and listing its mentions."""
    from helpers import edit

    edit(project / "glossary.md", "```{figure-glossary} figures\n", "```{figure-glossary} figures\n:page: 1/2\n")
    (project / "more.md").write_text("# More figures\n\n```{figure-glossary} figures\n:page: 2/2\n```\n",
                                     encoding="utf-8")
    edit(project / "index.md", "glossary\n", "glossary\nmore\n")
    app = make_app("html", srcdir=project, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    first, second = page(app, "glossary.html"), page(app, "more.html")
    terms = [[dt["id"] for dt in soup.select("dl.glossary-figures > dt")] for soup in (first, second)]
    assert terms == [["fig-gpus", "fig-power"], ["fig-cost", "fig-post"]]
    assert second.select_one("[id='fig-cost'] + dd .mentioned-in a")["href"].startswith("article/")
    assert ("$7 billion", "../more.html#fig-cost") in mentions(page(app, "article/one.html"))


@pytest.mark.sphinx("html", testroot="figures", freshenv=True)
def test_sphinx_i18n_writes_none_of_our_nodes_out_as_xml(app) -> None:
    """Sphinx's i18n passes over a block of text without a source (not a message) by writing it out
    as XML for a debug line, shown or not, at each of its walks, and over every term: the glossary's
    and the arithmetic box's text is prepared in inline nodes, which it passes over at once."""
    app.build()
    assert app.warning.getvalue() == ""
    for docname in ("glossary", "article/one"):
        doctree = app.env.get_doctree(docname)
        # Titles aside: the search lists a box's title, which its node gives it.
        dumped = [node for node in doctree.findall(nodes.TextElement) if not isinstance(node, nodes.Inline | nodes.title)
                  and (isinstance(node, nodes.term) or not node.source)]
        assert dumped == [], [node.pformat() for node in dumped]


@pytest.mark.sphinx("text", testroot="figures", freshenv=True)
def test_a_glossary_entry_is_few_nodes_and_reads_as_text_elsewhere(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    # Every transform, post-transform, the search indexer and the writer visit each node:
    # a term, a facts line and "Mentioned in" are one node each around their links (their
    # HTML prepared), not a dozen spans and texts.
    doctree = app.env.get_and_resolve_doctree("glossary", app.builder, tags=app.tags)
    entry = next(item for item in doctree.findall(nodes.definition_list_item)
                 if [target for _, _, target, *_ in item[0]["entries"]] == ["fig-gpus"])
    assert len(list(entry.findall())) <= NODES_PER_ENTRY, entry.pformat()
    # A writer other than HTML writes their text.
    text = (app.outdir / "glossary.txt").read_text(encoding="utf-8")
    paragraphs = [" ".join(paragraph.split()) for paragraph in text.split("\n\n")]
    assert "Value: 100,000 GPUs · Unit: GPU · Status: stated in the source" in paragraphs
    assert "Mentioned in: One (Later)." in paragraphs


def test_prepared_text_gets_smart_quotes_as_the_rest_of_the_page(make_app, project) -> None:
    """A glossary term's HTML is prepared as a string (no node for Sphinx's smart quotes to
    edit): a name with straight quotes still reads with curly ones, as in the running text."""
    from helpers import edit

    edit(project / "figures.toml", 'label = "Colossus"', 'label = "Musk\'s \\"Colossus\\""')
    app = make_app("html", srcdir=project, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    term = page(app, "glossary.html").select_one("[id='name-colossus'] .term-label")
    assert term.get_text() == "Musk\u2019s \u201cColossus\u201d"
