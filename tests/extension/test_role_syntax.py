"""Issue 14, item 5: mention roles read their text as Sphinx reads a cross-reference,
and every malformed role is an error at its line, not text printed as typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from macrohard_docs.figures.roles import mention_problem, parse_mention

LINE = "{name}`colossus` has {fig}`gpus`, needs {fig}`power` and cost {fig}`cost`."


def build(make_app, project: Path, replacement: str) -> tuple[str, BeautifulSoup]:
    page = project / "article" / "one.md"
    text = page.read_text(encoding="utf-8")
    assert LINE in text
    page.write_text(text.replace(LINE, f"{LINE} {replacement}", 1), encoding="utf-8")
    app = make_app("html", srcdir=project, freshenv=True)
    app.build()
    html = (app.outdir / "article" / "one.html").read_text(encoding="utf-8")
    return app.warning.getvalue(), BeautifulSoup(html, "html.parser")


def test_an_explicit_title_with_a_less_than_sign_names_the_last_target(make_app, project: Path) -> None:
    warnings, soup = build(make_app, project, "Also {name}`a < b <colossus>`.")
    assert warnings == ""
    titles = [span.get_text() for span in soup.select("span.glossary-name")]
    assert "a < b" in titles


@pytest.mark.parametrize(("typed", "says"), [
    ("{fig}``", "{fig} is followed by a backtick the Markdown parser could not pair"),
    ("{name}` `", "{name} has an empty target"),
    ("{name}`Colossus < >`", "{name} has an empty target"),
    ("{name}`{fig}`gpus``", "roles do not nest"),
    ("{name}``{fig}`gpus` ``", "roles do not nest"),
])
def test_a_malformed_role_is_an_error_at_its_line(make_app, project: Path, typed: str, says: str) -> None:
    warnings, _ = build(make_app, project, f"Then {typed} here.")
    assert f"{project / 'article' / 'one.md'}:3: WARNING: " in warnings
    assert says in warnings and "Fix: " in warnings


def test_parse_mention_reads_like_sphinx() -> None:
    assert parse_mention("a < b <colossus>") == ("a < b", "colossus")
    assert parse_mention("The machine <colossus>") == ("The machine", "colossus")
    assert parse_mention("colossus") == (None, "colossus")
    assert parse_mention("a \x00<b>") == (None, "a <b>")  # an escaped "<" is not a title
    assert mention_problem("fig", "gpus") is None
    assert "empty target" in mention_problem("fig", "")
