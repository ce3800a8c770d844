"""The importer on hostile sources (issue 23, items 3, 5 and 8): bounded, packaged schema, escaped.

Each case ends with a draft or one clear refusal naming the file, never a traceback and
never a hang; the work runs in a child process whose CPU and memory limits are checked
here as set (no test measures wall-clock time). bench/hostile.py measures the same cases.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.paths import PROJECT_ROOT
from policy_handbook.importer import limits, source
from policy_handbook.importer.errors import ImportRefused
from policy_handbook.importer.pipeline import Imported

ROOT = PROJECT_ROOT
MINIMAL = ROOT / "tests" / "fixtures" / "minimal-policy"
sys.path.insert(0, str(ROOT / "bench"))
import hostile  # noqa: E402  (bench/hostile.py: the cases of its importer table)

ESC = "\x1b"


def outcome(path: Path) -> Imported | ImportRefused:
    try:
        return source.import_source(path, "hostile", path.name)[1]
    except ImportRefused as refused:
        return refused


def refusal(path: Path) -> str:
    result = outcome(path)
    assert isinstance(result, ImportRefused), f"{path.name} was imported"
    return str(result)


def cli(workdir: Path, source: str, *extra: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    args = ["import", source, "--id", "hostile", "--municipality", "久留米市", "--prefecture", "福岡県", *extra]
    # The timeout only turns a hang into a failure; nothing asserts how long it took.
    return subprocess.run(
        [sys.executable, "-m", "policy_handbook", *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def workdir(tmp_path):
    shutil.copytree(MINIMAL, tmp_path / "policy")
    return tmp_path


# --------------------------------------------------------------------------- what is read


@pytest.mark.parametrize(
    "kind, message", [("fifo", "is a FIFO, not a regular file"), ("link", "is a device or socket, not a regular file")]
)
def test_a_fifo_or_a_link_to_dev_zero_is_refused_without_reading(workdir, kind, message):
    name = "fifo" if kind == "fifo" else "dev-zero-link"
    source = hostile.write_import_case(workdir, name)
    result = cli(workdir, source.name)
    assert result.returncode == 1
    assert result.stderr == f"{source.name}:1: {message}: give the guideline's text or PDF file\n"


def test_a_folder_and_a_file_over_the_size_limit_are_refused(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    assert "folder.txt:1: is a folder, not a regular file" in refusal(tmp_path / "folder.txt")
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as f:
        f.truncate(limits.MAX_SOURCE_BYTES + 1)  # sparse: nothing to write, and nothing must be read
    assert refusal(huge) == "huge.pdf:1: file is larger than 32 MB: not a guideline"


# --------------------------------------------------------------------------- PDFs


@pytest.mark.parametrize(
    "name, message",
    [
        ("pdf-flate-bomb", "the page holds more than a page of text needs (Limit reached while decompressing"),
        ("pdf-shared-stream", "the page holds more than a page of text needs (Reached maximum number of tokens"),
        ("pdf-80k-tj", "the page holds more than a page of text needs (Reached maximum number of tokens"),
    ],
)
def test_hostile_pdfs_are_refused_at_their_page(tmp_path, name, message):
    said = refusal(hostile.write_import_case(tmp_path, name))
    assert said.startswith(f"{name}.pdf: page 1: {message}") and "\n" not in said, said


def test_pages_sharing_a_stream_count_towards_the_total_each_time(tmp_path, monkeypatch):
    """The total cap counts what every page decodes, not each stream once: 200 pages
    sharing one stream are 200 times its work."""
    monkeypatch.setitem(limits.PYPDF_LIMITS, "stream_parsing_work_maximum_count", 2_000_000)  # not stopped by pypdf
    monkeypatch.setattr(limits, "MAX_DECODED_BYTES", 2 * 2**20)
    line = b"BT /F1 10 Tf 50 800 Td (ab) Tj ET\n"
    source = tmp_path / "shared.pdf"
    source.write_bytes(hostile.raw_pdf([0] * 200, [line * (300_000 // len(line))]))
    # 300 KB a page: the seventh page passes 2 MB, although the file holds the stream once
    assert refusal(source) == "shared.pdf: page 7: the pages decode to more than 2 MB of content: not a text PDF"


def test_the_child_runs_under_cpu_and_memory_limits():
    cpu, memory, inherited = limits.run_limited(_own_limits, display="x", what="testing")
    assert cpu == (limits.CHILD_CPU_SECONDS, limits.CHILD_CPU_SECONDS + 1)
    # What it inherited (read again here, a few pages later) and 512 MB more to work in.
    assert memory[0] == memory[1] and 0 <= limits.child_memory_limit(inherited) - memory[0] < 16 * 2**20
    assert limits.CHILD_CPU_SECONDS <= 5 and limits.CHILD_MEMORY_BYTES <= 512 * 2**20


def _own_limits(note_page):
    with open("/proc/self/status") as f:  # the address space it started with, before any work
        inherited = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    return resource.getrlimit(resource.RLIMIT_CPU), resource.getrlimit(resource.RLIMIT_AS), inherited


def _spin(note_page):
    note_page(7)
    while True:
        pass


def _allocate(note_page):
    note_page(3)
    return bytearray(2 * limits.CHILD_MEMORY_BYTES)


def test_a_child_over_its_cpu_limit_is_one_line_at_its_page(monkeypatch):
    monkeypatch.setattr(limits, "CHILD_CPU_SECONDS", 1)
    with pytest.raises(ImportRefused) as exc:
        limits.run_limited(_spin, display="slow.pdf", what="reading the PDF")
    assert str(exc.value) == "slow.pdf: page 7: reading the PDF took more than 1 s of CPU: stopped (not a guideline)"


def test_a_child_over_its_memory_limit_is_one_line_at_its_page():
    with pytest.raises(ImportRefused) as exc:
        limits.run_limited(_allocate, display="big.pdf", what="reading the PDF")
    assert str(exc.value) == "big.pdf: page 3: reading the PDF needs more than 512 MB: stopped (not a guideline)"


# --------------------------------------------------------------------------- texts


def test_a_line_longer_than_a_text_may_be_is_refused_at_its_line(tmp_path):
    source = hostile.write_import_case(tmp_path, "leader-dots")
    assert refusal(source) == "leader-dots.txt:3: a line of 200,005 characters (at most 20,000, the longest text a clause may have)"


@pytest.mark.parametrize("name", ["repeated-markers", "bullets"])
def test_more_lines_than_200_pages_hold_are_refused(tmp_path, name):
    source = hostile.write_import_case(tmp_path, name)
    assert refusal(source).startswith(f"{name}.txt:20001: the text has more than 20,000 lines")


def test_every_hostile_case_ends_with_a_draft_or_one_refusal(tmp_path):
    for name in hostile.IMPORT_CASES:
        result = outcome(hostile.write_import_case(tmp_path, name))
        if isinstance(result, ImportRefused):
            assert len(result.problems) == 1 and str(result).startswith(f"{name}."), str(result)


# --------------------------------------------------------------------------- item 5: the packaged schema


def test_the_draft_is_checked_against_the_packaged_schema_not_the_folders_copy(workdir):
    """The folder's schema/ copy is for editors: a copy that differs (here: one that allows
    no text of more than 5 characters) changes nothing of what the importer accepts."""
    schema_copy = workdir / "policy" / "schema" / "policy.schema.json"
    schema_copy.parent.mkdir()
    packaged = (ROOT / "extensions" / "policy_handbook" / "schemas" / "policy.schema.json").read_text(encoding="utf-8")
    strict = packaged.replace('"maxLength": 20000', '"maxLength": 5')
    assert strict != packaged
    schema_copy.write_text(strict, encoding="utf-8")
    (workdir / "plain.txt").write_text(
        "久留米市ソーシャルメディア運用指針\n1 目的\n職員は、発信する情報の正確さに留意しなければならない。\n", encoding="utf-8"
    )
    result = cli(workdir, "plain.txt")
    assert result.returncode == 0, result.stderr
    assert "職員は、発信する情報の正確さに留意しなければならない。" in (workdir / "policy" / "hostile.yaml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- item 8: every message escaped


def test_a_file_name_with_terminal_escapes_is_printed_escaped(workdir):
    name = f"evil{ESC}]0;pwned\a.txt"
    (workdir / name).write_text("久留米市ソーシャルメディア運用指針\n1 目的\n職員は、注意して発信しなければならない。\n", encoding="utf-8")
    done = cli(workdir, name)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported evil\\x1b]0;pwned\\x07.txt (utf-8) -> policy/hostile.yaml")
    missing = cli(workdir, f"gone{ESC}]0;x\a.txt", "--force")
    assert missing.stderr == "gone\\x1b]0;x\\x07.txt:1: cannot read the file: No such file or directory\n"
    for result in (done, missing):
        assert ESC not in result.stdout + result.stderr and "\a" not in result.stdout + result.stderr


def test_terminal_escapes_in_the_content_are_refused_and_not_printed(workdir):
    (workdir / "content.txt").write_text(f"久留米市指針\n1 目的\n職員は{ESC}]0;pwned\a発信する。\n", encoding="utf-8")
    text = cli(workdir, "content.txt")
    assert text.returncode == 1 and text.stderr.startswith("content.txt:3: character U+001B is not allowed")
    (workdir / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages " + f"{ESC}]0;pwned\a".encode() + b" >>\n%%EOF\n")
    pdf = cli(workdir, "broken.pdf")
    assert pdf.returncode == 1 and pdf.stderr.startswith("broken.pdf:1: "), pdf.stderr
    for result in (text, pdf):
        assert ESC not in result.stdout + result.stderr and "\a" not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- random and mutated sources

from test_importer import PDF_PAGES, SAMPLE, make_pdf  # noqa: E402  (the importer's own fixtures)

BASE_PDF = make_pdf(PDF_PAGES)
PDF_TOKENS = [
    b"obj",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"/Length 99999999",
    b"/FlateDecode",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"0 R",
    b"/Contents",
    b"/Kids [1 0 R]",
    b"/Count 9999999",
    b"xref",
    b"startxref",
    b"\x1b]0;x\x07",
    b"\x00",
    b"(" * 50,
]
TEXT_PIECES = [
    "1 ",
    "(1)",
    "第1条 ",
    "・",
    "別紙1「届出書」",
    "目次",
    "." * 500,
    "\x1b]0;x\x07",
    "\u202e",
    "\ufeff",
    "\r",
    "\n",
    "。",
    "\udcff",
]


@st.composite
def mutated(draw, base: bytes, tokens: list[bytes]):
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "cut", "truncate"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.sampled_from(tokens)) * draw(st.integers(1, 3))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 400))]
        elif action == "truncate":
            del data[max(at, 8) :]
    return bytes(data)


sources = st.one_of(
    st.binary(max_size=3000),
    st.binary(max_size=3000).map(lambda b: b"%PDF-1.4\n" + b),
    mutated(BASE_PDF, PDF_TOKENS),
    mutated(SAMPLE.encode("utf-8"), [p.encode("utf-8", "surrogatepass") for p in TEXT_PIECES]),
    mutated(SAMPLE.encode("shift_jis"), [p.encode("utf-8", "surrogatepass") for p in TEXT_PIECES]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sources)
def test_any_source_ends_with_a_draft_or_one_clear_refusal(tmp_path, raw):
    """Under the child's limits (test_the_child_runs_under_cpu_and_memory_limits): any bytes,
    text or PDF, become an Imported draft or a refusal naming the file, never another exception."""
    path = tmp_path / "fuzz.src"
    path.write_bytes(raw)
    result = outcome(path)
    if isinstance(result, ImportRefused):
        assert result.problems and all(p.file == "fuzz.src" and p.line >= 1 for p in result.problems)
        said = str(result)
        assert "Traceback" not in said and ESC not in said and "\a" not in said
    else:
        assert result.clauses()
