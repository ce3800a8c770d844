"""policy_handbook.site.gc_tuning: fewer collector passes, never against a program's own choice."""

from __future__ import annotations

import gc
import sys
from types import SimpleNamespace

import pytest

from policy_handbook.site import gc_tuning


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.14's collector is incremental: left alone by design")
def test_default_thresholds_are_raised_for_the_build(thresholds):
    gc.set_threshold(*gc_tuning.CPYTHON_DEFAULTS)
    assert gc_tuning.tune() is True
    assert gc.get_threshold() == gc_tuning.BUILD_THRESHOLDS


def test_thresholds_a_program_set_itself_are_kept(thresholds):
    gc.set_threshold(500, 5, 5)
    assert gc_tuning.tune() is False
    assert gc.get_threshold() == (500, 5, 5)


def test_turned_off_it_changes_nothing(thresholds):
    gc.set_threshold(*gc_tuning.CPYTHON_DEFAULTS)
    assert gc_tuning.tune(enabled=False) is False
    assert gc.get_threshold() == gc_tuning.CPYTHON_DEFAULTS


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.14's collector is incremental: left alone by design")
def test_long_lived_objects_are_frozen_for_the_build_and_released_after(thresholds):
    gc.set_threshold(*gc_tuning.CPYTHON_DEFAULTS)
    gc_tuning.tune()
    assert gc_tuning.freeze_long_lived() is True
    try:
        assert gc.get_freeze_count() > 0
    finally:
        gc_tuning.unfreeze()
    assert gc.get_freeze_count() == 0


def test_nothing_is_frozen_under_a_program_s_own_thresholds(thresholds):
    gc.set_threshold(500, 5, 5)
    assert gc_tuning.freeze_long_lived() is False
    gc_tuning.unfreeze()
    assert gc.get_freeze_count() == 0


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.14's collector is incremental: left alone by design")
def test_a_build_that_reads_no_page_freezes_nothing(thresholds):
    """A no-op build reads nothing: it skips the full collection a freeze starts with."""
    gc.set_threshold(*gc_tuning.CPYTHON_DEFAULTS)
    gc_tuning.tune()
    app = SimpleNamespace(config=SimpleNamespace(policy_gc_tuning=True))
    gc_tuning._on_before_read_docs(app, None, [])
    assert gc.get_freeze_count() == 0
    gc_tuning._on_before_read_docs(app, None, ["index"])
    try:
        assert gc.get_freeze_count() > 0
    finally:
        gc_tuning.unfreeze()
