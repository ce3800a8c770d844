"""Shared test setup for every folder: the extension package on sys.path, Sphinx's test fixtures, paths.

Which folder a test goes in: tests/README.md. Paths: helpers/paths.py."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from helpers.paths import EXTENSIONS, MINIMAL_POLICY, POLICY, PROJECT_ROOT, ROOTS
from helpers.policy_copy import PolicyCopy

sys.path.insert(0, str(EXTENSIONS))

pytest_plugins = "sphinx.testing.fixtures"

# The fixture that starts Chromium (tests/browser/conftest.py); fixturenames holds
# every fixture a test needs, so a test through `site` or `js_page` has it too.
BROWSER_FIXTURES = {"browser"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that drives Chromium must be marked ``browser``: `make test-fast`
    (``-m "not browser"``) runs everything else, on a machine without Chromium."""
    unmarked = [
        item.nodeid
        for item in items
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError("tests using Chromium without @pytest.mark.browser: " + ", ".join(unmarked[:5]))


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def policy_dir() -> Path:
    """The real policy/ directory (read only: copy it before changing anything)."""
    return POLICY


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where Sphinx test roots live (tests/roots/test-<name>/), for every test folder."""
    return ROOTS


@pytest.fixture
def minimal_policy(tmp_path: Path) -> PolicyCopy:
    """tests/fixtures/minimal-policy copied to <tmp>/policy (locations read 'policy/...')."""
    dest = tmp_path / "policy"
    shutil.copytree(MINIMAL_POLICY, dest)
    return PolicyCopy(dest)
