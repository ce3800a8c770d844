"""Placeholder: filled in by its owner."""


def setup_domain(app):
    pass
