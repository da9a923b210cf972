"""External links open nothing that can reach back into the page.

Every reference to another site (an absolute URL with a host) gets
``rel="noopener noreferrer"``: the page it opens cannot script this one
through ``window.opener``, and is not told which page linked to it. Sphinx's
HTML writers already write a reference's ``rel`` attribute; a post-transform
sets it on the doctree, so every builder (HTML, single page, EPUB) and every
language gets it, with no translator of our own to clash with other
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

REL = ("noopener", "noreferrer")


def is_external(uri: str) -> bool:
    """An address on another site: a scheme and a host (``//host`` too), not a page of ours."""
    parts = urlsplit(uri)
    return bool(parts.netloc) and parts.scheme in {"", "http", "https"}


def with_rel(existing: str) -> str:
    words = existing.split()
    return " ".join([*words, *(word for word in REL if word not in words)])


class ExternalLinkRel(SphinxPostTransform):
    """Add noopener noreferrer to the ``rel`` of every reference to another site."""

    default_priority = 900  # after every reference is resolved

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.reference):
            if node.get("internal") or not is_external(node.get("refuri", "")):
                continue
            node["rel"] = with_rel(node.get("rel", ""))


def setup_links(app: Sphinx) -> None:
    app.add_post_transform(ExternalLinkRel)
