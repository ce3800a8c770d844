"""`make diff DOC=… REV=…` with hostile arguments: refused with one clear line, nothing run or written.

Each case is an attack from issue 15 (item 3), run through the real Makefile in a
throwaway git repository holding a copy of the project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
BRANCH = "x$(touch${IFS}PWNED)"  # a legal git branch name that is also a shell command


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The Makefile, policy/ and a hostile file in a git repository with two commits and BRANCH."""
    project = tmp_path_factory.mktemp("diff") / "project"
    project.mkdir()
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    for name in ("policy", "requirements"):
        shutil.copytree(ROOT / name, project / name)  # copy2: the venv's install stamps stay valid
    shutil.copytree(ROOT / "tests" / "hostile", project / "tests" / "hostile")
    for name in ("extensions", ".venv"):
        (project / name).symlink_to(ROOT / name, target_is_directory=True)
    # A guideline outside policy/, reachable through a symlink in it.
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "evil.yaml").write_text(
        (ROOT / "policy" / "chikugo.yaml").read_text("utf-8").replace("\nid: chikugo\n", "\nid: evil\n", 1), "utf-8"
    )
    (project / "policy" / "evil.yaml").symlink_to("../elsewhere/evil.yaml")
    (project / ".gitignore").write_text(".venv\nextensions\n_build/\n")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "policy")
    chikugo = project / "policy" / "chikugo.yaml"
    chikugo.write_text(chikugo.read_text("utf-8").replace("ガイドライン", "指針", 1), "utf-8")
    git(project, "commit", "-q", "-am", "edit")
    git(project, "branch", BRANCH, "HEAD~1")
    return project


def files(project: Path) -> set[str]:
    """Every file in the project (the linked venv and code not entered), and anything at its parent."""
    found = {p.relative_to(project.parent).as_posix() for p in project.parent.iterdir()}
    for path in project.rglob("*"):
        rel = path.relative_to(project)
        if rel.parts[0] not in (".git", ".venv", "extensions"):
            found.add(rel.as_posix())
    return found


def make_diff(project: Path, *assignments: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "DOC", "REV")}
    return subprocess.run(["make", "-s", "diff", *assignments], cwd=project, env=env, capture_output=True, text=True)


def test_the_makefile_install_stamps_are_current(project):
    dry = subprocess.run(["make", "-n", "diff"], cwd=project, capture_output=True, text=True)
    assert "pip" not in dry.stdout, "the venv stamps are out of date; run `make html` once first"


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("DOC=x;touch PWNED;", "error: no guideline 'x;touch PWNED;' in policy (known guidelines: chikugo, yanagawa)"),
        ("DOC=chikugo --rev HEAD~1 --output ../evil.html #", "error: no guideline 'chikugo --rev HEAD~1 --output ../evil.html #'"),
        ("DOC=../tests/hostile/anchor-alias", "error: no guideline '../tests/hostile/anchor-alias'"),
        ("DOC=evil", "error: no guideline 'evil' in policy"),  # policy/evil.yaml links outside policy/
        ("DOC=$(shell touch PWNED)", "error: no guideline '$(shell touch PWNED)'"),
        ("DOC=chikugo\n", "error: no guideline 'chikugo\\n'"),
        ("REV=$$(touch PWNED)", "error: unknown git revision '$$(touch PWNED)'"),
        ("REV=`touch PWNED`", "error: unknown git revision '`touch PWNED`'"),
        ("REV=--output=../evil.html", "error: unknown git revision '--output=../evil.html'"),
    ],
)
def test_hostile_arguments_are_refused_and_nothing_runs_or_is_written(project, assignment, message):
    before = files(project)
    result = make_diff(project, assignment)
    assert result.returncode != 0
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
    assert files(project) == before, "make diff wrote or ran something"


def test_a_branch_named_like_a_command_is_diffed_without_running_it(project):
    before = files(project)
    result = make_diff(project, f"REV={BRANCH}")
    assert result.returncode == 0, result.stderr
    output = "_build/diff/chikugo-x__touch__IFS_PWNED_.html"
    assert result.stdout.strip() == output
    assert files(project) - before == {"_build", "_build/diff", output}
    html = (project / output).read_text("utf-8")
    # The revision is shown as text (escaped), and the edit is in the table.
    assert "x$(touch${IFS}PWNED)" in html and "<ins>" in html


def test_the_default_arguments_still_work(project):
    result = make_diff(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "_build/diff/chikugo-HEAD_1.html"
    assert (project / "_build" / "diff" / "chikugo-HEAD_1.html").is_file()
