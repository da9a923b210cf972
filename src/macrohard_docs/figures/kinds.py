"""What the glossary's entries and the figures are: each vocabulary one table, read by every module
(and by the scripts, from the generated glossary-data.js, site/search.py): :data:`KINDS`, the four
kinds of glossary entry and what each is called where; :data:`STATUSES`, how a figure stands in the
article, with the words the glossary, the charts' tables and their keys say for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sphinx.locale import get_translation

_ = get_translation("macrohard_docs")


@dataclass(frozen=True)
class Kind:
    name: str  # the domain's object type, and each record's `kind`: "figure"
    role: str | None  # the role pages write, {fig}`id`; units have none (a figure's entry links its unit)
    plural: str  # the glossary part, ```{figure-glossary} figures```, and the Dataset's attribute
    anchor_prefix: str  # of each entry's anchor, "fig-"
    object_label: str  # the object type's name in Sphinx's search index
    search_rank: int  # among equally good matches, the search lists lower ranks first

    def anchor(self, item_id: str) -> str:
        """The anchor of the glossary entry of *item_id*: "fig-colossus-power", "unit-usd-per-year"."""
        return self.anchor_prefix + slug(item_id)


# Figures and derived figures share "fig-": a page links either the same way, and
# static/term-preview.js finds entry links by these prefixes (its ENTRY pattern).
KINDS: tuple[Kind, ...] = (
    Kind("figure", role="fig", plural="figures", anchor_prefix="fig-", object_label="figure",
         search_rank=2),
    Kind("derived", role="derived", plural="derived", anchor_prefix="fig-", object_label="derived figure",
         search_rank=3),
    Kind("name", role="name", plural="names", anchor_prefix="name-", object_label="name", search_rank=0),
    Kind("unit", role=None, plural="units", anchor_prefix="unit-", object_label="unit", search_rank=1),
)
KIND = {kind.name: kind for kind in KINDS}
KIND_OF_ROLE = {kind.role: kind for kind in KINDS if kind.role}
KIND_OF_PLURAL = {kind.plural: kind for kind in KINDS}


def slug(text: str) -> str:
    """*text* as an anchor's tail. Ids of figures and names already are one (data.ID_PATTERN);
    unit ids are TOML keys, such as "USD/year"."""
    text = text.lower().replace("/", "-per-")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True)
class Status:
    """How a figure (or a chart's mark of it) stands in the article. Its words are
    translated when asked for, in the build's language: hence functions."""

    name: str  # as the data file writes it: status = "promised"
    label: Callable[[], str]  # in the glossary's facts and a chart's table: "promised"
    key: Callable[[], str]  # in a chart's key, what its mark looks like: "dashed outline: a promise"


# In the order a chart's key lists them. "event" and "bound" are marks a chart
# draws on its own: a date on a calendar, a "less than" figure.
STATUSES: tuple[Status, ...] = (
    Status("event", lambda: _("stated in the source"), lambda: _("dot on the calendar: a date it states")),
    Status("stated", lambda: _("stated in the source"), lambda: _("solid bar: a stated figure")),
    Status("promised", lambda: _("promised"), lambda: _("dashed outline: a promise")),
    Status("projection", lambda: _("projected"), lambda: _("dotted outline: a projection")),
    Status("bound", lambda: _("stated, as an upper bound"),
           lambda: _("outline after “less than”: an upper bound")),
    # Derived figures: computed by us, never by the article.
    Status("derived", lambda: _("our arithmetic"), lambda: _("“our arithmetic”: computed by us from its figures")),
)
STATUS = {status.name: status for status in STATUSES}
FIGURE_STATUSES = ("stated", "promised", "projection")  # what the data file may say of a figure
CHART_STATUSES = (*FIGURE_STATUSES, "derived")  # and of a chart's row
