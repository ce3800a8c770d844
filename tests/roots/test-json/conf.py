extensions = ["myst_parser", "sphinx_design", "policy_handbook.sphinxext"]
language = "ja"
policy_dir = "policy"
source_suffix = {".md": "markdown"}
exclude_patterns = ["policy", "_build"]
html_theme = "basic"
policy_api_dir = "api/v1"  # where the pages link to the API (-b policyjson writes it)
