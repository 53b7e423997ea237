"""PDF copies through LibreOffice: made when possible, a plain-English problem when not."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pdfplumber
import pytest

from pipeline.render import pdf
from pipeline.render.pdf import PdfProblem, libreoffice_available, to_pdf, to_pdfs
from pipeline.render.record_form import blank_record_path, prefill_record

HERE = Path(__file__).resolve().parent
FAKE = HERE / "data_k" / "fake_soffice.py"
ROOT = HERE.parent.parent

needs_libreoffice = pytest.mark.skipif(
    not libreoffice_available(),
    reason="LibreOffice (soffice) is not installed, so no PDF can be made here",
)


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


@pytest.fixture
def lock_in(tmp_path, monkeypatch):
    """A lock file of the test's own, so tests never wait on another run's conversion."""
    path = tmp_path / "soffice.lock"
    monkeypatch.setattr(pdf, "_lock_path", lambda: path)
    return path


@pytest.fixture
def fake(monkeypatch, tmp_path, lock_in):
    """Swap LibreOffice for fake_soffice.py in a given mode; returns the pid file path."""
    pidfile = tmp_path / "child.pid"

    def use(mode: str) -> Path:
        monkeypatch.setattr(pdf, "find_soffice", lambda: Path(sys.executable))
        monkeypatch.setattr(
            pdf,
            "_command",
            lambda soffice, profile, out, docxs: [
                sys.executable,
                str(FAKE),
                mode,
                str(out),
                str(pidfile),
                *map(str, docxs),
            ],
        )
        return pidfile

    return use


@pytest.fixture
def docx(tmp_path) -> Path:
    target = tmp_path / "Session record 2026-12-01.docx"
    shutil.copyfile(blank_record_path(), target)
    return target


# ---------------------------------------------------------------- with LibreOffice


@pytest.mark.libreoffice
@needs_libreoffice
def test_converts_the_blank_record_form_beside_it_privately(docx):
    made = to_pdf(docx)
    assert made == docx.with_suffix(".pdf")
    assert made.read_bytes().startswith(b"%PDF")
    text = pdf_text(made)
    assert "Family Time Record" in text and "version 2026.1" in text
    if sys.platform != "win32":
        assert os.stat(made).st_mode & 0o077 == 0


@pytest.mark.libreoffice
@needs_libreoffice
def test_prefilled_records_as_a_pack_in_one_run_while_another_thread_waits_its_turn(tmp_path):
    records = []
    for day in (dt.date(2026, 12, 1), dt.date(2026, 12, 8), dt.date(2026, 12, 15)):
        records.append(
            prefill_record(
                tmp_path / f"Session record {day}.docx",
                reference="FT-2026-00001",
                child_names="Test Child Example",
                date=day,
                planned_start=dt.time(10, 0),
                planned_end=dt.time(11, 30),
                venue="Rose Family Centre",
                supervisor="Pat Supervisor-Example",
                family_expected="Jo Sample-Parent",
            )
        )
    results: dict[str, object] = {}

    def convert(key: str, docs: list[Path]) -> None:
        try:
            results[key] = to_pdfs(docs, out_dir=tmp_path / "pdf")
        except Exception as exc:  # noqa: BLE001 - reported by the assert below
            results[key] = exc

    threads = [
        threading.Thread(target=convert, args=("pack", records[:2])),
        threading.Thread(target=convert, args=("one", records[2:])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert all(isinstance(r, list) for r in results.values()), results
    assert [p.name for p in results["pack"]] == [
        "Session record 2026-12-01.pdf",
        "Session record 2026-12-08.pdf",
    ]
    text = pdf_text(results["pack"][1])
    assert "FT-2026-00001" in text and "08/12/2026" in text and "Rose Family Centre" in text
    assert "15/12/2026" in pdf_text(results["one"][0])


def test_documents_with_the_same_name_are_converted_in_separate_runs(fake, docx, monkeypatch):
    fake("pdf")
    other = docx.parent / "copy" / docx.name
    other.parent.mkdir()
    shutil.copyfile(docx, other)
    runs = []
    real_run = pdf._run
    monkeypatch.setattr(
        pdf, "_run", lambda cmd, timeout, name: (runs.append(cmd), real_run(cmd, timeout, name))
    )
    made = to_pdfs([docx, other], timeout=30)
    assert made == [docx.with_suffix(".pdf"), other.with_suffix(".pdf")]
    assert len(runs) == 2 and all(p.is_file() for p in made)


# ---------------------------------------------------------------- problems, in plain English


def test_some_of_a_pack_failing_keeps_the_others_and_names_the_rest(fake, tmp_path):
    fake("first")
    docs = []
    for name in ("Family Time Agreement.docx", "Letter to parent 1.docx"):
        docs.append(tmp_path / name)
        shutil.copyfile(blank_record_path(), docs[-1])
    with pytest.raises(PdfProblem, match="Letter to parent 1.docx. The other PDFs were made"):
        to_pdfs(docs, timeout=30)
    assert (tmp_path / "Family Time Agreement.pdf").is_file()
    assert not (tmp_path / "Letter to parent 1.pdf").exists()
    assert to_pdfs([], timeout=30) == []


def test_missing_libreoffice_is_a_plain_message(monkeypatch, docx):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "_install_candidates", lambda: [Path("/nowhere/soffice")])
    assert pdf.find_soffice() is None
    assert libreoffice_available() is False
    with pytest.raises(PdfProblem, match="LibreOffice is not installed") as exc:
        to_pdf(docx)
    assert "Word document is ready" in str(exc.value)
    assert not docx.with_suffix(".pdf").exists()


def test_missing_document(tmp_path):
    with pytest.raises(PdfProblem, match="nothing.docx was not found"):
        to_pdf(tmp_path / "nothing.docx")


def test_a_hung_conversion_is_stopped_with_its_children(fake, docx):
    pidfile = fake("hang")
    started = time.monotonic()
    with pytest.raises(PdfProblem, match="longer than 1.5 seconds.*stopped"):
        to_pdf(docx, timeout=1.5)
    assert time.monotonic() - started < 20
    assert not docx.with_suffix(".pdf").exists()
    if sys.platform != "win32":
        child = int(pidfile.read_text())
        for _ in range(50):  # the orphan is reaped by init shortly after
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the conversion's child process is still running")


@pytest.mark.parametrize(
    "mode, message", [("nothing", "did not make a PDF"), ("notpdf", "is not a PDF")]
)
def test_no_pdf_or_not_a_pdf_is_refused(fake, docx, mode, message):
    fake(mode)
    with pytest.raises(PdfProblem, match=message):
        to_pdf(docx, timeout=30)
    assert not docx.with_suffix(".pdf").exists()


def test_a_good_result_lands_in_out_dir(fake, docx, tmp_path):
    fake("pdf")
    made = to_pdf(docx, timeout=30, out_dir=tmp_path / "pdfs")
    assert made == tmp_path / "pdfs" / "Session record 2026-12-01.pdf"
    assert made.read_bytes().startswith(b"%PDF")


def test_a_program_that_cannot_start(monkeypatch, docx, tmp_path, lock_in):
    broken = tmp_path / "soffice"
    broken.write_text("not a program")
    monkeypatch.setattr(pdf, "find_soffice", lambda: broken)
    with pytest.raises(PdfProblem, match="could not be started"):
        to_pdf(docx, timeout=10)


def test_waits_for_another_process_and_gives_up_politely(fake, docx, lock_in):
    fake("pdf")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
            "from pipeline.render.pdf import _FileLock; lock = _FileLock(Path(sys.argv[1]));"
            "assert lock.acquire(5); print('locked', flush=True); time.sleep(30)",
            str(lock_in),
            str(ROOT),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(PdfProblem, match="another PDF was still being made"):
            to_pdf(docx, timeout=0.5)
    finally:
        holder.kill()
        holder.wait(timeout=10)
    # once the other process has gone, the lock is free again
    assert to_pdf(docx, timeout=30).is_file()


def test_windows_install_folders_are_looked_in(monkeypatch):
    monkeypatch.setenv("ProgramFiles", r"D:\Apps")
    found = [str(p) for p in pdf._windows_candidates()]
    assert any(
        p.startswith("D:") and p.endswith("soffice.exe") and "LibreOffice" in p for p in found
    )
    assert any("Program Files (x86)" in p for p in found)
