"""Our fix of MyST-Parser's scratch documents (macrohard_docs.figures.myst_private)."""

from __future__ import annotations

from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from myst_parser.mdit_to_docutils import base

from macrohard_docs.figures.myst_private import settings_once


def test_scratch_documents_keep_their_own_default_settings() -> None:
    settings_once()
    replaced = base.make_document
    settings_once()  # a second Sphinx run in the same process replaces nothing more
    assert base.make_document is replaced and getattr(replaced, "settings_once", False)
    first, second = base.make_document("a.md"), base.make_document("b.md")
    # Each its own copy: one document's settings changed leave the next one's alone.
    assert first.settings is not second.settings
    first.settings.report_level = 5
    assert base.make_document().settings.report_level == get_default_settings(RSTParser).report_level
    defaults = vars(get_default_settings(RSTParser))
    mine = vars(second.settings)
    assert mine.keys() == defaults.keys()
    assert {k: v for k, v in mine.items() if k != "record_dependencies"} == \
        {k: v for k, v in defaults.items() if k != "record_dependencies"}
    assert first.settings.record_dependencies is not second.settings.record_dependencies
    assert first["source"] == "a.md"
