"""French typography, as a French reader sees it.

In French text, an apostrophe is curly (’), the space before « : ; ! ? » and the
spaces inside « » are no-break spaces (U+00A0 or the narrow U+202F), so that a
line never starts with a colon or leaves a guillemet alone. The rule is checked
where the text is read: the built French pages (prose, chart notes, link titles,
the page's description and the citation) and every French catalog they come from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, NavigableString
from helpers import ROOT

FRENCH_CATALOGS = sorted([
    *(ROOT / "docs" / "locales" / "fr").rglob("*.po"),
    *(ROOT / "src" / "macrohard_docs" / "locales" / "fr").rglob("*.po"),
])
NO_BREAK = "\u00a0\u202f"

SLIPS = (
    (re.compile(r"'"), "straight apostrophe (write ’)"),
    (re.compile(rf"[^\S{NO_BREAK}]+[:;!?»]"), "ordinary space before the sign (write U+00A0 or U+202F)"),
    (re.compile(rf"«[^\S{NO_BREAK}]"), "ordinary space after « (write U+00A0)"),
    (re.compile(rf"«(?=[^\s{NO_BREAK}])"), "no space after « (write U+00A0)"),
    (re.compile(rf"(?<=[^\s{NO_BREAK}])»"), "no space before » (write U+00A0)"),
)
# Code is code. (furo's footer credit, once a hard-coded English line, is now
# French too: docs/_templates/page.html.)
SKIPPED = "script, style, code, .highlight-bibtex"
ATTRIBUTES = ("title", "aria-label", "alt")


def typography_slips(text: str) -> list[str]:
    """Each French typography slip in *text*, with a little context."""
    found = []
    for pattern, problem in SLIPS:
        for match in pattern.finditer(text):
            start, end = max(match.start() - 25, 0), match.end() + 25
            found.append(f"{problem}: …{text[start:end]!r}…")
    return found


def french_texts(html: str) -> list[str]:
    """What a reader of the page sees or hears in French: text, tooltips, labels,
    the title and the description; not code, and nothing marked as another language."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select(SKIPPED):
        element.decompose()
    for element in soup.find_all(lang=True):
        if element.name != "html" and not element["lang"].startswith("fr"):
            element.decompose()
    texts = [str(s) for s in soup.find_all(string=True)
             if isinstance(s, NavigableString) and not isinstance(s, Comment) and s.strip()]
    # Text split across inline elements ("Étalon", " :") is checked joined, as read.
    for block in soup.select("p, li, dt, dd, h1, h2, h3, h4, caption, figcaption, text, pre"):
        texts.append(block.get_text())
    texts += [tag[name] for name in ATTRIBUTES for tag in soup.find_all(attrs={name: True})]
    texts += [meta["content"] for meta in soup.select('meta[name="description"]')]
    return texts


@pytest.mark.parametrize("text", [
    "juste avec l'IA",
    "Étalon : les foyers américains",
    "250 000 foyers ; chaque graduation",
    "Mirage ou premier pas ?",
    "« Macrohard\u00a0»",
    "«\u00a0Macrohard »",
    "«Macrohard\u00a0»",
    "Étalon\n: suite",
])
def test_checker_catches_a_slip(text: str) -> None:
    assert typography_slips(text), f"the checker missed the slip in {text!r}"


@pytest.mark.parametrize("text", [
    "juste avec l’IA",
    "Étalon\u00a0: les foyers américains",
    "250\u202f000 foyers\u202f; chaque graduation",
    "Mirage ou premier pas\u202f?",
    "«\u00a0Macrohard\u00a0»",
    "{date}\u00a0: {event}",
    "https://example.org/a:b?c",
])
def test_checker_lets_correct_text_pass(text: str) -> None:
    assert typography_slips(text) == []


def test_checker_reads_what_a_reader_sees() -> None:
    html = ('<html lang="fr"><head><meta name="description" content="Voici l\'IA"></head><body>'
            '<p>Texte<span> :</span> <a title="l\'article">lien</a></p>'
            '<blockquote lang="en"><p>It\'s in English : as quoted</p></blockquote>'
            '<pre><code>x = \'code\'</code></pre><script>var a = \'b\';</script></body></html>')
    slips = [slip for text in french_texts(html) for slip in typography_slips(text)]
    assert any("Voici" in s for s in slips) and any("l'article" in s for s in slips)
    assert any("Texte :" in s for s in slips)
    assert not any("English" in s or "code" in s or "var a" in s for s in slips)


def french_pages(editions) -> list[Path]:
    french = [e for e in editions if e.language == "fr"]
    assert french, "no French edition built"
    pages = french[0].pages()
    single = french[0].html_dir / "single" / "index.html"
    return pages + ([single] if single.is_file() else [])


def test_french_site_text_follows_french_typography(editions) -> None:
    pages = french_pages(editions)
    assert any(p.name == "about.html" for p in pages) and len(pages) > 10
    problems = [f"{page.relative_to(ROOT) if page.is_relative_to(ROOT) else page}: {slip}"
                for page in pages
                for text in french_texts(page.read_text(encoding="utf-8"))
                for slip in typography_slips(text)]
    assert not problems, "French typography slips in the built site:\n  " + "\n  ".join(
        sorted(set(problems))[:40])


@pytest.mark.parametrize("path", FRENCH_CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_catalogs_follow_french_typography(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    problems = [f"{path.relative_to(ROOT)}:{message.lineno}: {slip}"
                for message in catalog
                # A translation equal to its message is a quotation kept in its language.
                if message.id and message.string and message.string != message.id
                for slip in typography_slips(message.string)]
    assert not problems, "\n".join(problems)


def test_there_are_french_catalogs_to_check() -> None:
    names = {p.name for p in FRENCH_CATALOGS}
    assert {"about.po", "colossus.po", "glossary.po", "macrohard_docs.po"} <= names
