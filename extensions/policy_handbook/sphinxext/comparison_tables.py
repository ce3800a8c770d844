"""Placeholder: filled in by its owner."""


def setup_comparison_tables(app):
    pass
