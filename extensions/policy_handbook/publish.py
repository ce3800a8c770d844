"""Build into a staging directory, then publish the whole site with one atomic switch.

``python -m policy_handbook.publish --build-dir _build --job ja='sphinx-build … _build/staging/ja' …``
(what ``make html``, ``html-ja``, ``html-en`` and ``json`` run):

1. takes ``_build/.publish.lock`` (flock): a second build in the same tree waits
   for the first, so builds never interleave in the staging directory;
2. runs the jobs at once (one process each) into ``_build/staging/``, the
   persistent tree Sphinx builds incrementally; Ctrl-C, SIGTERM or SIGHUP stop
   them (SIGTERM, then SIGKILL after a grace period) and nothing is published;
3. if every job succeeded, copies ``--copy`` files in, then makes a snapshot
   ``_build/site-<id>/`` of the staging tree: a file unchanged since the
   published snapshot is hard-linked to it (snapshots are never written once
   published), any other is copied; dotfiles (Sphinx's ``.buildinfo``, temp
   files of a killed write) are never published;
4. switches ``_build/html``, a symlink, to the snapshot by renaming a new
   symlink over it: a reader sees the old site or the new one, never a mix
   and never nothing;
5. deletes older snapshots, keeping the previous one for readers still in it.

A job that failed or was interrupted leaves ``staging/.unfinished-<job>``: its
output there may be partial, and Sphinx, which only re-checks what changed,
would not repeat the warnings of pages it already read. Its next run therefore
gets ``--fresh-option`` (``-E`` for sphinx-build: read every page again), and
no snapshot is made while any job's marker is present.

No Sphinx import: the builds are child processes.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import fcntl
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

SITE_LINK = "html"
STAGING = "staging"
SNAPSHOT_PREFIX = "site-"
LOCK_FILE = ".publish.lock"
UNFINISHED_PREFIX = ".unfinished-"
GRACE_SECONDS = 5.0


class PublishError(Exception):
    """One line for the user; exit status 1."""


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP arrived: stop the jobs, publish nothing."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# ----------------------------------------------------------------------------- lock


@contextmanager
def build_lock(build_dir: Path, *, out=sys.stderr) -> Iterator[None]:
    """Hold the tree's build lock; wait (saying so) while another build holds it.

    flock is released by the kernel when the process ends, however it ends.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(build_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)  # a link there is an error, not followed
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build is running in {build_dir}; waiting for it to finish…", file=out, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


# ----------------------------------------------------------------------------- jobs


def _unfinished(staging: Path, name: str) -> Path:
    return staging / f"{UNFINISHED_PREFIX}{name}"


def unfinished_jobs(staging: Path) -> list[str]:
    if not staging.is_dir():
        return []
    return sorted(p.name[len(UNFINISHED_PREFIX) :] for p in staging.iterdir() if p.name.startswith(UNFINISHED_PREFIX))


_PR_SET_PDEATHSIG = 1


def _child_setup() -> None:  # pragma: no cover - runs in the child between fork and exec
    # Ctrl-C must stop a build even if this process was started with SIGINT
    # ignored (a shell's `cmd &`), and the child dies with its parent.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    # run_jobs blocked the stop signals around the fork; one that came meanwhile kills now.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def _stop(procs: Sequence[subprocess.Popen], grace: float) -> None:
    """SIGTERM every running child, SIGKILL those still running after ``grace`` seconds."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + grace
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_jobs(jobs: Mapping[str, list[str]], *, grace: float = GRACE_SECONDS) -> dict[str, int]:
    """Run the commands at once; their exit statuses by name. Interrupted: stop them all, re-raise."""
    procs: dict[str, subprocess.Popen] = {}
    try:
        for name, argv in jobs.items():
            # A stop signal between the fork and Popen's return would leave a child this
            # process does not know of: held back until it is in ``procs``.
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
            try:
                procs[name] = subprocess.Popen(argv, preexec_fn=_child_setup)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return {name: proc.wait() for name, proc in procs.items()}
    except BaseException:
        _stop(list(procs.values()), grace)
        raise


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _Interruptible:
    """Whether a stop signal may still raise: not twice, and not once the site is switched."""

    raised = False
    published = False


_state = _Interruptible()


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """The first SIGINT, SIGTERM or SIGHUP raises Interrupted in the main thread.

    Later ones are ignored, so that stopping the jobs is not itself cut short
    (Ctrl-C reaches this process twice: from the terminal and from make); so are
    those after the switch, which has published the new site by then.
    """
    _state.raised = _state.published = False

    def handler(signum, _frame):
        if not (_state.raised or _state.published):
            _state.raised = True
            raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in _STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


# ----------------------------------------------------------------------------- snapshot and switch


def _published_files(tree: Path) -> Iterator[tuple[str, Path]]:
    """(relative path, path) of every regular file in ``tree`` that is published: no dotfile, no symlink."""
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(tree).as_posix(), path


def make_snapshot(staging: Path, dest: Path, previous: Path | None) -> tuple[int, int]:
    """Copy ``staging`` to ``dest`` (new), hard-linking files unchanged since ``previous``.

    Unchanged: same size and modification time (copy2 keeps the staging file's
    time, as rsync's quick check does). Returns (linked, copied).
    """
    dest.mkdir()
    linked = copied = 0
    for rel, src in _published_files(staging):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        st = src.stat()
        if previous is not None:
            old = previous / rel
            try:
                ost = old.lstat()
                if (ost.st_size, ost.st_mtime_ns) == (st.st_size, st.st_mtime_ns) and old.is_file():
                    os.link(old, target)
                    linked += 1
                    continue
            except OSError:
                pass
        shutil.copy2(src, target)
        copied += 1
    return linked, copied


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(err, os.strerror(err), str(a))


def current_snapshot(build_dir: Path) -> Path | None:
    """The snapshot ``build_dir/html`` points at, or None (no site yet, or a plain directory)."""
    link = build_dir / SITE_LINK
    if not link.is_symlink():
        return None
    target = build_dir / os.readlink(link)
    return target if target.is_dir() else None


def switch(build_dir: Path, snapshot: Path) -> Path | None:
    """Point ``build_dir/html`` at ``snapshot`` in one rename. Returns what it showed before.

    A plain directory left by an older Makefile is swapped out atomically too
    (and kept as the previous snapshot).
    """
    link = build_dir / SITE_LINK
    previous = current_snapshot(build_dir)
    tmp = build_dir / f".{SITE_LINK}-{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(snapshot.name, tmp)
    if link.is_dir() and not link.is_symlink():
        legacy = build_dir / f"{SNAPSHOT_PREFIX}legacy-{time.strftime('%Y%m%dT%H%M%S')}"
        if _exchange(tmp, link):
            os.rename(tmp, legacy)  # tmp now holds the old directory
        else:  # not atomic, but only once per tree
            os.rename(link, legacy)
            os.replace(tmp, link)
        return legacy
    os.replace(tmp, link)
    return previous


def clean_old(build_dir: Path, keep: set[Path]) -> list[str]:
    """Delete snapshots not in ``keep``, and what killed publishers left (partial snapshots, temp links)."""
    removed = []
    keep_names = {p.name for p in keep}
    for path in sorted(build_dir.iterdir()):
        name = path.name
        stale_snapshot = name.startswith(SNAPSHOT_PREFIX) and name not in keep_names and not path.is_symlink()
        leftover = name.startswith(f".{SNAPSHOT_PREFIX}") or (name.startswith(f".{SITE_LINK}-") and name.endswith(".tmp"))
        if stale_snapshot or leftover:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(name)
    return removed


def publish(build_dir: Path, staging: Path) -> tuple[Path, int, int]:
    """Snapshot ``staging`` and switch the site to it. Returns (snapshot, linked, copied)."""
    clean_old(build_dir, keep={p for p in [current_snapshot(build_dir)] if p})
    stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns() % 10**9:09d}-{os.getpid()}"
    partial = build_dir / f".{SNAPSHOT_PREFIX}{stamp}.partial"
    previous = current_snapshot(build_dir)
    linked, copied = make_snapshot(staging, partial, previous)
    snapshot = build_dir / f"{SNAPSHOT_PREFIX}{stamp}"
    os.rename(partial, snapshot)
    # The switch and noting it are one step for the signal handler: an
    # interruption is either before (nothing published) or ignored.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        before = switch(build_dir, snapshot)
        _state.published = True
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    clean_old(build_dir, keep={snapshot} | ({before} if before else set()))
    return snapshot, linked, copied


# ----------------------------------------------------------------------------- command line


def _job(text: str) -> tuple[str, list[str]]:
    name, sep, command = text.partition("=")
    if not sep or not name.isidentifier() or not command.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=COMMAND, got {text!r}")
    return name, shlex.split(command)


def _copy(text: str) -> tuple[Path, str]:
    src, sep, dest = text.partition("=")
    if not sep or not dest or dest.startswith("/") or ".." in Path(dest).parts:
        raise argparse.ArgumentTypeError(f"expected SOURCE=PATH_IN_SITE, got {text!r}")
    return Path(src), dest


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m policy_handbook.publish",
        description="Build into BUILD_DIR/staging, then publish BUILD_DIR/html with one atomic switch.",
    )
    parser.add_argument("--build-dir", type=Path, default=Path("_build"))
    parser.add_argument(
        "--job",
        type=_job,
        action="append",
        default=[],
        metavar="NAME=COMMAND",
        help="a build command writing into BUILD_DIR/staging (run at once with the others)",
    )
    parser.add_argument("--fresh-option", default="-E", help="appended to a job's command when its previous run failed or was interrupted")
    parser.add_argument(
        "--copy",
        type=_copy,
        action="append",
        default=[],
        metavar="SOURCE=PATH",
        help="a file copied into the site, e.g. docs/_root/index.html=index.html",
    )
    return parser  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    build_dir: Path = args.build_dir
    staging = build_dir / STAGING
    site = build_dir / SITE_LINK
    try:
        with signals_interrupt(), build_lock(build_dir):
            staging.mkdir(parents=True, exist_ok=True)
            jobs: dict[str, list[str]] = {}
            for name, argv_ in args.job:
                marker = _unfinished(staging, name)
                if marker.exists():
                    print(f"{name}: the last build did not finish; reading every page again", file=sys.stderr)
                    argv_ = [*argv_, *shlex.split(args.fresh_option)]
                marker.touch()
                jobs[name] = argv_
            statuses = run_jobs(jobs)
            failed = [name for name, status in statuses.items() if status != 0]
            for name in statuses:
                if name not in failed:
                    _unfinished(staging, name).unlink()
            if failed:
                raise PublishError(f"build failed ({', '.join(failed)}): see the messages above; {site} is unchanged")
            others = unfinished_jobs(staging)
            if others:
                raise PublishError(f"the last build of {', '.join(others)} did not finish: run `make html`; {site} is unchanged")
            for src, dest in args.copy:
                target = staging / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp")
                shutil.copy2(src, tmp)
                os.replace(tmp, target)
            snapshot, linked, copied = publish(build_dir, staging)
    except Interrupted as exc:
        name = signal.Signals(exc.signum).name
        print(f"interrupted ({name}): nothing published, {site} is unchanged", file=sys.stderr)
        return 128 + exc.signum
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}; {site} is unchanged", file=sys.stderr)
        return 1
    print(f"published: {site} -> {snapshot.name} ({copied} files written, {linked} unchanged)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
