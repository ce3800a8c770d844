"""`make diff` reads policy/*.yaml as `make check` does: at most the size limit, never a file whole.

To find the guideline DOC names, the diff read every policy/*.yaml completely: a 1 GB file
beside the guidelines (which `make check` refuses unread past 32 MB) took over 2 GB of
memory. Issue 23, item 4: every read goes through a capped path.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook import yamlio

ROOT = PROJECT_ROOT
MEMORY = 768 * 2**20  # address space for the diff: far below what reading the big file needs


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path) -> Path:
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "policy")
    return tmp_path


def big_guideline(path: Path, size: int) -> None:
    """A file that starts like a guideline and is ``size`` bytes long (sparse: nothing to write)."""
    path.write_bytes(b"type: guideline\nid: big\n")
    with open(path, "r+b") as f:
        f.truncate(size)


def diff(repo: Path, *args: str) -> subprocess.CompletedProcess:
    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        [sys.executable, "-m", "policy_handbook", "diff", "--policy-dir", "policy", *args],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120, preexec_fn=limited,
    )  # fmt: skip


def test_a_file_over_the_size_limit_is_not_a_known_guideline(repo):
    big_guideline(repo / "policy" / "big.yaml", yamlio.MAX_FILE_BYTES + 1024)
    result = diff(repo, "--document", "nope", "--rev", "HEAD")
    assert result.returncode == 2
    assert result.stderr == "error: no guideline 'nope' in policy (known guidelines: chikugo, yanagawa)\n"


def test_a_huge_file_beside_the_guidelines_is_not_read_whole(repo):
    big_guideline(repo / "policy" / "big.yaml", 2**30)
    result = diff(repo, "--document", "chikugo", "--rev", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "_build/diff/chikugo-HEAD.html\n"


def test_a_revision_whose_file_is_over_the_size_limit_is_refused_unread(repo):
    """The earlier revision's file is measured (git cat-file -s) before it is read."""
    chikugo = repo / "policy" / "chikugo.yaml"
    current = chikugo.read_bytes()
    chikugo.write_bytes(current + b"#" * (yamlio.MAX_FILE_BYTES + 1024 - len(current)))  # still the guideline, then padding
    git(repo, "commit", "-q", "-am", "padded")
    chikugo.write_bytes(current)
    result = diff(repo, "--document", "chikugo", "--rev", "HEAD")
    assert result.returncode == 2
    assert result.stderr == "error: chikugo.yaml at revision 'HEAD' is larger than 32 MB: not a policy file\n"
