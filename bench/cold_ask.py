"""Time a cold `qa ask`: a new process each time, as a user at a shell runs it.

Run: .venv/bin/python bench/cold_ask.py [--runs N]   (default 7). One untimed run first fills the
data directory's caches (passages, entities, vectors); then each question is asked N times, each
in a new `qa` process, and the table gives the minimum, median and maximum wall time. Prints the
load average before and after, since other work on the machine inflates every figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS = {
    "fact (when)": "when were poverty counties fully covered",
    "fact (how many)": "how many national poverty-relief counties were covered",
    "explanatory": "What are the main obstacles holding back rural e-commerce?",
    "abstains": "What is the population of Shanghai?",
}


def ask(qa: Path, question: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(qa), "ask", question, "--k", "5"], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    qa = Path(sys.executable).parent / "qa"
    with tempfile.TemporaryDirectory(prefix="qa-cold-") as data:
        env = {**os.environ, "QA_DATA_DIR": data}
        print(f"load average before: {os.getloadavg()[0]:.2f}; first run (fills the caches): ", end="")
        print(f"{ask(qa, QUESTIONS['fact (when)'], env):.2f} s\n")
        print("| question | min s | median s | max s |")
        print("|---|---|---|---|")
        for label, question in QUESTIONS.items():
            times = [ask(qa, question, env) for _ in range(args.runs)]
            print(f"| {label} | {min(times):.2f} | {statistics.median(times):.2f} | {max(times):.2f} |")
        print(f"\nload average after: {os.getloadavg()[0]:.2f}; {args.runs} runs each, a new process each")


if __name__ == "__main__":
    main()
