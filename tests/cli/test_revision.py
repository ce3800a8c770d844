"""新旧対照表 from git: a real edit of a copy of policy/ in a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers.paths import PROJECT_ROOT
from policy_handbook.loader import load_guideline_from_string

ROOT = PROJECT_ROOT
EXTENSIONS = ROOT / "extensions"

CHANGED = "chikugo-6-1-i2"
REMOVED = "chikugo-2-1-i5"
ADDED = "chikugo-6-3-i3"
NEW_TEXT = "誤りは速やかに認め、訂正しなければならない。"
ADDED_TEXT = "成りすましへの対応は<b>記録</b>しておく。"


def find(clauses: list[dict], clause_id: str) -> tuple[list[dict], int]:
    """The list holding the clause and its index in it."""
    for index, clause in enumerate(clauses):
        if clause["id"] == clause_id:
            return clauses, index
        found = find(clause.get("children", []), clause_id)
        if found[1] >= 0:
            return found
    return clauses, -1


def edit(data: dict) -> dict:
    """One changed text, one clause removed, one clause added (as a policy owner would)."""
    siblings, i = find(data["clauses"], CHANGED)
    siblings[i]["text"]["ja"] = NEW_TEXT
    siblings, i = find(data["clauses"], REMOVED)
    del siblings[i]
    siblings, i = find(data["clauses"], "chikugo-6-3-i2")
    siblings.insert(
        i + 1,
        {
            "id": ADDED,
            "level": "item",
            "marker": "・",
            "kind": "procedure",
            "topics": ["impersonation"],
            "text": {"ja": ADDED_TEXT, "en": "Keep a record of how impersonation was handled."},
        },
    )
    return data


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def run_diff(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(EXTENSIONS)}
    return subprocess.run(
        [sys.executable, "-m", "policy_handbook", "diff", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """Three commits: a README; a copy of policy/; the edited chikugo.yaml."""
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q")
    (repo / "README").write_text("test\n")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "start")
    shutil.copytree(ROOT / "policy", repo / "policy")
    git(repo, "add", "policy")
    git(repo, "commit", "-q", "-m", "policy as published")
    path = repo / "policy" / "chikugo.yaml"
    path.write_text(dump(edit(yaml.safe_load(path.read_text("utf-8")))), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "revise chikugo")
    return repo


@pytest.fixture(scope="module")
def table(repo: Path) -> BeautifulSoup:
    result = run_diff(repo, "--document", "chikugo", "--rev", "HEAD~1", "--output", "out/chikugo.html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "out/chikugo.html"
    html = (repo / "out" / "chikugo.html").read_text("utf-8")
    return BeautifulSoup(html, "html.parser")


def row_of(soup: BeautifulSoup, clause_id: str):
    for tr in soup.select("tbody tr"):
        if tr.find(string=clause_id):
            return tr
    raise AssertionError(f"{clause_id} is not in the table")


def test_page_is_japanese_standalone_and_titled(table):
    assert table.html["lang"] == "ja"
    assert table.find("meta", charset="utf-8")
    assert "新旧対照表" in table.title.string
    assert "HEAD~1" in table.select_one(".meta").get_text()
    # No external resources: no scripts, stylesheets, images or fonts fetched.
    assert not table.find_all(["script", "link", "img", "iframe"])
    assert "url(" not in table.style.string
    assert "@page" in table.style.string and "A4" in table.style.string


def test_columns_are_after_then_before(table):
    headers = [th.get_text() for th in table.select("thead th")]
    assert headers == ["改正後", "改正前"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))


def test_legend_explains_the_marks(table):
    legend = table.select_one(".legend").get_text()
    assert "下線" in legend and "取消線" in legend and "新設" in legend and "削除" in legend


def test_changed_clause_is_marked_on_both_sides(table):
    after, before = row_of(table, CHANGED).find_all("td")
    inserted = [ins.get_text() for ins in after.find_all("ins")]
    deleted = [d.get_text() for d in before.find_all("del")]
    # Visually hidden labels name the mark for screen readers.
    assert inserted == ["［挿入：速やか］", "［挿入：け］"]
    assert deleted == ["［削除：直ち］"]
    assert not after.find("del") and not before.find("ins")
    assert after.select_one(".text").get_text().replace("［挿入：", "").replace("］", "") == NEW_TEXT


def test_added_clause_is_all_underlined_and_old_side_says_new(table):
    after, before = row_of(table, ADDED).find_all("td")
    assert "（新設）" in after.get_text()
    assert before.get_text() == "（新設）"
    assert after.select_one(".text ins") is not None
    # YAML text is data: the <b> in it is shown, not interpreted.
    assert not after.find("b")
    assert "<b>記録</b>" in after.select_one(".text").get_text()


def test_removed_clause_is_all_struck_and_new_side_says_removed(table):
    after, before = row_of(table, REMOVED).find_all("td")
    assert after.get_text() == "（削除）"
    assert "緊急時などに情報収集手段" in before.select_one(".text del").get_text()


def test_unchanged_clauses_are_left_out_and_counted(table):
    assert not table.find(string="chikugo-1-p1")
    summary = table.select_one(".summary").get_text()
    assert "改正 1件、新設 1件、削除 1件、移動 0件" in summary
    assert "変更のない条項" in summary


def test_unknown_revision_is_one_line_exit_2(repo):
    result = run_diff(repo, "--document", "chikugo", "--rev", "no-such-rev", "--output", "out/x.html")
    assert result.returncode == 2
    assert result.stderr == "error: unknown git revision 'no-such-rev'\n"
    assert not (repo / "out" / "x.html").exists()


def test_file_missing_at_revision_is_one_line_exit_2(repo):
    result = run_diff(repo, "--document", "chikugo", "--rev", "HEAD~2", "--output", "out/x.html")
    assert result.returncode == 2
    assert result.stderr == "error: chikugo.yaml does not exist at revision 'HEAD~2'\n"


def test_unknown_document_and_missing_arguments(repo):
    result = run_diff(repo, "--document", "nagoya", "--rev", "HEAD~1")
    assert (result.returncode, result.stderr) == (2, "error: no guideline 'nagoya' in policy (known guidelines: chikugo, yanagawa)\n")
    result = run_diff(repo, "--rev", "HEAD~1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--document" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_old_yaml_is_reported_with_its_revision_exit_1(tmp_path):
    git(tmp_path, "init", "-q")
    policy = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", policy)
    good = (policy / "chikugo.yaml").read_text("utf-8")
    (policy / "chikugo.yaml").write_text(good.replace("level: preamble", "level: preambel", 1), encoding="utf-8")
    git(tmp_path, "add", "policy")
    git(tmp_path, "commit", "-q", "-m", "broken")
    (policy / "chikugo.yaml").write_text(good, encoding="utf-8")
    result = run_diff(tmp_path, "--document", "chikugo", "--rev", "HEAD", "--output", "x.html")
    assert result.returncode == 1
    assert result.stderr.startswith("error: policy/chikugo.yaml@HEAD:")
    assert "preambel" in result.stderr and "Traceback" not in result.stderr


def test_same_id_out_of_order_is_moved_not_removed_and_added():
    # Imported here, not at collection: tests/cli/test_cli.py swaps the module in sys.modules.
    from policy_handbook.revision import align

    source = (ROOT / "policy" / "chikugo.yaml").read_text("utf-8")
    data = yaml.safe_load(source)
    siblings, i = find(data["clauses"], "chikugo-2-2-i1")
    siblings.append(siblings.pop(i))  # the first demerit becomes the last
    old = load_guideline_from_string(source, "policy/chikugo.yaml")
    new = load_guideline_from_string(dump(data), "policy/chikugo.yaml")
    result = align(old, new)
    status = {(r.new or r.old).id: r.status for r in result.rows}
    assert status["chikugo-2-2-i1"] == "moved"
    # The two that moved up keep their IDs but are cited by new numbers: changed.
    assert status["chikugo-2-2-i2"] == status["chikugo-2-2-i3"] == "changed"
    assert result.count("added") == result.count("removed") == 0
    order = [(r.new or r.old).id for r in result.rows]
    assert order.index("chikugo-2-2-i1") == order.index("chikugo-2-2-i3") + 1


def test_all_lists_unchanged_clauses_and_paper_can_be_portrait(repo):
    result = run_diff(repo, "--document", "chikugo", "--rev", "HEAD~1", "--all", "--paper", "a4-portrait", "--output", "out/all.html")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((repo / "out" / "all.html").read_text("utf-8"), "html.parser")
    unchanged = row_of(soup, "chikugo-1-p1")
    assert unchanged["class"] == ["unchanged"]
    assert not unchanged.find(["ins", "del"])
    assert "size: A4 portrait" in soup.style.string
