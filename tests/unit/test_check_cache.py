"""The check cache: unchanged files are not parsed again, and the cache never changes a verdict."""

from __future__ import annotations

import io
import shutil

import pytest

from policy_handbook import cli, loader
from policy_handbook.check_cache import CheckCache, load_policy_cached


def run_check(policy_dir, cache_dir, use_cache=True):
    out, err = io.StringIO(), io.StringIO()
    status = cli.check(policy_dir, out=out, err=err, cache_dir=cache_dir, use_cache=use_cache)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / "_build" / "check-cache"


def parsed_files(monkeypatch):
    """The files the loader really parses from now on (not taken from the cache)."""
    parsed: list[str] = []
    real = loader.read_file

    def spy(raw, file, schema_path, sources):
        parsed.append(file)
        return real(raw, file, schema_path, sources)

    monkeypatch.setattr(loader, "read_file", spy)
    return parsed


def test_a_second_check_parses_only_the_edited_file(minimal_policy, cache_dir, monkeypatch):
    assert run_check(minimal_policy.dir, cache_dir)[0] == 0
    parsed = parsed_files(monkeypatch)
    # a clause's wording (renaming the municipality would warn about the comparison's summaries)
    minimal_policy.edit("south.yaml", "情報発信を強化する。", "情報発信をさらに強化する。")
    status, out, _ = run_check(minimal_policy.dir, cache_dir)
    assert status == 0 and "policy OK" in out
    assert parsed == ["policy/south.yaml"]


def test_the_cached_policy_is_the_parsed_policy(minimal_policy, cache_dir):
    cold = loader.load_policy(minimal_policy.dir)
    load_policy_cached(minimal_policy.dir, cache_dir)
    warm, cache = load_policy_cached(minimal_policy.dir, cache_dir)
    assert cache.misses == 0 and cache.hits == len(cold.files)
    assert warm.guidelines == cold.guidelines and warm.comparison == cold.comparison and warm.topics == cold.topics


def test_a_broken_file_fails_although_its_good_version_is_cached(minimal_policy, cache_dir):
    assert run_check(minimal_policy.dir, cache_dir)[0] == 0
    minimal_policy.edit("south.yaml", "level: section", "level: chapter")
    cold = run_check(minimal_policy.dir, cache_dir, use_cache=False)
    warm = run_check(minimal_policy.dir, cache_dir)
    assert cold[0] == warm[0] == 1
    assert warm[2] == cold[2] and "policy/south.yaml:" in warm[2]  # the same messages, located


def test_a_cross_file_problem_is_found_with_every_file_cached(minimal_policy, cache_dir):
    """A clause removed from the comparison: each file is fine alone, the check still fails."""
    assert run_check(minimal_policy.dir, cache_dir)[0] == 0
    minimal_policy.edit("comparison.yaml", "        south: [south-1-p1]\n", "")
    cold = run_check(minimal_policy.dir, cache_dir, use_cache=False)
    warm = run_check(minimal_policy.dir, cache_dir)
    assert warm[0] == 1 and warm[2] == cold[2]
    assert "policy/south.yaml:" in warm[2] and "south-1-p1 is not in the comparison" in warm[2]


def test_a_broken_file_restored_passes_again(minimal_policy, cache_dir):
    good = minimal_policy.read("north.yaml")
    minimal_policy.write("north.yaml", good.replace("type: guideline", "type: guidline"))
    assert run_check(minimal_policy.dir, cache_dir)[0] == 1
    minimal_policy.write("north.yaml", good)
    assert run_check(minimal_policy.dir, cache_dir)[0] == 0


def entries(cache_dir):
    return sorted(p for p in cache_dir.iterdir() if p.suffix == ".entry" and p.name != "results.entry")


def test_corrupt_and_foreign_entries_are_ignored(minimal_policy, cache_dir, monkeypatch):
    run_check(minimal_policy.dir, cache_dir)
    files = entries(cache_dir)
    assert len(files) == 5
    # One truncated, one with a flipped byte, one replaced by another file's entry.
    files[0].write_bytes(files[0].read_bytes()[:-10])
    data = bytearray(files[1].read_bytes())
    data[-5] ^= 0xFF
    files[1].write_bytes(bytes(data))
    shutil.copy(files[3], files[2])
    parsed = parsed_files(monkeypatch)
    policy, cache = load_policy_cached(minimal_policy.dir, cache_dir)
    assert cache.ignored == 3 and len(parsed) == 3
    assert policy.guidelines == loader.load_policy(minimal_policy.dir).guidelines


def test_an_entry_that_would_run_code_is_refused(minimal_policy, cache_dir, tmp_path):
    """The payload's checksum matches but it unpickles something other than the model."""
    import hashlib
    import os
    import pickle

    from policy_handbook import check_cache

    run_check(minimal_policy.dir, cache_dir)
    target = entries(cache_dir)[0]
    head = target.read_bytes().split(b"\n", 2)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return os.system, (f"touch {marker}",)

    payload = pickle.dumps(("guideline", Evil()))
    target.write_bytes(check_cache.MAGIC + head[1] + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    _, cache = load_policy_cached(minimal_policy.dir, cache_dir)
    assert cache.ignored == 1 and not marker.exists()


def test_a_schema_change_invalidates_every_entry(minimal_policy, cache_dir, tmp_path, monkeypatch):
    run_check(minimal_policy.dir, cache_dir)
    # The check validates with the packaged schema only (never the folder's copy for editors).
    changed = tmp_path / "policy.schema.json"
    changed.write_text(
        loader.DEFAULT_SCHEMA.read_text(encoding="utf-8").replace('"maxLength": 80', '"maxLength": 5'),
        encoding="utf-8",
    )
    monkeypatch.setattr(loader, "DEFAULT_SCHEMA", changed)
    status, _, err = run_check(minimal_policy.dir, cache_dir)
    assert status == 1 and "policy/north.yaml:" in err, err  # its IDs are longer than 5 characters now


def test_an_unwritable_cache_only_costs_time(minimal_policy, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    status, out, _ = run_check(minimal_policy.dir, blocker / "cache")
    assert status == 0 and "policy OK" in out


def test_warnings_of_a_cached_file_are_exactly_a_cold_checks_without_parsing_it(minimal_policy, cache_dir, monkeypatch):
    """A warning does not send the check back to parsing every file: the cached guideline's
    own warnings are kept with it, at their line and column."""
    minimal_policy.edit("south.yaml", "情報発信を強化する。", "情報発信を強化しなければならない。")
    cold = run_check(minimal_policy.dir, cache_dir, use_cache=False)
    assert cold[0] == 0 and "policy/south.yaml:21:" in cold[2] and "house rules for modality" in cold[2]
    run_check(minimal_policy.dir, cache_dir)
    parsed = parsed_files(monkeypatch)
    warm = run_check(minimal_policy.dir, cache_dir)
    assert warm == cold and parsed == []


@pytest.mark.parametrize(
    "edit",
    [
        # the glossary gains a term the unchanged guidelines use without its English
        (
            "glossary.yaml",
            "  - id: administrator\n",
            "  - id: opinion\n    term: {ja: 意見, en: opinion}\n    definition: {ja: 市民の意見。, en: A resident's opinion.}\n  - id: administrator\n",
        ),
        # the published text now prints the department that north marks editorial, or stops printing it
        ("sources/north.txt", "北市ソーシャルメディア指針", "北市ソーシャルメディア指針\n広報課"),
    ],
    ids=["glossary", "source"],
)
def test_a_guidelines_cached_results_follow_the_files_they_depend_on(minimal_policy, cache_dir, edit):
    """The guideline file is unchanged, but its warnings depend on the glossary and on its source."""
    assert run_check(minimal_policy.dir, cache_dir) == run_check(minimal_policy.dir, cache_dir, use_cache=False)
    before = run_check(minimal_policy.dir, cache_dir)
    minimal_policy.edit(*edit)
    cold = run_check(minimal_policy.dir, cache_dir, use_cache=False)
    warm = run_check(minimal_policy.dir, cache_dir)
    assert warm == cold and cold[2] != before[2], cold


def test_a_problem_inside_a_cached_file_is_located_as_by_a_cold_check(minimal_policy, cache_dir, monkeypatch):
    """The comparison names a clause with a typo: the problem points into the cached comparison
    file at its exact line and column, and only that file is parsed again to find them. The
    edited file is parsed, built and its parse tree dropped like a cached file's (memory), so
    the problem located in it parses it once more."""
    assert run_check(minimal_policy.dir, cache_dir)[0] == 0
    minimal_policy.edit("south.yaml", "id: south-1-p1", "id: south-1-p9")
    cold = run_check(minimal_policy.dir, cache_dir, use_cache=False)
    parsed = parsed_files(monkeypatch)
    warm = run_check(minimal_policy.dir, cache_dir)
    assert warm[0] == 1 and warm == cold and "policy/comparison.yaml:" in warm[2]
    assert sorted(parsed) == ["policy/comparison.yaml", "policy/south.yaml", "policy/south.yaml"]


def test_a_pair_files_kept_result_follows_its_guidelines(minimal_policy, cache_dir):
    """comparisons/south.yaml is unchanged, but the clause it puts in a row is renamed in
    south.yaml: the pair's kept "no problems" must not hide the unknown clause."""
    from test_pairs import with_pair

    with_pair(minimal_policy)
    assert run_check(minimal_policy.dir, cache_dir)[0] == 0
    assert run_check(minimal_policy.dir, cache_dir)[0] == 0  # the pair's result is kept now
    minimal_policy.edit("south.yaml", "id: south-2\n", "id: south-3\n")
    minimal_policy.edit("comparison.yaml", "south: [south-2]", "south: [south-3]")
    cold = run_check(minimal_policy.dir, cache_dir, use_cache=False)
    warm = run_check(minimal_policy.dir, cache_dir)
    assert warm == cold and warm[0] == 1
    assert "policy/comparisons/south.yaml:" in warm[2] and "unknown clause 'south-2'" in warm[2]


def test_old_entries_are_pruned(minimal_policy, cache_dir):
    cache = CheckCache(cache_dir)
    for n in range(40):
        cache._write(f"{n:064x}", ("glossary", ()))
    run_check(minimal_policy.dir, cache_dir)
    assert len(entries(cache_dir)) == 5


def test_kept_results_follow_the_national_code_list(monkeypatch):
    """A guideline's lg_code was checked against data/lg_codes.csv: a new list (a merger, a
    renamed town) must check it again, as a new version of the checks' code would."""
    from pathlib import Path

    from policy_handbook import check_cache

    before = check_cache._checks_fingerprint()
    real = Path.read_bytes

    def new_list(path):
        data = real(path)
        return data.replace("筑後市".encode(), "筑後町".encode()) if path.name == "lg_codes.csv" else data

    monkeypatch.setattr(Path, "read_bytes", new_list)
    assert check_cache._checks_fingerprint() != before
