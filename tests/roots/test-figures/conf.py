extensions = ["myst_parser", "macrohard_docs"]
figures_data = "figures.toml"
language = "en"
exclude_patterns = ["_build"]
