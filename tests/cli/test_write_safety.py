"""Writes through links (issue 23, item 1): no project write follows a link or leaves its folder.

The attack: ``policy/sources/kurume.txt`` a dangling link to ``../../.venv/…/zz.pth``;
`make import SRC=<a text with "import os;os.system(…)"> ID=kurume` wrote the text there and
the next `.venv/bin/python` ran the line.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.files import UnsafeWrite, replace_directory, write_atomic

ROOT = PROJECT_ROOT
MINIMAL = ROOT / "tests" / "fixtures" / "minimal-policy"
PAYLOAD = "久留米市ソーシャルメディア運用指針\n1 目的\nimport os;os.system('touch /tmp/pwned')\n職員は、注意して発信しなければならない。\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- write_atomic


def test_a_dangling_link_is_refused_and_its_target_not_created(tmp_path):
    target = tmp_path / "outside" / "zz.pth"
    target.parent.mkdir()
    link = tmp_path / "policy" / "x.txt"
    link.parent.mkdir()
    link.symlink_to(target)
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write_atomic(link, b"import os\n", root=tmp_path / "policy")
    assert not target.exists() and link.is_symlink()
    assert leftovers(link.parent) == []


def test_a_link_to_an_existing_file_is_refused_and_the_file_unchanged(tmp_path):
    target = tmp_path / "precious"
    target.write_bytes(b"keep")
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(UnsafeWrite):
        write_atomic(link, b"overwritten")  # with no root too: never through a link
    assert target.read_bytes() == b"keep"


def test_a_folder_that_resolves_outside_the_root_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "sources").symlink_to(outside)
    with pytest.raises(UnsafeWrite, match="outside"):
        write_atomic(tmp_path / "policy" / "sources" / "a.txt", b"x", root=tmp_path / "policy")
    with pytest.raises(UnsafeWrite, match="outside"):  # nor folders created through the link
        write_atomic(tmp_path / "policy" / "sources" / "new" / "a.txt", b"x", root=tmp_path / "policy")
    assert list(outside.iterdir()) == []


def test_the_mode_of_an_existing_file_is_kept_and_a_new_file_is_0644(tmp_path):
    existing = tmp_path / "comparison.yaml"
    existing.write_bytes(b"old")
    existing.chmod(0o640)
    write_atomic(existing, b"new", root=tmp_path)
    assert existing.read_bytes() == b"new" and stat.S_IMODE(existing.stat().st_mode) == 0o640
    new = tmp_path / "sub" / "new.yaml"
    old_umask = os.umask(0o077)
    try:
        write_atomic(new, b"x", root=tmp_path)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_a_folder_or_fifo_in_the_way_is_refused(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    os.mkfifo(tmp_path / "fifo.yaml")
    for name in ("dir.yaml", "fifo.yaml"):
        with pytest.raises(UnsafeWrite, match="not a regular file"):
            write_atomic(tmp_path / name, b"x", root=tmp_path)


def test_the_build_lock_is_not_taken_through_a_link(tmp_path):
    from policy_handbook.publish import LOCK_FILE, build_lock

    target = tmp_path / "outside.pth"
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / LOCK_FILE).symlink_to(target)
    with pytest.raises(OSError), build_lock(tmp_path / "_build"):
        pass
    assert not target.exists()


# --------------------------------------------------------------------------- the importer, end to end


def run_import(workdir: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    args = ["import", "source.txt", "--id", "kurume", "--municipality", "久留米市", "--prefecture", "福岡県", *extra]
    return subprocess.run(
        [sys.executable, "-m", "policy_handbook", *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def attack(tmp_path):
    import shutil

    shutil.copytree(MINIMAL, tmp_path / "policy")
    (tmp_path / "source.txt").write_text(PAYLOAD, encoding="utf-8")
    site_packages = tmp_path / ".venv" / "lib" / "python3.11" / "site-packages"
    site_packages.mkdir(parents=True)
    (tmp_path / "policy" / "sources" / "kurume.txt").symlink_to("../../.venv/lib/python3.11/site-packages/zz.pth")
    return tmp_path, site_packages / "zz.pth"


@pytest.mark.parametrize("force", [False, True])
def test_import_through_a_dangling_source_link_is_refused(attack, force):
    workdir, pth = attack
    result = run_import(workdir, *(["--force"] if force else []))
    assert result.returncode == 1
    assert result.stderr.startswith("policy/sources/kurume.txt:1: is a symbolic link"), result.stderr
    assert "Traceback" not in result.stderr
    assert not pth.exists()
    assert not (workdir / "policy" / "kurume.yaml").exists()  # nothing written at all


def test_import_with_force_does_not_overwrite_a_file_through_a_link(attack):
    workdir, pth = attack
    pth.write_text("# the venv's own file\n", encoding="utf-8")
    result = run_import(workdir, "--force")
    assert result.returncode == 1 and "symbolic link" in result.stderr
    assert pth.read_text(encoding="utf-8") == "# the venv's own file\n"


@pytest.mark.parametrize("force", [False, True])
def test_import_through_a_linked_draft_is_refused(attack, force):
    workdir, _ = attack
    (workdir / "policy" / "sources" / "kurume.txt").unlink()
    outside = workdir / "outside.yaml"
    (workdir / "policy" / "kurume.yaml").symlink_to(outside)
    result = run_import(workdir, *(["--force"] if force else []))
    assert result.returncode == 1
    assert result.stderr.startswith("policy/kurume.yaml:1: is a symbolic link"), result.stderr
    assert not outside.exists() and not (workdir / "policy" / "sources" / "kurume.txt").exists()


def test_import_output_outside_the_policy_folder_is_refused(attack):
    workdir, pth = attack
    (workdir / "policy" / "sources" / "kurume.txt").unlink()
    result = run_import(workdir, "--output", str(pth))
    assert result.returncode == 1 and "outside the policy folder" in result.stderr, result.stderr
    assert not pth.exists()


def test_import_without_links_writes_both_files_0644(attack):
    workdir, _ = attack
    (workdir / "policy" / "sources" / "kurume.txt").unlink()
    result = run_import(workdir)
    assert result.returncode == 0, result.stderr
    for written in (workdir / "policy" / "kurume.yaml", workdir / "policy" / "sources" / "kurume.txt"):
        assert stat.S_IMODE(written.stat().st_mode) == 0o644
    assert (workdir / "policy" / "sources" / "kurume.txt").read_text(encoding="utf-8") == PAYLOAD


# --------------------------------------------------------------------------- replace_directory


def fill_with_index(folder: Path) -> None:
    (folder / "terms").mkdir()
    (folder / "terms" / "0.gz").write_bytes(b"new")
    (folder / "data.json").write_bytes(b"{}")


def test_a_replaced_folder_is_readable_by_the_site_s_readers(tmp_path):
    # A web server running as another user reads the site: mkdtemp's 0700 would refuse it.
    replace_directory(tmp_path / "_search", fill_with_index)
    assert stat.S_IMODE((tmp_path / "_search").stat().st_mode) == 0o755
    assert (tmp_path / "_search" / "terms" / "0.gz").read_bytes() == b"new"


@pytest.mark.parametrize("where", ["_search", "._search.old"])
def test_a_link_at_the_folder_or_its_old_name_is_removed_not_followed(tmp_path, where):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_bytes(b"keep")
    site = tmp_path / "site"
    site.mkdir()
    (site / where).symlink_to(outside, target_is_directory=True)
    replace_directory(site / "_search", fill_with_index)
    assert (outside / "keep.txt").read_bytes() == b"keep" and sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert not (site / "_search").is_symlink() and (site / "_search" / "data.json").is_file()
    assert sorted(p.name for p in site.iterdir()) == ["_search"]


@pytest.mark.parametrize("where", ["_search", "._search.old"])
def test_a_file_at_the_folder_or_its_old_name_is_replaced(tmp_path, where):
    (tmp_path / where).write_bytes(b"not a folder")
    replace_directory(tmp_path / "_search", fill_with_index)
    assert (tmp_path / "_search" / "data.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_search"]
