"""```{implications}```: the ``our-arithmetic`` box of *every* ``[[derived]]`` figure, in the data's
order (a derived figure added to the data needs no page edit), every figure of every formula linked
to its glossary entry (not only the page's first mention): each line is read on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import OurArithmeticDirective, dataset_of, domain_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class ImplicationsDirective(OurArithmeticDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        self.content = StringList(list(dataset_of(self.env).derived), source=self.get_source_info()[0])
        result = super().run()
        for box in result:
            box["classes"].append("implications")
            for ref in box.findall(addnodes.pending_xref):
                ref["figures_always_link"] = True
        return result


class KeepEveryLink(SphinxPostTransform):
    """Exempt the formulas' links from "link the first mention only": just before the
    domain's ResolveMentions (priority 5), with the title it would have given."""

    default_priority = 4

    def run(self, **kwargs: Any) -> None:
        domain = domain_of(self.env)
        for ref in self.document.findall(addnodes.pending_xref):
            if ref.get("figures_always_link"):
                ref["reftitle"] = domain.definition(ref["reftarget"]) or ref.get("reftitle")
                ref["figures_mention"] = False


def setup_implications(app: Sphinx) -> None:
    app.add_directive("implications", ImplicationsDirective)
    app.add_post_transform(KeepEveryLink)
