"""bench/run.py's national measurements: peak memory per process, and which rewritten pages are allowed."""

from __future__ import annotations

import sys

import pytest

from helpers.paths import BENCH

sys.path.insert(0, str(BENCH))
import run  # noqa: E402  (bench/run.py)


def test_peak_memory_is_that_of_the_largest_process_of_the_step(tmp_path):
    (tmp_path / "extensions").mkdir()
    (tmp_path / "big.py").write_text("x = bytearray(150 * 1024 * 1024)\nx[::4096] = b'1' * len(x[::4096])\n")
    (tmp_path / "small.py").write_text("")
    big, small = ([sys.executable, "-m", name] for name in ("big", "small"))
    sample = run.run_all([small, big], tmp_path)
    assert 150 <= sample.peak_mb < 400
    ballast = bytearray(200 * 1024 * 1024)  # this process (the bench) big: its children must not look big
    ballast[::4096] = b"1" * len(ballast[::4096])
    assert run.run_all([small], tmp_path).peak_mb < 100  # its own peak, not the largest child so far
    del ballast


def test_a_failing_or_hanging_step_is_reported_not_waited_for(tmp_path):
    (tmp_path / "extensions").mkdir()
    (tmp_path / "boom.py").write_text("print('boom')\nraise SystemExit(3)\n")
    (tmp_path / "hang.py").write_text("import time\ntime.sleep(60)\n")
    with pytest.raises(run.StepFailed, match="exited 3"):
        run.run_all([[sys.executable, "-m", "boom"]], tmp_path)
    with pytest.raises(run.StepFailed, match="still running"):
        run.run_all([[sys.executable, "-m", "hang"]], tmp_path, timeout=1)


def test_toctree_parents_are_found_in_the_sources(tmp_path):
    docs = tmp_path / "docs"
    (docs / "guidelines").mkdir(parents=True)
    (docs / "index.md").write_text("# Top\n\n```{toctree}\n:hidden:\n\nguidelines/chikugo\nForms <forms>\n```\n", encoding="utf-8")
    (docs / "guidelines" / "list.md").write_text("# List\n\n```{toctree}\nm0003\n```\n", encoding="utf-8")
    assert run.toctree_children(docs) == {"index": {"guidelines/chikugo", "forms"}, "guidelines/list": {"guidelines/m0003"}}


def test_a_page_shows_the_clause_through_its_text_anchor_or_a_link(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<p>発信する情報は正<del>［削除：</del>改確に</p>", encoding="utf-8")
    assert not run.shows_clause(page, "c-4-4", "情報は正改")
    page.write_text("<p>発信する情報は<span>正</span>改確に &amp; </p>", encoding="utf-8")
    assert run.shows_clause(page, "c-4-4", "情報は正改")
    page.write_text('<a href="guidelines/c.html#c-4-4">4(4)</a>', encoding="utf-8")
    assert run.shows_clause(page, "c-4-4", "情報は正改")
    assert not run.shows_clause(page, "c-4-5", "情報は正改")


def test_a_step_with_a_timeout_is_polled_often_enough_for_a_short_step_s_wall_clock(tmp_path, monkeypatch):
    """The wall-clock of a step is only as fine as the poll that sees it end (it was 0.5 s)."""
    (tmp_path / "extensions").mkdir()
    (tmp_path / "short.py").write_text("import time\ntime.sleep(0.05)\n")
    pauses: list[float] = []
    sleep = run.time.sleep
    monkeypatch.setattr(run.time, "sleep", lambda seconds: (pauses.append(seconds), sleep(seconds)))
    run.run_all([[sys.executable, "-m", "short"]], tmp_path, timeout=60)
    assert pauses and max(pauses) <= 0.01


def test_the_page_floor_keeps_the_pages_and_drops_only_policy_directives(tmp_path):
    project = tmp_path / "p"
    (project / "docs" / "guidelines").mkdir(parents=True)
    (project / "_build" / "check-cache").mkdir(parents=True)
    (project / "_build" / "check-cache" / "x.entry").write_bytes(b"entry")
    (project / "_build" / "html").mkdir()
    page = "---\norphan: true\n---\n\n# 第4市\n\n````{policy:guideline} m0004\n```\n````\n\n:::{policy:form} f-1\n:::\n\nText {policy:clause}`c-1`.\n"
    (project / "docs" / "guidelines" / "m0004.md").write_text(page, encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Top\n\n```{toctree}\nguidelines/m0004\n```\n", encoding="utf-8")
    floor = run.pages_floor_project(project, tmp_path / "floor")
    assert (floor / "docs" / "guidelines" / "m0004.md").read_text(encoding="utf-8") == (
        "---\norphan: true\n---\n\n# 第4市\n\n\n\nText {policy:clause}`c-1`.\n"
    )
    assert (floor / "docs" / "index.md").read_text(encoding="utf-8") == "# Top\n\n```{toctree}\nguidelines/m0004\n```\n"
    assert (floor / "_build" / "check-cache" / "x.entry").read_bytes() == b"entry"  # the policy loads as in the real build
    assert not (floor / "_build" / "html").exists()


def test_the_bench_runs_the_makefile_s_own_build_commands(tmp_path):
    """bench/run.py reads `make html`'s jobs from the Makefile (make -n), which refuses its
    own names on the command line since issue 23: PY and BUILD reach it from the environment."""
    jobs = run.make_jobs("html", tmp_path)
    builders = [job[job.index("-b") + 1] for job in jobs]
    assert builders == ["html", "html", "policyjson"]
    # sphinx-build itself, with make's SPHINXOPTS: the peak-memory wrapper measures that process
    assert all(job[1:3] == ["-m", "sphinx"] and job[3:5] == ["-W", "--keep-going"] for job in jobs)
    assert all(job[0] == sys.executable and str(tmp_path / "staging") in job[-1] for job in jobs)
    assert run.make_command("check")[-1] == "policy"
    assert run.make_sphinxopts() == "-W --keep-going"  # what the jobs get, as make gives it to them
