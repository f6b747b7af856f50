"""Odd input on the command line: one clear line and a non-zero exit, never a traceback (issue 16)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from qa.documents.ingest import expand_paths, read_input
from qa.documents.models import CorpusError
from tests.docmaker import make_image_pdf, md

QUESTION = "When were poverty counties fully covered?"
BATCHES = {  # encoding: the questions
    "latin-1": QUESTION + "\nQuelle coopérative a vendu du thé ?\n",
    "utf-16": QUESTION + "\nWho wrote about e-commerce?\n",  # Python writes a BOM first
    "cp1252": "Who said “Internet Plus”?\n" + QUESTION + "\n",
}


@pytest.mark.parametrize("encoding", list(BATCHES))
def test_a_batch_file_in_another_encoding_is_read_like_qa_add_reads_files(
    qa_run: Any, tmp_path: Path, encoding: str
) -> None:
    batch = tmp_path / "questions.txt"
    batch.write_bytes(BATCHES[encoding].encode(encoding))
    code, out, err = qa_run("ask", "--batch", str(batch), "--k", "1")
    assert code == 0, err
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["question"] for a in answers] == BATCHES[encoding].splitlines()
    when = next(a for a in answers if a["question"] == QUESTION)
    assert "2019" in when["hits"][0]["text"]


def test_a_batch_file_of_random_bytes_is_one_line_naming_it(qa_run: Any, tmp_path: Path) -> None:
    batch = tmp_path / "noise.bin"
    batch.write_bytes(bytes(range(256)) * 4)
    code, out, err = qa_run("ask", "--batch", str(batch))
    assert code == 1 and out == ""
    assert err.splitlines() == [f"qa: error: {batch}: binary file, not text (it holds NUL bytes)"]


@pytest.mark.parametrize("option", ["--since", "--until"])
@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-01", "yesterday", "2024-1-5"])
def test_an_impossible_date_is_not_a_date(qa_run: Any, option: str, value: str) -> None:
    code, _out, err = qa_run("ask", QUESTION, option, value)
    assert code == 2
    assert f"Invalid value for '{option}': '{value}' is not a date (expected YYYY-MM-DD)" in err
    assert "format" not in err


def test_a_real_date_still_filters(qa_run: Any) -> None:
    code, out, err = qa_run(
        "ask", QUESTION, "--since", "2024-02-29", "--until", "2024-02-29", "--format", "json"
    )
    assert code == 0, err
    assert all(hit["date"] == "2024-02-29" for hit in json.loads(out)["hits"])


@pytest.mark.parametrize("question", ["", "   ", "\t\n"])
def test_an_empty_question_is_a_usage_error(qa_run: Any, question: str) -> None:
    code, out, err = qa_run("ask", question)
    assert code == 2 and out == ""
    assert "Error: the QUESTION is empty" in err


def test_a_symbolic_link_loop_and_a_broken_link_are_named_as_such(qa_run: Any, tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    broken = tmp_path / "broken.md"
    broken.symlink_to(tmp_path / "gone.md")
    for path, reason in ((loop, "a symbolic link loop"), (broken, "a broken symbolic link to ")):
        code, _out, err = qa_run("add", str(path))
        assert code == 1
        assert err.splitlines() == [f"qa: error: {path}: {reason}" + err.split(reason, 1)[1].rstrip()]
        assert "no such file" not in err
        with pytest.raises(CorpusError, match=reason):
            read_input(path)


def test_a_fifo_or_link_inside_a_folder_is_reported_like_one_given_directly(
    qa_run: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fifo = folder / "pipe.md"
    os.mkfifo(fifo)
    loop = folder / "loop.txt"
    loop.symlink_to(loop)
    (folder / "good.md").write_text(md("Good", "2024-01-01", "Good text."), encoding="utf-8")
    files, errors = expand_paths([folder])
    assert files == [folder / "good.md"]
    assert [str(e) for e in errors] == [
        f"{loop}: a symbolic link loop (the link leads back to itself)",
        f"{fifo}: not a regular file (a named pipe)",
    ]
    code, out, err = qa_run("add", str(folder))
    assert code == 1 and "1 added" in out
    assert f"qa: error: {fifo}: not a regular file (a named pipe)" in err.splitlines()
    code, _out, err = qa_run("add", str(fifo))
    assert code == 1 and err.splitlines() == [f"qa: error: {fifo}: not a regular file (a named pipe)"]


def test_a_one_page_pdf_without_text_says_one_page(qa_run: Any, tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_image_pdf(1))
    code, _out, err = qa_run("add", str(scan))
    assert code == 1
    assert "(1 page of images?)" in err and "pages" not in err
    scan.write_bytes(make_image_pdf(2))
    assert "(2 pages of images?)" in qa_run("add", str(scan))[2]
