extensions = ["myst_parser", "policy_handbook.upstream"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "basic"
