"""Policy handbook: policy YAML -> bilingual Sphinx handbook, comparison and JSON API.

The data side (model, loader, validation, comparison, export) imports no Sphinx;
the Sphinx glue lives in ``policy_handbook.sphinxext`` and is loaded only when
Sphinx loads this package as an extension.
"""

__version__ = "0.1.0"


def setup(app):
    """``extensions = ["policy_handbook"]`` is the policy extension (``policy_handbook.sphinxext``)."""
    from . import sphinxext

    app.setup_extension("policy_handbook.sphinxext")
    return {"version": __version__, "env_version": sphinxext.ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
