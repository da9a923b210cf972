"""The publish layer: the staged, strict build of every edition and format, and
the packaging of the EPUB, PDF and zip. Not a Sphinx extension: it runs Sphinx.

    python -m macrohard_docs.publish --help
"""
