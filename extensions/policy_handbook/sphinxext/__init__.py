"""Sphinx glue: one ``setup_<feature>(app)`` per module, wired together here."""

from __future__ import annotations

from sphinx.application import Sphinx

from .. import __version__
from .config import setup_config
from .domain import setup_domain
from .directives import setup_directives
from .site import setup_site
from .comparison_tables import setup_comparison_tables
from .gc_tuning import setup_gc_tuning
from .json_export import setup_json_export
from .myst_settings import setup_myst_settings

# Bump when the shape of the domain data stored in the environment changes.
ENV_VERSION = 4


def setup(app: Sphinx) -> dict:
    setup_config(app)
    setup_domain(app)
    setup_directives(app)
    setup_site(app)
    setup_comparison_tables(app)
    setup_json_export(app)
    setup_myst_settings(app)
    setup_gc_tuning(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
