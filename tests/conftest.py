"""Shared test setup: the extension package on sys.path, Sphinx's test fixtures, paths."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "extensions"))

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
def policy_dir(project_root: Path) -> Path:
    """The real policy/ directory (read only: copy it before changing anything)."""
    return project_root / "policy"


@pytest.fixture(scope="session")
def rootdir(project_root: Path) -> Path:
    """Where Sphinx test roots live (tests/roots/test-<name>/)."""
    return project_root / "tests" / "roots"


MINIMAL_POLICY = PROJECT_ROOT / "tests" / "fixtures" / "minimal-policy"


class PolicyCopy:
    """A writable copy of a policy directory, for tests that break one thing."""

    def __init__(self, path: Path):
        self.dir = path

    def edit(self, file: str, old: str, new: str, count: int = 1) -> None:
        """Replace ``old`` (which must occur) by ``new`` in one file."""
        path = self.dir / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def write(self, file: str, content: str | bytes) -> Path:
        path = self.dir / file
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def read(self, file: str) -> str:
        return (self.dir / file).read_text(encoding="utf-8")

    def load(self, **kwargs):
        from policy_handbook.loader import load_policy

        return load_policy(self.dir, **kwargs)

    def problems(self) -> list[str]:
        """Every problem reported, one 'file:line:col: message' string each ([] when it loads)."""
        from policy_handbook.errors import PolicyError

        try:
            self.load()
        except PolicyError as exc:
            return [str(p) for p in exc.problems]
        return []


@pytest.fixture
def minimal_policy(tmp_path: Path) -> PolicyCopy:
    """tests/fixtures/minimal-policy copied to <tmp>/policy (locations read 'policy/...')."""
    dest = tmp_path / "policy"
    shutil.copytree(MINIMAL_POLICY, dest)
    return PolicyCopy(dest)
