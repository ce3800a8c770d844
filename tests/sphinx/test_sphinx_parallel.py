"""A parallel build (-j 2) writes exactly the bytes a serial build writes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import sphinx.locale
from sphinx.testing.util import SphinxTestApp

from helpers.paths import ROOTS

ROOT = ROOTS / "test-directives"


def build(src: Path, parallel: int) -> tuple[dict[str, bytes], set[str]]:
    shutil.copytree(ROOT, src)
    # More pages than workers, each showing policy data, so the reading is really split.
    for i in range(6):
        (src / f"extra{i}.md").write_text(
            f"# 追加 {i}\n\n```{{policy:clause}} north-1-1\n:no-index:\n```\n\n{{policy:clause}}`north-2-p1`\n",
            encoding="utf-8",
        )
    index = src / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("refs\n", "refs\n" + "".join(f"extra{i}\n" for i in range(6))),
        encoding="utf-8",
    )
    # Start both builds from the same global state: a test that did not clean up
    # its app can leave another project's translations (e.g. of "Link to this heading").
    sphinx.locale.translators.clear()
    app = SphinxTestApp("html", srcdir=src, parallel=parallel)
    readers = src.parent / "reader-pids"

    def note_reader(app, docname, source):
        with open(readers, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")

    app.connect("source-read", note_reader)
    try:
        app.build()
        assert app.warning.getvalue().count("WARNING") == 1  # only the deliberate broken ID in refs.md
        output = {
            p.relative_to(app.outdir).as_posix(): p.read_bytes()
            for p in sorted(app.outdir.rglob("*"))
            if p.is_file() and p.name != ".buildinfo"
        }
        return output, set(readers.read_text(encoding="utf-8").split())
    finally:
        app.cleanup()


def test_parallel_build_output_is_byte_identical_to_serial(tmp_path):
    serial, serial_readers = build(tmp_path / "serial" / "src", parallel=1)
    parallel, parallel_readers = build(tmp_path / "parallel" / "src", parallel=2)
    assert len(serial_readers) == 1 and len(parallel_readers) >= 2  # the pages really were read by two processes
    assert sorted(serial) == sorted(parallel)
    assert "extra5.html" in serial and "objects.inv" in serial
    different = [name for name in serial if serial[name] != parallel[name]]
    if different:
        import difflib

        first = different[0]
        diff = difflib.unified_diff(
            serial[first].decode("utf-8", "replace").splitlines(),
            parallel[first].decode("utf-8", "replace").splitlines(),
            "serial/" + first,
            "parallel/" + first,
            lineterm="",
        )
        print("\n".join(list(diff)[:60]))
    assert different == []
