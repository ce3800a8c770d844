"""Where things are. The one place that computes a path from a test file's location,
so a test moved between tests/unit, tests/sphinx, tests/cli and tests/browser keeps its paths."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
POLICY = PROJECT_ROOT / "policy"  # the real policy/ (read only: copy it before changing anything)
EXTENSIONS = PROJECT_ROOT / "extensions"
PACKAGE = EXTENSIONS / "policy_handbook"
BENCH = PROJECT_ROOT / "bench"

TESTS = PROJECT_ROOT / "tests"
ROOTS = TESTS / "roots"  # Sphinx test roots, tests/roots/test-<name>/ (sphinx.testing's rootdir)
FIXTURES = TESTS / "fixtures"
MINIMAL_POLICY = FIXTURES / "minimal-policy"
HOSTILE = TESTS / "hostile"  # the loader's hostile YAML corpus
DATA = TESTS / "data"
