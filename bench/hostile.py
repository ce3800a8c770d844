"""Hostile policy files near the size limit, to show `make check` stays bounded.

    .venv/bin/python bench/hostile.py OUT_DIR            # write every case, then check each
    .venv/bin/python bench/hostile.py OUT_DIR --mb 7     # smaller files

Each case is a copy of tests/fixtures/minimal-policy/ in which one guideline
(north.yaml) is replaced by a file of about --mb megabytes (default: just under
the 32 MB limit) made of many tiny nodes, the shape that costs most per byte:

* empty-mappings: `clauses:` followed by `  - {}` lines (every item lacks id and level)
* unknown-keys:   one clause with a million `kNNN: 1` keys
* invalid-ids:    clauses `- {id: X-N, level: item}` (every ID breaks the pattern)
* many-scalars:   `topics:` of a clause with a million items, each an invalid ID
* control-chars:  text lines each holding a "\\x07" escape
* emoji-comments: comment lines of emoji (astral characters: the slow case of the character scan)

`make check` must fail on each within a few seconds and a few hundred MB and
print a capped list of problems. run.py calls `run_cases` for its table; the
tests use `write_case` with small sizes (tests/test_limits.py).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal-policy"
LIMIT_BYTES = 32 * 1024 * 1024 - 4096  # just under yamlio.MAX_FILE_BYTES

HEAD = """type: guideline
id: north
municipality: {ja: 北市, en: North City}
prefecture: {ja: 福岡県, en: Fukuoka Prefecture}
title: {ja: 北市指針, en: North City Guideline}
department: {ja: 広報課, en: Public Relations Division}
history: []
scope: {ja: 全職員, en: All staff}
source: {file: sources/north.txt}
"""

CLAUSE = "  - id: north-1\n    level: section\n    kind: duty\n    topics: [replies]\n    text: {ja: 本文, en: Text}\n"

# name -> (text before the repeated lines, one repeated line with {n}, text after)
CASES: dict[str, tuple[str, str, str]] = {
    "empty-mappings": (HEAD + "clauses:\n", "  - {{}}\n", ""),
    "unknown-keys": (HEAD + "clauses:\n" + CLAUSE, "    k{n}: 1\n", ""),
    "invalid-ids": (HEAD + "clauses:\n", "  - {{id: X-{n}, level: item}}\n", ""),
    "many-scalars": (HEAD + "clauses:\n" + CLAUSE.replace("topics: [replies]\n", "topics:\n"), "      - T{n}\n", ""),
    "control-chars": (HEAD + "clauses:\n" + CLAUSE, '    n{n}: "\\x07"\n', ""),
    "emoji-comments": (HEAD + "clauses:\n" + CLAUSE, "# " + "\U0001F600" * 60 + "\n", ""),
}


def write_case(policy_dir: Path, name: str, size: int) -> Path:
    """A copy of the minimal policy in ``policy_dir`` whose north.yaml is case ``name``, about ``size`` bytes."""
    if policy_dir.exists():
        shutil.rmtree(policy_dir)
    shutil.copytree(MINIMAL, policy_dir)
    head, line, tail = CASES[name]
    parts = [head]
    total = len(head.encode()) + len(tail.encode())
    n = 0
    while True:
        chunk = line.format(n=n)
        total += len(chunk.encode())
        if total > size:
            break
        parts.append(chunk)
        n += 1
    parts.append(tail)
    path = policy_dir / "north.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def check(policy_dir: Path) -> tuple[float, float, int, int, int]:
    """Run `make check`'s command on policy_dir: (wall s, CPU s, peak RSS in MB, exit status, lines printed)."""
    cmd = [sys.executable, "-c", _MEASURE, str(policy_dir)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={"PYTHONPATH": str(ROOT / "extensions")})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = (proc.stdout.splitlines() or ["0"])[-1]
    return wall, cpu, int(peak) // 1024 if peak.isdigit() else -1, proc.returncode, proc.stderr.count("\n")


# The check in a child that reports its own peak RSS (KB) on stdout's last line: VmHWM,
# since ru_maxrss survives exec and would report the parent's peak (writing the file).
_MEASURE = """
import re, sys
from policy_handbook.cli import main
rc = main(["check", sys.argv[1]])
with open("/proc/self/status") as f:
    print(re.search(r"VmHWM:\\s*([0-9]+)", f.read()).group(1))
sys.exit(rc)
"""


def run_cases(work: Path, size: int = LIMIT_BYTES) -> list[dict]:
    results = []
    for name in CASES:
        policy = work / name / "policy"
        path = write_case(policy, name, size)
        wall, cpu, peak_mb, status, lines = check(policy)
        mb = path.stat().st_size / 2**20
        results.append({"case": name, "mb": mb, "wall": wall, "cpu": cpu, "peak_mb": peak_mb, "status": status, "lines": lines})
        print(f"  {name:<16} {mb:5.1f} MB  {wall:6.2f} s wall {cpu:6.2f} s CPU  {peak_mb:5d} MB peak  exit {status}  {lines} lines", flush=True)
        shutil.rmtree(policy.parent, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory for the generated cases")
    parser.add_argument("--mb", type=float, default=None, help="size of each file in MB (default: just under 32)")
    args = parser.parse_args(argv)
    size = int(args.mb * 2**20) if args.mb else LIMIT_BYTES
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    run_cases(args.out, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
