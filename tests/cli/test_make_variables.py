"""Every make variable a user sets is data: no value runs a command (issue 23, item 2).

Each attack goes through the real Makefile in a throwaway copy of the project, and a
marker file that the injected command would create must never appear. The targets
fail early (a missing SRC file, an unknown guideline, sphinx-build refusing an option),
so the whole file takes seconds. The ordinary uses are run too: the fix must not break them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook import makevars

ROOT = PROJECT_ROOT
SEED = ROOT / "policy" / "sources" / "chikugo-social-media-guideline.txt"  # a published text
USER_VARIABLES = ("PYTHON", "SPHINXOPTS", "DOC", "REV", "SRC", "ID", "MUNICIPALITY", "PREFECTURE", "FORCE", "NATIONAL", "NATIONAL_PARTS")
# A stand-in for every bench script: it records its arguments.
RECORDER = "import json, sys\nwith open(sys.argv[0] + '.argv', 'w') as f:\n    json.dump(sys.argv[1:], f)\n"


def copy_project(where: Path, *, venv: bool = True) -> Path:
    project = where / "project"
    project.mkdir(parents=True)
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    for name in ("policy", "requirements"):
        shutil.copytree(ROOT / name, project / name)  # copy2: the venv's install stamps stay valid
    (project / "extensions").symlink_to(ROOT / "extensions", target_is_directory=True)
    if venv:  # the shared venv's contents, with install stamps of its own (newer than requirements/)
        (project / ".venv").mkdir()
        for part in (ROOT / ".venv").iterdir():
            if not part.name.startswith("."):
                (project / ".venv" / part.name).symlink_to(part)
        for stamp in (".build-installed", ".test-installed"):
            (project / ".venv" / stamp).touch()
    return project


def make(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", *USER_VARIABLES)}
    env = {k: v for k, v in env.items() if not k.startswith("POLICY_")}
    return subprocess.run(["make", "-s", *arguments], cwd=project, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("makevars"))
    dry = subprocess.run(["make", "-n", "check", "bench"], cwd=project, capture_output=True, text=True)
    assert "pip" not in dry.stdout
    # Stand-ins for the bench scripts the bench recipe runs, recording their arguments.
    for script in sorted(set(re.findall(r"bench/\w+\.py", dry.stdout))):
        (project / script).parent.mkdir(exist_ok=True)
        (project / script).write_text(RECORDER)
    return project


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "PWNED"


# (target, assignments): {m} is the marker's path. From the issue, and the same tricks on
# every other variable: a shell quote broken, $(…) and backquotes for the shell, $(shell …) for make.
ATTACKS = [
    ("import", ['SRC=x"; touch {m}; echo "', "ID=kurume"]),
    ("import", ["SRC=x'; touch {m}; echo '", "ID=kurume"]),
    ("import", ["SRC=$(shell touch {m})", "ID=kurume"]),
    ("import", ["SRC=missing.txt", 'ID=x"; touch {m}; echo "']),
    ("import", ["SRC=missing.txt", "ID=kurume", "MUNICIPALITY=$$(touch {m})"]),
    ("import", ["SRC=missing.txt", "ID=kurume", "MUNICIPALITY=$(shell touch {m})"]),
    ("import", ["SRC=missing.txt", "ID=kurume", "PREFECTURE=`touch {m}`"]),
    ("import", ["SRC=missing.txt", "ID=kurume", 'PREFECTURE="; touch {m}; echo "']),
    ("import", ["SRC=missing.txt", "ID=kurume", "FORCE=$(shell touch {m})"]),
    ("import", ["SRC=missing.txt", "ID=kurume", "FORCE=1; touch {m}"]),
    ("align", ['ID=x"; touch {m}; echo "']),
    ("align", ["ID=$(shell touch {m})"]),
    ("align", ["ID=$$(touch {m})"]),
    ("check", ["FORCE=$(shell touch {m})"]),  # a variable the target does not use
    ("check", ["UNKNOWN=$(shell touch {m})"]),  # nor any other: none is exported to recipes
    ("html-ja", ["SPHINXOPTS=--bogus '$$(touch {m})'"]),  # closes the quotes of --job '…'
    ("html-ja", ["SPHINXOPTS=--bogus `touch {m}`"]),
    ("gettext", ["SPHINXOPTS=--bogus $(shell touch {m})"]),
    ("gettext", ["SPHINXOPTS=--bogus; touch {m}"]),
    ("diff", ["DOC=$(shell touch {m})"]),
    ("bench", ["NATIONAL_PARTS=html; touch {m}"]),
    ("bench", ["NATIONAL_PARTS=$(shell touch {m})"]),
    ("bench", ["NATIONAL=$(shell touch {m})"]),
]


@pytest.mark.parametrize(("target", "assignments"), ATTACKS, ids=[f"{t}:{' '.join(a)}" for t, a in ATTACKS])
def test_no_make_variable_runs_a_command(project, marker, target, assignments):
    result = make(project, target, *(a.format(m=marker) for a in assignments))
    assert not marker.exists(), f"make {target} ran the command in a variable:\n{result.stdout}{result.stderr}"
    assert "Traceback" not in result.stderr
    if target not in ("check", "bench"):  # those do not use the variable (or run stand-ins)
        assert result.returncode != 0, result.stdout + result.stderr


@pytest.mark.parametrize("python", ["/bin/true; touch {m}; false", "$(shell touch {m})", "`touch {m}`"])
def test_python_is_one_program_name(tmp_path, marker, python):
    """PYTHON creates the venv when there is none: it is the path of a program, nothing else."""
    project = copy_project(tmp_path, venv=False)
    result = make(project, "check", f"PYTHON={python.format(m=marker)}")
    assert result.returncode != 0
    assert not marker.exists(), result.stderr
    assert not (project / ".venv").exists()


def test_python_may_be_a_path_with_a_space(tmp_path):
    project = copy_project(tmp_path, venv=False)
    fake = tmp_path / "my python" / "python3"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho \"$@\" > '{tmp_path}/args'\nexit 3\n")
    fake.chmod(0o755)
    result = make(project, "check", f"PYTHON={fake}")
    assert result.returncode != 0  # the stand-in makes no venv
    assert (tmp_path / "args").read_text() == "-m venv .venv\n"


def test_the_makefile_own_names_are_not_settings(project, marker):
    result = make(project, "check", f"BUILD=$(shell touch {marker})")
    assert result.returncode != 0 and "BUILD is this Makefile's own name" in result.stderr
    assert not marker.exists()


def test_curdir_is_not_a_setting(project, marker):
    """CURDIR is make's own, expanded into PYTHONPATH as the Makefile is read: refused before that."""
    result = make(project, "check", f"CURDIR=$(shell touch {marker})")
    assert result.returncode != 0 and "CURDIR is make's own name" in result.stderr
    assert not marker.exists()


def test_sphinxopts_reach_sphinx_build_as_its_arguments(project):
    result = make(project, "gettext", "SPHINXOPTS=-W --bogus-option")
    assert result.returncode != 0
    assert "unrecognized arguments: --bogus-option" in result.stderr
    result = make(project, "gettext", "SPHINXOPTS='unclosed")
    assert result.returncode != 0
    assert 'make sphinx: SPHINXOPTS="\'unclosed": No closing quotation' in result.stderr


def test_sphinxopts_are_split_into_words_and_nothing_else():
    def words(text):
        return makevars.sphinx_options({makevars.SPHINXOPTS: text})

    assert words("-W --keep-going") == ["-W", "--keep-going"]
    assert words("-D 'project=A B' -j auto") == ["-D", "project=A B", "-j", "auto"]
    assert words("--x '$(touch p)' `y` *") == ["--x", "$(touch p)", "`y`", "*"]
    assert words("") == []


def bench_arguments(project: Path, *assignments: str) -> list[str]:
    run = project / "bench" / "run.py.argv"
    run.unlink(missing_ok=True)
    result = make(project, "bench", *assignments)
    assert result.returncode == 0, result.stderr
    return json.loads(run.read_text())


def test_bench_national_is_a_yes_no_flag_and_its_parts_one_argument(project, marker):
    assert bench_arguments(project) == []
    assert bench_arguments(project, "NATIONAL=0") == []
    assert bench_arguments(project, "NATIONAL=no") == []
    assert bench_arguments(project, "NATIONAL=1") == ["--national"]
    assert bench_arguments(project, "NATIONAL=yes", "NATIONAL_PARTS=html,json") == ["--national", "--national-parts", "html,json"]
    parts = f"html; touch {marker} `x` $HOME"
    assert bench_arguments(project, f"NATIONAL_PARTS={parts}") == ["--national-parts", parts]


@pytest.mark.parametrize(
    ("value", "meaning"),
    [("1", True), ("yes", True), ("TRUE", True), ("", False), ("0", False), ("no", False), ("false", False), (None, False)],
)
def test_force_means_force_only_when_it_says_yes(value, meaning):
    assert makevars.flag("FORCE", value) is meaning


def test_force_with_another_value_is_refused(project):
    result = make(project, "import", "SRC=missing.txt", "ID=kurume", "FORCE=2")
    assert result.returncode != 0
    assert result.stderr.startswith("make import: FORCE='2': use FORCE=1 (or yes, true), or leave it out")


def test_a_value_starting_with_a_dash_stays_a_value(project):
    result = make(project, "import", "SRC=--force", "ID=--output=../evil.yaml")
    assert result.returncode != 0
    assert "--id '--output=../evil.yaml'" in result.stderr
    assert not (project.parent / "evil.yaml").exists()


def test_import_and_align_without_their_variables_say_how(project):
    result = make(project, "import", "SRC=a.txt")
    assert result.returncode != 0 and result.stderr.startswith("make import: usage: make import SRC=")
    result = make(project, "align")
    assert result.returncode != 0 and result.stderr.startswith("make align: usage: make align ID=kurume")


def test_import_then_align_with_ordinary_values(tmp_path):
    project = copy_project(tmp_path)
    source = tmp_path / "the guideline (2024).txt"  # a name a shell would have to quote
    shutil.copy(SEED, source)
    imported = make(project, "import", f"SRC={source}", "ID=kurume", "MUNICIPALITY=久留米市", "PREFECTURE=福岡県")
    assert imported.returncode == 0, imported.stderr
    draft = (project / "policy" / "kurume.yaml").read_text("utf-8")
    assert 'municipality: {ja: "久留米市"}' in draft and 'prefecture: {ja: "福岡県"}' in draft
    for no in ("FORCE=0", "FORCE=no", "FORCE="):
        again = make(project, "import", f"SRC={source}", "ID=kurume", "PREFECTURE=福岡県", no)
        assert again.returncode != 0 and "already exists: not overwritten" in again.stderr, no
    forced = make(project, "import", f"SRC={source}", "ID=kurume", "MUNICIPALITY=久留米市", "PREFECTURE=福岡県", "FORCE=1")
    assert forced.returncode == 0, forced.stderr
    aligned = make(project, "align", "ID=kurume")
    assert aligned.returncode == 0, aligned.stderr
    assert re.match(r"\d+ suggested rows for kurume written to policy/comparison.yaml", aligned.stdout)
    checked = make(project, "check")
    assert checked.returncode == 0, checked.stderr


def test_makevars_refuses_an_unknown_target(capsys):
    assert makevars.main(["html"], {}) == 2
    assert "usage: python -m policy_handbook.makevars import|align|sphinx" in capsys.readouterr().err
