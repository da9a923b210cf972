"""The four kinds of glossary entry, and what each is called where: one table.

A page mentions a figure with the role ``{fig}`id```, the glossary lists
figures under ```{figure-glossary} figures``` (the same word names the
``Dataset``'s table of them), and each entry's anchor starts with ``fig-``.
Every other module reads these names here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # the domain's object type, and each record's `kind`: "figure"
    role: str | None  # the role pages write, {fig}`id`; units have none (a figure's entry links its unit)
    plural: str  # the glossary part, ```{figure-glossary} figures```, and the Dataset's attribute
    anchor_prefix: str  # of each entry's anchor, "fig-"
    object_label: str  # the object type's name in Sphinx's search index

    def anchor(self, item_id: str) -> str:
        """The anchor of the glossary entry of *item_id*: "fig-colossus-power", "unit-usd-per-year"."""
        return self.anchor_prefix + slug(item_id)


# Figures and derived figures share "fig-": a page links either the same way, and
# static/term-preview.js finds entry links by these prefixes (its ENTRY pattern).
KINDS: tuple[Kind, ...] = (
    Kind("figure", role="fig", plural="figures", anchor_prefix="fig-", object_label="figure"),
    Kind("derived", role="derived", plural="derived", anchor_prefix="fig-", object_label="derived figure"),
    Kind("name", role="name", plural="names", anchor_prefix="name-", object_label="name"),
    Kind("unit", role=None, plural="units", anchor_prefix="unit-", object_label="unit"),
)
KIND = {kind.name: kind for kind in KINDS}
KIND_OF_ROLE = {kind.role: kind for kind in KINDS if kind.role}
KIND_OF_PLURAL = {kind.plural: kind for kind in KINDS}


def slug(text: str) -> str:
    """*text* as an anchor's tail. Ids of figures and names already are one (data.ID_PATTERN);
    unit ids are TOML keys, such as "USD/year"."""
    text = text.lower().replace("/", "-per-")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
