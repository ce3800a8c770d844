"""Benchmarks of the build, all measured in one run so the ratios hold on a noisy machine.

    make bench                                  # = .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --quick       # skip the 1,000-municipality scale step
    .venv/bin/python bench/run.py --profile     # also cProfile a build and a check (bench/results/*.prof)
    .venv/bin/python bench/run.py --update-readme   # paste the table into bench/README.md

Every build works on a tmp copy of the project (conf.py, docs/, policy/ copied;
extensions/ symlinked), with the same sphinx-build commands as `make html`: both
languages at once, one process each, `-W --keep-going`. Wall-clock times; for
repeated steps the best of --repeat runs (the least disturbed by other load).

Writes bench/results/latest.md (git-ignored) and prints the same table.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import re
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

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
LANGS = ("ja", "en")
SPHINXOPTS = ["-q", "-W", "--keep-going"]  # as the Makefile's SPHINXOPTS


# --- running things -----------------------------------------------------------------


class StepFailed(Exception):
    pass


def env_for(project: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(project / "extensions"))


def run_all(commands: list[list[str]], cwd: Path) -> float:
    """Start the commands at once (like `make html` does for ja and en); wall-clock seconds."""
    start = time.perf_counter()
    procs = [
        subprocess.Popen(cmd, cwd=cwd, env=env_for(cwd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for cmd in commands
    ]
    outputs = [p.communicate()[0] for p in procs]
    elapsed = time.perf_counter() - start
    for cmd, proc, output in zip(commands, procs, outputs):
        if proc.returncode != 0:
            tail = "\n".join(output.strip().splitlines()[-15:])
            raise StepFailed(f"`{' '.join(cmd[2:])}` exited {proc.returncode}:\n{tail}")
    return elapsed


def sphinx(builder: str, project: Path, out: Path, doctrees: Path, lang: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "sphinx", "-c", ".", *SPHINXOPTS, "-b", builder]
    if lang:
        cmd += ["-D", f"language={lang}"]
    return cmd + ["-d", str(doctrees), "docs", str(out)]


def html_commands(project: Path, build: Path) -> list[list[str]]:
    """`make html`: both languages into build/html/{ja,en} (the JSON is written beside them)."""
    return [sphinx("html", project, build / "html" / lang, build / "doctrees" / lang, lang) for lang in LANGS]


def json_command(project: Path, build: Path) -> list[str]:
    """`make json`."""
    return sphinx("policyjson", project, build / "html" / "api" / "v1", build / "doctrees" / "json")


def check_command() -> list[str]:
    """`make check`."""
    return [sys.executable, "-m", "policy_handbook", "check", "policy"]


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
    """Change one character-run of one clause's Japanese text in the YAML; return its ID.

    Picks the text clause in the middle of the first guideline and appends 改 to a
    run of its text that occurs once in the file, so the edit is a real text change
    and the YAML stays valid.
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
            return clause["id"]
    raise StepFailed(f"no unique run of text found in {clause['id']} to edit")


def best_of(repeat: int, func):
    times = []
    for _ in range(repeat):
        times.append(func())
    return min(times)


# --- the measurements ------------------------------------------------------------------


@dataclass
class Row:
    name: str
    seconds: float | None
    detail: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    targets: list[tuple[str, bool | None, str]] = field(default_factory=list)
    scale: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name, seconds, detail=""):
        self.rows.append(Row(name, seconds, detail))
        shown = f"{seconds:8.2f} s" if seconds is not None else "   failed"
        print(f"  {name:<46} {shown}  {detail}", flush=True)

    def get(self, name) -> float | None:
        return next((r.seconds for r in self.rows if r.name == name), None)

    def target(self, name: str, ok: bool | None, detail: str):
        self.targets.append((name, ok, detail))
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[ok]
        print(f"  {verdict}  {name}: {detail}", flush=True)


def measure(name: str, report: Report, func, detail=""):
    try:
        seconds = func()
    except StepFailed as exc:
        report.add(name, None, "see notes")
        report.notes.append(f"{name} failed: {exc}")
        return None
    report.add(name, seconds, detail() if callable(detail) else detail)
    return seconds


def bench_real(report: Report, work: Path, repeat: int) -> None:
    print("real policy (2 guidelines), both languages at once:", flush=True)
    floor = floor_project(work / "floor")

    def floor_build():
        shutil.rmtree(floor / "_build", ignore_errors=True)
        return run_all(html_commands(floor, floor / "_build"), floor)

    t_floor = measure("floor: 1 empty page, ja+en, clean", report, lambda: best_of(repeat, floor_build))

    project = copy_project(work / "real")
    build = project / "_build"

    def full_build():
        shutil.rmtree(build, ignore_errors=True)
        seconds = run_all(html_commands(project, build), project)
        shutil.copy(project / "docs" / "_root" / "index.html", build / "html" / "index.html")
        return seconds

    def count_pages():
        pages = sum(1 for _ in (build / "html").rglob("*.html"))
        api = sorted(p.name for p in (build / "html").rglob("*.json"))
        return f"{pages} HTML files, JSON: {', '.join(api) if api else 'none written'}"

    t_full = measure("full bilingual build (+JSON), clean", report, lambda: best_of(repeat, full_build), count_pages)

    state = {}

    def noop():
        before = html_mtimes(build / "html")
        seconds = run_all(html_commands(project, build), project)
        state["noop"] = rewritten(before, html_mtimes(build / "html"))
        return seconds

    t_noop = None
    if t_full is not None:
        t_noop = measure(
            "no-op rebuild", report, lambda: best_of(repeat, noop), lambda: f"{len(state['noop'])} HTML rewritten"
        )

    t_edit = None
    if t_noop is not None:
        def edit():
            state["clause"] = edit_one_clause(project / "policy")
            before = html_mtimes(build / "html")
            seconds = run_all(html_commands(project, build), project)
            state["edit"] = rewritten(before, html_mtimes(build / "html"))
            return seconds

        def edit_detail():
            names = ", ".join(p.relative_to(build / "html").as_posix() for p in state["edit"])
            return f"{state['clause']}: {len(state['edit'])} HTML rewritten ({names})"

        t_edit = measure("rebuild after editing one clause", report, lambda: best_of(repeat, edit), edit_detail)

    measure(
        "make check (python -m policy_handbook check)",
        report,
        lambda: best_of(repeat, lambda: run_all([check_command()], ROOT)),
    )

    def json_build():
        shutil.rmtree(project / "_jsonbuild", ignore_errors=True)
        return run_all([json_command(project, project / "_jsonbuild")], project)

    measure("JSON builder alone (make json), clean", report, lambda: best_of(repeat, json_build))

    print("targets:", flush=True)
    if t_floor and t_full:
        report.target("full bilingual build <= 2x floor", t_full <= 2 * t_floor, f"{t_full / t_floor:.2f}x floor")
    else:
        report.target("full bilingual build <= 2x floor", None, "a build failed")
    if t_noop and t_edit:
        report.target(
            "one-clause edit rebuild < 1.2x no-op", t_edit < 1.2 * t_noop, f"{t_edit / t_noop:.2f}x no-op"
        )
        report.target(
            "no-op rebuild writes no HTML", not state["noop"], f"{len(state['noop'])} HTML files rewritten"
        )
    else:
        report.target("one-clause edit rebuild < 1.2x no-op", None, "a build failed")
    report.target(*install_work_check())


def install_work_check() -> tuple[str, bool | None, str]:
    """`make html` on an up-to-date tree must not reinstall: its stamps must be newer than requirements."""
    name = "`make html` on an up-to-date tree does no install work"
    stamp = ROOT / ".venv" / ".build-installed"
    if not stamp.exists():
        return name, None, ".venv/.build-installed missing (run `make html` once first)"
    dry = subprocess.run(["make", "-n", "html"], cwd=ROOT, capture_output=True, text=True)
    installs = [line for line in dry.stdout.splitlines() if "pip" in line or "venv" in line]
    if installs:
        return name, False, "make -n html would run: " + "; ".join(installs)
    return name, True, "make -n html runs no pip/venv command (stamp .venv/.build-installed is up to date)"


def bench_scale(report: Report, work: Path, counts: list[int], html_counts: set[int]) -> None:
    print("scale (synthetic municipalities):", flush=True)
    for count in counts:
        project = generate.generate_project(count, work / f"scale-{count}")
        clauses = sum(
            1
            for path in (project / "policy").glob("*.yaml")
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.lstrip(" -").startswith("level: ")
        )
        entry = {"municipalities": count, "clauses": clauses}
        try:
            entry["check"] = run_all([check_command()], project)
        except StepFailed as exc:
            entry["check"] = None
            report.notes.append(f"check at {count} failed: {exc}")
        try:
            entry["json"] = run_all([json_command(project, project / "_build")], project)
        except StepFailed as exc:
            entry["json"] = None
            report.notes.append(f"JSON builder at {count} failed: {exc}")
        if count in html_counts:
            try:
                entry["html"] = run_all(html_commands(project, project / "_build"), project)
            except StepFailed as exc:
                entry["html"] = None
                report.notes.append(f"HTML build at {count} failed: {exc}")
        report.scale.append(entry)
        print(f"  {count:>5} municipalities, {clauses:>6} clauses: " + ", ".join(
            f"{k} {v:.2f} s ({clauses / v:,.0f} clauses/s)" if v else f"{k} failed"
            for k, v in entry.items()
            if k in ("check", "json", "html")
        ), flush=True)
        shutil.rmtree(project, ignore_errors=True)

    by_count = {e["municipalities"]: e for e in report.scale}
    if 1000 in by_count and by_count[1000].get("check"):
        t = by_count[1000]["check"]
        report.target("check of 1,000 municipalities < 10 s", t < 10, f"{t:.2f} s for {by_count[1000]['clauses']} clauses")
    else:
        report.target("check of 1,000 municipalities < 10 s", None, "not measured")
    for step in ("check", "json"):
        report.target(*linearity(step, report.scale))


def linearity(step: str, scale: list[dict]) -> tuple[str, bool | None, str]:
    """Linear when the cost of one more clause at the largest scale is at most 1.5x the cost at the previous one.

    Marginal costs, so the fixed start-up (Python, Sphinx, reading the pages) does not hide growth.
    """
    name = f"{step} linear in clauses"
    points = [(e["clauses"], e[step]) for e in scale if e.get(step)]
    if len(points) < 3:
        return name, None, "needs three scales"
    (c0, t0), (c1, t1), (c2, t2) = points[-3:]
    early = (t1 - t0) / (c1 - c0)
    late = (t2 - t1) / (c2 - c1)
    ok = late <= 1.5 * max(early, 1e-9)
    return name, ok, f"marginal {early * 1e6:.0f} µs/clause ({c0}→{c1}), {late * 1e6:.0f} µs/clause ({c1}→{c2})"


# --- profiles ------------------------------------------------------------------------


def profile(report: Report, work: Path) -> None:
    """cProfile one Japanese HTML build and one check of 1,000 municipalities; print the top of each."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    project = copy_project(work / "profile")
    out = RESULTS / "html-ja.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "sphinx", "-c", ".", "-q",
           "-b", "html", "-D", "language=ja", "-d", "_build/doctrees", "docs", "_build/html"]  # fmt: skip
    subprocess.run(cmd, cwd=project, env=env_for(project), check=False, capture_output=True)
    scale = generate.generate_project(1000, work / "profile-1000")
    out_check = RESULTS / "check-1000.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out_check), "-m", "policy_handbook", "check", "policy"]
    subprocess.run(cmd, cwd=scale, env=env_for(scale), check=False, capture_output=True)
    for title, path in (("HTML build (ja, real policy)", out), ("check, 1,000 municipalities", out_check)):
        if not path.exists():
            continue
        buf = io.StringIO()
        stats = pstats.Stats(str(path), stream=buf)
        stats.sort_stats("cumulative").print_stats(r"policy_handbook|sphinx/builders|sphinx/environment|docutils/core", 20)
        stats.sort_stats("tottime").print_stats(15)
        text = re.sub(r"^.*?(?=\s+ncalls)", "", buf.getvalue(), count=1, flags=re.S)
        print(f"\nprofile: {title} ({path.relative_to(ROOT)})\n{text}", flush=True)
    shutil.rmtree(scale, ignore_errors=True)


# --- output --------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sphinx

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores (nproc), {cpu}, Python {platform.python_version()}, Sphinx {sphinx.__version__}, {platform.system()} {platform.release()}"


def markdown(report: Report, when: str) -> str:
    lines = [f"Measured {when} on: {machine()}", ""]
    lines += ["| step | time | detail |", "|---|---:|---|"]
    for row in report.rows:
        shown = f"{row.seconds:.2f} s" if row.seconds is not None else "failed"
        lines.append(f"| {row.name} | {shown} | {row.detail} |")
    if report.scale:
        lines += ["", "| municipalities | clauses | check | JSON builder | HTML ja+en |", "|---:|---:|---:|---:|---:|"]
        for e in report.scale:
            def cell(key):
                if key not in e:
                    return "not run"
                if e[key] is None:
                    return "failed"
                return f"{e[key]:.2f} s ({e['clauses'] / e[key]:,.0f} clauses/s)"

            lines.append(
                f"| {e['municipalities']:,} | {e['clauses']:,} | {cell('check')} | {cell('json')} | {cell('html')} |"
            )
    lines += ["", "| target | result | |", "|---|---|---|"]
    for name, ok, detail in report.targets:
        lines.append(f"| {name} | {'PASS' if ok else 'FAIL' if ok is False else 'n/a'} | {detail} |")
    if report.notes:
        lines += ["", "Notes:", ""] + [f"- {n.splitlines()[0]}" for n in report.notes]
    return "\n".join(lines) + "\n"


def update_readme(table: str) -> None:
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        print(f"{README}: markers {start} / {end} missing; not updated", file=sys.stderr)
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{table}{end}{tail}", encoding="utf-8")
    print(f"updated {README.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per real-policy step; the best is kept (default 2)")
    parser.add_argument("--quick", action="store_true", help="scale only 10 and 100 municipalities")
    parser.add_argument("--html-scales", default="10,100", help="scales that also build HTML (default 10,100)")
    parser.add_argument("--no-scale", action="store_true", help="skip the synthetic scale steps")
    parser.add_argument("--profile", action="store_true", help="cProfile a build and a check; print the tops")
    parser.add_argument("--update-readme", action="store_true", help="paste the table into bench/README.md")
    args = parser.parse_args(argv)

    report = Report()
    when = time.strftime("%Y-%m-%d")
    print(f"machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="policy-bench-") as tmp:
        work = Path(tmp)
        bench_real(report, work, args.repeat)
        if not args.no_scale:
            counts = [10, 100] if args.quick else [10, 100, 1000]
            html_counts = {int(c) for c in args.html_scales.split(",") if c}
            bench_scale(report, work, counts, html_counts)
        if args.profile:
            profile(report, work)

    table = markdown(report, when)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(table, encoding="utf-8")
    print("\n" + table)
    for note in report.notes:
        print(f"note: {note}")
    if args.update_readme:
        update_readme(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
