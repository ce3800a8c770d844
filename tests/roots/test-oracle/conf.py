extensions = ["myst_parser", "sphinx_design", "policy_handbook.sphinxext"]
language = "ja"
policy_dir = "policy"  # tests/fixtures/minimal-policy + a situations.yaml, copied by the test
source_suffix = {".md": "markdown"}
exclude_patterns = ["policy", "_build"]
html_theme = "basic"
policy_api_dir = ""
