# The site features on a small policy: furo with the project's templates and
# theme catalog (tests pass templates_path/locale_dirs pointing at docs/).
extensions = ["myst_parser", "sphinx_design", "policy_handbook.site"]
language = "ja"
project = "北市ハンドブック"
policy_dir = "policy"
policy_site_overrides = {"en": {"project": "North Handbook", "html_title": "North Handbook"}}
source_suffix = {".md": "markdown"}
exclude_patterns = ["policy", "_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
html_theme = "furo"
html_title = project
html_show_sourcelink = False
html_copy_source = False
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/navigation.html",
        "sidebar/policy-links.html",
    ],
}
