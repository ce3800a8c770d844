"""The policy extension: ``extensions = [..., "policy_handbook.sphinxext"]``.

Renders a policy folder (``policy_dir``) in any Sphinx project: the ``policy``
domain, its directives and roles, the comparison tables, precise incremental
rebuilds and the ``policyjson`` builder. No site-specific side effects: this
handbook's own site features are ``policy_handbook.site``.
One ``setup_<feature>(app)`` per module, wired together here.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .. import __version__
from ..upstream.index_escape import setup_index_escape
from ..upstream.page_chrome import setup_page_chrome
from .assets import setup_assets
from .comparison_tables import setup_comparison_tables
from .config import setup_config
from .date_role import setup_date_role
from .directives import setup_directives
from .domain import setup_domain
from .i18n import setup_i18n
from .json_export import setup_json_export
from .labels import setup_labels
from .national import setup_national
from .situation_guides import setup_situation_guides

# Bump when the shape of what the extension stores in the environment changes
# outside its domain (the domain has its own data_version). An edit to the code is
# followed by incremental.py (every page read again), not by this number: it is
# written into every search index, so bumping it changes the output.
ENV_VERSION = 5


def setup(app: Sphinx) -> dict:
    setup_config(app)
    setup_i18n(app)  # the UI catalog, once
    setup_domain(app)
    setup_directives(app)
    setup_assets(app)  # the CSS every page gets, once
    setup_date_role(app)
    setup_comparison_tables(app)
    setup_json_export(app)
    setup_labels(app)
    setup_index_escape(app)  # the clause index's headings come from the data
    setup_situation_guides(app)
    setup_national(app)
    setup_page_chrome(app)  # every page's template output, which Sphinx does not follow
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
