"""What the numbers imply: every derived figure, with its formula.

    ```{implications}
    ```

is the ``our-arithmetic`` box listing *every* ``[[derived]]`` entry of the
data file, in its order, so that a derived figure added to the data appears
on the page without an edit. Unlike elsewhere, every figure in every formula
links to its glossary entry (not only the page's first mention): each line
is read on its own.
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
    """Exempt the formulas' links from "link the first mention only".

    Runs just before the domain's ResolveMentions (priority 5), giving each
    link the title that transform would have given it.
    """

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
