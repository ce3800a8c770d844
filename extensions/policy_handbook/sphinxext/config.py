"""Placeholder: filled in by its owner."""


def setup_config(app):
    pass
