"""How a mention role's text is read, as Sphinx reads a cross-reference's.

``{name}`text <id>``` has an explicit title: the target is the last ``<...>``
holding no ``<`` (Sphinx's ``sphinx.util.nodes.explicit_title_re``), so
``{name}`a < b <colossus>``` names ``colossus``, and ``\\<`` is a literal
``<``. A role with nothing to name, a role inside a role, and a role the
Markdown parser could not read (``{fig}````, which is left as plain text)
are each an error at the page's line, never text printed as it was typed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.utils import unescape
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.nodes import explicit_title_re

from .kinds import KIND_OF_ROLE

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

INNER_ROLE = re.compile(r"\{[\w.:-]+\}|`")
# A role name the parser left in the text: `{fig}` followed by a backtick it could not pair.
UNREAD_ROLE = re.compile(rf"\{{({'|'.join(KIND_OF_ROLE)})\}}`")


def parse_mention(escaped_text: str) -> tuple[str | None, str]:
    """(explicit title or None, target) of a role's text, backslash escapes still marked (\\x00)."""
    if match := explicit_title_re.match(escaped_text):
        return unescape(match.group(1)), unescape(match.group(2)).strip()
    return None, unescape(escaped_text).strip()


def mention_problem(role: str, target: str) -> str | None:
    """What is wrong with a mention's target, with the fix; None if it can name an entry."""
    if not target:
        return (f"{{{role}}} has an empty target. Fix: write the entry's id between the "
                f"backticks, e.g. {{{role}}}`colossus`.")
    if INNER_ROLE.search(target):
        return (f"{{{role}}}`{target}` holds a role (or a backtick) inside its target: roles do not "
                f"nest. Fix: write the id alone, e.g. {{{role}}}`colossus`, or give a title with "
                f"{{{role}}}`title <id>`.")
    return None


class RefuseUnreadRoles(SphinxTransform):
    """`{fig}`` `` and the like reach the page as plain text: stop there instead."""

    default_priority = 870  # after translation: a msgstr can hold one too

    def apply(self, **kwargs: Any) -> None:
        for text in self.document.findall(nodes.Text):
            if (match := UNREAD_ROLE.search(text.astext())) and not self.quoted(text):
                role = match.group(1)
                logger.warning(
                    "{%s} is followed by a backtick the Markdown parser could not pair (an empty "
                    "{%s}`` or a role inside a role), so it would print as typed. Fix: write "
                    "{%s}`id` with the entry's id.", role, role, role,
                    location=text.parent, type="figures", subtype="role-syntax")

    @staticmethod
    def quoted(text: nodes.Text) -> bool:
        """Inside code (syntax shown, not used), or inside a role already reported."""
        node = text.parent
        while node is not None:
            if isinstance(node, (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment)):
                return True
            if isinstance(node, nodes.inline) and "unknown-figure" in node.get("classes", []):
                return True
            node = node.parent
        return False


def setup_roles(app: Sphinx) -> None:
    app.add_transform(RefuseUnreadRoles)
