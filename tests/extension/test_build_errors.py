"""Pages and glossaries that do not add up stop the strict build with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import edit

from macrohard_docs.figures.data import FiguresDataError


def warnings_of(make_app, srcdir: Path) -> str:
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    return app.warning.getvalue()


def test_unknown_figure_id_in_a_page(make_app, project: Path) -> None:
    edit(project / "article" / "one.md", "{fig}`gpus`, needs", "{fig}`gpu`, needs")
    warnings = warnings_of(make_app, project)
    assert f"{project / 'article' / 'one.md'}:3" in warnings
    assert "unknown figure id 'gpu' (did you mean 'gpus'?)" in warnings
    assert "Fix: use an id defined in" in warnings


def test_unknown_derived_id_in_a_box(make_app, project: Path) -> None:
    edit(project / "article" / "one.md", "cost-per-gpu\n```", "cost-per-cpu\n```")
    warnings = warnings_of(make_app, project)
    assert "unknown derived figure id 'cost-per-cpu'" in warnings
    assert "one.md:" in warnings


def test_entry_nothing_links_to(make_app, project: Path) -> None:
    edit(project / "article" / "one.md", "{name}`colossus` has", "It has")
    edit(project / "article" / "one.md", "{name}`The machine <colossus>`", "the machine")
    edit(project / "article" / "two.md", "{name}`colossus`", "It")
    warnings = warnings_of(make_app, project)
    assert "glossary entry 'colossus' is linked from no page" in warnings
    assert f"{project / 'figures.toml'}:" in warnings


def test_figures_without_a_glossary(make_app, project: Path) -> None:
    edit(project / "glossary.md", "```{figure-glossary} figures\n```", "")
    warnings = warnings_of(make_app, project)
    assert "no page holds the glossary of figures" in warnings
    assert "Fix: add ```{figure-glossary} figures```" in warnings


def test_a_figure_given_typed_text(make_app, project: Path) -> None:
    edit(project / "article" / "one.md", "{fig}`gpus`, needs", "{fig}`a lot <gpus>`, needs")
    warnings = warnings_of(make_app, project)
    assert "figure 'gpus' is given its own text 'a lot'" in warnings


def test_section_that_is_not_a_page(make_app, project: Path) -> None:
    edit(project / "figures.toml", 'section = "one"', 'section = "three"')
    warnings = warnings_of(make_app, project)
    assert "names section 'three', which is not a page" in warnings


def test_broken_data_file_stops_before_reading(make_app, project: Path) -> None:
    edit(project / "figures.toml", "[[figure]]", "[[figure]")
    with pytest.raises(FiguresDataError, match=r"figures\.toml:\d+: the file is not valid TOML"):
        make_app("html", srcdir=project, freshenv=True)


def test_a_glossary_page_that_is_no_share(make_app, project: Path) -> None:
    edit(project / "glossary.md", "```{figure-glossary} figures\n", "```{figure-glossary} figures\n:page: 3/2\n")
    warnings = warnings_of(make_app, project)
    assert f"{project / 'glossary.md'}:" in warnings
    assert "glossary page '3/2' is not one of n pages. Fix: write :page: 2/3" in warnings
