"""External links open nothing that can reach back into the page.

Every reference to another site gets ``rel="noopener noreferrer"``: the page it
opens cannot script this one through ``window.opener``, and is not told which
page linked to it. A post-transform sets it on the doctree, so every builder and
every language gets it, with no translator of our own to clash with other
extensions'. The theme's footer links are the templates' part
(docs/_templates/page.html).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class ExternalLinkRel(SphinxPostTransform):
    default_priority = 900  # after every reference is resolved

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.reference):
            parts = urlsplit(node.get("refuri", ""))
            # Another site: a host (``//host`` too), not a page of ours.
            if not node.get("internal") and parts.netloc and parts.scheme in {"", "http", "https"}:
                words = node.get("rel", "").split()
                node["rel"] = " ".join([*words, *(w for w in ("noopener", "noreferrer") if w not in words)])


def setup_links(app: Sphinx) -> None:
    app.add_post_transform(ExternalLinkRel)
