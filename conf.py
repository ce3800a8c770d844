"""Sphinx configuration for the policy handbook (build with `sphinx-build -c . docs OUT`)."""

import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "extensions"))

project = "SNS利用ガイドライン ハンドブック"
author = "Policy handbook maintainers"
copyright = "2026, Policy handbook maintainers"
language = "ja"

extensions = [
    "myst_parser",
    "sphinx_design",
    "policy_handbook",
]

# The policy data the extension renders (relative to this file).
policy_dir = str(ROOT / "policy")

myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_root", "_build", "Thumbs.db", ".DS_Store"]

html_theme = "furo"
html_title = project
