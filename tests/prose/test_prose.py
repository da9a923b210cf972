"""The prose as a reader gets it: what a rule can check of issue 29.

Read from the built pages of each edition (the article element, code and
drawings left out): no claim the source does not make about Azure, no
template placeholder left in the text, few very long sentences, and "the
article" (« l'article ») not said at every turn. Whether a sentence follows
the source's own is a matter for a reader with the source in hand; no rule
here pretends to judge it.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers import Edition, page_soup

# Pages that are lists rather than prose: Sphinx's index and search page.
NOT_PROSE = {"genindex.html", "search.html"}
LEAVES = "p, li, dd, dt, td, th, figcaption"
# Not sentences: a glossary entry's list of pages, a formula line (its words are the
# entry's definition, read in the glossary).
NOT_SENTENCES = ".mentioned-in, .formula"
# The extension's own interface, the same on every page ("stated in the source" in
# a chart's numbers and the glossary's facts, a chart's key, the arithmetic box's
# note, the data files' column guide): not sentences of ours to judge for length.
# The rate of "the article" counts it too: a reader reads it on the page.
INTERFACE = ("details.chart-numbers, .chart-key, .our-arithmetic > p, .status, "
             ".entry-context-label, ul.data-downloads, dl.data-columns")
SKIPPED = "script, style, code, pre, svg, .headerlink"

LONG_SENTENCE = 35  # words
MOST_LONG_SENTENCES = 3  # per edition
MOST_MENTIONS = 12  # of "the article" per 1,000 words of a page

THE_ARTICLE = {"en": re.compile(r"\bthe article\b", re.IGNORECASE),
               "fr": re.compile(r"\bl[’']article\b", re.IGNORECASE)}
# The source ties its yearly figure to "Microsoft, with its Azure": it says neither
# that Azure earns it alone nor that Azure is one division of the company.
AZURE_CLAIMS = {"en": re.compile(r"\b(alone|on its own|by itself|single|division)\b", re.IGNORECASE),
                "fr": re.compile(r"\b(seule?s?|à elle seule|à lui seul|division|branche)\b", re.IGNORECASE)}
DIVISION = re.compile(r"\bdivision\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{[^{}\s]{0,40}\}")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\s\u00a0\u202f»”)]*\s+(?=[«“\"(\[]?\s?[A-ZÀ-ÖØ-Þ0-9])")


def prose_pages(edition: Edition) -> list[Path]:
    return [page for page in edition.pages() if page.name not in NOT_PROSE]


def blocks(page: Path, sentences_only: bool = True, ours_only: bool = False) -> list[str]:
    """The text of each innermost block of the page's main column, as read
    (with *sentences_only*, without the lists and formulas that are not sentences;
    with *ours_only*, without the extension's interface labels)."""
    main = page_soup(page).select_one("article[role=main]")
    assert main is not None, f"{page}: no main article element"
    skipped = {id(tag) for tag in main.select(SKIPPED + (", " + INTERFACE if ours_only else ""))}
    texts = []
    for block in main.select(LEAVES):
        if block.select_one(LEAVES):
            continue  # read in its inner blocks
        if sentences_only and (block.css.match(NOT_SENTENCES) or block.select_one(NOT_SENTENCES)):
            continue
        parts = [s for s in block.find_all(string=True)
                 if not any(id(parent) in skipped for parent in s.parents)]
        text = " ".join("".join(parts).split())
        if text:
            texts.append(text)
    return texts


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def words(text: str) -> int:
    return len(re.findall(r"[^\s\u00a0\u202f«»:;!?,.—–]+", text))


def where(edition: Edition, page: Path) -> str:
    return f"{edition.language}:{page.relative_to(edition.html_dir)}"


def test_the_splitter_reads_sentences_as_a_reader_does() -> None:
    assert sentences("Colossus went up fast. It doubled. Then?") == [
        "Colossus went up fast.", "It doubled.", "Then?"]
    assert sentences("Mirage ou premier pas\u202f? «\u00a0Oui\u00a0», dit-il.") == [
        "Mirage ou premier pas\u202f?", "«\u00a0Oui\u00a0», dit-il."]
    assert words("Elle vaut 80\u00a0milliards de dollars\u202f; c’est tout.") == 8


def test_no_page_says_azure_earns_alone_or_is_a_division(edition: Edition) -> None:
    claims = []
    for page in edition.pages():
        for block in blocks(page):
            claims += [f"{where(edition, page)}: {s!r}" for s in sentences(block)
                       if ("Azure" in s and AZURE_CLAIMS[edition.language].search(s))
                       or DIVISION.search(s)]
    assert not claims, "beyond the source (it says only 'Microsoft, with its Azure'):\n" + "\n".join(claims)


def test_the_data_files_say_no_more_of_azure(edition: Edition) -> None:
    texts = [(edition.html_dir / "data" / name).read_text(encoding="utf-8")
             for name in ("figures.csv", "figures.json")]
    lines = [line for text in texts for line in text.splitlines()
             if "Azure" in line and AZURE_CLAIMS["en"].search(line)]
    assert not lines, "\n".join(lines)


def test_no_placeholder_is_left_in_the_text(edition: Edition) -> None:
    left = []
    for page in edition.pages():
        soup = page_soup(page)
        skipped = {id(tag) for tag in soup.select("script, style, code, pre")}
        for string in soup.find_all(string=PLACEHOLDER):
            if not any(id(parent) in skipped for parent in string.parents):
                left.append(f"{where(edition, page)}: {string.strip()[:120]!r}")
        left += [f"{where(edition, page)} [{name}]: {tag[name]!r}"
                 for name in ("title", "aria-label", "alt", "content")
                 for tag in soup.find_all(attrs={name: PLACEHOLDER})]
    assert not left, "template text the reader should never see:\n" + "\n".join(left)


def test_few_sentences_run_past_thirty_five_words(edition: Edition) -> None:
    long = [f"{where(edition, page)} ({words(s)} words): {s}"
            for page in prose_pages(edition) for block in blocks(page)
            for s in sentences(block) if words(s) > LONG_SENTENCE]
    assert len(long) <= MOST_LONG_SENTENCES, (
        f"{len(long)} sentences over {LONG_SENTENCE} words (at most {MOST_LONG_SENTENCES}):\n"
        + "\n".join(long))


def test_the_article_is_not_named_at_every_turn(edition: Edition) -> None:
    language, heavy = edition.language, []
    for page in prose_pages(edition):
        text = " ".join(blocks(page, sentences_only=False, ours_only=False))
        count, total = len(THE_ARTICLE[language].findall(text)), words(text)
        if total and count * 1000 > MOST_MENTIONS * total:
            heavy.append(f"{where(edition, page)}: {count} in {total} words "
                         f"({count * 1000 / total:.1f} per 1,000)")
    assert not heavy, f"at most {MOST_MENTIONS} per 1,000 words:\n" + "\n".join(heavy)
