"""Time ``ask_all`` (``qa ask --batch``) on one process and on every core.

Run: .venv/bin/python bench/ask_batch.py [N]   (default 200 questions: the gold questions of
tests/gold/questions.yaml, repeated). The engine is the shipped corpus's, built once and warmed
up before the clock starts; prints a Markdown table of questions per second.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.answers import Engine, ask_all

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    gold = yaml.safe_load((ROOT / "tests" / "gold" / "questions.yaml").read_text(encoding="utf-8"))
    asked = [q["question"] for q in gold["questions"]]
    questions = (asked * (n // len(asked) + 1))[:n]
    engine = Engine.from_folder()
    engine.load_models()
    for q in asked:  # warm: every question's candidates embedded once, as a long-lived process has
        engine.ask(q)
    print(f"{n} questions, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}\n")
    print("| workers | seconds | questions/s |\n|---|---|---|")
    for workers in (1, os.cpu_count() or 1):
        start = time.perf_counter()
        answers = list(ask_all(engine, questions, 5, workers=workers))
        took = time.perf_counter() - start
        assert len(answers) == n
        print(f"| {workers} | {took:.2f} | {n / took:.1f} |")


if __name__ == "__main__":
    main()
