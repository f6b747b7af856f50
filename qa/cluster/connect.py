"""Where the cluster is: ``--ray ADDRESS`` or ``$QA_RAY_ADDRESS``, and joining it.

``local`` starts a Ray cluster inside this process (as many CPUs as the machine has); any
other address is a running cluster's (``HOST:PORT`` of its head, ``auto``, or ``ray://HOST:PORT``
for Ray Client). An address nobody answers at is one line of error, not a hang.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from qa.documents.models import QAError

ADDRESS_ENV = "QA_RAY_ADDRESS"
SHARDS_ENV = "QA_SHARDS"
DEFAULT_SHARDS = 2
LOCAL = "local"


def ray_address(given: str | None = None) -> str | None:
    """The cluster to use: ``given``, else ``$QA_RAY_ADDRESS``; None (no Ray at all) when neither."""
    address = (given if given is not None else os.environ.get(ADDRESS_ENV, "")).strip()
    return address or None


def shard_count(given: int | None = None) -> int:
    """How many shards: ``given``, else ``$QA_SHARDS``, else ``DEFAULT_SHARDS``."""
    if given is not None:
        return given
    text = os.environ.get(SHARDS_ENV, "").strip()
    if not text:
        return DEFAULT_SHARDS
    if not text.isdigit() or int(text) < 1:
        raise QAError(f"{SHARDS_ENV}={text!r} is not a number of shards (1 or more)")
    return int(text)


def _reachable(address: str, timeout: float = 3.0) -> None:
    """Refuse at once an address that is no ``HOST:PORT``, or where nothing listens."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise QAError(f"Ray address {address!r} is not HOST:PORT, ray://HOST:PORT, auto or local")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise QAError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}") from None


def connect(address: str) -> None:
    """Join the cluster at ``address`` (or start a local one), once per process."""
    try:
        import ray
    except ImportError:
        raise QAError(
            "--ray needs Ray: install qa with the cluster extra (pip install 'qa[cluster]')"
        ) from None
    if ray.is_initialized():
        keep_stdout_clean()
        return
    if address == LOCAL:
        ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
    else:
        if address != "auto":
            _reachable(address.removeprefix("ray://"))
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise QAError(f"cannot join the Ray cluster at {address}: {str(exc).splitlines()[0]}") from None
    keep_stdout_clean()


def keep_stdout_clean() -> None:
    """Send the cluster's own messages (a raylet's warnings, a worker's death) to stderr: Ray's
    driver prints them on stdout, where ``qa ask --format json`` writes its answer. Uses the
    driver's printing hook of the pinned Ray (2.60); left as it is if that hook is not there."""
    from ray._private import worker

    original = getattr(worker, "print_to_stdstream", None)
    if original is None or getattr(original, "_qa_stderr", False):
        return

    def to_stderr(data: dict[str, Any], ignore_prefix: bool) -> None:
        original({**data, "is_err": True}, ignore_prefix)

    to_stderr._qa_stderr = True  # type: ignore[attr-defined]
    worker.print_to_stdstream = to_stderr
