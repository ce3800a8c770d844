# Test root of the incremental-build tests: each page uses a different part of the policy.
extensions = ["myst_parser", "sphinx_design", "policy_handbook.site"]
language = "ja"
policy_dir = "policy"
source_suffix = {".md": "markdown"}
exclude_patterns = ["policy", "_build"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
# The JSON API is tested elsewhere (tests/sphinx/test_sphinx_json.py).
policy_api_dir = ""
