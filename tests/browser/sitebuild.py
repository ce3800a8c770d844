"""Building the sites for the browser tests, with the same commands as `make html`."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .pagecheck import ROOT

LANGS = ("ja", "en")


def sphinx_html_command(lang: str, out: Path, doctrees: Path) -> list[str]:
    """The command `make html` runs for one language (Makefile: SPHINX + html line)."""
    return [
        sys.executable, "-m", "sphinx", "-c", ".", "-q", "-W", "--keep-going",
        "-b", "html", "-D", f"language={lang}", "-d", str(doctrees / lang), "docs", str(out / lang),
    ]  # fmt: skip


def sphinx_api_command(out: Path, doctrees: Path) -> list[str]:
    """The JSON API's job of `make html`: -b policyjson into api/v1 beside the languages."""
    return [
        sys.executable, "-m", "sphinx", "-c", ".", "-q", "-W", "--keep-going",
        "-b", "policyjson", "-d", str(doctrees / "api"), "docs", str(out / "api" / "v1"),
    ]  # fmt: skip


def build_html(project: Path, out: Path, doctrees: Path, langs=LANGS, *, command=sphinx_html_command, api_command=None) -> None:
    """Build the languages (and the API, given its command) at once, one process each, like
    `make html`; fail the test with the output."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "extensions"))
    out.mkdir(parents=True, exist_ok=True)
    jobs = {lang: command(lang, out, doctrees) for lang in langs}
    if api_command is not None:
        jobs["api"] = api_command(out, doctrees)
    procs = {
        name: subprocess.Popen(argv, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for name, argv in jobs.items()
    }
    failures = []
    for name, proc in procs.items():
        output, _ = proc.communicate()
        if proc.returncode != 0:
            failures.append(f"--- {name} build of {project} failed (exit {proc.returncode}):\n{output}")
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def build_site(out: Path, doctrees: Path) -> None:
    """The real site as `make html` builds it: ja, en and the API at once, then the root page."""
    build_html(ROOT, out, doctrees, api_command=sphinx_api_command)
    shutil.copy(ROOT / "docs" / "_root" / "index.html", out / "index.html")


def site_pages(site: Path) -> list[str]:
    """Every HTML page of both sites and the root page, as URL paths relative to the site root.

    Skips only files that are not pages: static assets and copied sources.
    """
    pages = ["index.html"]
    for lang in LANGS:
        for path in sorted((site / lang).rglob("*.html")):
            rel = path.relative_to(site)
            if rel.parts[1] in ("_static", "_sources", "_images", "_downloads"):
                continue
            pages.append(rel.as_posix())
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _GzipEncodingHandler(_QuietHandler):
    """Sends a ``.gz`` file as ``Content-Encoding: gzip`` (Apache's ``AddEncoding x-gzip
    .gz``): the browser hands the page the decoded bytes."""

    def end_headers(self):
        if self.path.split("?", 1)[0].endswith(".gz"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()

    def guess_type(self, path):
        return "application/json" if str(path).endswith(".gz") else super().guess_type(path)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


class LocalServer:
    """http.server on 127.0.0.1, a free port chosen by the OS, in a daemon thread."""

    def __init__(self, directory: Path, *, gz_as_encoding: bool = False):
        handler = functools.partial(_GzipEncodingHandler if gz_as_encoding else _QuietHandler, directory=str(directory))
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
