"""Issue 28: licences stated where a reader or a reuser looks, corrections that
lead somewhere, and one viewport meta per page."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
from docutils import nodes
from helpers import ROOT, page_soup

from macrohard_docs.figures.data import format_date_value
from macrohard_docs.site.corrections import CorrectionsError, load_corrections, report_paragraph

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def test_the_code_has_a_licence_file() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text
    assert "CC BY 4.0" in text  # and it says the prose and data are not under it


def test_the_about_page_states_both_licences_in_each_language(editions) -> None:
    words = {"en": ("Creative Commons Attribution", "CC-BY-4.0", "MIT license"),
             "fr": ("Creative Commons Attribution", "CC-BY-4.0", "licence MIT")}
    for edition in editions:
        article = page_soup(edition.html_dir / "about.html").select_one("article")
        text = " ".join(article.get_text(" ").split())
        for word in words[edition.language]:
            assert word in text
        assert [a for a in article.select("a[href]") if a["href"].startswith(CC_BY)]


def test_the_epub_and_the_data_carry_the_licence(editions) -> None:
    for edition in editions:
        [epub] = [p for p in edition.manifest_files if p.suffix == ".epub"]
        with zipfile.ZipFile(epub) as book:
            opf = book.read("content.opf").decode("utf-8")
        rights = re.search(r"<dc:rights>(.*?)</dc:rights>", opf, re.DOTALL).group(1)
        assert "CC BY 4.0" in rights and "Elon Musk veut créer le rival de Microsoft" in rights
        data = json.loads((edition.html_dir / "data/figures.json").read_text(encoding="utf-8"))
        assert (data["license"], data["license_url"]) == ("CC BY 4.0", CC_BY)
        assert "Elon Musk veut créer le rival de Microsoft" in data["source"]


def test_the_about_page_shows_the_corrections_log_newest_first(editions) -> None:
    log = load_corrections(ROOT / "docs/data/corrections.toml", {"article/money", "glossary"})
    for edition in editions:
        items = page_soup(edition.html_dir / "about.html").select("ul.corrections-log > li")
        assert len(items) == len(log) > 0
        for item, entry in zip(items, log):
            assert item.select_one("strong").get_text() == format_date_value(entry["date"], edition.language)
            assert item.select_one("a[href]")["href"] == entry["page"] + ".html"  # about.html is at the top
            said = " ".join(item.select("p")[1].get_text().split())
            # English as written in the log; French from the About page's catalog.
            assert (said == entry["text"]) == (edition.language == "en"), said


def test_reports_are_never_sent_to_an_unnamed_place(editions) -> None:
    """conf.py names no address yet: the page says so, and no longer tells the
    reader to open an issue in a repository it cannot name."""
    for edition in editions:
        text = " ".join(page_soup(edition.html_dir / "about.html").select_one("article").get_text(" ").split())
        assert "open an issue" not in text and "ouvrez un ticket" not in text
        assert page_soup(edition.html_dir / "about.html").select_one("p.report-errors")


@pytest.mark.parametrize(("entry", "problem"), [
    ('date = "2026-12-07"\npage = "glossary"\ntext = "x"', "field 'date' is '2026-12-07'"),
    ('date = 2026-12-07\npage = "nowhere"\ntext = "x"', "page 'nowhere' is not a page"),
    ('date = 2026-12-07\npage = "glossary"', "field 'text' is None"),
    ('date = 2026-12-07\npage = "glossary"\ntext = "x"\nwho = "me"', "field 'who' is unknown"),
])
def test_a_malformed_correction_names_its_line_and_the_fix(tmp_path: Path, entry: str, problem: str) -> None:
    path = tmp_path / "corrections.toml"
    path.write_text(f'# log\n\n[[correction]]\ndate = 2026-01-01\npage = "glossary"\ntext = "fine"\n\n'
                    f"[[correction]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(CorrectionsError) as caught:
        load_corrections(path, {"glossary"})
    message = str(caught.value)
    assert message.startswith(f"{path}:8: ") and problem in message and "Fix: " in message


def test_the_log_is_sorted_newest_first(tmp_path: Path) -> None:
    path = tmp_path / "corrections.toml"
    path.write_text('[[correction]]\ndate = 2026-01-01\npage = "a"\ntext = "old"\n\n'
                    '[[correction]]\ndate = 2026-03-01\npage = "a"\ntext = "new"\n', encoding="utf-8")
    assert [e["date"] for e in load_corrections(path, {"a"})] == [dt.date(2026, 3, 1), dt.date(2026, 1, 1)]


def test_every_page_has_exactly_one_viewport_meta(editions) -> None:
    for edition in editions:
        for page in [*edition.pages(), edition.html_dir / "single/index.html"]:
            assert len(page_soup(page).select('head meta[name="viewport"]')) == 1, page


@pytest.mark.parametrize(("address", "link"), [
    ("https://github.com/owner/dossier/issues", "https://github.com/owner/dossier/issues"),
    ("team@example.org", "mailto:team@example.org"),
    ("mailto:team@example.org", "mailto:team@example.org"),
    ("", None),
])
def test_reports_go_where_conf_py_says(address: str, link: str | None) -> None:
    para = report_paragraph(address, Path("docs/conf.py"))
    refs = [ref["refuri"] for ref in para.findall(nodes.reference)]
    assert refs == ([link] if link else [])
    if link:
        assert para.astext() == f"Send your report to {link.removeprefix('mailto:')}."
    else:
        assert "gives no address" in para.astext()


def test_an_address_that_is_neither_web_nor_mail_is_refused() -> None:
    with pytest.raises(CorrectionsError, match=r"^docs/conf.py: dossier_corrections_to is 'our repo'.* Fix: "):
        report_paragraph("our repo", Path("docs/conf.py"))
