"""Fixtures shared by the importer's unit tests."""

from __future__ import annotations

import shutil

import pytest

from helpers.paths import POLICY


@pytest.fixture
def workdir(tmp_path):
    """A folder holding a copy of the real policy/, for a command to import into."""
    shutil.copytree(POLICY, tmp_path / "policy")
    return tmp_path
