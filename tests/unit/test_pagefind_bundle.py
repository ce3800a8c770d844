"""The search bundle written through Pagefind's service: complete, repeatable, confined."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from policy_handbook.site import pagefind_service


def records(count: int = 40):
    for n in range(count):
        yield {
            "url": f"guidelines/city-{n}.html#c-{n}",
            "content": f"個人情報 を 投稿 し ては ならない 第{n}条",
            "language": "ja",
            "meta": {"title": f"第{n}条", "city": f"city-{n % 3}"},  # no filters: see search_records
        }


def bundle_files(bundle: Path) -> dict[str, str]:
    return {p.relative_to(bundle).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_a_bundle_is_complete_and_the_same_bytes_every_time(tmp_path):
    """Pagefind's own WriteFiles answered before its files were on disk: builds published
    an empty entry file or an empty wasm file now and then. Five builds, all whole and equal."""
    seen = []
    for n in range(5):
        out = tmp_path / f"b{n}" / "_pagefind"
        out.parent.mkdir()
        assert pagefind_service.write_bundle(records(), out) == 40
        empty = [p.name for p in out.rglob("*") if p.is_file() and p.stat().st_size == 0]
        assert empty == []
        entry = json.loads((out / "pagefind-entry.json").read_text("utf-8"))
        assert entry["languages"]
        assert (out / "pagefind.js").stat().st_size > 1000
        seen.append(bundle_files(out))
    assert all(files == seen[0] for files in seen)
    assert not list(tmp_path.rglob(".pagefind-*"))  # no temporary directory left


def test_a_failed_bundle_leaves_the_old_one_in_place(tmp_path):
    out = tmp_path / "_pagefind"
    pagefind_service.write_bundle(records(3), out)
    before = bundle_files(out)

    def broken():
        yield from records(2)
        raise OSError("disk gone")

    with pytest.raises(pagefind_service.PagefindError, match="disk gone"):
        pagefind_service.write_bundle(broken(), out)
    assert bundle_files(out) == before
    assert not list(tmp_path.glob(".pagefind-*"))


@pytest.mark.parametrize("path", ["../escape.js", "/etc/escape", "a/../../escape", ""])
def test_a_file_outside_the_bundle_is_refused(tmp_path, path):
    files = [{"path": "pagefind-entry.json", "content": "e30="}, {"path": path, "content": "eA=="}]
    with pytest.raises(pagefind_service.PagefindError, match="outside its bundle"):
        pagefind_service._write_files(files, tmp_path / "bundle")
    assert not (tmp_path / "escape.js").exists()
