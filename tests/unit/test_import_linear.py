"""Parsing a text costs linear time (issue 23, item 3: "make those functions linear and the regex safe").

The line, character and clause caps refuse the issue's own cases (20,000 markers, a line of
200,000 dots) before any parsing; these inputs stay under every cap, so only linear steps keep
them under the child's CPU limit. Quadratic, they took 5 to 11 s of CPU each (ID suffixes of
repeated numbers, counting a parent's items, cited form titles per line, the 目次 leader
regex): here they must end, under a 2 s limit, with a draft or the clause cap's refusal, not
"took more than 2 s of CPU". The bench runs the same cases (bench/hostile.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.importer import limits, lines, pipeline, source
from policy_handbook.importer.errors import ImportRefused

ROOT = PROJECT_ROOT
sys.path.insert(0, str(ROOT / "bench"))
import hostile  # noqa: E402  (bench/hostile.py: the cases of its importer table)

MINIMAL = ROOT / "tests" / "fixtures" / "minimal-policy"


def outcome(path: Path):
    try:
        return source.import_source(path, "hostile", path.name)[1]
    except ImportRefused as refused:
        return refused


@pytest.fixture
def two_cpu_seconds(monkeypatch):
    monkeypatch.setattr(limits, "CHILD_CPU_SECONDS", 2)  # read by the forked child


@pytest.mark.parametrize(
    "name, clauses_or_refusal",
    [
        ("markers-under-caps", "more than 5000 clauses (15000): not one guideline"),
        ("bullets-under-caps", "more than 5000 clauses (15001): not one guideline"),
        ("forms-under-caps", 4001),
        ("dots-under-caps", 5),
    ],
)
def test_inputs_under_the_caps_are_parsed_in_linear_time(tmp_path, two_cpu_seconds, name, clauses_or_refusal):
    result = outcome(hostile.write_import_case(tmp_path, name))
    if isinstance(clauses_or_refusal, str):
        assert isinstance(result, ImportRefused) and str(result) == f"{name}.txt:1: {clauses_or_refusal}", str(result)
    else:
        assert not isinstance(result, ImportRefused), str(result)
        assert len(result.clauses()) == clauses_or_refusal


def test_repeated_numbers_still_get_the_next_free_suffix():
    """The suffix search resumes where it stopped, and still skips an ID a clause already has."""
    text = "試験指針\n1 目的\n1 目的\n(2) 小項目\n1 目的\n1 目的\n"
    ids = [c.id for c in pipeline.import_text(text, "t", "t.txt", encoding="utf-8").clauses()]
    # t-1-2 is the (2) under the second 1: the third 1 takes t-1-3, the fourth t-1-4
    assert ids == ["t-1", "t-1-2", "t-1-2-2", "t-1-3", "t-1-4"]


def test_a_table_of_contents_entry_is_still_recognised_at_any_leader_length():
    for leader in ("...", "." * 500, "…", "・・・・", "‥‥"):
        kept = lines._remove_toc([lines.Line(1, f"1 目的{leader}3")], removed := [])
        assert kept == [] and len(removed) == 1, leader
    kept = lines._remove_toc([lines.Line(1, "1 目的..x3")], [])
    assert len(kept) == 1


def test_the_bench_measures_an_import_that_succeeds(tmp_path):
    """bench/hostile.py's import table runs each case through to the draft: with a name that
    is not on the national list, every case was refused after reading, and the suggestions,
    the draft and its check were never measured."""
    import shutil

    policy = tmp_path / "policy"
    shutil.copytree(MINIMAL, policy)
    source = tmp_path / "plain.txt"
    source.write_text(hostile.TITLE + "1 目的\n職員は注意する。\n", encoding="utf-8")
    result = hostile.import_case(source, policy)
    assert result["status"] == 0, result["first_line"]
    assert (policy / "hostile.yaml").is_file()
