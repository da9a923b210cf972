"""A "cite this" block (```{cite-this}```), generated so that no date or title is typed
in a page: the citation as plain text and as BibTeX, each a code block (so that it gets
a copy button), from conf.py and the edition's date, written in the build's language.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from babel import Locale
from docutils import nodes
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from ..figures.data import format_date_value
from ..figures.editions import build_edition
from .dating import EPOCH_FILE, utc_date

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

_ = get_translation("macrohard_docs")


def author_in(config: Config) -> str:
    """The dossier's author as this build's edition names it ("L’équipe du dossier Macrohard")."""
    return edition.author if (edition := build_edition(config)) else config.author


def language_name(code: str, in_language: str) -> str:
    return Locale.parse(in_language).languages.get(code, code)


def citation_texts(config: Config, date: dt.date) -> tuple[str, str]:
    """(plain text, BibTeX) citations of this edition."""
    language = config.language
    title = config.html_title or config.project
    author = author_in(config)
    plain = str(_("{author}. {title}. Edition of {date}, in {language}.")).format(
        author=author, title=title, date=format_date_value(date, language),
        language=language_name(language, language))
    key = re.sub(r"[^a-z0-9]+", "-", config.project.lower()).strip("-") + f"-{date.year}"
    fields = {"author": "{" + author + "}", "title": title, "year": str(date.year), "date": date.isoformat(),
              "language": language_name(language, "en").lower()}
    if source := config.dossier_source_title:
        fields["note"] = str(_("Retold from the {source_language} article « {source} »")).format(
            source_language=language_name(config.dossier_source_language, language), source=source)
        plain += f" {fields['note']}."
    if config.release:
        plain += " " + str(_("Version {release}.")).format(release=config.release)
        fields["version"] = config.release
    bibtex = "@misc{" + key + ",\n" + "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items()) + "}"
    return plain, bibtex


class CiteThisDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        # The date follows every other page's content: re-read when it changes.
        self.env.note_dependency(str(self.env.doctreedir / EPOCH_FILE))
        plain, bibtex = citation_texts(self.config, utc_date(self.config.edition_epoch))
        container = nodes.container(classes=["cite-this"])
        for label, text, language in ((_("As text:"), plain, "text"), (_("As BibTeX:"), bibtex, "bibtex")):
            container += nodes.paragraph(str(label), str(label))
            block = nodes.literal_block(text, text, language=language, classes=["citation-text"])
            block.source, block.line = self.get_source_info()
            container += block
        return [container]


def setup_citation(app: Sphinx) -> None:
    app.add_config_value("dossier_source_title", "", "env", types=frozenset({str}))
    app.add_config_value("dossier_source_language", "fr", "env", types=frozenset({str}))
    app.add_directive("cite-this", CiteThisDirective)
