"""Every use of Sphinx's private API, in one place, each with why no public API fits.

Sphinx may change these in any release (pyproject.toml pins 9.0.4): a Sphinx
upgrade checks this module first. In the figures layer, the lowest, so
that every layer may import from it.
"""

from __future__ import annotations


def forget_asset_checksums() -> None:
    """Make Sphinx checksum our static files again (the ?v= of script and link tags).

    Private: Sphinx caches each asset's checksum for the life of the process
    (sphinx.builders.html._assets._file_checksum_inner, an lru_cache) and
    offers no way to clear it; a rebuild in the same process (the build
    command's passes for the zip, the tests) would otherwise link the data
    files we just rewrote with stale checksums.
    """
    from sphinx.builders.html import _assets

    _assets._file_checksum_inner.cache_clear()


def drop_unused_search_words(indexer: object) -> None:
    """Forget the words of the search index that no page holds any more.

    Private: Sphinx's IndexBuilder (sphinx.search, Sphinx 9.0) keeps word ->
    pages in _mapping and _title_mapping; prune() takes the pages out of a
    rewritten page's words but keeps the words, which the index then writes as
    "word":[]. No method or option drops them. With another Sphinx, where the
    names differ, nothing is dropped: the index only keeps a few empty words.
    """
    for name in ("_mapping", "_title_mapping"):
        mapping = getattr(indexer, name, None)
        if isinstance(mapping, dict):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]
