"""Without a Ray setting nothing of Ray is imported; with a bad one, one line of error."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from tests.conftest import ROOT

NO_RAY = """
import sys
import qa
engine = qa.Engine.from_store(qa.Store())
answer = engine.ask("When did the rural demonstration begin?")
assert answer.hits, answer
from qa.cli import main
sys.argv = ["qa", "ask", "--format", "json", "When did the rural demonstration begin?"]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
loaded = sorted(m for m in sys.modules if m == "ray" or m.startswith("ray."))
print("RAY MODULES:", loaded, file=sys.stderr)
assert not loaded, loaded
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_RAY") and k != "QA_SHARDS"}
    return {**env, **extra}


def test_no_ray_setting_imports_nothing_of_ray() -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_RAY], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "RAY MODULES: []" in done.stderr
    assert '"question": "When did the rural demonstration begin?"' in done.stdout


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again on leaving: nothing listens there


def test_an_unreachable_cluster_is_one_line_and_exit_1() -> None:
    port = _closed_port()
    for args, env in (
        (["--ray", f"127.0.0.1:{port}"], _env()),
        ([], _env(QA_RAY_ADDRESS=f"127.0.0.1:{port}")),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "qa", "ask", *args, "what is tea?"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith(f"qa: error: cannot reach the Ray cluster at 127.0.0.1:{port}")


def test_a_malformed_address_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qa", "ask", "--ray", "nowhere", "what is tea?"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "qa: error: Ray address 'nowhere' is not HOST:PORT, ray://HOST:PORT, auto or local"
    )
