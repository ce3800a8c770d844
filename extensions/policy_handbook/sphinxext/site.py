"""Placeholder: filled in by its owner."""


def setup_site(app):
    pass
