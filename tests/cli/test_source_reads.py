"""`make check` and `make html` read a guideline's source only through the confined path
(issue 23, item 4): inside policy/, a regular file, at most 32 MB, hashed in chunks.

Before, checks/provenance.py opened ``policy_dir / source.file`` itself: a link to a FIFO
hung the check, a link to /dev/zero took 2.7 GB in 5 s, a 300 MB source peaked at 1.56 GB.
Each check here runs in a child under a 600 MB address-space limit and a timeout (that
only turns a hang into a failure; no time is asserted).
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
from policy_handbook import source_files

ROOT = PROJECT_ROOT
MINIMAL = ROOT / "tests" / "fixtures" / "minimal-policy"
MEMORY = 600 * 2**20


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def check(policy: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "policy_handbook", "check", str(policy), *extra],
        cwd=policy.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )


@pytest.fixture
def policy(tmp_path):
    shutil.copytree(MINIMAL, tmp_path / "policy")
    return tmp_path / "policy"


def test_the_minimal_policy_checks_within_the_memory_limit(policy):
    result = check(policy)
    assert result.returncode == 0, result.stderr


def source_problem(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "could not load" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "sources/north.txt" in line]
    return line.split(": ", 1)[1]


@pytest.mark.parametrize("cached", [True, False])
def test_a_fifo_source_or_a_link_to_one_is_refused_without_waiting(policy, cached):
    extra = () if cached else ("--no-cache",)
    source = policy / "sources" / "north.txt"
    source.unlink()
    os.mkfifo(source)
    assert source_problem(check(policy, *extra)) == "source file policy/sources/north.txt is a FIFO, not a regular file"
    source.unlink()
    os.mkfifo(policy / "sources" / "pipe")
    source.symlink_to("pipe")
    assert source_problem(check(policy, *extra)) == "source file policy/sources/north.txt is a FIFO, not a regular file"


@pytest.mark.parametrize("cached", [True, False])
def test_a_link_to_dev_zero_is_never_read(policy, cached):
    source = policy / "sources" / "north.txt"
    source.unlink()
    source.symlink_to("/dev/zero")
    result = check(policy, *(() if cached else ("--no-cache",)))
    assert "is outside the policy folder" in source_problem(result)


@pytest.mark.parametrize("cached", [True, False])
def test_a_300_mb_source_is_not_read_whole(policy, cached):
    source = policy / "sources" / "north.txt"
    with open(source, "r+b") as f:
        f.truncate(300 * 2**20)  # sparse; read whole it would not fit in the child's 600 MB
    result = check(policy, *(() if cached else ("--no-cache",)))
    assert source_problem(result) == "source file policy/sources/north.txt is larger than 32 MB"


def test_the_confined_reader_refuses_what_is_not_a_regular_file_and_hashes_in_chunks(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    for name, why in (("fifo", "is a FIFO, not a regular file"), ("folder", "is a folder, not a regular file"), ("gone", "not found")):
        assert source_files.problem(tmp_path / name) == why
        with pytest.raises(OSError, match=why):
            source_files.read_bytes(tmp_path / name)
    assert source_files.problem(Path("/dev/zero")) == "is a device or socket, not a regular file"
    big = tmp_path / "big"
    big.write_bytes(b"x" * (3 * 2**20 + 5))  # several chunks
    import hashlib

    assert source_files.digest(big) == hashlib.sha256(big.read_bytes()).digest()


def test_a_1_gb_editor_schema_copy_is_not_read_whole(policy):
    copy = policy / "schema" / "policy.schema.json"
    copy.parent.mkdir()
    with open(copy, "wb") as f:
        f.truncate(2**30)  # sparse; more than the child's 600 MB
    result = check(policy)
    assert result.returncode == 0, result.stderr
    assert "policy/schema/policy.schema.json:1:1: warning: this copy for editors differs" in result.stderr
