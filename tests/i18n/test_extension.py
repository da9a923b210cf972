"""The extension in French, on a tiny project (sphinx.testing): figures in
French form, French glossary order, the extension's own messages, data texts
from the catalogs, and the check on translated glossary references."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from docutils import nodes
from helpers import ROOT, ROOTS
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from macrohard_docs.figures.i18n import MARKUP

NNBSP = "\u202f"
NBSP = "\u00a0"


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.html").read_text("utf-8"), "html.parser")


def texts(soup: BeautifulSoup, selector: str) -> list[str]:
    return [node.get_text() for node in soup.select(selector)]


def test_figures_in_french_form(tiny_fr):
    app = tiny_fr
    assert app.warning.getvalue() == ""
    values = texts(page(app, "article/page"), ".figure-value")
    assert f"100{NNBSP}000{NBSP}GPU" in values  # narrow no-break space between thousands
    assert f"1,55{NBSP}GW" in values
    assert "7 milliards de dollars" in values
    assert "22 août 2025" in values
    assert "1er août 2025" in values


def test_same_figures_in_english_form(tiny_en):
    assert tiny_en.warning.getvalue() == ""
    values = texts(page(tiny_en, "article/page"), ".figure-value")
    assert f"100,000{NBSP}GPUs" in values and f"1.55{NBSP}GW" in values
    assert "$7 billion" in values and "August 22, 2025" in values


def test_paragraphs_are_translated_with_their_roles(tiny_fr):
    soup = page(tiny_fr, "article/page")
    text = soup.select_one("article").get_text(" ")
    assert "La machine compte" in text and "The machine has" not in text
    # The roles in the French text still link to the glossary entries.
    assert soup.select_one('a[href$="#fig-gpus"]') is not None


def test_translated_nodes_belong_to_their_page(tiny_fr):
    """Sphinx parses each msgstr into a document of its own: a page whose nodes still named those
    documents was pickled with them, and their settings held the build environment."""
    doctree = tiny_fr.env.get_doctree("article/page")
    assert any(node.get("translated") for node in doctree.findall(nodes.Element))
    assert all(node.document is doctree for node in doctree.findall())


def test_glossary_in_french_order_with_stable_anchors(tiny_fr, tiny_en):
    french, english = page(tiny_fr, "glossary"), page(tiny_en, "glossary")
    names = texts(french, ".glossary-names dt .term-label")
    assert names == ["Eau", "Énergie", "Essence", "Œuvre", "Ogre", "Zèbre"]
    ids = lambda soup: sorted(dt["id"] for dt in soup.select(".figures-glossary dt"))
    assert ids(french) == ids(english)
    assert "name-energie" in ids(french)


def test_extension_messages_in_french(tiny_fr):
    glossary = page(tiny_fr, "glossary")
    text = glossary.get_text(" ")
    assert f"Mentionné dans{NBSP}:" in text and "Mentioned in" not in text
    assert f"Unité{NBSP}:" in text
    assert "Nos calculs" in page(tiny_fr, "article/page").get_text()


def test_data_texts_come_from_the_glossary_catalog(tiny_fr):
    app = tiny_fr
    glossary = page(app, "glossary")
    entry = glossary.find(id="fig-gpus").find_next("dd")
    assert "GPU de la machine." in entry.get_text()
    # Outside paragraphs too: the link title on the article and the formula caption.
    link = page(app, "article/page").select_one('a[href$="#fig-gpus"]')
    assert link["title"] == "GPU de la machine."
    assert "Puissance par GPU." in page(app, "article/page").select_one(".formula-meaning").get_text()


def test_a_plain_data_text_is_its_own_message(tiny_fr):
    """A translation with no markup is written as the page's message, so Sphinx's Locale
    finds nothing to translate in it and parses no MyST document for it."""
    doctree = tiny_fr.env.get_doctree("glossary")
    definitions = [para for para in doctree.findall(nodes.paragraph) if para.get("glossary_anchor") == "fig-gpus"]
    assert [(para.rawsource, para.astext()) for para in definitions] == [("GPU de la machine.",) * 2]


def test_markup_free_translations_read_as_written():
    """Every translation that message_text writes as it is (no MARKUP), MyST with the
    project's extensions parses into that very text: Locale would have made the same."""
    md = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "deflist", "smartquotes"}),
                          RendererHTML)
    plain = [message.string for path in sorted((ROOT / "docs" / "locales").rglob("*.po"))
             for message in read_po(path.open("rb")) if message.id and isinstance(message.string, str)
             and message.string and not MARKUP.search(message.string)]
    assert len(plain) > 50
    for text in [*plain, "Colossus, 100\u202f000\u00a0GPU (notre calcul)"]:
        assert md.render(text) == f"<p>{text}</p>\n"
    for text in ["*simuler*", "1. Un", "Un `code`", "x_y", "« Un » et 'deux'", "# Un", ": Un", "Un\nDeux", "% Un", "(un)="]:
        assert MARKUP.search(text), text


def test_switcher_title_and_alternates(tiny_fr):
    soup = page(tiny_fr, "article/page")
    assert soup.html["lang"] == "fr"
    # No address known: no hreflang at all (a relative one is invalid); the switcher stays.
    assert soup.find_all("link", rel="alternate") == [] and not soup.select("[hreflang]")
    switch = soup.select_one("nav.edition-switcher a")
    assert switch["href"] == "../../article/page.html" and switch["lang"] == "en"
    assert soup.select_one("nav.edition-switcher")["aria-label"] == "Langue"
    assert "Minuscule" in soup.title.get_text()


def test_base_url_makes_head_links_absolute(tiny):
    """Served at a known address, the head names full addresses (what search
    engines require of hreflang), while the switcher readers click stays relative."""
    soup = page(tiny("fr", site_base_url="https://example.org/dossier"), "article/page")
    assert {(l["hreflang"], l["href"]) for l in soup.find_all("link", rel="alternate")} == {
        ("en", "https://example.org/dossier/article/page.html"),
        ("fr", "https://example.org/dossier/fr/article/page.html")}
    assert [l["href"] for l in soup.find_all("link", rel="canonical")] == [
        "https://example.org/dossier/fr/article/page.html"]
    assert soup.select_one("nav.edition-switcher a")["href"] == "../../article/page.html"


BASE = "https://example.org/dossier/"


def head_meta(soup: BeautifulSoup, attribute: str) -> dict[str, list[str]]:
    """Each <meta property=...> (or name=...) of the page, with its contents, in order."""
    found: dict[str, list[str]] = {}
    for meta in soup.head.find_all("meta", attrs={attribute: True}):
        found.setdefault(meta[attribute], []).append(meta["content"])
    return found


@pytest.mark.parametrize(("language", "folder", "locales"), [
    ("en", "", (["en_US"], ["fr_FR"])), ("fr", "fr/", (["fr_FR"], ["en_US"]))])
def test_a_known_address_gives_canonical_and_open_graph_tags(tiny, language, folder, locales):
    """With the site's address, each edition's pages name their own canonical
    address (Sphinx's html_baseurl) and carry the Open Graph tags a link
    preview reads (sphinxext-opengraph), in the edition's language, with our
    description (French no-break spaces kept) and a picture in the site itself."""
    app = tiny(language, site_base_url=BASE)
    assert app.warning.getvalue() == ""
    soup = page(app, "article/page")
    address = f"{BASE}{folder}article/page.html"
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [address]
    og, named = head_meta(soup, "property"), head_meta(soup, "name")
    heading = soup.select_one("article h1").get_text().rstrip("¶")
    first = " ".join(soup.select_one("article p").get_text().split(" "))
    assert og["og:title"] == [heading]
    assert og["og:url"] == [address] and og["og:type"] == ["website"]
    assert og["og:site_name"] == [app.config.html_title]
    assert (og["og:locale"], og["og:locale:alternate"]) == locales
    # One description, ours, the same for search engines and link previews: the
    # page's first paragraph, no-break spaces and all (the figures' own).
    assert named["description"] == og["og:description"] == [first]
    if language == "fr":
        assert NNBSP in first and NBSP in first
    [image] = og["og:image"]
    assert image.startswith(f"{BASE}{folder}_static/")
    picture = Path(app.outdir) / image.removeprefix(BASE + folder)
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1200, 630)
    assert og["og:image:alt"] == [app.config.html_title]


def test_open_graph_text_is_escaped(tiny):
    """Quotes, ampersands and angle brackets in a title or a description stay text."""
    def awkward(srcdir: Path) -> None:
        md = srcdir / "article/page.md"
        md.write_text(md.read_text("utf-8").replace("# The page", '# The "page" & a < b', 1)
                      .replace("The machine has", 'The "machine" & a < b have', 1), "utf-8")

    soup = page(tiny("en", edit=awkward, site_base_url=BASE), "article/page")
    og = head_meta(soup, "property")
    assert og["og:title"] == [soup.select_one("article h1").get_text().rstrip("¶")]
    assert og["og:title"][0] in ('The "page" & a < b', "The “page” & a < b")
    [description] = og["og:description"]
    assert "& a < b have" in description and description == head_meta(soup, "name")["description"][0]


def test_the_single_page_names_its_own_canonical_address(tiny):
    """Sphinx names the single page after its first anchor (…/#document-index): ours is its file."""
    soup = page(tiny("fr", builder="singlehtml", site_base_url=BASE), "index")
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [f"{BASE}fr/single/index.html"]
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate")}
    assert alternates == {"en": f"{BASE}single/index.html", "fr": f"{BASE}fr/single/index.html"}
    assert not head_meta(soup, "property")  # a book's page: no link preview of its own


def test_no_address_no_open_graph(tiny_fr, tiny_en):
    """Without the site's address there is nothing Open Graph could name in full:
    no og: tag and no preview picture, but the description all the same."""
    for app in (tiny_fr, tiny_en):
        soup = page(app, "article/page")
        assert head_meta(soup, "property") == {}
        assert head_meta(soup, "name")["description"]
        assert not list(Path(app.outdir).glob("_static/preview*"))


def test_no_canonical_without_base_url(tiny_fr):
    assert page(tiny_fr, "article/page").find("link", rel="canonical") is None


def test_relative_base_url_is_refused_with_a_fix(tiny):
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match=r"site_base_url is 'dossier/'.*Fix: give the full address"):
        tiny("fr", site_base_url="dossier/")


# The tiny project's French sentence with its three figures, as its catalog translates it.
SENTENCE_FR = "La machine compte {fig}`gpus` et demande {fig}`power` ; elle a coûté {fig}`cost`."


def translated_as(old: str, new: str) -> Callable[[Path], None]:
    """An edit of the tiny project: in the French catalog of its article page, *old* becomes *new*."""
    def edit(srcdir: Path) -> None:
        po = srcdir / "locales/fr/LC_MESSAGES/article/page.po"
        text = po.read_text("utf-8")
        assert old in text, f"{po.name} no longer holds {old!r}: the test would edit nothing"
        po.write_text(text.replace(old, new), "utf-8")

    return edit


def test_translation_dropping_a_figure_fails_with_file_line_and_fix(tiny):
    app = tiny("fr", edit=translated_as("; elle a coûté {fig}`cost`.", "; elle a coûté {name}`eau`."))
    warnings = app.warning.getvalue()
    ours = [line for line in warnings.splitlines() if "glossary entries" in line]
    assert len(ours) == 1, warnings
    assert re.search(r"article/page\.md:3", ours[0])
    assert "drops {fig}`cost`" in ours[0] and "adds {name}`eau`" in ours[0]
    assert "article/page.po" in ours[0] and "Fix:" in ours[0]


def test_translation_dropping_every_figure_of_a_paragraph_fails(tiny):
    """Its paragraph holds no reference after translation: it is still compared (Locale reads each
    msgstr through the same transforms, which must not lose what the page's own run noted)."""
    app = tiny("fr", edit=translated_as(SENTENCE_FR, "La machine compte beaucoup de puces."))
    ours = [line for line in app.warning.getvalue().splitlines() if "glossary entries" in line]
    assert len(ours) == 1, app.warning.getvalue()
    assert "drops {fig}`cost`, {fig}`gpus`, {fig}`power`" in ours[0]


def test_translation_keeping_the_references_passes(tiny):
    # Other words, other order, own display text: the same ids, so no warning.
    app = tiny("fr", edit=translated_as(SENTENCE_FR, "Coût : {fig}`cost`, pour {fig}`gpus` qui demandent {fig}`power`."))
    assert app.warning.getvalue() == ""
    assert "Coût" in page(app, "article/page").get_text()


def test_catalog_change_reaches_every_page_that_shows_the_text(tmp_path):
    """Incremental: a new translation of a data text re-reads the article that
    shows it as a link title, not only the glossary that holds the message."""
    import gettext
    import shutil
    from io import StringIO

    import sphinx.locale
    from sphinx.testing.util import SphinxTestApp


    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-i18n", srcdir)

    def build() -> SphinxTestApp:
        sphinx.locale.translators.clear()
        # Python's gettext caches each .mo by path for the life of the process
        # (sphinx-build runs once per process, so the real build never sees this).
        gettext._translations.clear()  # type: ignore[attr-defined]
        app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO(),
                            confoverrides={"language": "fr"})
        app.build()
        app.cleanup()
        return app

    app = build()
    assert page(app, "article/page").select_one('a[href$="#fig-gpus"]')["title"] == "GPU de la machine."
    po = srcdir / "locales/fr/LC_MESSAGES/glossary.po"
    po.write_text(po.read_text("utf-8").replace('msgstr "GPU de la machine."',
                                                'msgstr "Les GPU que compte la machine."'), "utf-8")
    app = build()
    assert page(app, "article/page").select_one('a[href$="#fig-gpus"]')["title"] == \
        "Les GPU que compte la machine."
    assert "Les GPU que compte la machine." in page(app, "glossary").get_text()


def test_malformed_editions_list_is_a_clear_config_error(tmp_path):
    import shutil
    from io import StringIO

    import pytest
    from sphinx.errors import ConfigError
    from sphinx.testing.util import SphinxTestApp


    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-i18n", srcdir)
    with pytest.raises(ConfigError, match=r"site_editions\[1\].*Fix: give each edition a dict"):
        SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO(),
                      confoverrides={"site_editions": [
                          {"language": "en", "path": "", "label": "English", "switch": "English"},
                          {"language": "fr"}]})


def test_parallel_french_build_matches_serial(tmp_path):
    """The reference check and data texts are parallel-safe: -j 2 == -j 1, in French."""
    from .conftest import _build

    serial = _build(tmp_path, "fr")
    parallel = _build(tmp_path, "fr", parallel=2)
    assert parallel.warning.getvalue() == ""
    for name in ("article/page", "glossary", "index"):
        one = (Path(serial.outdir) / f"{name}.html").read_text("utf-8")
        two = (Path(parallel.outdir) / f"{name}.html").read_text("utf-8")
        assert one == two, name
