"""Placeholder: filled in by its owner."""


def setup_json_export(app):
    pass
