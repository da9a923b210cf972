"""Sphinx configuration: declarative only; behaviour lives in src/macrohard_docs."""

project = "Macrohard and Colossus"
author = "The Macrohard dossier team"
copyright = "2026, the Macrohard dossier team"
version = release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx_copybutton",
    "macrohard_docs",
]

figures_data = "data/figures.toml"
figures_article_prefix = "article/"
# The article this dossier retells, for the "cite this" block.
# French typography: a narrow no-break space before the colon, a curly apostrophe.
dossier_source_title = "Macrohard\u202f: Elon Musk veut créer le rival de Microsoft… juste avec l’IA"
dossier_source_language = "fr"
# Where readers report an error: a web address (the repository's issues, say)
# or an e-mail address. The About page links to it; left empty, it says that
# this copy gives no address rather than point to one it cannot name.
dossier_corrections_to = ""
# The corrections log, shown on the About page (its header says how to add one).
dossier_corrections = "data/corrections.toml"

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

# --- Editions and translation -------------------------------------------------
# The French edition is Sphinx's own i18n: one catalog per page under
# docs/locales/fr/LC_MESSAGES/ (article/colossus.po, glossary.po, ...), refreshed
# by `nox -s translation`; the build picks the language with `-D language=fr`.
locale_dirs = ["../locales"]
gettext_compact = False

# Every edition of the site, one record each, in switcher order; the first is
# the source language, the one the pages are written in. The build
# (macrohard_docs.publish), nox and the extension read this list alone
# (macrohard_docs.figures.editions), so adding a language is one record here
# plus its catalogs (CONTRIBUTING.md, "Adding a language"). The keys:
#   language  the language's code, as Sphinx and docs/locales/<language>/ name it
#   path      where the edition's HTML sits below the root edition's
#             (docs/_build/html/): "" for the first, a folder for each other
#   label     the language's name in itself; `switch`, the switcher's link text
#   title, short_title   the site's name, and the installed web app's (a phone's
#             home screen shows about 12 characters); default `html_title`
#   subtitle  printed under the title on the PDF's title page
#   author, copyright    as the edition writes them (citation, title page,
#             footer); default `author` and `copyright`
#   search_language      the search index's language (default: `language`)
#   epub      the e-book's own settings (its title, blurb and identifier), over
#             the epub_* values below (its author, publisher and contributor
#             are the edition's `author`)
site_editions = [
    dict(language="en", path="", label="English", title="Macrohard and Colossus",
         short_title="MH dossier", subtitle="a dossier", switch="Read this page in English"),
    dict(language="fr", path="fr", label="Français", title="Macrohard et Colossus",
         short_title="Dossier MH", subtitle="un dossier", switch="Lire cette page en français",
         author="L’équipe du dossier Macrohard", copyright="2026, l’équipe du dossier Macrohard",
         epub=dict(
             epub_title="Macrohard et Colossus\u00a0: un dossier",
             epub_description=(
                 "Le récit, avec nos propres mots, d’un article web en français consacré à "
                 "Macrohard, à xAI et au supercalculateur Colossus, avec un glossaire de ses chiffres."
             ),
             epub_source=(
                 "«\u00a0Macrohard\u202f: Elon Musk veut créer le rival de Microsoft… juste avec l’IA\u00a0» "
                 "(article web en français)"
             ),
             epub_identifier="urn:uuid:3a9b7c1e-5d24-4f6a-8e0b-7c2d9f1a4b63",
             epub_copyright=(
                 "© 2026 L’équipe du dossier Macrohard. Texte, graphiques et données sous licence "
                 "Creative Commons Attribution 4.0 International (CC BY 4.0, "
                 "https://creativecommons.org/licenses/by/4.0/deed.fr). Les faits viennent de "
                 "l’article «\u00a0Macrohard\u202f: Elon Musk veut créer le rival de Microsoft… "
                 "juste avec l’IA\u00a0»."
             ),
             epub_cover=("_static/cover-fr.svg", "epub-cover.html"),
         )),
]
# Sphinx's language when no -D language= says otherwise (sphinx-build, nox -s serve):
# the source edition's.
language = site_editions[0]["language"]
# Offline editions (see macrohard_docs.site.offline and macrohard_docs.publish.build).
epub_title = "Macrohard and Colossus: a dossier"
epub_author = author
epub_publisher = "The Macrohard dossier team"
# The terms of reuse: the code is under the MIT licence (LICENSE); the text,
# the charts and the data under CC BY 4.0. Printed in each book's metadata
# (EPUB dc:rights, the PDF's /Rights) and on the PDF's title page; the About
# page says the same in its own words.
dossier_content_license = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
epub_copyright = (
    "© 2026 The Macrohard dossier team. Text, charts and data under the Creative Commons "
    "Attribution 4.0 International licence (CC BY 4.0, "
    "https://creativecommons.org/licenses/by/4.0/). The facts come from the article "
    "“Macrohard: Elon Musk veut créer le rival de Microsoft… juste avec l’IA”."
)
epub_description = (
    "A retelling, in our own words, of a French-language web article about "
    "Macrohard, xAI and the Colossus supercomputer, with a glossary of its figures."
)
epub_source = (
    "«\u00a0Macrohard\u202f: Elon Musk veut créer le rival de Microsoft… juste avec l’IA\u00a0» "
    "(French-language web article)"
)
epub_identifier = "urn:uuid:6f1d2c4e-8a57-4b0e-9a53-2d0b6f4c1e77"
epub_scheme = "uuid"
epub_uid = "dossier"
epub_cover = ("_static/cover.svg", "epub-cover.html")
epub_show_urls = "footnote"
epub_contributor = author
# The landing page hides its toctree (furo shows it in the sidebar); the book needs it.
epub_tocscope = "includehidden"
