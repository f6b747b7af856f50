"""Kill `qa add` with SIGKILL at random moments; check that what is left loads and heals.

Run: .venv/bin/python bench/kill_add.py [--files 300] [--rounds 10] [--seed 16]

Each round adds ``--files`` small generated Markdown files with ``qa add`` in a subprocess, into
a fresh data directory (QA_DATA_DIR), and kills it with SIGKILL at a random moment while it
writes. Then it checks that

* the directory loads: ``Store.build(write=False)`` (a pure read, which clears nothing) returns
  every document file found in documents/, and each of them parses (writes are atomic);
* the next ``qa add`` (one more file) succeeds, and afterwards no temporary file of the
  project's pattern (``.<name>.<8 characters>.tmp``, see qa/store/passages.py) is left anywhere.

Prints a Markdown table, one row per round; exit status 1 if any round failed.
tests/test_nothing_lost.py runs the same rounds on a few files.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.documents.corpus import document_from_text  # noqa: E402
from qa.documents.models import QAError  # noqa: E402
from qa.store.directory import Store  # noqa: E402
from qa.store.passages import TEMP_RE  # noqa: E402


@dataclass(frozen=True)
class Round:
    """What one killed ``qa add`` left, and whether the directory loaded and healed."""

    delay: float  # seconds after documents/ appeared that the kill was sent
    exit_code: int | None  # -9 when killed; 0 if the add had already finished
    stored: int  # document files in documents/ after the kill
    temps_after_kill: int  # temporary files left by the kill
    loaded: int  # documents Store.build(write=False) returned
    unparsable: int  # document files that do not parse (0: every write was atomic)
    next_add_exit: int
    temps_after_next_add: int
    searchable_after: int  # documents of the data directory after the next add

    @property
    def ok(self) -> bool:
        """The directory loaded, every stored file parses, and the next add healed it."""
        return (
            self.loaded == self.stored
            and self.unparsable == 0
            and self.next_add_exit == 0
            and self.temps_after_next_add == 0
            and self.searchable_after == self.stored + 1
        )


def make_inputs(folder: Path, n: int) -> Path:
    """``n`` small Markdown files under ``folder``/in; returns that folder."""
    inputs = folder / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        day = f"2024-01-{i % 28 + 1:02d}"
        text = f"---\ntitle: Note {i}\ndate: {day}\n---\n\nNote {i} says word{i} rose {i % 17}%.\n"
        (inputs / f"note{i:03d}.md").write_text(text, encoding="utf-8")
    return inputs


def temp_files(data: Path) -> list[Path]:
    """Every file under ``data`` named like a temporary file of qa/store/passages.py's write_atomic."""
    return [p for p in data.rglob("*") if TEMP_RE.match(p.name)]


def _qa(*args: str, data: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QA_DATA_DIR": str(data)}
    env.pop("QA_NO_SHIPPED", None)
    command = [sys.executable, "-m", "qa", *args]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _unparsable(docs_dir: Path) -> int:
    bad = 0
    for path in docs_dir.glob("*.md") if docs_dir.is_dir() else []:
        try:
            document_from_text(path.read_text(encoding="utf-8"), str(path), path.stem)
        except (OSError, UnicodeDecodeError, QAError):
            bad += 1
    return bad


def kill_round(inputs: Path, data: Path, delay: float, extra: Path, timeout: float = 300) -> Round:
    """Add ``inputs`` into the fresh ``data``; SIGKILL ``delay`` seconds after documents/ appears;
    then load the directory and add ``extra`` (one file) to it."""
    proc = _qa("add", "--no-progress", str(inputs), data=data)
    deadline = time.monotonic() + timeout
    while not (data / "documents").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    exit_code = proc.wait(timeout=timeout)
    docs_dir = data / "documents"
    stored = len(list(docs_dir.glob("*.md"))) if docs_dir.is_dir() else 0
    temps = len(temp_files(data))
    loaded = len(Store(data, include_shipped=False, on_warning=lambda m: None).build(write=False).documents)
    unparsable = _unparsable(docs_dir)
    after = _qa("add", "--no-progress", str(extra), data=data)
    _, err = after.communicate(timeout=timeout)
    if after.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace"))
    searchable = len(Store(data, include_shipped=False, on_warning=lambda m: None).added_documents())
    return Round(
        delay,
        exit_code,
        stored,
        temps,
        loaded,
        unparsable,
        after.returncode,
        len(temp_files(data)),
        searchable,
    )


def full_add_seconds(inputs: Path, data: Path) -> float:
    """How long ``qa add`` of ``inputs`` writes, from documents/ appearing to its exit (not killed)."""
    proc = _qa("add", "--no-progress", str(inputs), data=data)
    while not (data / "documents").exists() and proc.poll() is None:
        time.sleep(0.005)
    start = time.monotonic()
    proc.wait()
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="qa-kill-") as tmp:
        base = Path(tmp)
        inputs = make_inputs(base, args.files)
        extra = base / "extra.md"
        extra.write_text("---\ntitle: Extra\ndate: 2024-02-01\n---\n\nOne more note.\n", encoding="utf-8")
        window = full_add_seconds(inputs, base / "calibrate")
        print(f"qa add of {args.files} files writes for {window:.2f} s (uncut run); kills at random in it\n")
        print(
            "| round | kill after | exit | docs stored | temp files left | loaded | unparsable "
            "| next add exit | temp files after next add | docs after | ok |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--|")
        failed = 0
        for n in range(1, args.rounds + 1):
            r = kill_round(inputs, base / f"round{n}", rng.uniform(0, window), extra)
            failed += not r.ok
            print(
                f"| {n} | {r.delay:.2f} s | {r.exit_code} | {r.stored} | {r.temps_after_kill} | {r.loaded} "
                f"| {r.unparsable} | {r.next_add_exit} | {r.temps_after_next_add} | {r.searchable_after} "
                f"| {'yes' if r.ok else 'NO'} |"
            )
    print(f"\n{args.rounds - failed} of {args.rounds} rounds ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
