"""Issue 26: any catalog text is usable or gives one line naming its file and the fix.

The catalog checks run before Sphinx reads (site/catalogs.py): PO syntax, the
encoding, bidirectional controls, and placeholders a msgstr uses that its
msgid lacks, in a page's catalog and in the extension's own (whose strings go
through str.format). Generated catalogs, made from the real ones with lines
changed, dropped, doubled or added, must pass or raise CatalogError in one
line with a fix, never another exception. The checks named here are also
tried one by one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macrohard_docs.site.catalogs import CatalogError, check_catalog

EXTENSION_PO = ROOT / "src" / "macrohard_docs" / "locales" / "fr" / "LC_MESSAGES" / "macrohard_docs.po"
PAGE_PO = ROOT / "docs" / "locales" / "fr" / "LC_MESSAGES" / "about.po"

PIECES = st.sampled_from([
    "{author}", "{auteur}", "{n}", "{", "}", "{{", "}}", "{0}", "{title!r}", "{date:%Y}", "{fig}`gpus`",
    "\\\"", "\\n", "\u202e", "\u2066", "\u00e9", "%s", "<b>", "msgstr", "#, fuzzy", '"', "\\", "\x00",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=6).map("".join)


@st.composite
def catalogs(draw: st.DrawFn) -> tuple[str, bool]:
    """(a catalog's text, whether its strings go through str.format): a real one, a few lines changed."""
    formatted = draw(st.booleans())
    lines = (EXTENSION_PO if formatted else PAGE_PO).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["msgstr", "msgstr", "msgid", "raw", "drop", "duplicate"]))
        if action in ("msgstr", "msgid"):
            lines[index] = f"{action} {json.dumps(draw(TEXT), ensure_ascii=False)}"
        elif action == "raw":
            lines[index] = draw(TEXT)
        elif action == "drop":
            del lines[index]
        else:
            lines.insert(index, lines[index])
    return "\n".join(lines) + "\n", formatted


def usable_or_one_line(tmp_path: Path, text: str, formatted: bool) -> None:
    path = tmp_path / "messages.po"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        check_catalog(path, formatted=formatted)
    except CatalogError as error:
        message = str(error)
        assert message.startswith(str(path.resolve())) and ". Fix: " in message and "\n" not in message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(catalog=catalogs())
def test_any_catalog_is_usable_or_one_line(tmp_path: Path, catalog: tuple[str, bool]) -> None:
    usable_or_one_line(tmp_path, *catalog)


def test_the_real_catalogs_pass() -> None:
    check_catalog(EXTENSION_PO, formatted=True)
    for po in sorted((ROOT / "docs" / "locales").rglob("*.po")):
        check_catalog(po)


@pytest.mark.parametrize(("new", "says"), [
    ('msgstr "{auteur}. {title}.', "the msgstr uses {auteur}"),
    ('msgstr "{author. {title}.', "the msgstr has a brace that opens no placeholder"),
    ('msgstr "\u202e{author}. {title}.', "the catalog holds a bidirectional control"),
])
def test_each_check_of_the_extension_catalog_names_its_line(tmp_path: Path, new: str, says: str) -> None:
    old = 'msgstr "{author}. {title}.'
    text = EXTENSION_PO.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "macrohard_docs.po"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(CatalogError) as caught:
        check_catalog(path, formatted=True)
    assert str(caught.value).startswith(f"{path.resolve()}:{line}: {says}"), caught.value
