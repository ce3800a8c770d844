"""Policy handbook: policy YAML -> bilingual Sphinx handbook, comparison and JSON API.

The data side (model, loader, validation, comparison, export) imports no Sphinx;
the Sphinx glue lives in ``policy_handbook.sphinxext`` and is loaded only when
Sphinx loads this package as an extension.
"""

__version__ = "0.1.0"


def setup(app):  # pragma: no cover - thin forwarder for conf.py's `extensions`
    from .sphinxext import setup as _setup

    return _setup(app)
