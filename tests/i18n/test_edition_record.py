"""One edition record per language, read and checked in one place (figures/editions.py)
by the build, nox and the extension, with one message for a bad list."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from io import StringIO
from pathlib import Path
from unittest.mock import MagicMock

import pytest
from helpers import DOCS, ROOT, ROOTS
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from macrohard_docs.figures.editions import EditionsError, editions_in, read_editions, source_language
from macrohard_docs.publish.build import BadConfig, editions_of

ENGLISH = {"language": "en", "path": "", "label": "English", "switch": "English"}
FRENCH = {"language": "fr", "path": "fr", "label": "Français", "switch": "Français"}


def test_conf_py_declares_each_edition_once_the_source_first() -> None:
    english, french = editions_in(DOCS)
    assert english.is_source() and not french.is_source()
    assert source_language([english, french]) == "en"
    # What an edition does not say is conf.py's: the English names its authors as `author` does.
    assert english.author == "The Macrohard dossier team" and english.epub == {}
    assert french.author == "L’équipe du dossier Macrohard"
    assert french.epub["epub_identifier"].startswith("urn:uuid:")
    assert english.search_language == "en" and french.search_language == "fr"
    # Nothing else in the project lists the languages: no structure of their own in conf.py.
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    for gone in ("epub_languages", "dossier_author_by_language", '\nlanguage = "'):
        assert gone not in conf


def test_nox_translates_the_editions_after_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    # noxfile.py runs in nox's environment; here, a stand-in for nox lets it load.
    monkeypatch.setitem(sys.modules, "nox", MagicMock())
    monkeypatch.chdir(ROOT)
    spec = importlib.util.spec_from_file_location("noxfile_under_test", ROOT / "noxfile.py")
    assert spec and spec.loader
    noxfile = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(noxfile)

    class Session:
        def error(self, message: str) -> None:
            raise AssertionError(message)

    assert noxfile.translations(Session()) == ["fr"]  # type: ignore[arg-type]


@pytest.mark.parametrize(("editions", "where", "fix"), [
    ("fr", "site_editions is 'fr'", "Fix: give each edition a dict"),
    ([ENGLISH, {"language": "fr"}], "site_editions[1] is {'language': 'fr'}", "Fix: give each edition a dict"),
    ([ENGLISH, {**FRENCH, "tittle": "Minuscule"}], "site_editions[1] has the unknown key 'tittle'",
     "Fix: give each edition a dict"),
    ([ENGLISH, {**FRENCH, "language": "en"}], "site_editions[1]['language'] is 'en', listed twice",
     "Fix: list each language once"),
    ([FRENCH, ENGLISH], "site_editions[0]['path'] is 'fr'", "Fix: the first edition, the source language"),
    ([ENGLISH, {**FRENCH, "title": 3}], "site_editions[1]['title'] is 3, not text", "Fix: write it as a string"),
    ([ENGLISH, {**FRENCH, "epub": {"title": "x"}}], "site_editions[1]['epub'] is {'title': 'x'}",
     "Fix: give a dict of the e-book's own settings"),
])
def test_a_bad_list_is_one_line_naming_the_file_the_entry_and_the_fix(editions, where, fix) -> None:
    with pytest.raises(EditionsError) as raised:
        read_editions(editions, "docs/conf.py", {})
    message = str(raised.value)
    assert message.startswith(f"docs/conf.py: {where}") and f". {fix}" in message and "\n" not in message


def test_the_build_and_the_extension_say_the_same(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-i18n", srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nsite_editions = [{ENGLISH!r}, {{**{ENGLISH!r}, 'path': 'en'}}]\n")
    with pytest.raises(BadConfig) as by_build:
        editions_of(srcdir)
    with pytest.raises(ConfigError) as by_extension:
        SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    assert str(by_build.value) == str(by_extension.value)
    assert str(by_build.value).startswith(f"{srcdir / 'conf.py'}: site_editions[1]['language'] is 'en', listed twice")


def test_no_source_language_is_written_into_the_code() -> None:
    """The source edition is the first record (Edition.is_source), never a language in the code."""
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in (ROOT / "src").rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if '== "en"' in line or "('en', 'fr')" in line or '("en", "fr")' in line]
    assert found == []
