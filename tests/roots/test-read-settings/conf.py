extensions = ["myst_parser", "policy_handbook.upstream"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "shared.md"]
html_theme = "basic"
