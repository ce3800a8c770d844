"""`make align` writes every row it reports, into any valid comparison file, and keeps the file's
line endings, mode and layout (issue 23, item 6).

A draft ``kurume`` (the Chikugo seed text imported under another ID) is aligned against
policy/comparison.yaml as it is, with topics rewritten in flow style, with CRLF line
endings, and after another draft's rows are already there.
"""

from __future__ import annotations

import re
import shutil
import stat
from pathlib import Path

import pytest
import yaml

from helpers.paths import PROJECT_ROOT
from policy_handbook.importer import align_command
from policy_handbook.importer.command import main_align, main_import
from policy_handbook.loader import load_policy

ROOT = PROJECT_ROOT
SEED = ROOT / "policy" / "sources" / "chikugo-social-media-guideline.txt"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """policy/ with the drafts kurume and kensho (not yet aligned)."""
    policy = tmp_path_factory.mktemp("align") / "policy"
    shutil.copytree(ROOT / "policy", policy)
    for document_id in ("kurume", "kensho"):
        argv = [str(SEED), "--id", document_id, "--municipality", "久留米市", "--prefecture", "福岡県", "--policy", str(policy)]
        assert main_import(argv) == 0
    return policy


@pytest.fixture
def policy(imported, tmp_path) -> Path:
    shutil.copytree(imported, tmp_path / "policy")
    return tmp_path / "policy"


def align(policy: Path, document_id: str, capsys) -> int:
    """Run align; the number of rows it says it wrote."""
    capsys.readouterr()
    assert main_align([document_id, "--policy", str(policy)]) == 0, capsys.readouterr().err
    reported = re.match(rf"(\d+) suggested rows for {document_id} written to ", capsys.readouterr().out)
    assert reported
    return int(reported.group(1))


def rows_in_file(policy: Path, document_id: str) -> int:
    """Suggested rows of ``document_id`` in the file as `make check` reads it (coverage aside)."""
    comparison = yaml.safe_load((policy / "comparison.yaml").read_bytes())
    return sum(document_id in r["cells"] for t in comparison["topics"] for r in t.get("suggested_rows", ()))


def only_lines_added(before: str, after: str) -> bool:
    """``after`` is ``before`` with lines inserted, and flow topics' lines extended before their closing brace."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    if old and not old[-1].endswith("\n"):  # the file's last line gets its newline when rows follow it
        old[-1] += "\r\n" if "\r\n" in before else "\n"

    def kept(o: str, n: str) -> bool:
        if o == n:
            return True
        body, end = o.rstrip("\r\n"), o[len(o.rstrip("\r\n")) :]
        return body.startswith("  - {") and body.endswith("}") and n.startswith(body[:-1]) and n.endswith("}" + end)

    i = 0
    for line in new:  # every old line, in order, among the new ones
        if i < len(old) and kept(old[i], line):
            i += 1
    return i == len(old)


def in_flow_style(text: str, topics: list[str]) -> str:
    """``text`` with each of ``topics`` rewritten as one flow mapping (`- {topic: …, rows: […]}`)."""
    data = yaml.safe_load(text)
    for topic in data["topics"]:
        if topic["topic"] in topics:
            start = re.search(rf"^  - topic: {re.escape(topic['topic'])}\n", text, re.M)
            end = re.compile(r"^  - ", re.M).search(text, start.end())
            flow = yaml.safe_dump(topic, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
            text = text[: start.start()] + "  - " + flow + text[end.start() if end else len(text) :]
    return text


def test_every_reported_row_is_written_and_only_lines_are_added(policy, capsys):
    before = (policy / "comparison.yaml").read_text("utf-8")
    reported = align(policy, "kurume", capsys)
    after = (policy / "comparison.yaml").read_text("utf-8")
    assert reported > 20 and rows_in_file(policy, "kurume") == reported
    assert only_lines_added(before.replace("documents: [chikugo, yanagawa]", "documents: [chikugo, yanagawa, kurume]"), after)
    load_policy(policy, warnings=[])  # `make check` passes (coverage counts confirmed rows only: a warning-free load is not asked)


def test_topics_in_flow_style_get_their_rows_in_flow_style(policy, capsys):
    path = policy / "comparison.yaml"
    topics = [t["topic"] for t in yaml.safe_load(path.read_bytes())["topics"]]
    flow = [topics[0], topics[4], topics[5], topics[-1]]  # the first, two adjacent and the last
    path.write_text(in_flow_style(path.read_text("utf-8"), flow), "utf-8")
    load_policy(policy)  # valid, as `make check` has it
    before = path.read_text("utf-8")
    reported = align(policy, "kurume", capsys)
    assert rows_in_file(policy, "kurume") == reported
    written = yaml.safe_load(path.read_bytes())
    assert any(t.get("suggested_rows") for t in written["topics"] if t["topic"] in flow), "no flow topic got a row"
    after = path.read_text("utf-8")
    assert only_lines_added(before.replace("documents: [chikugo, yanagawa]", "documents: [chikugo, yanagawa, kurume]"), after)
    load_policy(policy)


def test_crlf_line_endings_stay(policy, capsys):
    path = policy / "comparison.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes().decode("utf-8")
    reported = align(policy, "kurume", capsys)
    raw = path.read_bytes()
    assert rows_in_file(policy, "kurume") == reported
    assert raw.count(b"\n") == raw.count(b"\r\n"), "a line now ends in LF alone"
    assert only_lines_added(before.replace("documents: [chikugo, yanagawa]", "documents: [chikugo, yanagawa, kurume]"), raw.decode("utf-8"))
    load_policy(policy)


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600])
def test_the_file_mode_stays(policy, capsys, mode):
    path = policy / "comparison.yaml"
    path.chmod(mode)
    align(policy, "kurume", capsys)
    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.parametrize("style", ["block", "flow"])
def test_a_second_draft_adds_to_the_rows_already_suggested(policy, capsys, style):
    path = policy / "comparison.yaml"
    if style == "flow":
        path.write_text(in_flow_style(path.read_text("utf-8"), [t["topic"] for t in yaml.safe_load(path.read_bytes())["topics"]]), "utf-8")
    first = align(policy, "kurume", capsys)
    second = align(policy, "kensho", capsys)
    assert rows_in_file(policy, "kurume") == first and rows_in_file(policy, "kensho") == second
    load_policy(policy)  # no topic has a second suggested_rows key (a duplicate key is an error)


def test_an_edit_that_would_lose_a_row_is_refused_and_the_file_untouched(policy, capsys, monkeypatch):
    """The old regex edit skipped what it did not recognise; whatever the cause, the check refuses."""
    path = policy / "comparison.yaml"
    path.chmod(0o644)
    before, before_stat = path.read_bytes(), path.stat()
    edits = align_command._edits
    monkeypatch.setattr(align_command, "_edits", lambda *args: edits(*args)[:-1])  # one topic's rows dropped
    capsys.readouterr()
    assert main_align(["kurume", "--policy", str(policy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:1: the edited file would not read as the data it holds plus the ")
    assert "file left as it was" in err and "Traceback" not in err
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == before_stat.st_mtime_ns and stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not list(policy.glob(".comparison.yaml.*")), "a temp file was left"


def test_a_topic_whose_rows_close_on_a_line_of_their_own(policy, capsys):
    """A flow list spread over lines: the rows go after its closing bracket, not inside it."""
    path = policy / "comparison.yaml"
    text = path.read_text("utf-8")
    spread = text.replace(
        "    rows:\n      - chikugo: [chikugo-1-p1]\n        yanagawa: [yanagawa-2-p1]\n",
        "    rows: [\n      {chikugo: [chikugo-1-p1], yanagawa: [yanagawa-2-p1]}\n    ]  # one row\n",
    )
    assert spread != text
    path.write_text(spread, "utf-8")
    reported = align(policy, "kurume", capsys)
    assert rows_in_file(policy, "kurume") == reported
    assert "    ]  # one row\n    suggested_rows:" in path.read_text("utf-8")
    load_policy(policy)
