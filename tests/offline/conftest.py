"""The offline tests' browser pages: every page opened through `open_page` is
watched (helpers.Watch): each request, failed request, console error, uncaught
error, dialog and Content-Security-Policy violation is recorded, so a test can
assert that a page from disk asked nothing of the network and broke nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import DESKTOP


@pytest.fixture
def open_page(tabs) -> Callable:
    """open_page(path_or_url) -> (page, watch): a fresh page, loaded; the pages'
    own policy is enforced."""
    def opener(target: Path | str):
        tab = tabs(viewport=DESKTOP)
        tab.open(target)
        return tab.page, tab.watch

    return opener
