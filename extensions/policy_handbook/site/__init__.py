"""This handbook's own site features: ``extensions = [..., "policy_handbook.site"]``.

The policy extension (``policy_handbook.sphinxext``) renders policy data in any
Sphinx project; this extension adds what makes the two-language furo site of
this handbook, and loads ``policy_handbook.sphinxext`` and the upstream
workarounds (``policy_handbook.upstream``) it relies on. Each feature has its
own module:

- ``language_switch``: the link to the same page in the other language, the
  ``<link rel="alternate" hreflang>`` tags, and the furo UI strings furo's
  templates hard-code in English (translated from the ``sphinx`` catalog);
- ``theme_i18n``: the JavaScript strings (search results) Sphinx's own catalog
  leaves untranslated, from the project's ``locales/<lang>/LC_MESSAGES/sphinx.po``;
- ``search_ja``: Japanese search that finds compound words (bigram index + query);
- ``search_anchors``: search results that land on the clause, not the page top;
- ``search_index``: the search page's index (``search_table``: one small file per query
  word, whatever the number of municipalities), results grouped by kind of page and by topic;
- ``lang_roles``: the ``{lang-ja}``/``{lang-en}`` spans;
- ``gc_tuning``: fewer garbage-collector passes during a build;
- ``po_update``: ``make gettext``'s catalog update (a command, not loaded here).

Here: the per-language configuration (``policy_site_overrides``, e.g. the
English site's title), the links a toctree cannot hold (the clause index) for
docs/_templates/sidebar/policy-links.html, and the site stylesheet.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from .. import __version__
from . import gc_tuning, lang_roles, language_switch, search_anchors, search_index, search_ja, theme_i18n

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
SITE_CSS = "site-handbook.css"
# furo's search box: a form that submits to search.html.
SEARCH_SIDEBAR = "sidebar/search.html"


def _apply_language_overrides(app: Sphinx, config: Config) -> None:
    """`policy_site_overrides = {"en": {"project": ...}}`: config values per language.

    `-D language=en` is applied after conf.py ran, so conf.py cannot pick the
    title itself; this runs once the final language is known.
    """
    for name, value in (config.policy_site_overrides or {}).get(config.language, {}).items():
        setattr(config, name, value)


def _add_static_path(app: Sphinx, config: Config) -> None:
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path.append(str(STATIC_DIR))


def _navigation(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """`policy_nav_links` for docs/_templates/sidebar/policy-links.html.

    Generated pages a toctree cannot list (the clause index `policy-clauseindex`),
    named by their std label (`policy_site_nav_labels`), titled as the label is.
    A singlehtml build writes neither those pages nor a search page: no links
    to them, and no furo search box.
    """
    std = app.env.domains.standard_domain
    links: list[dict[str, object]] = []
    if app.builder.name == "singlehtml":  # it writes no index or search page to link to
        context["policy_nav_links"] = links
        context["sidebars"] = [name for name in context.get("sidebars", ()) if name != SEARCH_SIDEBAR]
        return
    for label in app.config.policy_site_nav_labels:
        if label not in std.labels:
            warned = app.__dict__.setdefault("_policy_nav_warned", set())
            if label not in warned:
                warned.add(label)
                logger.warning("policy_site_nav_labels: no page with the label %r", label, type="policy", subtype="nav")
            continue
        docname, _anchor, title = std.labels[label]
        links.append({"docname": docname, "title": str(title), "current": docname == pagename})
    context["policy_nav_links"] = links


def setup(app: Sphinx) -> dict:
    app.setup_extension("policy_handbook.sphinxext")
    app.setup_extension("policy_handbook.upstream")
    app.add_config_value("policy_site_overrides", {}, "env", types=frozenset({dict}))
    app.add_config_value("policy_site_languages", ["ja", "en"], "html", types=frozenset({list, tuple}))
    # Before Sphinx's own config-inited handlers read project/html_title.
    app.connect("config-inited", _apply_language_overrides, priority=100)
    app.connect("config-inited", _add_static_path)
    app.add_config_value("policy_site_nav_labels", ["policy-clauseindex"], "html", types=frozenset({list, tuple}))
    app.add_css_file(SITE_CSS)
    app.connect("html-page-context", _navigation)

    language_switch.setup(app)
    theme_i18n.setup(app)
    search_ja.setup(app)
    search_anchors.setup(app)
    search_index.setup(app)
    lang_roles.setup(app)
    gc_tuning.setup_gc_tuning(app)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
