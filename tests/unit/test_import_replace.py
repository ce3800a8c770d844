"""`--force` (`make import … FORCE=1`) replaces a guideline, never another of the policy's files.

With ``--id taxonomy`` (a valid ID) and --force, the importer wrote its draft over
policy/taxonomy.yaml, and every later `make check` failed ("no taxonomy file"). The same
for glossary, comparison and situations.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
SOURCE = "久留米市ソーシャルメディア運用指針\n1 目的\nこの指針は、職員がソーシャルメディアを利用するときに守る事項を定める。\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "policy_handbook", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def workdir(tmp_path):
    workdir = tmp_path
    shutil.copytree(ROOT / "policy", workdir / "policy")
    (workdir / "source.txt").write_text(SOURCE, encoding="utf-8")
    return workdir


@pytest.mark.parametrize("name", ["taxonomy", "glossary", "comparison", "situations"])
def test_force_does_not_replace_a_file_that_is_not_a_guideline(workdir, name):
    before = (workdir / "policy" / f"{name}.yaml").read_bytes()
    result = run("import", "source.txt", "--id", name, "--force", cwd=workdir)
    assert result.returncode == 1
    assert result.stderr == (f"policy/{name}.yaml:1: is the policy's {name} file: not replaced, even with --force (choose another --id)\n")
    assert (workdir / "policy" / f"{name}.yaml").read_bytes() == before
    assert not (workdir / "policy" / "sources" / f"{name}.txt").exists()


def test_force_still_replaces_a_guideline(workdir):
    assert run("import", "source.txt", "--id", "kurume", cwd=workdir).returncode == 0
    again = run("import", "source.txt", "--id", "kurume", "--force", cwd=workdir)
    assert again.returncode == 0, again.stderr
    assert run("check", "policy", cwd=workdir).returncode == 0
