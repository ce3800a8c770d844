"""The JSON API in real Sphinx builds: the policyjson builder (its one writer), the pages' links, failures.

The test root tests/roots/test-json/ shows all of guideline alpha, only section 2
of guideline beta (so beta-1 and beta-1-p1 are on no page), and form alpha-form-1.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import jsonschema
import pytest
import sphinx.locale
from bs4 import BeautifulSoup
from sphinx.cmd.build import build_main

from helpers.paths import PROJECT_ROOT, ROOTS
from policy_handbook import export
from policy_handbook import files as files_module
from policy_handbook.api import load_schema

TEST_ROOT = ROOTS / "test-json"
API_FILES = [
    "comparison.json",
    "documents/alpha.json",
    "documents/beta.json",
    "policy.json",
    "policy.schema.json",
]


def listing(directory: Path) -> dict[str, bytes]:
    """Every file under directory (doctrees aside) -> its bytes."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and ".doctrees" not in p.parts
    }


def sphinx_build(src: Path, out: Path, builder: str = "html", *options: str) -> tuple[int, str]:
    """sphinx-build as `make` runs it; returns (exit status, warnings)."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            status = build_main(["-q", "-b", builder, "-d", str(out.parent / f".doctrees-{out.name}"), *options, str(src), str(out)])
    finally:
        # build_main installs process-wide translations; later tests must not see them.
        sphinx.locale.translators.clear()
    return status, stderr.getvalue()


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable copy of the test root."""
    return Path(shutil.copytree(TEST_ROOT, tmp_path / "src"))


def built_site(src: Path, out: Path, *options: str) -> None:
    """What `make html` does: the pages, and the API by its one writer into out/api/v1."""
    for builder, target in (("html", out), ("policyjson", out / "api" / "v1")):
        status, warnings = sphinx_build(src, target, builder, "-W", *options)
        assert status == 0, warnings


@pytest.fixture(scope="module")
def html_api(tmp_path_factory) -> dict[str, bytes]:
    """A site of the test root: its pages and its API (policy_api_dir = api/v1)."""
    src = Path(shutil.copytree(TEST_ROOT, tmp_path_factory.mktemp("html") / "src"))
    out = src.parent / "html"
    built_site(src, out)
    return {"out": out, "files": listing(out / "api" / "v1")}


# --- the policyjson builder, the one writer ---------------------------------------------


def test_the_policyjson_builder_writes_only_valid_api_files_into_its_output_directory(html_api):
    files = html_api["files"]
    assert sorted(files) == API_FILES
    validator = jsonschema.Draft202012Validator(load_schema())
    for path, raw in files.items():
        if path != "policy.schema.json":
            assert list(validator.iter_errors(json.loads(raw))) == [], path


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_page_builds_write_no_api(project, builder):
    out = project.parent / builder
    status, warnings = sphinx_build(project, out, builder, "-W")
    assert status == 0, warnings
    assert not (out / "api" / "v1").exists() and not (out / "policy.json").exists()


def test_every_clause_url_lands_on_an_element_with_that_id(html_api):
    out, files = html_api["out"], html_api["files"]
    policy = json.loads(files["policy.json"])
    shown = [c for g in policy["guidelines"] for c in g["clauses"] if c["url"]]
    shown += [f for g in policy["guidelines"] for f in g["forms"] if f["url"]]
    assert len(shown) == 11  # 8 clauses of alpha, 2 of beta's section 2, the form
    for item in shown:
        for lang, url in item["url"].items():
            assert url.startswith(f"{lang}/")
            page, _, anchor = url[len(lang) + 1 :].partition("#")
            assert anchor == item["id"]
            soup = BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")
            assert soup.find(id=anchor) is not None, url


def test_clauses_no_page_shows_have_no_url(html_api):
    policy = json.loads(html_api["files"]["policy.json"])
    beta = {c["id"]: c["url"] for c in policy["guidelines"][1]["clauses"]}
    assert beta == {
        "beta-1": None,
        "beta-1-p1": None,
        "beta-2": {"ja": "ja/guidelines/beta.html#beta-2", "en": "en/guidelines/beta.html#beta-2"},
        "beta-2-p1": {"ja": "ja/guidelines/beta.html#beta-2-p1", "en": "en/guidelines/beta.html#beta-2-p1"},
    }


def test_the_api_role_links_to_the_file_relative_to_the_page(html_api):
    out = html_api["out"]
    api_page = BeautifulSoup((out / "api.html").read_text(encoding="utf-8"), "html.parser")
    links = [(a["href"], a.get_text()) for a in api_page.select("a.policy-api-link")]
    assert links == [("api/v1/policy.json", "policy.json"), ("api/v1/policy.schema.json", "the schema")]
    nested = BeautifulSoup((out / "guidelines" / "beta.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in nested.select("a.policy-api-link")] == ["../api/v1/documents/beta.json"]
    assert (out / "guidelines" / "../api/v1/documents/beta.json").is_file()


@pytest.mark.parametrize(
    "pages, url",
    [("dirhtml", "ja/guidelines/beta/#beta-2"), ("singlehtml", "ja/index.html#beta-2")],
)
def test_the_clause_urls_can_be_those_of_dirhtml_or_singlehtml_pages(project, pages, url):
    out = project.parent / "json"
    status, warnings = sphinx_build(project, out, "policyjson", "-W", "-D", f"policy_api_pages={pages}")
    assert status == 0, warnings
    beta = json.loads((out / "documents" / "beta.json").read_text(encoding="utf-8"))
    assert {c["id"]: c["url"] for c in beta["guideline"]["clauses"]}["beta-2"]["ja"] == url


def test_an_invalid_setting_is_a_warning_and_the_default_is_used(project, html_api):
    out = project.parent / "json"
    status, warnings = sphinx_build(project, out, "policyjson", "-D", "policy_api_pages=pdf")
    assert status == 0
    assert "policy_api_pages must be one of 'html', 'dirhtml', 'singlehtml', not 'pdf'; using the default, 'html'" in warnings
    assert listing(out) == html_api["files"]
    status, warnings = sphinx_build(project, out, "policyjson", "-W", "-D", "policy_api_pages=pdf")
    assert status == 1  # -W: a configuration mistake fails the build


def test_the_api_is_the_same_whichever_language_the_builder_reads(project, html_api):
    out = project.parent / "json-en"
    status, warnings = sphinx_build(project, out, "policyjson", "-W", "-D", "language=en")
    assert status == 0, warnings
    assert listing(out) == html_api["files"]


def test_the_bilingual_site_links_to_the_one_api_beside_both_languages(project):
    site = project.parent / "site"
    for lang in ("ja", "en"):
        status, warnings = sphinx_build(project, site / lang, "html", "-W", "-D", f"language={lang}", "-D", "policy_api_dir=../api/v1")
        assert status == 0, warnings
        assert not (site / lang / "api").exists() and not (site / "api").exists()
        api_page = BeautifulSoup((site / lang / "api.html").read_text(encoding="utf-8"), "html.parser")
        assert api_page.select("a.policy-api-link")[0]["href"] == "../api/v1/policy.json"


def test_an_incremental_build_after_adding_a_clause_exports_it_with_its_url(project):
    out = project.parent / "json"
    assert sphinx_build(project, out, "policyjson", "-W")[0] == 0
    alpha = project / "policy" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text(encoding="utf-8").replace(
            "        text: {ja: 所属長は別紙1により届け出る。, en: The head of division gives notice using Form 1.}\n",
            "        text: {ja: 所属長は別紙1により届け出る。, en: The head of division gives notice using Form 1.}\n"
            "      - id: alpha-2-p2\n        level: paragraph\n        kind: procedure\n"
            "        topics: [account-registration]\n"
            "        text: {ja: 届出は電子でもよい。, en: Notice may be given electronically.}\n",
        ),
        encoding="utf-8",
    )
    comparison = project / "policy" / "comparison.yaml"
    comparison.write_text(
        comparison.read_text(encoding="utf-8").replace(
            "      - {alpha: [alpha-2-p1]}\n", "      - {alpha: [alpha-2-p1]}\n      - {alpha: [alpha-2-p2]}\n"
        ),
        encoding="utf-8",
    )
    assert sphinx_build(project, out, "policyjson", "-W")[0] == 0
    policy = json.loads((out / "policy.json").read_bytes())
    added = next(c for c in policy["guidelines"][0]["clauses"] if c["id"] == "alpha-2-p2")
    assert added["url"]["ja"] == "ja/guidelines/alpha.html#alpha-2-p2"
    assert added["text"]["ja"] == "届出は電子でもよい。"


# --- failed builds ---------------------------------------------------------------------


def test_a_warning_fails_the_build_under_W_and_without_W_the_api_is_written(project):
    (project / "broken.md").write_text("# 壊れたページ\n\n```{toctree}\nmissing-page\n```\n", encoding="utf-8")
    out = project.parent / "out"
    status, warnings = sphinx_build(project, out, "policyjson", "-W")
    assert status == 1 and "missing-page" in warnings  # `make html` then publishes nothing
    status, _warnings = sphinx_build(project, out, "policyjson")
    assert status == 0
    assert sorted(listing(out)) == API_FILES


def test_invalid_policy_data_fails_the_build_and_removes_the_old_api(project):
    out = project.parent / "json"
    assert sphinx_build(project, out, "policyjson", "-W")[0] == 0
    assert (out / "policy.json").is_file()

    alpha = project / "policy" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("kind: procedure", "kind: proceduer"), encoding="utf-8")
    status, warnings = sphinx_build(project, out, "policyjson", "-W")
    assert status != 0
    assert "alpha.yaml" in warnings and "proceduer" in warnings
    assert export.existing_api_files(out) == []


def test_a_failure_while_writing_the_api_fails_the_build_with_its_message(project, monkeypatch):
    out = project.parent / "json"

    def disk_full(path, data):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files_module, "write_atomic", disk_full)
    status, warnings = sphinx_build(project, out, "policyjson")
    assert status != 0 and "Input/output error" in warnings
    assert [p for p in out.rglob("*") if p.is_file() and ".doctrees" not in p.parts] == []


# --- the real handbook and the examples of docs/api.md ------------------------------------

PROJECT = PROJECT_ROOT


def code_blocks(language: str) -> list[str]:
    text = (PROJECT / "docs" / "api.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    """The real docs' API built by the policyjson builder, served like `make serve` does."""
    site = tmp_path_factory.mktemp("site")
    status, warnings = sphinx_build(PROJECT / "docs", site / "api" / "v1", "policyjson", "-W", "-c", str(PROJECT))
    assert status == 0, warnings
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_real_handbook_exports_valid_files_with_every_clause_on_a_page(real_site):
    site, _base = real_site
    api = site / "api" / "v1"
    # the schema as published beside the data, with the taxonomy's IDs enumerated
    published = json.loads((api / "policy.schema.json").read_bytes())
    validator = jsonschema.Draft202012Validator(published, format_checker=jsonschema.FormatChecker())
    for path in sorted(api.rglob("*.json")):
        if path.name != "policy.schema.json":
            assert list(validator.iter_errors(json.loads(path.read_bytes()))) == [], path
    policy = json.loads((api / "policy.json").read_bytes())
    assert published["$defs"]["kindId"]["enum"] == [k["id"] for k in policy["taxonomy"]["kinds"]]
    assert "impersonation" in published["$defs"]["topicId"]["enum"]
    assert [g["id"] for g in policy["guidelines"]] == ["chikugo", "yanagawa"]
    assert [c["id"] for g in policy["guidelines"] for c in g["clauses"] if c["url"] is None] == []


def test_the_python_example_of_the_api_page_works(real_site):
    _site, base = real_site
    [_hash_example, example] = code_blocks("python")
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(example.replace("http://127.0.0.1:8000/", base + "/"), {})
    lines = output.getvalue().splitlines()
    assert any(line.startswith("筑後市 6(3)・1 ") for line in lines)
    assert any(line.startswith("柳川市 ") for line in lines)
    for line in lines:
        _city, _number, url = line.split(" ")
        assert re.fullmatch(rf"{re.escape(base)}/ja/guidelines/(chikugo|yanagawa)\.html#(chikugo|yanagawa)-[a-z0-9-]+", url)


def test_the_hash_recipe_of_the_api_page_gives_the_exported_hash():
    [recipe, _example] = code_blocks("python")
    namespace: dict = {}
    exec(recipe, namespace)
    for text in ["緊急時は\u3000この限り\nでない。", "Facebook や Twitter", "か\u3099"]:
        assert namespace["clause_sha256"](text) == export.text_sha256(text)


@pytest.mark.skipif(shutil.which("jq") is None, reason="the shell examples need jq")
def test_the_curl_and_jq_examples_of_the_api_page_work(real_site):
    site, base = real_site
    blocks = [b.replace("http://127.0.0.1:8000", base) for b in code_blocks("sh")]
    outputs = []
    for block in blocks:
        script = "set -euo pipefail\n" + blocks[0].splitlines()[0] + "\n" + block
        done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=True)
        outputs.append(done.stdout.splitlines())
    ids_and_numbers, impersonation, topics = outputs
    assert ids_and_numbers[0] == "chikugo-preamble-1\t前文"
    assert all(line.startswith("chikugo-") for line in ids_and_numbers)
    assert {line.split("\t")[0].split("-")[0] for line in impersonation} == {"chikugo", "yanagawa"}
    assert all(len(line.split("\t")) == 3 and line.split("\t")[2] != "null" for line in impersonation)
    comparison = json.loads((site / "api" / "v1" / "comparison.json").read_bytes())["comparison"]
    assert [line.split("\t")[:2] for line in topics] == [[t["topic"], t["relation"]] for t in comparison["topics"]]
