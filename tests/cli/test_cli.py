"""`python -m policy_handbook check` as run by `make check`: output, exit status, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook import cli


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "extensions")}
    return subprocess.run([sys.executable, "-m", "policy_handbook", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_check_ok(minimal_policy):
    result = run("check", cwd=minimal_policy.dir.parent)
    assert result.returncode == 0
    assert result.stdout == "policy OK: 2 guidelines, 10 clauses, 1 forms, 3 topics\n"
    assert result.stderr == ""


def test_check_reports_every_problem_and_fails(minimal_policy):
    minimal_policy.edit("north.yaml", "kind: duty", "kind: dutty")
    minimal_policy.write("broken.yaml", b"type: glossary\nterms: [\xff]\n")
    result = run("check", "policy", cwd=minimal_policy.dir.parent)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "policy/broken.yaml:2:9: invalid UTF-8 (byte 0xFF): save the file as UTF-8",
        "policy/north.yaml:29:15: unknown kind 'dutty': did you mean 'duty'?",
        "2 problem(s) found",
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_check_prints_warnings_and_passes(minimal_policy):
    minimal_policy.edit("north.yaml", "the account administrator notifies", "the head of division notifies")
    result = run("check", str(minimal_policy.dir), cwd=PROJECT_ROOT)
    assert result.returncode == 0
    assert [line.partition(" (glossary)")[0] for line in result.stderr.splitlines()] == [
        "policy/north.yaml:57:52: warning: north-2-p1 text: the Japanese uses 管理者 but the English lacks 'account administrator'"
    ]
    assert result.stdout == "policy OK: 2 guidelines, 10 clauses, 1 forms, 3 topics (1 warning)\n"


def test_check_fails_on_warnings_with_W_as_make_html_runs_it(minimal_policy):
    """`make html` builds with -W: a content warning must fail it, not only be printed."""
    assert run("check", "-W", str(minimal_policy.dir), cwd=PROJECT_ROOT).returncode == 0
    minimal_policy.edit("north.yaml", "the account administrator notifies", "the head of division notifies")
    result = run("check", "-W", str(minimal_policy.dir), cwd=PROJECT_ROOT)
    assert result.returncode == 1
    assert "warning: north-2-p1 text: the Japanese uses 管理者" in result.stderr


def test_check_missing_directory(tmp_path):
    result = run("check", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["nowhere:1:1: no policy files (*.yaml) found", "1 problem(s) found"]


def test_unexpected_error_is_one_line_not_a_traceback(minimal_policy, monkeypatch, capsys):
    def explode(*args, **kwargs):
        raise MemoryError("simulated")

    monkeypatch.setattr("policy_handbook.loader.load_policy", explode)
    assert cli.main(["check", str(minimal_policy.dir)]) == 1
    out, err = capsys.readouterr()
    assert err == f"{minimal_policy.dir}: could not load the policy (MemoryError: simulated)\n"
    assert "Traceback" not in out + err


def test_check_does_not_import_sphinx(minimal_policy):
    code = (
        "import sys\nfrom policy_handbook import cli\n"
        f"rc = cli.main(['check', {str(minimal_policy.dir)!r}])\n"
        "print(rc, sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "extensions")}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "0 []"


def test_diff_is_forwarded_to_revision(monkeypatch):
    seen = []
    fake = types.ModuleType("policy_handbook.revision")
    fake.main = lambda argv: seen.append(argv) or 3
    monkeypatch.setitem(sys.modules, "policy_handbook.revision", fake)
    assert cli.main(["diff", "--document", "chikugo", "--rev", "HEAD~1"]) == 3
    assert seen == [["--document", "chikugo", "--rev", "HEAD~1"]]


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["frobnicate"])
    assert info.value.code == 2


@pytest.mark.parametrize(
    "argv, function",
    [
        (["import", "guide.pdf", "--id", "kurume", "--force"], "main_import"),
        (["import", "--help"], "main_import"),  # its own help, not the top-level parser's
        (["align", "kurume", "--policy", "p"], "main_align"),
    ],
)
def test_import_and_align_get_their_arguments_unparsed(monkeypatch, argv, function):
    seen = []
    fake = types.ModuleType("policy_handbook.importer.command")
    setattr(fake, function, lambda args: seen.append(args) or 0)
    monkeypatch.setitem(sys.modules, "policy_handbook.importer.command", fake)
    assert cli.main(argv) == 0
    assert seen == [argv[1:]]


def test_an_extra_argument_to_check_is_a_usage_error(minimal_policy, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["check", str(minimal_policy.dir), "extra"])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == "python -m policy_handbook: error: unrecognized arguments: extra"
