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

The importer's table (`--only import`, or both by default) runs `python -m
policy_handbook import SRC` on hostile sources (IMPORT_CASES: PDF bombs, a page
of 80,000 operators, texts that once took quadratic time, a link to /dev/zero, a
FIFO) into a copy of the minimal policy. Each must end with a draft or one clear
refusal in at most 5 s of CPU and 500 MB (the parent and its PDF reader child
together); the table gives CPU, peak memory and the first line printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
import zlib
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
    "emoji-comments": (HEAD + "clauses:\n" + CLAUSE, "# " + "\U0001f600" * 60 + "\n", ""),
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
    proc, wall, cpu, peak_mb = _measured([sys.executable, "-c", _MEASURE, str(policy_dir)])
    return wall, cpu, peak_mb, proc.returncode, proc.stderr.count("\n")


def _measured(cmd: list[str]) -> tuple[subprocess.CompletedProcess, float, float, int]:
    """Run a child that prints its own peak RSS (KB) last: (the process, wall s, CPU s, peak MB or -1)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={"PYTHONPATH": str(ROOT / "extensions")})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = (proc.stdout.splitlines() or [""])[-1]
    return proc, wall, cpu, int(peak) // 1024 if peak.isdigit() else -1


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
        print(
            f"  {name:<16} {mb:5.1f} MB  {wall:6.2f} s wall {cpu:6.2f} s CPU  {peak_mb:5d} MB peak  exit {status}  {lines} lines",
            flush=True,
        )
        shutil.rmtree(policy.parent, ignore_errors=True)
    return results


# --------------------------------------------------------------------------- the importer's cases


def raw_pdf(page_streams: list[int], streams: list[bytes]) -> bytes:
    """A PDF whose page i shows content stream ``streams[page_streams[i]]`` (Flate), in Helvetica.

    Written by hand, not with reportlab: the hostile shapes (a shared stream, a 74 MB
    stream of blanks) are exactly what a PDF library would not write.
    """
    packed: dict[int, bytes] = {}
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    first_stream, first_page = 4, 4 + len(streams)
    kids = " ".join(f"{first_page + i} 0 R" for i in range(len(page_streams)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_streams)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for data in streams:
        key = id(data)  # the same bytes object compressed once (20 bombs of 74 MB)
        if key not in packed:
            packed[key] = zlib.compress(data, 9)
        body = packed[key]
        objects.append(f"<< /Length {len(body)} /Filter /FlateDecode >>\nstream\n".encode() + body + b"\nendstream")
    for index in page_streams:
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                f"/Contents {first_stream + index} 0 R >>"
            ).encode()
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _bomb_pdf() -> bytes:
    blanks = b" " * (74 * 2**20)  # 74 MB of blanks: about 70 KB compressed
    return raw_pdf(list(range(20)), [blanks] * 20)


def _shared_stream_pdf() -> bytes:
    line = b"BT /F1 10 Tf 50 800 Td (ab) Tj ET\n"
    return raw_pdf([0] * 200, [line * (2_500_000 // len(line))])


def _tj_lines_pdf() -> bytes:
    body = b"".join(b"(line %d of the page) Tj T*\n" % n for n in range(80_000))
    return raw_pdf([0], [b"BT /F1 10 Tf 12 TL 50 800 Td\n" + body + b"ET\n"])


TITLE = "試験市ソーシャルメディア運用指針\n"

IMPORT_CASES = {
    "pdf-flate-bomb": ("pdf", "20 pages, each its own 74 MB Flate stream", _bomb_pdf),
    "pdf-shared-stream": ("pdf", "200 pages sharing one 2.5 MB operator stream", _shared_stream_pdf),
    "pdf-80k-tj": ("pdf", "one page of 80,000 Tj lines", _tj_lines_pdf),
    "leader-dots": (
        "txt",
        "one line of 200,000 dots",
        lambda: (TITLE + "目次\n1 目的" + "." * 200_000 + "1\n1 目的\n職員は注意する。\n").encode(),
    ),
    "repeated-markers": ("txt", "20,000 repeated markers", lambda: (TITLE + "1 目的\n" * 20_000).encode()),
    "bullets": ("txt", "20,000 bullets", lambda: (TITLE + "1 目的\n" + "・職員は注意する。\n" * 20_000).encode()),
    "form-citations": (
        "txt",
        "8,000 form citations",
        lambda: (TITLE + "1 目的\n" + "".join(f"({n})別紙{n}「届出書{n}」により届け出る。\n" for n in range(1, 8001))).encode(),
    ),
    # Within the line and character caps, so that only linear parsing keeps them under the CPU
    # limit (the caps alone refused the cases above): a draft, or the clause cap's refusal.
    "markers-under-caps": ("txt", "15,000 repeated markers (under the line cap)", lambda: (TITLE + "1 目的\n" * 15_000).encode()),
    "bullets-under-caps": (
        "txt",
        "15,000 bullets (under the line cap)",
        lambda: (TITLE + "1 目的\n" + "・職員は注意する。\n" * 15_000).encode(),
    ),
    "forms-under-caps": (
        "txt",
        "4,000 form citations",
        lambda: (TITLE + "1 目的\n" + "".join(f"({n})別紙{n}「届出書{n}」により届け出る。\n" for n in range(1, 4001))).encode(),
    ),
    "dots-under-caps": (
        "txt",
        "3 lines of 19,990 dots (under the line length cap)",
        lambda: (TITLE + "目次\n" + ("1 目的" + "." * 19_990 + "x\n") * 3 + "1 目的\n職員は注意する。\n").encode(),
    ),
    "dev-zero-link": ("link", "SRC a link to /dev/zero", None),
    "fifo": ("fifo", "SRC a FIFO with no writer", None),
}


def write_import_case(work: Path, name: str) -> Path:
    """The source of case ``name`` in ``work``: a file, a link to /dev/zero or a FIFO."""
    kind, _, make = IMPORT_CASES[name]
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"{name}.{'pdf' if kind == 'pdf' else 'txt'}"
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "link":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_bytes(make())
    return path


# The import in a child that reports its peak RSS (KB) and its PDF reader's (the largest
# waited-for child) on stdout's last line.
_MEASURE_IMPORT = """
import re, resource, sys
from policy_handbook.cli import main
rc = main(["import", sys.argv[1], "--id", "hostile", "--municipality", MUNICIPALITY, "--policy", sys.argv[2]])
with open("/proc/self/status") as f:
    own = int(re.search(r"VmHWM:\\s*([0-9]+)", f.read()).group(1))
print(max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)
"""


# A municipality on the national list: an invented one (試験市) is refused once the source is
# read, so every later step of the import (suggestions, the draft, its check) went unmeasured.
MUNICIPALITY = "久留米市"


def import_case(source: Path, policy_dir: Path) -> dict:
    """Run the import of ``source`` into ``policy_dir``: wall s, CPU s, peak MB, exit status, first line printed."""
    cmd = [sys.executable, "-c", f"MUNICIPALITY = {MUNICIPALITY!r}\n" + _MEASURE_IMPORT, str(source), str(policy_dir)]
    proc, wall, cpu, peak_mb = _measured(cmd)
    said = (proc.stderr.splitlines() or proc.stdout.splitlines()[:1] or [""])[0]
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": peak_mb,
        "status": proc.returncode,
        "first_line": said,
        "traceback": "Traceback" in proc.stderr,
    }


def run_import_cases(work: Path, names: list[str] | None = None) -> list[dict]:
    results = []
    for name in names or IMPORT_CASES:
        case_dir = work / "import" / name
        if case_dir.exists():
            shutil.rmtree(case_dir)
        policy = case_dir / "policy"
        shutil.copytree(MINIMAL, policy)
        source = write_import_case(case_dir, name)
        result = {"case": name, "what": IMPORT_CASES[name][1], **import_case(source, policy)}
        results.append(result)
        print(
            f"  {name:<18} {result['cpu']:5.2f} s CPU {result['wall']:6.2f} s wall {result['peak_mb']:5d} MB peak  exit {result['status']}  "
            f"{result['first_line'][:110]}",
            flush=True,
        )
        shutil.rmtree(case_dir, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory for the generated cases")
    parser.add_argument("--mb", type=float, default=None, help="size of each file in MB (default: just under 32)")
    parser.add_argument("--only", choices=["check", "import"], help="only `make check`'s table or only the importer's")
    args = parser.parse_args(argv)
    size = int(args.mb * 2**20) if args.mb else LIMIT_BYTES
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if args.only != "import":
        print("make check on hostile policy files:", flush=True)
        run_cases(args.out, size)
    if args.only != "check":
        print("make import on hostile sources (target: <= 5 s CPU, <= 500 MB, a draft or one clear refusal):", flush=True)
        run_import_cases(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
