"""policy_handbook.publish: build into staging, publish the whole site with one atomic switch.

Jobs here are small Python scripts standing in for sphinx-build (the real
Makefile is exercised in test_make_html_publish.py): they write files slowly,
fail, or record how they were called.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook import publish

ROOT = PROJECT_ROOT
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "extensions"))

# A stand-in for sphinx-build: writes COUNT files of VERSION into OUT, one every DELAY s.
WRITER = textwrap.dedent(
    """
    import os, sys, time
    out, version, count, delay = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    os.makedirs(os.path.join(out, "pages"), exist_ok=True)
    with open(os.path.join(out, ".pid.tmp"), "w") as f:
        f.write(str(os.getpid()))
    os.replace(os.path.join(out, ".pid.tmp"), os.path.join(out, ".pid"))
    for i in range(count):
        with open(os.path.join(out, "pages", f"p{i}.html"), "w") as f:
            f.write(f"<p>{version} {i}</p>")
        time.sleep(delay)
    with open(os.path.join(out, ".buildinfo"), "w") as f:
        f.write(version)
    sys.exit(int(os.environ.get("WRITER_EXIT", "0")))
    """
)


def tree(path: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under path (symlinks followed at the top only)."""
    path = path.resolve()
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def writer(tmp_path: Path) -> Path:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    return script


def job(writer: Path, build: Path, name: str, version: str, count: int = 3, delay: float = 0.0) -> str:
    out = build / publish.STAGING / name
    return f"{name}={sys.executable} {writer} {out} {version} {count} {delay}"


def run_publish(build: Path, *jobs: str, env=None, **kwargs) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "policy_handbook.publish", "--build-dir", str(build)]
    for j in jobs:
        argv += ["--job", j]
    return subprocess.run(argv, env=env or ENV, capture_output=True, text=True, **kwargs)


def start_publish(build: Path, *jobs: str, env=None) -> subprocess.Popen:
    argv = [sys.executable, "-m", "policy_handbook.publish", "--build-dir", str(build)]
    for j in jobs:
        argv += ["--job", j]
    return subprocess.Popen(argv, env=env or ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def snapshots(build: Path) -> list[str]:
    return sorted(p.name for p in build.iterdir() if p.name.startswith(publish.SNAPSHOT_PREFIX))


def wait_for_jobs(build: Path, proc: subprocess.Popen, last: str = "en", since: float | None = None) -> None:
    """Until the publisher starts its jobs (it marks them all unfinished first, ``last`` last)."""
    marker = build / "staging" / f".unfinished-{last}"
    since = time.time() - 5 if since is None else since
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if marker.stat().st_mtime >= since:
                return
        except FileNotFoundError:
            pass
        time.sleep(0.01)
    pytest.fail("the publisher never started its jobs")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# --- the switch ------------------------------------------------------------------------------


def test_a_build_publishes_every_job_at_once_without_dotfiles(tmp_path, writer):
    build = tmp_path / "_build"
    result = run_publish(build, job(writer, build, "ja", "v1"), job(writer, build, "en", "v1"))
    assert result.returncode == 0, result.stderr
    site = build / "html"
    assert site.is_symlink() and os.readlink(site).startswith("site-")
    # .buildinfo and the writers' .pid stay in staging: no dotfile is published.
    assert sorted(tree(site)) == [f"{lang}/pages/p{i}.html" for lang in ("en", "ja") for i in range(3)]
    assert (site / "ja/pages/p0.html").read_text() == "<p>v1 0</p>"
    assert (build / "staging" / "ja" / ".buildinfo").is_file()


def test_unchanged_files_are_shared_with_the_previous_snapshot_and_old_ones_deleted(tmp_path, writer):
    build = tmp_path / "_build"
    assert run_publish(build, job(writer, build, "ja", "v1")).returncode == 0
    first = (build / "html").resolve()
    # The next build changes one page only (an incremental build leaves the others alone).
    page = build / "staging" / "ja" / "pages" / "p1.html"
    page.write_text("<p>v2 1</p>")
    job_touching_nothing = f"ja={sys.executable} -c pass"
    assert run_publish(build, job_touching_nothing).returncode == 0
    second = (build / "html").resolve()
    assert second != first
    assert (second / "ja/pages/p1.html").read_text() == "<p>v2 1</p>"
    assert (first / "ja/pages/p1.html").read_text() == "<p>v1 1</p>", "a published snapshot was modified"
    assert os.stat(second / "ja/pages/p0.html").st_ino == os.stat(first / "ja/pages/p0.html").st_ino
    assert os.stat(second / "ja/pages/p1.html").st_ino != os.stat(first / "ja/pages/p1.html").st_ino
    assert run_publish(build, job_touching_nothing).returncode == 0
    # The current snapshot and the one before it (for readers still in it) remain.
    assert snapshots(build) == sorted([second.name, (build / "html").resolve().name])


def test_a_plain_html_directory_from_an_older_makefile_is_replaced_in_one_step(tmp_path, writer):
    build = tmp_path / "_build"
    (build / "html" / "ja").mkdir(parents=True)
    (build / "html" / "ja" / "old.html").write_text("old")
    assert run_publish(build, job(writer, build, "ja", "v1")).returncode == 0
    assert (build / "html").is_symlink()
    assert (build / "html" / "ja" / "pages" / "p0.html").is_file()
    legacy = [name for name in snapshots(build) if name.startswith("site-legacy-")]
    assert len(legacy) == 1 and (build / legacy[0] / "ja" / "old.html").read_text() == "old"


def test_root_files_are_copied_into_the_site(tmp_path, writer):
    build = tmp_path / "_build"
    root_page = tmp_path / "index.html"
    root_page.write_text("<h1>root</h1>")
    argv = [sys.executable, "-m", "policy_handbook.publish", "--build-dir", str(build),
            "--copy", f"{root_page}=index.html", "--job", job(writer, build, "ja", "v1")]  # fmt: skip
    result = subprocess.run(argv, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (build / "html" / "index.html").read_text() == "<h1>root</h1>"


# --- failures --------------------------------------------------------------------------------


def test_a_failed_job_publishes_nothing_and_its_next_run_starts_afresh(tmp_path, writer):
    build = tmp_path / "_build"
    assert run_publish(build, job(writer, build, "ja", "v1"), job(writer, build, "en", "v1")).returncode == 0
    before = tree(build / "html")
    failing = dict(ENV, WRITER_EXIT="1")
    result = run_publish(build, job(writer, build, "ja", "v2"), job(writer, build, "en", "v2"), env=failing)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("error: build failed (ja, en)")
    assert "html is unchanged" in result.stderr
    assert tree(build / "html") == before
    # Staging holds v2 pages Sphinx would not look at again: the next run is told to
    # read everything (-E), and only then publishes.
    record = tmp_path / "argv.txt"
    recorder = f'ja={sys.executable} -c \'import sys; open("{record}", "w").write(repr(sys.argv[1:]))\''
    result = run_publish(build, recorder)
    assert result.returncode == 1, "published although the en job never finished"
    assert "the last build of en did not finish" in result.stderr
    assert record.read_text() == "['-E']"
    assert tree(build / "html") == before
    assert run_publish(build, job(writer, build, "ja", "v3"), job(writer, build, "en", "v3")).returncode == 0
    assert (build / "html" / "en" / "pages" / "p2.html").read_text() == "<p>v3 2</p>"


@pytest.mark.parametrize(
    ("how", "signum", "delay"),
    [
        ("group", signal.SIGINT, 0.0),  # Ctrl-C in a terminal: the whole process group
        ("group", signal.SIGINT, 1.0),
        ("publisher", signal.SIGTERM, 0.2),  # what make sends its recipe
        ("publisher", signal.SIGTERM, 1.2),
        ("publisher", signal.SIGHUP, 0.6),
    ],
)
def test_an_interrupted_build_stops_its_jobs_and_publishes_nothing(tmp_path, writer, how, signum, delay):
    build = tmp_path / "_build"
    assert run_publish(build, job(writer, build, "ja", "v1"), job(writer, build, "en", "v1")).returncode == 0
    before = tree(build / "html")
    for lang in ("ja", "en"):  # v1's pids may belong to another process by now
        (build / "staging" / lang / ".pid").unlink(missing_ok=True)
    proc = start_publish(build, job(writer, build, "ja", "v2", 40, 0.05), job(writer, build, "en", "v2", 40, 0.05))
    wait_for_jobs(build, proc)
    time.sleep(delay)
    if how == "group":
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    started = time.monotonic()
    _out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < publish.GRACE_SECONDS, "the jobs were not stopped promptly"
    assert proc.returncode == 128 + signum
    assert f"interrupted ({signal.Signals(signum).name}): nothing published" in err
    assert tree(build / "html") == before
    for lang in ("ja", "en"):
        pid_file = build / "staging" / lang / ".pid"
        if pid_file.exists():  # absent: the signal came before the job started
            assert not alive(int(pid_file.read_text())), f"the {lang} job survived"
        assert (build / "staging" / f".unfinished-{lang}").exists()


def test_jobs_die_with_a_killed_publisher(tmp_path, writer):
    build = tmp_path / "_build"
    proc = start_publish(build, job(writer, build, "ja", "v1", 200, 0.05))
    pidfile = build / "staging" / "ja" / ".pid"
    deadline = time.monotonic() + 20
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid), "an orphaned job kept running"
    assert not (build / "html").exists()


def test_a_publisher_killed_while_copying_leaves_the_old_site_and_its_leftovers_are_removed(tmp_path):
    build = tmp_path / "_build"
    staging = build / "staging"
    for i in range(3000):  # enough files for the copy to take a while
        path = staging / "ja" / f"d{i % 30}" / f"p{i}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"v1 {i}")
    assert run_publish(build).returncode == 0
    old = tree(build / "html")
    for path in staging.rglob("*.html"):
        path.write_text(path.read_text().replace("v1", "v2"))

    def partial_snapshots() -> list[Path]:
        return [p for p in build.iterdir() if p.name.startswith(".") and p.name.endswith(".partial")]

    # Killed at once (before any copy), then as soon as the new snapshot holds a page: not
    # after fixed delays, which a fast machine outruns (3,000 files published in 0.3 s).
    killed_mid_copy = 0
    for version, stage in enumerate(("at once", "while copying", "while copying", "while copying"), 3):
        proc = start_publish(build)
        deadline = time.monotonic() + 20
        while stage != "at once" and proc.poll() is None and time.monotonic() < deadline:
            if any(next(p.rglob("*.html"), None) for p in partial_snapshots()):
                break
            time.sleep(0.001)
        proc.kill()
        proc.wait()
        if stage == "while copying" and not partial_snapshots():
            # It finished first: the new site was published, as it should be. What the
            # next kill must leave is that site; the staging gets a version of its own.
            old = tree(build / "html")
            for path in staging.rglob("*.html"):
                path.write_text(re.sub(r"^v\d+", f"v{version}", path.read_text()))
            continue
        killed_mid_copy += stage == "while copying"
        assert tree(build / "html") == old
    assert killed_mid_copy, "no publisher was killed while copying"
    assert run_publish(build).returncode == 0
    assert set(tree(build / "html").values()) != set(old.values())
    leftovers = [p.name for p in build.iterdir() if p.name.startswith(".") and p.name != publish.LOCK_FILE]
    assert leftovers == []
    assert len(snapshots(build)) == 2


# --- readers and concurrent builds -------------------------------------------------------------


def test_a_reader_polling_during_builds_always_finds_a_complete_site(tmp_path, writer):
    build = tmp_path / "_build"
    assert run_publish(build, job(writer, build, "ja", "v0", 30)).returncode == 0
    seen: list[str] = []
    problems: list[str] = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            try:
                # One file through the link: always there, always whole.
                (build / "html" / "ja" / "pages" / "p29.html").read_text()
                # The site a reader finds when it looks (as a page and its links): one version.
                site = Path(os.path.realpath(build / "html")) / "ja" / "pages"
                pages = [(site / f"p{i}.html").read_text() for i in (0, 29)]
            except OSError as exc:
                problems.append(repr(exc))
                continue
            versions = {p.split()[0] for p in pages}
            if len(versions) != 1:
                problems.append(f"mixed versions {pages}")
            seen.append(pages[0])

    thread = threading.Thread(target=poll)
    thread.start()
    try:
        for version in ("v1", "v2", "v3", "v4"):
            assert run_publish(build, job(writer, build, "ja", version, 30)).returncode == 0
    finally:
        stop.set()
        thread.join()
    assert not problems, problems[:5]
    assert {s.split()[0] for s in seen} >= {"<p>v0", "<p>v4"}


def test_a_second_build_in_the_same_tree_waits_for_the_first(tmp_path, writer):
    build = tmp_path / "_build"
    log = tmp_path / "log.txt"
    logged = tmp_path / "logged.py"
    logged.write_text(
        "import sys, time\n"
        "open(sys.argv[1], 'a').write(f'start {sys.argv[2]}\\n'); time.sleep(1.0)\n"
        "open(sys.argv[1], 'a').write(f'end {sys.argv[2]}\\n')\n"
    )
    first = start_publish(build, f"ja={sys.executable} {logged} {log} first")
    time.sleep(0.3)
    second = start_publish(build, f"ja={sys.executable} {logged} {log} second")
    out1, err1 = first.communicate(timeout=30)
    out2, err2 = second.communicate(timeout=30)
    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    assert "another build is running" in err2 and "waiting" in err2
    assert log.read_text().split("\n")[:4] == ["start first", "end first", "start second", "end second"]


def test_a_signal_during_the_switch_does_not_undo_or_misreport_it(tmp_path, monkeypatch):
    build = tmp_path / "_build"
    (build / "staging" / "ja").mkdir(parents=True)
    (build / "staging" / "ja" / "index.html").write_text("new")
    switch = publish.switch

    def switch_then_signalled(*args):
        result = switch(*args)
        os.kill(os.getpid(), signal.SIGTERM)  # make's SIGTERM, right after the rename
        return result

    monkeypatch.setattr(publish, "switch", switch_then_signalled)
    with publish.signals_interrupt():
        snapshot, _linked, copied = publish.publish(build, build / "staging")
    assert (build / "html").resolve() == snapshot and copied == 1
