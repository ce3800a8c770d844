"""A usage error of the command line is escaped like every other message (issue 23, item 8).

argparse quotes what was typed ("unrecognized arguments: --bogus=…"): a terminal escape in
it reached the terminal raw from `check`, `import` and `align` (`diff` already escaped it).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
ESCAPE = "\x1b]0;title\x07"


@pytest.mark.parametrize("command", [["check"], ["import", "--id", "k", "x.txt"], ["align", "k"], ["nonsense"]])
def test_a_usage_error_prints_no_control_character(tmp_path, command):
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    args = [*command, f"--bogus={ESCAPE}"] if command != ["nonsense"] else [ESCAPE]
    result = subprocess.run(
        [sys.executable, "-m", "policy_handbook", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;title\\x07" in result.stderr  # said, visibly
    assert "Traceback" not in result.stderr
