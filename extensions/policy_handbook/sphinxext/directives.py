"""Placeholder: filled in by its owner."""


def setup_directives(app):
    pass
