"""Sphinx configuration: declarative only; behaviour lives in src/macrohard_docs."""

project = "Macrohard and Colossus"
author = "The Macrohard dossier team"
copyright = "2026, the Macrohard dossier team"
language = "en"

extensions = [
    "myst_parser",
    "sphinx_copybutton",
    "macrohard_docs",
]

figures_data = "data/figures.toml"
figures_article_prefix = "article/"
# The article this dossier retells, for the "cite this" block.
dossier_source_title = "Macrohard : Elon Musk veut créer le rival de Microsoft… juste avec l'IA"
dossier_source_language = "fr"

myst_enable_extensions = ["colon_fence", "deflist", "smartquotes"]
myst_heading_anchors = 3
root_doc = "index"
exclude_patterns = []
templates_path = ["_templates"]
html_static_path = ["_static"]

html_theme = "furo"
html_title = "Macrohard and Colossus"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
