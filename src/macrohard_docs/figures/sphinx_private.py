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
