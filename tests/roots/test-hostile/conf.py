# Test root: a guideline whose texts are hostile markup, rendered by the real extension.
# taxonomy.yaml, glossary.yaml and schema/ are copied in from the real policy/ by the test.
extensions = ["myst_parser", "sphinx_design", "policy_handbook.site"]
policy_dir = "policy"
language = "ja"
myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown"}
html_theme = "furo"
