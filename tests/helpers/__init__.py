"""Helpers shared by the test folders (tests/unit, tests/sphinx, tests/cli, tests/browser).

Importable as ``helpers`` because pyproject.toml puts tests/ on the path; test
modules import what they share from here, never from one another's folder.
"""
