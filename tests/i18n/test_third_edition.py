"""Adding a language is one record in conf.py plus its catalogs (issue 25, item 3).

A copy of the project gets a German edition, as CONTRIBUTING.md's "Adding a
language" says: one line in docs/conf.py, the data file's unit templates in
German, and a catalog per page, one of them translated. Its HTML is built
end to end by the build command, and read as a reader would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import checkout, run_build

pytestmark = pytest.mark.proof

GERMAN = ('site_editions.append(dict(language="de", path="de", label="Deutsch", '
          'title="Macrohard und Colossus", switch="Diese Seite auf Deutsch lesen"))\n')
TITLE = ("About this dossier", "Über dieses Dossier")
FIRST = ("This page says where the dossier comes from and how it is made. It also shows how to "
         "cite it, and how to tell us about a mistake.",
         "Diese Seite sagt, woher das Dossier stammt und wie es entsteht. Sie zeigt auch, wie man "
         "es zitiert und wie man uns einen Fehler meldet.")
HEADER = ('msgid ""\nmsgstr ""\n"Language: de\\n"\n"MIME-Version: 1.0\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_german(docs: Path) -> None:
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(GERMAN)
    # German counts as English does (one, other): its unit and qualifier templates, as English's.
    data = docs / "data" / "figures.toml"
    text = data.read_text(encoding="utf-8")
    data.write_text(re.sub(r"^en = (.*)$", r"en = \1\nde = \1", text, flags=re.MULTILINE), encoding="utf-8")
    # A catalog per page (an empty one shows the page as written), the About page's translated.
    catalogs = docs / "locales" / "de" / "LC_MESSAGES"
    for page in (docs / "source").rglob("*.md"):
        catalog = catalogs / page.relative_to(docs / "source").with_suffix(".po")
        catalog.parent.mkdir(parents=True, exist_ok=True)
        catalog.write_text(HEADER, encoding="utf-8")
    with (catalogs / "about.po").open("a", encoding="utf-8") as about:
        for english, german in (TITLE, FIRST):
            about.write(f"\nmsgid {po_string(english)}\nmsgstr {po_string(german)}\n")


def switch_links(page: BeautifulSoup) -> dict[str, tuple[str, str]]:
    """The language switch: language -> (link, text)."""
    return {a["lang"]: (a["href"], a.get_text()) for a in page.select("nav.edition-switcher a")}


def test_a_third_language_is_a_line_in_conf_py_and_its_catalogs(tmp_path: Path) -> None:
    project = checkout(tmp_path / "project")
    add_german(project / "docs")
    run = run_build(project, tmp_path / "out", "--html-only")
    assert run.returncode == 0, run.stderr
    site = tmp_path / "out" / "html"

    def read(path: str) -> BeautifulSoup:
        return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")

    german = read("de/about.html")
    assert german.html["lang"] == "de"
    assert german.h1.get_text(strip=True).rstrip("#¶") == TITLE[1]
    assert FIRST[1] in german.get_text(" ", strip=True)
    assert "Macrohard und Colossus" in german.title.get_text()
    assert switch_links(german) == {"en": ("../about.html", "Read this page in English"),
                                    "fr": ("../fr/about.html", "Lire cette page en français")}
    # The other editions offer it, in its own words.
    assert switch_links(read("about.html"))["de"] == ("de/about.html", "Diese Seite auf Deutsch lesen")
    assert switch_links(read("fr/about.html"))["de"] == ("../de/about.html", "Diese Seite auf Deutsch lesen")
    assert read("fr/about.html").h1.get_text(strip=True).rstrip("#¶") == "À propos de ce dossier"
