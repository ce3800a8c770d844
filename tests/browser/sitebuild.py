"""Building the sites for the browser tests, with the same commands as `make html`."""

from __future__ import annotations

import functools
import http.server
import os
import socketserver
import threading
import shutil
import subprocess
import sys
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


def build_html(project: Path, out: Path, doctrees: Path, langs=LANGS, *, command=sphinx_html_command) -> None:
    """Build the languages at once, one process each, like `make html`; fail the test with the output."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "extensions"))
    out.mkdir(parents=True, exist_ok=True)
    procs = {
        lang: subprocess.Popen(
            command(lang, out, doctrees), cwd=project, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        for lang in langs
    }
    failures = []
    for lang, proc in procs.items():
        output, _ = proc.communicate()
        if proc.returncode != 0:
            failures.append(f"--- {lang} build of {project} failed (exit {proc.returncode}):\n{output}")
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def build_site(out: Path, doctrees: Path) -> None:
    """The real site as `make html` builds it: ja and en at once, then the root page."""
    build_html(ROOT, out, doctrees)
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


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


class LocalServer:
    """http.server on 127.0.0.1, a free port chosen by the OS, in a daemon thread."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
