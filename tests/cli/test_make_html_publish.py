"""`make html` publishes old or new, never a mix, never nothing (issue 15, items 10-13).

The real Makefile, conf.py, extension and policy on a small copy of the site
(the handbook's index and one guideline page: a full build in seconds). Builds
are interrupted at several points, fail inside Sphinx, run twice at once and
are polled while they publish; the published tree is compared, file by file,
with the site before and after the edit.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
EDITED_CLAUSE_TEXT = "（この条項は試験のために編集された。）"


def tree(site: Path) -> dict[str, str]:
    site = site.resolve()
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def make(project: Path, target: str = "html", **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    return subprocess.Popen(
        ["make", target], cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, **popen,
    )  # fmt: skip


def make_html(project: Path) -> str:
    proc = make(project)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, output
    return output


def processes_in(project: Path) -> list[str]:
    """Command lines of the processes whose working directory is the project (sphinx-build, make)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if Path(os.readlink(proc / "cwd")) == project:
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("publish") / "project"
    project.mkdir()
    for name in ("conf.py", "Makefile"):
        shutil.copy2(ROOT / name, project / name)
    for name in ("policy", "requirements"):
        shutil.copytree(ROOT / name, project / name)  # copy2: the venv's install stamps stay valid
    for name in ("_templates", "_static", "_root"):
        shutil.copytree(ROOT / "docs" / name, project / "docs" / name)
    (project / "docs" / "guidelines").mkdir()
    # the guideline alone (the real page also links the situation guides, not built here)
    (project / "docs" / "guidelines" / "chikugo.md").write_text("# 筑後市\n\n```{policy:guideline} chikugo\n```\n", "utf-8")
    (project / "docs" / "index.md").write_text("# ハンドブック\n\n```{toctree}\nguidelines/chikugo\n```\n", "utf-8")
    for name in ("extensions", ".venv"):
        (project / name).symlink_to(ROOT / name, target_is_directory=True)
    dry = subprocess.run(["make", "-n", "html"], cwd=project, capture_output=True, text=True)
    assert "pip" not in dry.stdout, "the venv stamps are out of date; run `make html` once first"
    make_html(project)
    return project


def jobs_started(staging: Path, since: float) -> bool:
    """The publisher marks each job unfinished (touches its marker) as it starts them."""
    try:
        return (staging / ".unfinished-ja").stat().st_mtime >= since
    except FileNotFoundError:
        return False


def edit_clause(project: Path, text: str) -> None:
    path = project / "policy" / "chikugo.yaml"
    source = path.read_text("utf-8")
    marker = "一方、ソーシャルメディア上で"
    assert marker in source
    path.write_text(source.replace(marker, f"{text}一方、ソーシャルメディア上で", 1), "utf-8")


def test_interrupted_or_failed_builds_leave_the_old_site_and_the_next_one_publishes_the_new(project):
    site = project / "_build" / "html"
    old = tree(site)
    assert {"index.html", "ja/index.html", "en/index.html", "api/v1/policy.json"} <= set(old)
    edit_clause(project, EDITED_CLAUSE_TEXT)
    staging = project / "_build" / "staging"
    published: list[dict[str, str]] = []
    interrupted_in_sphinx = 0
    # (who gets the signal, which, seconds after the sphinx-build jobs started; None: before)
    for who, signum, delay in [
        ("make", signal.SIGTERM, None),
        ("group", signal.SIGINT, 0.3),  # Ctrl-C in the terminal
        ("make", signal.SIGTERM, 1.0),
        ("group", signal.SIGINT, 2.0),
        ("make", signal.SIGTERM, 3.0),
    ]:
        started = time.time() - 0.01
        proc = make(project)
        if delay is None:
            time.sleep(0.2)  # make check is still running
        else:
            assert wait_until(lambda started=started: jobs_started(staging, started), 60), "the build never started"
            time.sleep(delay)
        if who == "group":
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        output, _ = proc.communicate(timeout=60)
        assert wait_until(lambda: not processes_in(project), 3), f"left running: {processes_in(project)}"
        published.append(tree(site))
        interrupted_in_sphinx += "nothing published" in output
        if proc.returncode == 0:
            break  # the build won the race: the rest would interrupt nothing
    assert interrupted_in_sphinx >= 2, "no trial interrupted a running sphinx-build"

    # A build that fails inside Sphinx (a warning under -W) publishes nothing either.
    index = project / "docs" / "index.md"
    good = index.read_text("utf-8")
    index.write_text(good + "\n{doc}`no-such-page`\n", "utf-8")
    proc = make(project)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode != 0 and "no-such-page" in output, output
    assert "html is unchanged" in output
    published.append(tree(site))
    index.write_text(good, "utf-8")

    # The next build publishes the new site; a client polling the API meanwhile never misses it.
    misses = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            try:
                (site / "api" / "v1" / "policy.json").read_bytes()
            except OSError as exc:
                misses.append(repr(exc))

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        make_html(project)
    finally:
        stop.set()
        poller.join()
    assert not misses, misses[:3]
    new = tree(site)
    assert set(new) == set(old) and new != old
    assert {"ja/_search/policy-search.json", "en/_search/policy-search.json"} <= set(new)
    assert EDITED_CLAUSE_TEXT in (site / "ja" / "guidelines" / "chikugo.html").read_text("utf-8")
    assert EDITED_CLAUSE_TEXT in (site / "api" / "v1" / "policy.json").read_text("utf-8")
    for i, seen in enumerate(published):
        assert seen in (old, new), f"trial {i} published a mix: {sorted(k for k in seen if seen[k] != old.get(k))[:5]}"
    assert published[-1] == published[-2]  # the failed build published nothing (a fast trial may have won its race)
    leftovers = [p.relative_to(site.resolve()) for p in site.resolve().rglob(".*")]
    assert not leftovers, f"temporary or hidden files published: {leftovers}"


def test_two_builds_at_once_wait_for_each_other_and_equal_a_clean_build(project):
    edit_clause(project, "（二度目の編集。）")
    started = time.time() - 0.01
    first = make(project)
    assert wait_until(lambda: jobs_started(project / "_build" / "staging", started), 60)
    second = make(project)
    out1, _ = first.communicate(timeout=300)
    out2, _ = second.communicate(timeout=300)
    assert (first.returncode, second.returncode) == (0, 0), out1 + out2
    assert "another build is running" in out2
    together = tree(project / "_build" / "html")
    shutil.rmtree(project / "_build")
    make_html(project)
    assert tree(project / "_build" / "html") == together


def test_the_published_api_is_written_by_the_policyjson_job_alone(project):
    """One writer: the ja and en page builds write no API; `make html`'s third job does,
    the same bytes as `-b policyjson` on its own, and the pages' API links land in it."""
    staging = project / "_build" / "staging"
    shutil.rmtree(staging / "api")
    proc = make(project, "html-ja")
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, output
    assert not (staging / "api").exists()  # a page build wrote nothing of the API

    make_html(project)
    site = (project / "_build" / "html").resolve()
    alone = project / "_build" / "api-alone"
    done = subprocess.run(
        [".venv/bin/python", "-m", "sphinx", "-c", ".", "-q", "-W", "-b", "policyjson", "-d", str(alone.parent / "doctrees-alone"), "docs", str(alone)],
        cwd=project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert tree(site / "api" / "v1") == tree(alone)
    page = (site / "ja" / "guidelines" / "chikugo.html").read_text("utf-8")
    assert 'id="chikugo-6-3"' in page  # where the API's URL of that clause lands
    policy = (site / "api" / "v1" / "policy.json").read_text("utf-8")
    assert '"ja": "ja/guidelines/chikugo.html#chikugo-6-3"' in policy
