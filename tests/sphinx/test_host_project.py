"""The policy extension in someone else's project, and the package installed (not editable).

A host project lists only ``policy_handbook.sphinxext``: it gets the policy
domain and nothing of this handbook's own site (no language switcher links,
no site stylesheet, no JSON API in its output, no garbage-collector changes).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from helpers.paths import MINIMAL_POLICY, PROJECT_ROOT

HOST_CONF = """\
extensions = ["myst_parser", "sphinx_design", "policy_handbook.sphinxext"]
project = "Host"
language = "ja"
html_theme = "basic"
exclude_patterns = ["policy", "_build"]
"""


def _host(tmp_path: Path, *, pages: dict[str, str], policy: Path | None) -> Path:
    src = tmp_path / "host"
    src.mkdir()
    (src / "conf.py").write_text(HOST_CONF, encoding="utf-8")
    for name, text in pages.items():
        (src / name).write_text(text, encoding="utf-8")
    if policy is not None:
        shutil.copytree(policy, src / "policy")
    return src


def _build(src: Path) -> tuple[SphinxTestApp, str]:
    app = SphinxTestApp("html", srcdir=src, warningiserror=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return app, app.warning.getvalue()


def test_a_host_project_with_policy_data_builds_under_W_without_the_sites_behaviour(tmp_path):
    thresholds = gc.get_threshold()
    src = _host(
        tmp_path,
        policy=MINIMAL_POLICY,
        pages={
            "index.md": "# Host\n\n```{policy:guideline} north\n```\n\n```{policy:form} north-form-1\n```\n\n{policy:clause}`north-1`\n"
        },
    )
    app, warnings = _build(src)
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'id="north-1"' in html  # the policy extension did its work
    assert 'rel="alternate"' not in html and "hreflang" not in html
    assert "site-handbook.css" not in html and "site-translations.js" not in html
    assert not (app.outdir / "api").exists() and not (app.outdir.parent / "api").exists()
    assert gc.get_threshold() == thresholds


def test_a_host_project_without_policy_data_builds_under_W(tmp_path):
    src = _host(tmp_path, policy=None, pages={"index.md": "# Host\n\nNo policy here yet.\n"})
    app, warnings = _build(src)
    assert warnings == ""
    assert (app.outdir / "index.html").is_file()


def test_a_directive_naming_a_missing_guideline_still_says_so(tmp_path):
    src = _host(tmp_path, policy=None, pages={"index.md": "# Host\n\n```{policy:guideline} north\n```\n"})
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    assert "north" in app.warning.getvalue()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package as `pip install .` installs it (a wheel), in a directory of its own."""
    base = tmp_path_factory.mktemp("installed")
    checkout = base / "checkout"  # a copy, so the build leaves no build/ or *.egg-info in the tree
    shutil.copytree(
        PROJECT_ROOT, checkout,
        ignore=shutil.ignore_patterns(".git", ".venv", "_build", "__pycache__", "*.mo", "tests", "bench", "docs"),
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(base / "dist"), str(checkout)],
        check=True, capture_output=True,
    )  # fmt: skip
    [wheel] = (base / "dist").glob("*.whl")
    target = base / "site"
    with zipfile.ZipFile(wheel) as archive:  # what pip install does for a pure-Python wheel
        archive.extractall(target)
    return target


def _run_installed(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(installed)
    return subprocess.run([sys.executable, "-m", "policy_handbook", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_installed_package_checks_a_policy_folder_without_its_own_schema(installed, tmp_path):
    policy = tmp_path / "policy"
    shutil.copytree(MINIMAL_POLICY, policy, ignore=shutil.ignore_patterns("schema"))
    result = _run_installed(installed, "check", str(policy), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("policy OK")
    assert "Traceback" not in result.stderr


def test_the_installed_package_ships_its_schema_static_files_and_catalogs(installed):
    package = installed / "policy_handbook"
    assert (package / "schemas" / "policy.schema.json").is_file()
    assert (package / "api" / "policy.schema.json").is_file()
    assert (package / "sphinxext" / "static" / "policy.css").is_file()
    assert (package / "sphinxext" / "locale" / "ja" / "LC_MESSAGES" / "policy_handbook.po").is_file()


def test_a_folder_cannot_loosen_the_schema_it_is_checked_against(tmp_path):
    """policy/schema/ is a copy for editors: a loosened copy changes nothing, and make check says so."""
    policy = tmp_path / "policy"
    shutil.copytree(MINIMAL_POLICY, policy)
    (policy / "schema").mkdir(exist_ok=True)
    (policy / "schema" / "policy.schema.json").write_text("{}", encoding="utf-8")  # accepts anything
    north = policy / "north.yaml"
    north.write_text(north.read_text(encoding="utf-8").replace("id: north-1\n", "id: 'North 1<b>'\n", 1), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT / "extensions"))
    result = subprocess.run([sys.executable, "-m", "policy_handbook", "check", str(policy)], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "North 1<b>" in result.stderr or "North 1" in result.stderr
    assert "differs from the schema make check validates with" in result.stderr


def test_the_editor_copies_of_the_schema_are_the_packaged_schema():
    packaged = (PROJECT_ROOT / "extensions" / "policy_handbook" / "schemas" / "policy.schema.json").read_bytes()
    assert (PROJECT_ROOT / "policy" / "schema" / "policy.schema.json").read_bytes() == packaged
