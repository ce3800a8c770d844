# A separate project citing the handbook's clauses: plain Sphinx, no policy extension.
# The test sets intersphinx_mapping to the handbook build's objects.inv.
extensions = ["sphinx.ext.intersphinx"]
project = "研修資料"
language = "ja"
html_theme = "basic"
