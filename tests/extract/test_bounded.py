"""Bounded reading: a read that runs past the limit is stopped and the file set aside with a
reason a person can act on; an ordinary read says exactly what the reader says, through one
worker process reused from file to file. The slow and dying readers are small modules written
here and imported by the (spawned) worker, never patched into this process."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.extract import bounded, extract_file
from pipeline.extract.bounded import extract_bounded

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCX = FIXTURES / "forms" / "referral-complete.docx"

READERS = """
import os, time
def sleepy(path, profile=None):
    time.sleep(60)
def dies(path, profile=None):
    os._exit(3)
def raises(path, profile=None):
    raise RuntimeError("a reader bug")
"""


@pytest.fixture
def test_readers(tmp_path, monkeypatch):
    """A module of misbehaving readers the worker can import (a fresh worker, so that it
    starts with this test's import path)."""
    (tmp_path / "ft_test_readers.py").write_text(READERS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    bounded.close()
    yield "ft_test_readers"
    bounded.close()


def test_an_ordinary_read_is_the_readers_answer_and_reuses_the_worker():
    first = extract_bounded(DOCX)
    pid = bounded._worker.process.pid
    second = extract_bounded(FIXTURES / "email" / "referral-with-agreement.eml")
    assert first == extract_file(DOCX)
    assert first.form.status == "current" and first.fields
    assert second.attachments  # the email's attachments were read too
    assert bounded._worker.process.pid == pid  # no new process per file


def test_a_read_past_the_limit_is_stopped_with_a_plain_reason(test_readers):
    start = time.perf_counter()
    result = extract_bounded(DOCX, limit=1.5, reader=f"{test_readers}:sleepy")
    elapsed = time.perf_counter() - start
    assert elapsed < 10  # not the reader's 60 seconds
    assert result.file == DOCX.name
    assert result.form.status == "unreadable"
    assert "took too long to read (over 1.5 seconds)" in result.form.reason
    assert "save it again as a PDF or Word document" in result.form.reason
    # The stuck worker was killed; the next file is read by a new one.
    assert extract_bounded(DOCX).form.status == "current"


def test_a_worker_that_dies_leaves_an_unreadable_file_and_a_working_reader(test_readers):
    result = extract_bounded(DOCX, reader=f"{test_readers}:dies")
    assert result.form.status == "unreadable"
    assert "the reader stopped while opening it" in result.form.reason
    assert extract_bounded(DOCX).form.status == "current"


def test_a_reader_that_raises_gives_an_unreadable_file(test_readers):
    result = extract_bounded(DOCX, reader=f"{test_readers}:raises")
    assert result.form.status == "unreadable"
    assert "unexpected problem in the reader" in result.form.reason
