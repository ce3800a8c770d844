"""Hostile input at render level: policy texts that look like markup stay text.

The test root tests/roots/test-hostile/ has a guideline whose texts, headings,
notes, metadata and form labels are raw HTML, <script>, MyST/RST directives
({raw}, {include} /etc/passwd, {literalinclude}), roles and javascript: links. The
real extension renders it in both languages; the built HTML must show every such
text verbatim (escaped) and inert: no element, script, include or link made from it.

The loader-level hostile corpus (broken YAML, duplicate keys, alias bombs, ...) is
tested in tests/unit/test_loader*.py; this file is about what reaches the page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
TEST_ROOT = ROOT / "tests" / "roots" / "test-hostile"
HOSTILE_YAML = TEST_ROOT / "policy" / "hostile.yaml"
PAGES = ("hostile.html", "forms.html")
# Texts of the <b>/<i>/<u> elements in hostile.yaml: such an element with this text was made from data.
PAYLOAD_ELEMENT_TEXTS = {"x", "課", "Division", "別紙", "Form", "サービス", "Service"}


def prepare_project(dest: Path) -> Path:
    """The test root plus the real taxonomy, glossary and schema (so IDs and terms are real)."""
    shutil.copytree(TEST_ROOT, dest)
    for name in ("taxonomy.yaml", "glossary.yaml"):
        shutil.copy(ROOT / "policy" / name, dest / "policy" / name)
    shutil.copytree(ROOT / "policy" / "schema", dest / "policy" / "schema")
    return dest


@pytest.fixture(scope="module", params=["ja", "en"])
def built(request, tmp_path_factory) -> tuple[str, Path]:
    from sphinx.testing.util import SphinxTestApp

    lang = request.param
    src = prepare_project(tmp_path_factory.mktemp(f"hostile-{lang}") / "src")
    app = SphinxTestApp("html", srcdir=src, confoverrides={"language": lang}, freshenv=True)
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "Traceback" not in warnings, warnings
    return lang, Path(app.outdir)


def hostile_texts(lang: str) -> list[str]:
    """Every string of the hostile guideline in one language (texts, headings, notes, labels, metadata)."""
    data = yaml.safe_load(HOSTILE_YAML.read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(value, key=None):
        if isinstance(value, dict):
            if set(value) == {"ja", "en"}:
                found.append(value[lang])
                return
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)

    for key in ("title", "municipality", "department", "scope", "clauses", "forms"):
        walk(data[key])
    return found


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_soup(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")


def visible_text(out: Path) -> str:
    return squash(" ".join(page_soup(out, name).body.get_text(" ") for name in PAGES))


def test_markup_in_policy_texts_is_shown_verbatim(built):
    lang, out = built
    shown = visible_text(out)
    missing = [text for text in hostile_texts(lang) if squash(text) not in shown]
    # Clause texts, headings, notes and form labels must all be on the pages, character for character.
    assert not missing, "not shown verbatim (escaped) on the page:\n" + "\n".join(map(repr, missing))


def test_hostile_clause_stays_inside_its_container(built):
    # "</div></section>" in a text must not close the clause's elements early.
    _, out = built
    clause = page_soup(out, "hostile.html").find(id="hostile-1-7")
    assert clause is not None, "clause anchor #hostile-1-7 missing"
    assert "</div></section>" in squash(clause.get_text(" "))
    assert "{{ 7*7 }}" in clause.get_text(), "template syntax in data must not be evaluated"


def test_no_element_is_made_from_data(built):
    _, out = built
    problems = []
    for name in PAGES:
        soup = page_soup(out, name)
        for script in soup.find_all("script"):
            if "alert(" in (script.string or "") or "javascript:" in script.get("src", ""):
                problems.append(f"{name}: injected {script}")
        # The elements the payloads would create (the theme's own <svg> icons are fine).
        made = soup.find_all("iframe") + soup.find_all("img", src="x") + soup.find_all("svg", onload=True)
        made += [el for el in soup.find_all(["b", "i", "u"]) if el.get_text() in PAYLOAD_ELEMENT_TEXTS]
        problems += [f"{name}: element made from data: {str(el)[:80]}" for el in made]
        for el in soup.find_all(True):
            for attr, value in el.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                if attr.lower().startswith("on") and "alert" in value:
                    problems.append(f"{name}: event handler from data: <{el.name} {attr}={value!r}>")
                if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                    problems.append(f"{name}: javascript: URL in <{el.name} {attr}={value!r}>")
    assert not problems, "\n".join(problems)


def test_no_directive_or_role_in_data_is_executed(built):
    _, out = built
    everything = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in (".html", ".js", ".json", ".txt")
    )
    # {include} / {literalinclude} of /etc/passwd would bring its first line in.
    assert "root:x:0:0" not in everything, "/etc/passwd was included into the output"
    soup = page_soup(out, "hostile.html")
    # {policy:clause}`hostile-1-1` and {ref}`genindex` inside a text must not become links.
    for clause_id in ("hostile-1-6",):
        clause = soup.find(id=clause_id)
        assert clause is not None
        for link in clause.find_all("a"):
            href = link.get("href", "")
            # The clause's own permalink and glossary links are the extension's; nothing else.
            assert href in (f"#{clause_id}",) or "glossary" in href, f"link made from data in {clause_id}: {link}"


# --- a failed build leaves no partial output ---------------------------------------------


def project_copy(dest: Path) -> Path:
    """A tmp copy of the project that `make html` can run in: sources copied, code and venv linked."""
    dest.mkdir()
    for name in ("conf.py", "Makefile"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("docs", "policy", "requirements"):
        shutil.copytree(ROOT / name, dest / name)  # copy2: mtimes kept, so the install stamps stay valid
    for name in ("extensions", ".venv"):
        (dest / name).symlink_to(ROOT / name, target_is_directory=True)
    return dest


def break_policy(project: Path) -> str:
    """Give one clause an unknown kind; return the 'policy/FILE:LINE:' its error must name."""
    path = project / "policy" / "chikugo.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip() == "kind: duty")
    lines[index] = lines[index].replace("kind: duty", "kind: dutty")
    path.write_text("".join(lines), encoding="utf-8")
    return f"policy/chikugo.yaml:{index + 1}:"


def stale_api(project: Path) -> Path:
    """Valid-looking API files from an earlier build, which a failed build must not leave behind."""
    api = project / "_build" / "html" / "api" / "v1"
    (api / "documents").mkdir(parents=True)
    (api / "policy.json").write_text('{"schema_version": "1.0.0"}\n', encoding="utf-8")
    (api / "documents" / "chikugo.json").write_text('{"schema_version": "1.0.0"}\n', encoding="utf-8")
    return api


def run_html_builds(project: Path) -> list[subprocess.CompletedProcess]:
    """The three sphinx-build commands of `make html` (ja, en and the API's policyjson), at
    once, without its `make check` step."""
    env = dict(os.environ, PYTHONPATH=str(project / "extensions"))
    sphinx = [sys.executable, "-m", "sphinx", "-c", ".", "-q", "-W", "--keep-going"]
    commands = [
        [*sphinx, "-b", "html", "-D", f"language={lang}", "-d", f"_build/doctrees/{lang}", "docs", f"_build/html/{lang}"]
        for lang in ("ja", "en")
    ]
    commands.append([*sphinx, "-b", "policyjson", "-d", "_build/doctrees/api", "docs", "_build/html/api/v1"])
    procs = [
        subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for command in commands
    ]
    # communicate(), not wait(): a build printing more than a pipe holds would block forever
    outputs = [p.communicate()[0] for p in procs]
    return [subprocess.CompletedProcess(p.args, p.returncode, out) for p, out in zip(procs, outputs)]


def test_failed_sphinx_build_names_the_line_and_leaves_no_api_files(tmp_path):
    project = project_copy(tmp_path / "project")
    where = break_policy(project)
    api = stale_api(project)
    for result in run_html_builds(project):
        assert result.returncode != 0, f"build on an invalid policy succeeded:\n{result.stdout}"
        assert where in result.stdout, f"the error does not name {where}:\n{result.stdout}"
        assert "dutty" in result.stdout
    left = sorted(p.relative_to(api).as_posix() for p in api.rglob("*.json"))
    assert not left, f"a failed build left API files behind: {left}"


def test_failed_sphinx_build_on_bad_data_is_not_a_crash_report(tmp_path):
    # `make livehtml` runs sphinx directly (no `make check` first): a policy owner's typo
    # must read as their mistake at file:line, not as Sphinx's crash report.
    project = project_copy(tmp_path / "project")
    where = break_policy(project)
    for result in run_html_builds(project):
        assert result.returncode != 0
        assert where in result.stdout
        for crash in ("Traceback", "report this error to the developers", "sphinx-err-"):
            assert crash not in result.stdout, f"bad data gives a crash report ({crash!r}):\n{result.stdout}"


def test_failed_make_html_names_the_line_and_leaves_no_api_files(tmp_path):
    project = project_copy(tmp_path / "project")
    dry = subprocess.run(["make", "-n", "html"], cwd=project, capture_output=True, text=True)
    assert "pip" not in dry.stdout, "the venv stamps are out of date; run `make html` once in the project first"
    where = break_policy(project)
    api = stale_api(project)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    result = subprocess.run(["make", "html"], cwd=project, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert where in output and "dutty" in output, output
    assert "Traceback" not in output, output
    # `make html` stops at `make check`: no page and no API file is written.
    assert not (project / "_build" / "html" / "ja" / "index.html").exists()
    left = [p for p in api.rglob("*.json") if p.read_text(encoding="utf-8") != '{"schema_version": "1.0.0"}\n']
    assert not left, f"make html wrote API files on an invalid policy: {left}"
