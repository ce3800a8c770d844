"""Sphinx configuration for the policy handbook (build with `sphinx-build -c . docs OUT`).

One source tree, two sites: `-D language=ja` (the pages as written) and
`-D language=en` (the same pages through docs/locales/en/LC_MESSAGES/*.po).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "extensions"))

from policy_handbook import __version__  # noqa: E402 (needs the sys.path line above)

project = "SNS利用ガイドライン ハンドブック"
# The handbook's edition: in EPUB metadata, and required by `-b epub`.
version = release = __version__
author = "ハンドブック編集担当"
copyright = "2026, ハンドブック編集担当"
language = "ja"

# Configuration values per language, applied by policy_handbook.site
# once `-D language=...` is known: the English site shows no Japanese title.
policy_site_overrides = {
    "ja": {
        "epub_basename": "sns-guidelines-handbook-ja",
        "epub_description": "筑後市と柳川市の職員向けソーシャルメディア利用ガイドラインと、その比較・様式・用語集",
        # One fixed identifier per edition, so reader apps tell the two apart and
        # recognise a new build as the same book (uuid5 of "urn:policy-handbook:
        # sns-guidelines-handbook:<lang>").
        "epub_identifier": "urn:uuid:6b8d5db8-eb51-5f7a-a462-04bc80564ddc",
    },
    "en": {
        "project": "Social Media Guidelines Handbook",
        "html_title": "Social Media Guidelines Handbook",
        "author": "Policy handbook maintainers",
        "copyright": "2026, Policy handbook maintainers",
        "epub_basename": "sns-guidelines-handbook-en",
        "epub_description": "The social media guidelines of Chikugo and Yanagawa for their staff, compared, with forms and a glossary",
        "epub_identifier": "urn:uuid:a82cf8c5-3c6d-59a7-950b-fcd962c4771d",
        "epub_contributor": "Policy handbook maintainers",
    },
}
# The languages the site is built in; every page links to its other-language twin.
policy_site_languages = ["ja", "en"]

extensions = [
    "myst_parser",
    "sphinx_design",
    "policy_handbook.sphinxext",  # the policy extension: domain, directives, JSON
    "policy_handbook.site",  # this site's features: language switch, Japanese search…
]

# The policy data the extension renders (relative to this file).
policy_dir = str(ROOT / "policy")
# Where the pages link to the JSON API: beside the language sites. `make html`
# builds it there (-b policyjson into _build/staging/api/v1), published with the
# sites as _build/html/api/v1 (policy_handbook/publish.py).
policy_api_dir = "../api/v1"
# `make check`'s cache of parsed policy files: the build parses only what changed since.
policy_check_cache = str(ROOT / "_build" / "check-cache")

myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_root", "_build", "Thumbs.db", ".DS_Store"]
templates_path = ["docs/_templates"]  # relative to this file (locale_dirs: to docs/)

# -- Translations: docs/locales/en/LC_MESSAGES/<docname>.po, compiled to .mo by
# Sphinx at build time (gettext_auto_build, the default). No uuids or source
# locations in the catalogs, so they only change when the text does.
locale_dirs = ["locales/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False
gettext_allow_fuzzy_translations = False

# -- HTML --------------------------------------------------------------------
html_theme = "furo"
html_title = project
html_static_path = []  # the extensions ship their own CSS/JS (sphinxext/static, site/static)
html_favicon = "docs/_static/favicon.svg"  # relative to this file; also used by docs/_root/index.html
# The pages' MyST sources are not useful to readers; furo would add a "view
# source" button for them.
html_show_sourcelink = False
html_copy_source = False
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/policy-links.html",  # docs/_templates: the clause index in the nav
        "sidebar/scroll-end.html",
    ],
}
html_theme_options = {
    # Japanese-friendly system fonts before furo's Latin stack.
    "light_css_variables": {
        "font-stack": (
            '-apple-system, BlinkMacSystemFont, "Segoe UI", "Hiragino Sans", '
            '"Hiragino Kaku Gothic ProN", "Noto Sans JP", "Noto Sans CJK JP", '
            'Meiryo, "Yu Gothic UI", sans-serif'
        ),
    },
}

# -- Other builders ------------------------------------------------------------
# EPUB (`-b epub`): title, author, language and rights come from the values above
# (per language); the file is named by epub_basename in policy_site_overrides.
epub_scheme = "UUID"
epub_uid = "handbook-id"  # the XML id of the identifier element in content.opf
epub_contributor = author
