# A tiny bilingual project for the i18n tests: built with language=en or fr.
project = "Tiny"
language = "en"
extensions = ["myst_parser", "macrohard_docs"]
figures_data = "figures.toml"
figures_article_prefix = "article/"
exclude_patterns = ["_build"]
html_theme = "furo"
locale_dirs = ["locales"]
gettext_compact = False
site_editions = [
    {"language": "en", "path": "", "label": "English", "switch": "Read this page in English"},
    {"language": "fr", "path": "fr", "label": "Français", "switch": "Lire cette page en français",
     "title": "Minuscule"},
]
# This tiny project translates only some of its pages (index.md has no catalog).
catalogs_required = False
