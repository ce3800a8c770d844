"""Benchmarks of the build, all measured in one run so the ratios hold on a noisy machine.

    make bench                                  # = .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --quick       # scale only to 100 municipalities
    .venv/bin/python bench/run.py --profile     # also cProfile the slow steps (bench/results/*.prof)
    .venv/bin/python bench/run.py --update-readme   # paste the tables into bench/README.md

Every build works on a tmp copy of the project (conf.py, docs/, policy/ copied;
extensions/ symlinked), with the Makefile's own commands (read with `make -n`):
`make html` builds both languages and the JSON API at once, one process each.

Each step records wall-clock time (what a person waits) and CPU time (user+sys of
the build processes, which other load on the machine disturbs much less). Steps
that are compared are measured in alternation (floor, full, floor, full, ...;
no-op, edit, no-op, edit, ...) and the best of --repeat runs is kept, so a burst
of load elsewhere cannot favour one side of a ratio.

The package's bytecode is compiled first (``compileall``), as any Python does on
the first import: where PYTHONDONTWRITEBYTECODE is set (this sandbox sets it),
every step would otherwise compile the extension again, a fixed cost that is no
part of the build and weighs most on the small steps a ratio divides by.

Writes bench/results/latest.md (git-ignored) and prints the same tables.
"""

from __future__ import annotations

import argparse
import compileall
import html
import io
import os
import platform
import posixpath
import pstats
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402  (bench/generate.py, beside this file)
import hostile  # noqa: E402  (bench/hostile.py)
import search  # noqa: E402  (bench/search.py)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
LANGS = ("ja", "en")
SITE = "staging"  # where `make html`'s jobs write, under BUILD
# Pages the html builder regenerates on every build, changed or not (StandaloneHTMLBuilder.finish).
SPHINX_ADDITIONAL_PAGES = {"genindex.html", "search.html", "policy-clauseindex.html", "py-modindex.html"}


# --- running things -----------------------------------------------------------------


class StepFailed(Exception):
    pass


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds of user+sys in the child processes
    peak_mb: float = 0.0  # the largest resident set of any one of the step's processes

    @staticmethod
    def best(samples: list[Sample]) -> Sample:
        return Sample(min(s.wall for s in samples), min(s.cpu for s in samples), max(s.peak_mb for s in samples))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# Runs `python -m <module> ...` and writes the process's own peak RSS (VmHWM, KB) to a file at exit.
# ru_maxrss of a child is no good here: Linux keeps, across exec, the high-water mark of the memory
# the child was forked from, so every child of a big bench process would look as big as it.
_HWM_WRAPPER = """\
import atexit, runpy, sys
out = sys.argv.pop(1)
def hwm():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(out, "w") as f:
                    f.write(line.split()[1])
atexit.register(hwm)
module = sys.argv.pop(1)
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


def _measured(cmd: list[str], hwm_file: Path) -> list[str]:
    if len(cmd) > 2 and cmd[0] == sys.executable and cmd[1] == "-m" and Path("/proc/self/status").exists():
        return [sys.executable, "-c", _HWM_WRAPPER, str(hwm_file), *cmd[2:]]
    return cmd


def run_all(commands: list[list[str]], cwd: Path, timeout: float | None = None) -> Sample:
    """Start the commands at once (as `make html` does for ja and en) and wait for all.

    Each process reports its own peak RSS (VmHWM at exit, see _HWM_WRAPPER; ru_maxrss
    from wait4 where that is not possible): the target is per sphinx-build process.
    Output goes to temporary files (a pipe fills).
    """
    env = dict(os.environ, PYTHONPATH=str(cwd / "extensions"))
    env.setdefault("POLICY_SPHINXOPTS", make_sphinxopts())  # as make runs them: -W
    logs = [tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") for _ in commands]
    with tempfile.TemporaryDirectory(prefix="policy-bench-hwm-") as hwm_dir:
        hwm_files = [Path(hwm_dir) / f"{i}.kb" for i in range(len(commands))]
        cpu0, start = _children_cpu(), time.perf_counter()
        procs = [
            subprocess.Popen(_measured(cmd, hwm), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
            for cmd, log, hwm in zip(commands, logs, hwm_files)
        ]
        deadline = None if timeout is None else start + timeout
        statuses, peaks = [], []
        try:
            for proc, hwm in zip(procs, hwm_files):
                while True:
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
                    if pid:
                        break
                    if time.perf_counter() > deadline:
                        raise StepFailed(f"`{' '.join(commands[procs.index(proc)][2:])}` still running after {timeout:.0f} s")
                    time.sleep(0.01)  # a short step's wall-clock must not be rounded up to the poll
                proc.returncode = os.waitstatus_to_exitcode(status)
                statuses.append(proc.returncode)
                own = hwm.read_text().strip() if hwm.exists() else ""
                peaks.append(int(own) / 1024 if own.isdigit() else usage.ru_maxrss / 1024)  # KB
        except BaseException:
            for proc in procs:
                if proc.returncode is None:
                    proc.kill()
                    proc.wait()
            raise
        sample = Sample(time.perf_counter() - start, _children_cpu() - cpu0, max(peaks, default=0.0))
    for cmd, code, log in zip(commands, statuses, logs):
        log.seek(0)
        output = log.read()
        log.close()
        if code != 0:
            tail = "\n".join(output.strip().splitlines()[-12:])
            raise StepFailed(f"`{' '.join(cmd[2:])}` exited {code}:\n{tail}")
    return sample


def _make_dry_run(target: str, **variables: str) -> str:
    """What `make -n <target>` runs, with this Python as PY. The Makefile refuses its own
    names on the command line (issue 23): they reach it from the environment (`make -e`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}  # not `make bench`'s
    env.update(PY=sys.executable, **variables)
    argv = ["make", "-e", "-s", "-n", "-f", str(ROOT / "Makefile"), target]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout


def make_sphinxopts() -> str:
    """SPHINXOPTS as the Makefile sets it (`-W --keep-going`): its sphinx-build commands read
    it from POLICY_SPHINXOPTS (policy_handbook.makevars), which make sets for its recipes only."""
    found = re.search(r"^SPHINXOPTS\s*\?=\s*(.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    return found.group(1).strip() if found else ""


def make_jobs(target: str, build: Path) -> list[list[str]]:
    """The build commands of `make <target>` with BUILD=build, read from the Makefile itself
    (`make -n`: its publisher's --job arguments), so the bench runs what make runs.

    They run here without the publisher: what is measured is the builds, into
    build/staging/ (the snapshot and switch are tests/cli/test_publish.py's).
    """
    dry = _make_dry_run(target, BUILD=str(build))
    for line in dry.splitlines():
        words = shlex.split(line)
        if "policy_handbook.publish" in words:
            return [_direct(shlex.split(words[i + 1].partition("=")[2])) for i, word in enumerate(words) if word == "--job"]
    raise StepFailed(f"`make -n {target}` runs no publisher:\n{dry}")


def _direct(job: list[str]) -> list[str]:
    """``python -m policy_handbook.makevars sphinx ARGS`` as the sphinx-build it execs
    (``python -m sphinx SPHINXOPTS ARGS``, as makevars builds it): run through the wrapper
    that reads the process's own peak memory, which an exec would lose (the bench then
    read ru_maxrss, which keeps the high-water mark of the bench itself and its children)."""
    if job[1:4] == ["-m", "policy_handbook.makevars", "sphinx"]:
        from policy_handbook.makevars import sphinx_command

        return [job[0], *sphinx_command(job[4:], {"POLICY_SPHINXOPTS": make_sphinxopts(), **os.environ})[1:]]
    return job


def make_command(target: str) -> list[str]:
    """The last command `make <target>` runs (`make -n`), with this Python."""
    return shlex.split(_make_dry_run(target).strip().splitlines()[-1])


def html_commands(build: Path) -> list[list[str]]:
    """`make html`: ja and en into build/staging/{ja,en}, the JSON API into build/staging/api/v1."""
    return make_jobs("html", build)


def json_command(build: Path) -> list[str]:
    """`make json`: the policyjson builder alone, into build/staging/api/v1."""
    [command] = make_jobs("json", build)
    return command


def check_command() -> list[str]:
    """`make check` (its cache in the project's _build/check-cache)."""
    return make_command("check")


def copy_project(dest: Path) -> Path:
    """conf.py, docs/ and policy/ copied (the bench edits them), extensions/ symlinked."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "conf.py", dest / "conf.py")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "policy", dest / "policy")
    (dest / "extensions").symlink_to(ROOT / "extensions", target_is_directory=True)
    return dest


# A policy directive's block in a MyST page: ```{policy:…} up to its closing fence.
_POLICY_BLOCK = re.compile(r"^(`{3,}|:{3,})\{policy:[^}]*\}.*?^\1[ \t]*$\n?", re.MULTILINE | re.DOTALL)


def pages_floor_project(project: Path, dest: Path) -> Path:
    """The same project with every policy directive taken out of its pages (titles, toctrees
    and prose stay): what Sphinx and MyST cost to read this many pages, before any policy content."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(project, dest, symlinks=True, ignore=shutil.ignore_patterns("_build", "_jsonbuild"))
    cache = project / "_build" / "check-cache"  # the policy loads as in the real build: from the check's cache
    if cache.is_dir():
        shutil.copytree(cache, dest / "_build" / "check-cache")
    for page in (dest / "docs").rglob("*.md"):
        page.write_text(_POLICY_BLOCK.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


def floor_project(dest: Path) -> Path:
    """The same configuration (conf.py, extensions, theme, templates, catalogs) and one empty page."""
    copy_project(dest)
    docs = dest / "docs"
    for path in list(docs.iterdir()):
        # Keep what configures the build (_static, _templates, locales); drop every page.
        if path.name.startswith("_") or path.name == "locales":
            continue
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    (docs / "index.md").write_text("# Floor\n", encoding="utf-8")
    return dest


def html_mtimes(out: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}


def rewritten(before: dict[Path, int], after: dict[Path, int]) -> list[Path]:
    return sorted(p for p, m in after.items() if before.get(p) != m)


def edit_one_clause(policy_dir: Path) -> str:
    """Change one clause's Japanese text in the YAML, as a policy owner would; return its ID."""
    return edit_clause_text(policy_dir)[0]


def edit_clause_text(policy_dir: Path) -> tuple[str, str]:
    """Change one clause's Japanese text in the YAML; return its ID and the edited run (as shown).

    Picks the text clause in the middle of the first guideline and inserts 改 after
    a run of its text that occurs once in the file, so the YAML stays valid.
    """
    path = sorted(p for p in policy_dir.glob("*.yaml") if "type: guideline" in p.read_text(encoding="utf-8"))[0]
    raw = path.read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=yaml.CSafeLoader)
    texts = [c for c in generate.walk_clauses(data["clauses"]) if "text" in c]
    clause = texts[len(texts) // 2]
    ja = clause["text"]["ja"]
    for start in range(0, len(ja) - 8):
        window = ja[start : start + 8]
        if raw.count(window) == 1:
            path.write_text(raw.replace(window, window + "改"), encoding="utf-8")
            return clause["id"], window + "改"
    raise StepFailed(f"no unique run of text found in {clause['id']} to edit")


# --- the report ------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    sample: Sample | None
    detail: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    targets: list[tuple[str, bool | None, str]] = field(default_factory=list)
    scale: list[dict] = field(default_factory=list)
    hostile: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, sample: Sample | None, detail: str = "") -> None:
        self.rows.append(Row(name, sample, detail))
        shown = f"{sample.wall:7.2f} s wall {sample.cpu:7.2f} s CPU" if sample else "failed"
        print(f"  {name:<44} {shown}  {detail}", flush=True)

    def fail(self, name: str, exc: Exception) -> None:
        self.add(name, None, "see notes")
        self.notes.append(f"{name}: {exc}")

    def target(self, name: str, ok: bool | None, detail: str) -> None:
        self.targets.append((name, ok, detail))
        print(f"  {({True: 'PASS', False: 'FAIL', None: 'n/a '})[ok]}  {name}: {detail}", flush=True)


def ratio_detail(a: Sample, b: Sample, what: str) -> str:
    return f"{a.wall / b.wall:.2f}x {what} wall-clock ({a.cpu / b.cpu:.2f}x CPU)"


# --- the measurements ------------------------------------------------------------------


def bench_real(report: Report, work: Path, repeat: int) -> None:
    print("real policy, both languages at once (as `make html`):", flush=True)
    floor = floor_project(work / "floor")
    project = copy_project(work / "real")
    build = project / "_build"

    def floor_build() -> Sample:
        shutil.rmtree(floor / "_build", ignore_errors=True)
        return run_all(html_commands(floor / "_build"), floor)

    def full_build() -> Sample:
        shutil.rmtree(build, ignore_errors=True)
        sample = run_all(html_commands(build), project)
        shutil.copy(project / "docs" / "_root" / "index.html", build / SITE / "index.html")
        return sample

    floors, fulls = [], []
    try:
        for _ in range(repeat):  # alternate, so both see the same load
            floors.append(floor_build())
            fulls.append(full_build())
    except StepFailed as exc:
        report.fail("floor / full build", exc)
        return
    t_floor, t_full = Sample.best(floors), Sample.best(fulls)
    pages = sum(1 for _ in (build / SITE).rglob("*.html"))
    api = sorted(p.name for p in (build / SITE / "api").rglob("*.json")) if (build / SITE / "api").exists() else []
    clauses = sum(len(g.clauses) for g in load_policy(project / "policy").guidelines)
    report.add("floor: 1 empty page, ja+en, clean", t_floor)
    report.add(
        "full bilingual build + JSON, clean", t_full,
        f"{pages} HTML files, {clauses} clauses; API: {', '.join(api) or 'none written'}",
    )  # fmt: skip

    noops, edits, state = [], [], {"edits": []}
    try:
        for _ in range(repeat):
            before = html_mtimes(build / SITE)
            noops.append(run_all(html_commands(build), project))
            state["noop"] = rewritten(before, html_mtimes(build / SITE))
            clause = edit_one_clause(project / "policy")
            before = html_mtimes(build / SITE)
            edits.append(run_all(html_commands(build), project))
            state["edits"].append((clause, rewritten(before, html_mtimes(build / SITE))))
    except StepFailed as exc:
        report.fail("no-op / edit rebuild", exc)
        return
    t_noop, t_edit = Sample.best(noops), Sample.best(edits)
    noop_names = sorted({p.name for p in state["noop"]})
    report.add("no-op rebuild", t_noop, f"{len(state['noop'])} HTML rewritten ({', '.join(noop_names) or 'none'})")
    clause, changed = state["edits"][-1]
    names = ", ".join(p.relative_to(build / SITE).as_posix() for p in changed)
    report.add("rebuild after editing one clause", t_edit, f"{clause}: {len(changed)} HTML rewritten ({names})")

    try:
        report.add("make check (nothing cached)", Sample.best([run_all([check_command_cold()], project) for _ in range(repeat)]))
    except StepFailed as exc:
        report.fail("make check", exc)

    def json_build() -> Sample:
        shutil.rmtree(project / "_jsonbuild", ignore_errors=True)
        return run_all([json_command(project / "_jsonbuild")], project)

    try:
        report.add("JSON builder alone (make json), clean", Sample.best([json_build() for _ in range(repeat)]))
    except StepFailed as exc:
        report.fail("JSON builder alone", exc)

    print("targets:", flush=True)
    report.target("full bilingual build <= 2x floor", t_full.wall <= 2 * t_floor.wall, ratio_detail(t_full, t_floor, "floor"))
    report.target("one-clause edit rebuild < 1.2x no-op", t_edit.wall < 1.2 * t_noop.wall, ratio_detail(t_edit, t_noop, "no-op"))
    content = [p for p in state["noop"] if p.name not in SPHINX_ADDITIONAL_PAGES]
    report.target(
        "no-op rebuild rewrites no content page",
        not content,
        f"{len(content)} content pages rewritten" + (f"; Sphinx itself always rewrites {', '.join(noop_names)}" if noop_names else ""),
    )
    report.target(*install_work_check())


# `make check` on any file under the size limit: a few seconds, a few hundred MB, a capped report.
HOSTILE_SECONDS, HOSTILE_MB, HOSTILE_LINES = 5.0, 500, 2 * (20 + 2)


def bench_hostile(report: Report, work: Path) -> None:
    print("hostile files just under the 32 MB limit (see bench/hostile.py):", flush=True)
    report.hostile = hostile.run_cases(work / "hostile")
    worst = max(report.hostile, key=lambda r: r["wall"])
    heaviest = max(report.hostile, key=lambda r: r["peak_mb"])
    ok = all(
        r["status"] == 1 and r["wall"] < HOSTILE_SECONDS and 0 < r["peak_mb"] < HOSTILE_MB and r["lines"] <= HOSTILE_LINES
        for r in report.hostile
    )
    report.target(
        f"check of any hostile file < {HOSTILE_SECONDS:.0f} s, < {HOSTILE_MB} MB, capped report",
        ok,
        f"slowest {worst['case']} {worst['wall']:.2f} s; largest {heaviest['case']} {heaviest['peak_mb']} MB; "
        f"at most {max(r['lines'] for r in report.hostile)} lines printed",
    )


def load_policy(policy_dir: Path):
    sys.path.insert(0, str(ROOT / "extensions"))
    from policy_handbook.loader import load_policy as load

    return load(policy_dir)


def install_work_check() -> tuple[str, bool | None, str]:
    """`make html` on an up-to-date tree must not reinstall: its stamps must be newer than requirements."""
    name = "`make html` on an up-to-date tree does no install work"
    if not (ROOT / ".venv" / ".build-installed").exists():
        return name, None, ".venv/.build-installed missing (run `make html` once first)"
    dry = subprocess.run(["make", "-n", "html"], cwd=ROOT, capture_output=True, text=True)
    installs = [line.strip() for line in dry.stdout.splitlines() if "pip install" in line or "-m venv" in line]
    if installs:
        return name, False, "make -n html would run: " + "; ".join(installs)
    return name, True, "`make -n html` runs no pip/venv command: the .venv/.build-installed stamp is newer than requirements/build.txt"


def bench_scale(report: Report, work: Path, counts: list[int], html_counts: set[int]) -> None:
    print("scale (synthetic municipalities, see bench/generate.py):", flush=True)
    for count in counts:
        project = generate.generate_project(count, work / f"scale-{count}")
        clauses = sum(len(g.clauses) for g in load_policy(project / "policy").guidelines)
        entry: dict = {"municipalities": count, "clauses": clauses}
        steps = [("check", [check_command_cold()]), ("json", [json_command(project / "_build")])]
        if count in html_counts:
            steps.append(("html", html_commands(project / "_build")))
        for key, commands in steps:
            try:
                entry[key] = run_all(commands, project)
            except StepFailed as exc:
                entry[key] = None
                report.notes.append(f"{key} at {count} municipalities failed: {exc}")
        report.scale.append(entry)
        print(f"  {count:>5} municipalities, {clauses:>6} clauses: " + ", ".join(
            f"{k} {entry[k].wall:.2f} s ({clauses / entry[k].wall:,.0f} clauses/s)" if entry[k] else f"{k} failed"
            for k in ("check", "json", "html") if k in entry
        ), flush=True)  # fmt: skip
        shutil.rmtree(project, ignore_errors=True)

    by_count = {e["municipalities"]: e for e in report.scale}
    big = by_count.get(1000)
    if big and big.get("check"):
        report.target("check of 1,000 municipalities < 10 s", big["check"].wall < 10,
                      f"{big['check'].wall:.2f} s wall ({big['check'].cpu:.2f} s CPU) for {big['clauses']:,} clauses")  # fmt: skip
    else:
        report.target("check of 1,000 municipalities < 10 s", None, "not measured")
    for key in ("check", "json"):
        report.target(*linearity(key, report.scale))


def check_command_cold() -> list[str]:
    """`make check` with nothing cached: every file parsed."""
    return [*check_command(), "--no-cache"]


def largest_pages(out: Path, count: int = 3) -> list[tuple[int, str]]:
    sizes = [(p.stat().st_size, p.relative_to(out).as_posix()) for p in out.rglob("*.html")]
    return sorted(sizes, reverse=True)[:count]


NATIONAL_PARTS = ("check", "json", "html")
# A step of the national run that takes longer than this is stopped and reported (not waited for forever).
NATIONAL_STEP_TIMEOUT = 3 * 3600


def shows_clause(page: Path, clause: str, marker: str) -> bool:
    """Whether the page shows the clause: its edited text (tags dropped, entities decoded), its anchor, or a link to it."""
    raw = page.read_text(encoding="utf-8")
    if f'id="{clause}"' in raw or f'#{clause}"' in raw:
        return True
    return marker in html.unescape(re.sub(r"<[^>]+>", "", raw))


_TOCTREE = re.compile(r"^```\{toctree\}\n(.*?)^```", re.MULTILINE | re.DOTALL)


def toctree_children(docs: Path) -> dict[str, set[str]]:
    """docname -> the pages its toctrees list: Sphinx writes a page again when one of those is written
    (Builder.write: env.files_to_rebuild), whatever the page shows."""
    children: dict[str, set[str]] = {}
    for source in docs.rglob("*.md"):
        docname = source.relative_to(docs).with_suffix("").as_posix()
        folder = posixpath.dirname(docname)
        for block in _TOCTREE.findall(source.read_text(encoding="utf-8")):
            for line in block.splitlines():
                entry = line.strip()
                if entry and not entry.startswith(":"):
                    entry = entry.rsplit("<", 1)[-1].rstrip(">").strip()  # "Title <page>"
                    children.setdefault(docname, set()).add(posixpath.normpath(posixpath.join(folder, entry)))
    return children


def bench_national(
    report: Report, work: Path, small: int = 100, big: int = generate.NATIONAL,
    parts: tuple[str, ...] = NATIONAL_PARTS, keep: bool = False,
) -> None:  # fmt: skip
    """The issue's national targets, as ratios measured in this run (see bench/README.md).

    Judged on CPU time (user+sys of the build processes): on a shared machine wall-clock
    says more about the neighbours than about the build. Every step is independent: one
    that fails (or passes NATIONAL_STEP_TIMEOUT) is reported and the others still run.
    ``parts`` picks what to measure (check, json, html); ``keep`` leaves the projects.
    """
    print(f"national scale ({small:,} and {big:,} municipalities, {', '.join(parts)}; see bench/generate.py):", flush=True)

    def step(name: str, commands: list[list[str]], cwd: Path) -> Sample | None:
        try:
            return run_all(commands, cwd, timeout=NATIONAL_STEP_TIMEOUT)
        except StepFailed as exc:
            report.fail(f"national: {name}", exc)
            return None

    t_floor = None
    if "html" in parts:
        floor = floor_project(work / "national-floor")
        t_floor = step("floor", html_commands(floor / "_build"), floor)
        if t_floor:
            report.add("floor: 1 empty page, ja+en, clean", t_floor, f"peak RSS per process {t_floor.peak_mb:,.0f} MB")
    html_cpu: dict[int, Sample] = {}
    cold: Sample | None = None
    for count in (small, big):
        started = time.process_time()
        project = generate.generate_project(count, work / f"national-{count}")
        print(f"  generated {count:,} municipalities in {time.process_time() - started:.0f} s CPU", flush=True)
        build = project / "_build"
        if "check" in parts or "json" in parts:
            cold = step(f"{count:,}: make check, nothing cached", [check_command_cold()], project)
            if cold:
                report.add(f"{count:,} municipalities: make check, nothing cached", cold, f"peak RSS {cold.peak_mb:,.0f} MB")
        if "json" in parts:
            step(f"{count:,}: make check (fills the cache)", [check_command()], project)
            pages = pages_floor_project(project, work / f"national-{count}-pages-floor")
            t_pages = step(f"{count:,}: make json, pages without policy content", [json_command(pages / "_jsonbuild")], pages)
            shutil.rmtree(pages, ignore_errors=True)
            t_json = step(f"{count:,}: make json", [json_command(project / "_jsonbuild")], project)
            if t_pages:
                report.add(f"{count:,} municipalities: make json of the same pages without their policy directives (page floor)", t_pages,
                           ratio_detail(t_pages, cold, "check") if cold else "")  # fmt: skip
            if t_json:
                report.add(f"{count:,} municipalities: make json, clean", t_json, f"peak RSS {t_json.peak_mb:,.0f} MB")
            if t_json and cold:
                floor = (f"; the page floor is {t_pages.cpu / cold.cpu:.2f}x the check, the policy content "
                         f"{(t_json.cpu - t_pages.cpu) / cold.cpu:.2f}x") if t_pages else ""  # fmt: skip
                report.target(
                    f"make json <= 2x make check at {count:,}", t_json.cpu <= 2 * cold.cpu, ratio_detail(t_json, cold, "check") + floor
                )
        if "html" in parts:
            t_html = step(f"{count:,}: make html", html_commands(build), project)
            if t_html:
                html_cpu[count] = t_html
                pages = largest_pages(build / SITE)
                per = f"{(t_html.cpu - t_floor.cpu) / count * 1e3:.0f} ms CPU per municipality above the floor; " if t_floor else ""
                report.add(
                    f"{count:,} municipalities: make html (ja+en), clean", t_html,
                    f"{per}peak RSS per process {t_html.peak_mb:,.0f} MB; largest pages: "
                    + ", ".join(f"{p} {size / 1e6:.2f} MB" for size, p in pages),
                )  # fmt: skip
                if count == big:
                    report.target(f"peak memory per sphinx-build at {count:,} <= 1.5 GB", t_html.peak_mb * 2**20 <= 1.5e9,
                                  f"{t_html.peak_mb * 2**20 / 1e9:.2f} GB = {t_html.peak_mb:,.0f} MiB (VmHWM of each process at its exit)")  # fmt: skip
                    report.target(f"no HTML page over 1 MB at {count:,}", pages[0][0] <= 1_000_000,
                                  f"largest: {pages[0][1]} {pages[0][0]:,} bytes")  # fmt: skip
        if count == big:
            bench_national_edit(report, project, parts, cold, step)
        if not keep:
            shutil.rmtree(project, ignore_errors=True)
    if t_floor and len(html_cpu) == 2:
        per = {n: (html_cpu[n].cpu - t_floor.cpu) / n for n in html_cpu}
        report.target(
            f"HTML per-municipality cost at {big:,} <= 1.2x at {small:,}", per[big] <= 1.2 * per[small],
            f"{per[big] * 1e3:.0f} vs {per[small] * 1e3:.0f} ms CPU per municipality above the floor ({per[big] / per[small]:.2f}x); "
            f"{big:,}: {html_cpu[big].wall:.0f} s wall, {html_cpu[big].cpu:.0f} s CPU",
        )  # fmt: skip


def bench_national_edit(report: Report, project: Path, parts: tuple[str, ...], cold: Sample | None, step) -> None:
    """At the large scale: a no-op rebuild, then one clause edited: the rebuild, the pages it wrote, the warm check."""
    build = project / "_build"
    built = "html" in parts and (build / SITE / "ja" / "index.html").is_file()
    noop = None
    if built:
        noop = step("no-op rebuild", html_commands(build), project)
        if noop:
            report.add("large scale: no-op rebuild (ja+en)", noop, f"peak RSS per process {noop.peak_mb:,.0f} MB")
    try:
        clause, marker = edit_clause_text(project / "policy")
    except StepFailed as exc:
        report.fail("national: edit one clause", exc)
        return
    if "check" in parts:
        warm = step("make check after the edit", [check_command()], project)
        if warm:
            report.add("large scale: make check after editing one file (cache)", warm)
            if cold:
                report.target(
                    "check after one edit <= 0.2x cold (large scale)", warm.cpu <= 0.2 * cold.cpu, ratio_detail(warm, cold, "cold check")
                )
    if not built:
        return
    before = html_mtimes(build / SITE)
    edit = step("rebuild after one edit", html_commands(build), project)
    if not edit:
        return
    changed = rewritten(before, html_mtimes(build / SITE))
    names = [p.relative_to(build / SITE).as_posix() for p in changed]
    report.add(
        "large scale: rebuild after editing one clause (ja+en)", edit, f"{clause}: {len(changed)} HTML rewritten ({', '.join(names)})"
    )
    if noop:
        report.target("one-clause edit <= 2x no-op (large scale)", edit.cpu <= 2 * noop.cpu, ratio_detail(edit, noop, "no-op"))
    showing = {n for p, n in zip(changed, names) if shows_clause(p, clause, marker)}
    parents = toctree_children(project / "docs")
    shown_docs = {n.split("/", 1)[1].removesuffix(".html") for n in showing}
    sphinx_own = {
        n for p, n in zip(changed, names)
        if p.name in SPHINX_ADDITIONAL_PAGES or parents.get(n.split("/", 1)[1].removesuffix(".html"), set()) & shown_docs
    }  # fmt: skip
    stray = [n for n in names if n not in showing | sphinx_own]
    report.target(
        "the edit rewrites only pages showing the clause (and Sphinx's own)", not stray and bool(showing),
        f"{len(showing)} rewritten pages show {clause}; {len(sphinx_own - showing)} are Sphinx's own "
        "(genindex, search, toctree parents of a written page)"
        + (f"; rewritten without showing it: {', '.join(stray)}" if stray else ""),
    )  # fmt: skip


def linearity(key: str, scale: list[dict]) -> tuple[str, bool | None, str]:
    """Linear when one more clause costs at most 1.5x more at the largest scale than at the one before.

    Marginal CPU costs, so the fixed start-up (Python, Sphinx, reading the pages) does
    not hide growth, and other load on the machine does not fake it.
    """
    name = f"{key} linear in clauses"
    points = [(e["clauses"], e[key].cpu) for e in scale if e.get(key)]
    if len(points) < 3:
        return name, None, "needs three scales"
    (c0, t0), (c1, t1), (c2, t2) = points[-3:]
    early, late = (t1 - t0) / (c1 - c0), (t2 - t1) / (c2 - c1)
    ok = late <= 1.5 * max(early, 1e-9)
    return name, ok, f"marginal CPU {early * 1e3:.2f} ms/clause ({c0:,}→{c1:,}), {late * 1e3:.2f} ms/clause ({c1:,}→{c2:,})"


# --- profiles ------------------------------------------------------------------------


def profile(work: Path, count: int) -> None:
    """cProfile the real Japanese HTML build, check at `count` municipalities and the JSON builder at 100."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    real = copy_project(work / "profile-real")
    big = generate.generate_project(count, work / f"profile-{count}")
    hundred = generate.generate_project(100, work / "profile-100")
    runs = [
        ("HTML build, ja, real policy", real, "html-ja.prof",
         make_jobs("html-ja", Path("_build"))[0][1:]),
        (f"check, {count} municipalities", big, f"check-{count}.prof", ["-m", "policy_handbook", "check", "policy"]),
        ("JSON builder, 100 municipalities", hundred, "json-100.prof",
         json_command(Path("_build"))[1:]),
    ]  # fmt: skip
    for title, project, name, args in runs:
        out = RESULTS / name
        env = dict(os.environ, PYTHONPATH=str(project / "extensions"))
        env.setdefault("POLICY_SPHINXOPTS", make_sphinxopts())
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), *args], cwd=project, env=env,
                       capture_output=True, check=False)  # fmt: skip
        if not out.exists():
            continue
        buf = io.StringIO()
        stats = pstats.Stats(str(out), stream=buf)
        stats.sort_stats("cumulative").print_stats(r"policy_handbook", 25)
        stats.sort_stats("tottime").print_stats(12)
        text = re.sub(r"\n\s*\n+", "\n", buf.getvalue())
        print(f"\nprofile: {title} ({out.relative_to(ROOT)})\n{text}", flush=True)
    shutil.rmtree(big, ignore_errors=True)
    shutil.rmtree(hundred, ignore_errors=True)


# --- output --------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(
            line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    import sphinx

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cores} cores (nproc), {cpu}, Python {platform.python_version()}, "
        f"Sphinx {sphinx.__version__}, {platform.system()} {platform.release()}"
    )


def markdown(report: Report, when: str) -> str:
    def secs(sample: Sample | None) -> str:
        return f"{sample.wall:.2f} s | {sample.cpu:.2f} s" if sample else "failed | "

    lines = [f"Measured {when} on {machine()}.", ""]
    lines += ["| step | wall-clock | CPU | detail |", "|---|---:|---:|---|"]
    lines += [f"| {r.name} | {secs(r.sample)} | {r.detail} |" for r in report.rows]
    if report.scale:
        lines += ["", "| municipalities | clauses | check | JSON builder | HTML ja+en |", "|---:|---:|---:|---:|---:|"]
        for e in report.scale:

            def cell(key, e=e):
                if key not in e:
                    return "not run"
                if e[key] is None:
                    return "failed"
                return f"{e[key].wall:.2f} s ({e['clauses'] / e[key].wall:,.0f} clauses/s)"

            lines.append(f"| {e['municipalities']:,} | {e['clauses']:,} | {cell('check')} | {cell('json')} | {cell('html')} |")
    if report.hostile:
        lines += [
            "",
            "| hostile file (`make check`) | size | wall-clock | CPU | peak memory | lines printed |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r['case']} | {r['mb']:.1f} MB | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['peak_mb']} MB | {r['lines']} |"
            for r in report.hostile
        ]
    lines += ["", "| target | result | measured |", "|---|---|---|"]
    lines += [f"| {n} | {'PASS' if ok else 'FAIL' if ok is False else 'n/a'} | {d} |" for n, ok, d in report.targets]
    if report.notes:
        lines += ["", "Failures:", ""] + [f"- {n.splitlines()[0]}" for n in report.notes]
    return "\n".join(lines) + "\n"


def update_readme(table: str) -> None:
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        print(f"{README}: markers {start} / {end} missing; not updated", file=sys.stderr)
        return
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    README.write_text(f"{head}{start}\n{table}{end}{tail}", encoding="utf-8")
    print(f"updated {README.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each real-policy step; the best is kept (3)")
    parser.add_argument("--quick", action="store_true", help="scale only to 100 municipalities")
    parser.add_argument("--html-scales", default="10,100", help="scales that also build the HTML (10,100)")
    parser.add_argument(
        "--national", action="store_true", help=f"also the national targets at 100 and {generate.NATIONAL:,} municipalities (long)"
    )
    parser.add_argument("--national-only", action="store_true", help="only the national targets (implies --national)")
    parser.add_argument(
        "--national-parts", default=",".join(NATIONAL_PARTS), help="what the national run measures: any of check,json,html (all)"
    )
    parser.add_argument(
        "--national-scales", default=f"100,{generate.NATIONAL}", help=f"the two national scales compared (100,{generate.NATIONAL})"
    )
    parser.add_argument("--work", type=Path, help="work in this directory and keep it (default: a tmp dir, removed)")
    parser.add_argument("--no-scale", action="store_true", help="skip the synthetic scale steps")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile-file checks")
    parser.add_argument("--only-hostile", action="store_true", help="run only the hostile-file checks")
    parser.add_argument("--profile", action="store_true", help="cProfile the slow steps and print their tops")
    parser.add_argument("--update-readme", action="store_true", help="paste the tables into bench/README.md")
    args = parser.parse_args(argv)

    report = Report()
    print(f"machine: {machine()}", flush=True)
    compileall.compile_dir(ROOT / "extensions", quiet=1)  # see the module docstring
    parts = tuple(p for p in args.national_parts.split(",") if p)
    unknown = set(parts) - set(NATIONAL_PARTS)
    if unknown:
        parser.error(f"--national-parts: unknown {', '.join(sorted(unknown))} (use {','.join(NATIONAL_PARTS)})")
    small, big = (int(n) for n in args.national_scales.split(","))
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="policy-bench-", dir=args.work) as tmp:
        work = Path(tmp) if args.work is None else args.work
        if args.national_only:
            args.national, args.no_scale, args.no_hostile = True, True, True
        if args.only_hostile:
            bench_hostile(report, work)
            args.no_scale = True
        elif not args.national_only:
            bench_real(report, work, args.repeat)
        if not args.no_hostile and not args.only_hostile:
            bench_hostile(report, work)
        if not args.no_scale:
            counts = [10, 100] if args.quick else [10, 100, 1000]
            html_scales = {int(c) for c in args.html_scales.split(",") if c}
            bench_scale(report, work, counts, html_scales)
        if args.national:
            bench_national(report, work, small, big, parts, keep=args.work is not None)
            if "html" in parts:  # the search targets of issue 24: builds its own sites (see bench/search.py)
                print(search.bench(work / "search", big, report), flush=True)
        if args.profile:
            profile(work, 100 if args.quick else 1000)

    table = markdown(report, time.strftime("%Y-%m-%d"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(table, encoding="utf-8")
    print("\n" + table)
    for note in report.notes:
        print(f"failure: {note}")
    if args.update_readme:
        update_readme(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
