"""The ``qa add``, ``qa remove`` and ``qa reindex`` commands: bring your own documents.

Registered on the ``qa`` group by :func:`register`, so the group (qa/cli.py) keeps its options
and this module needs nothing from it but a way to get the data directory's Store.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from qa.documents.ingest import DEFAULT_MAX_BYTES, Overrides
from qa.store.directory import Built, Progress, Store
from qa.store.manifest import AddReport

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb?|mb?|gb?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3}


def parse_size(text: str) -> int:
    """``20MB``, ``500kb``, ``1.5M`` or a number of bytes, as bytes (1 MB = 1,000,000 bytes)."""
    match = _SIZE_RE.match(text)
    if not match:
        raise click.BadParameter(f"{text!r} is not a size (e.g. 20MB, 500KB, 1000000)")
    number, unit = match.groups()
    size = int(float(number) * _UNITS[(unit or "").lower()])
    if size <= 0:
        raise click.BadParameter("the size limit must be above zero")
    return size


class ProgressBars:
    """tqdm bars on stderr, one per stage ("reading" files, "indexing" documents, "sharding" on a
    cluster), with counts."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bars: dict[str, tqdm[Any]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self._bars.get(stage)
        if bar is None:
            unit = {"reading": "file", "sharding": "shard"}.get(stage, "doc")
            bar = self._bars[stage] = tqdm(total=total, desc=stage, unit=unit, file=sys.stderr, leave=True)
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()


def _summary(report: AddReport) -> str:
    counts = [
        f"{len(report.of('added'))} added",
        f"{len(report.of('updated'))} updated",
        f"{len(report.of('duplicate'))} skipped (already present)",
        f"{len(report.of('failed'))} refused",
    ]
    return ", ".join(counts) + f"; index: {report.processed} processed, {report.reused} reused"


def report_to_dict(report: AddReport) -> dict[str, Any]:
    """The JSON form of an add (``qa add --format json``)."""
    return {
        "ok": report.ok,
        "processed": report.processed,
        "reused": report.reused,
        "files": [
            {"file": o.file, "status": o.status, "id": o.doc_id, "message": o.message}
            for o in report.outcomes
        ],
    }


def echo_report(report: AddReport, fmt: str) -> None:
    """Added/updated lines and a summary on stdout; then one line per refused input on stderr."""
    if fmt == "json":
        click.echo(json.dumps(report_to_dict(report), ensure_ascii=False, indent=2))
    else:
        for outcome in report.of("added", "updated"):
            click.echo(outcome.message)
        click.echo(_summary(report))
    for outcome in report.of("duplicate"):
        click.echo(f"qa: skipped: {outcome.message}", err=True)
    for outcome in report.of("failed"):
        click.echo(f"qa: error: {outcome.message}", err=True)


def _no_shards(ctx: click.Context, built: Built | None, progress: Progress | None) -> int:
    return 0


def _no_options(command: Callable[..., Any]) -> Callable[..., Any]:
    return command


def _ignore(ctx: click.Context, address: str | None, shards: int | None) -> None:
    return None


def register(
    cli: click.Group,
    get_store: Callable[[click.Context], Store],
    shard: Callable[[click.Context, Built | None, Progress | None], int] = _no_shards,
    cluster_options: Callable[[Callable[..., Any]], Callable[..., Any]] = _no_options,
    use_cluster: Callable[[click.Context, str | None, int | None], None] = _ignore,
) -> None:
    """Add the document-management commands to the ``qa`` group. ``cluster_options`` adds the
    cluster's options (``--ray``, ``--shards``) to ``add`` and ``reindex``, ``use_cluster`` takes
    their values before the Store is made, and ``shard`` rebuilds the cluster's sharded index
    after the documents changed (returning how many shards; 0 when no cluster is used)."""

    @cli.command()
    @click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--title", help="Title (single file only; wins over the file's own).")
    @click.option("--date", help="Publication date YYYY-MM-DD (single file only).")
    @click.option("--author", help="Author's name (single file only).")
    @click.option("--publisher", help="Publisher or site (single file only).")
    @click.option("--url", help="Where it was published (single file only).")
    @click.option(
        "--max-size",
        default=f"{DEFAULT_MAX_BYTES // 1000**2}MB",
        show_default=True,
        help="Refuse files larger than this (e.g. 500KB, 50MB).",
    )
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.option(
        "--progress/--no-progress", default=None, help="Progress bars on stderr (default: on a terminal)."
    )
    @cluster_options
    @click.pass_context
    def add(
        ctx: click.Context,
        paths: Sequence[Path],
        title: str | None,
        date: str | None,
        author: str | None,
        publisher: str | None,
        url: str | None,
        max_size: str,
        fmt: str,
        progress: bool | None,
        ray_address: str | None = None,
        shards: int | None = None,
    ) -> None:
        """Add files (.txt .md .html .pdf) or folders (recursively) to the data directory.

        Exit status 0 when every file was added or updated; 1 when any was refused or skipped as
        already present (each listed at the end with its reason; the others are still added).
        """
        overrides = Overrides(title, date, author, publisher, url)
        if not overrides.is_empty() and (len(paths) != 1 or paths[0].is_dir()):
            raise click.UsageError(
                "--title, --date, --author, --publisher and --url apply to a single file only"
            )
        use_cluster(ctx, ray_address, shards)
        bars = ProgressBars(sys.stderr.isatty() if progress is None else progress)
        try:
            report = get_store(ctx).add_paths(paths, overrides, parse_size(max_size), progress=bars)
            shard(ctx, None, bars)
        finally:
            bars.close()
        echo_report(report, fmt)
        if not report.ok:
            ctx.exit(1)

    @cli.command()
    @click.argument("doc_id", metavar="ID")
    @click.pass_context
    def remove(ctx: click.Context, doc_id: str) -> None:
        """Remove an added document (by its id, see qa docs) from the data directory."""
        title = get_store(ctx).remove(doc_id)
        click.echo(f"removed {doc_id!r}: {title}")

    @cli.command()
    @click.option(
        "--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal)."
    )
    @cluster_options
    @click.pass_context
    def reindex(
        ctx: click.Context, progress: bool | None, ray_address: str | None = None, shards: int | None = None
    ) -> None:
        """Rebuild the index of the data directory from its documents (nothing is reused)."""
        use_cluster(ctx, ray_address, shards)
        bars = ProgressBars(sys.stderr.isatty() if progress is None else progress)
        try:
            built = get_store(ctx).reindex(progress=bars)
            sharded = shard(ctx, built, bars)
        finally:
            bars.close()
        click.echo(
            f"reindexed {len(built.documents)} documents ({len(built.added)} added), "
            f"{len(built.chunks)} passages; {built.processed} processed"
            + (f"; {sharded} shards on the cluster" if sharded else "")
        )
