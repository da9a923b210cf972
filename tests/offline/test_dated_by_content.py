"""Issue 16, point 5: dated by the content, reproducible by default.

Outside git, the newest source file dates the edition. (Inside git, by the
commits: two fresh clones built with no SOURCE_DATE_EPOCH, their bytes and
their dates, in tests/proof/test_reproducible.py.)
"""

from __future__ import annotations

import os
from pathlib import Path

from macrohard_docs.site.dating import content_epoch


def test_outside_git_the_newest_source_file_dates_the_edition(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "source").mkdir(parents=True)
    (docs / "locales" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    page, catalog, compiled = (docs / "source/index.md", docs / "locales/fr/LC_MESSAGES/index.po",
                               docs / "locales/fr/LC_MESSAGES/index.mo")
    for path, stamp in ((page, 1_700_000_000), (catalog, 1_700_100_000), (compiled, 1_800_000_000)):
        path.write_text("x", encoding="utf-8")
        os.utime(path, (stamp, stamp))
    # The compiled catalog is written by the build, not content: it does not count.
    assert content_epoch(docs) == 1_700_100_000
