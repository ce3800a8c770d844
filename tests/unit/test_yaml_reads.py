"""A policy file is read only as a regular file (review of issue 23): one swapped for a FIFO
between the listing and the read is refused at once, never waited for."""

from __future__ import annotations

import os

import pytest

from policy_handbook import loader, yamlio


def test_a_fifo_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "north.yaml"
    os.mkfifo(fifo)  # opened for reading, a FIFO blocks until a writer comes: none will
    with pytest.raises(OSError, match="not a regular file"):
        yamlio.read_bytes(fifo)
    assert loader._peek_type(fifo) == ""  # the broken file's type is guessed the same way


def test_a_regular_file_is_read_up_to_the_limit(tmp_path):
    path = tmp_path / "north.yaml"
    path.write_bytes(b"type: guideline\n" + b"#" * 100)
    assert yamlio.read_bytes(path, 10) == b"type: guid"
    assert loader._peek_type(path) == "guideline"
