"""The ``qa`` command: ask questions of the corpus from scripts and terminals."""

from __future__ import annotations

import datetime as dt
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import click

from qa.answer import Engine, answer_to_dict
from qa.models import Answer, QAError


def _engine(ctx: click.Context) -> Engine:
    obj: dict[str, Any] = ctx.ensure_object(dict)
    if "engine" not in obj:
        obj["engine"] = Engine.from_folder(obj.get("corpus"))
    engine: Engine = obj["engine"]
    return engine


def format_answer_text(answer: Answer) -> str:
    """Readable result cards for a terminal."""
    lines = [f"Q: {answer.question}"]
    if answer.abstained:
        lines.append(answer.message)
        return "\n".join(lines)
    for hit in answer.hits:
        doc, chunk = hit.document, hit.chunk
        lines.append("")
        lines.append(f"{hit.rank}. {doc.title}")
        lines.append(
            f"   {doc.source or 'source not stated'} · {doc.date.isoformat()} · para. {chunk.paragraph}"
        )
        lines.append(f"   id {chunk.id} · chars {chunk.start}-{chunk.end} · score {hit.score:.3f}")
        lines.extend(
            textwrap.wrap(
                chunk.text, width=88, initial_indent="   ", subsequent_indent="   ", break_on_hyphens=False
            )
        )
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="QA_CORPUS",
    default=None,
    help="Corpus folder of Markdown files (default: the shipped corpus).",
)
@click.version_option(package_name="qa")
@click.pass_context
def cli(ctx: click.Context, corpus: Path | None) -> None:
    """Ask a pile of documents a question; get the passage that answers it, with its source."""
    ctx.ensure_object(dict)["corpus"] = corpus


@cli.command()
@click.argument("question", required=False)
@click.option(
    "--k", "k", default=5, show_default=True, type=click.IntRange(1, 100), help="Number of passages."
)
@click.option("--batch", type=click.File("r", encoding="utf-8"), help="File with one question per line.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default=None,
    help="Output format (default: text, or jsonl with --batch).",
)
@click.option(
    "--doc",
    "doc_ids",
    multiple=True,
    metavar="ID",
    help="Search only this document (repeatable; ids as `qa docs` lists them).",
)
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Only documents dated on or after."
)
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Only documents dated on or before."
)
@click.pass_context
def ask(
    ctx: click.Context,
    question: str | None,
    k: int,
    batch: Any,
    fmt: str | None,
    doc_ids: tuple[str, ...],
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> None:
    """Answer QUESTION (or every line of --batch FILE) with ranked passages."""
    if (question is None) == (batch is None):
        raise click.UsageError("give either a QUESTION or --batch FILE")
    engine = _engine(ctx)
    if batch is not None:
        fmt = fmt or "jsonl"
        questions = [line.strip() for line in batch if line.strip()]
    else:
        fmt = fmt or "text"
        questions = [question or ""]
    for q in questions:
        answer = engine.ask(
            q,
            k=k,
            docs=doc_ids or None,
            since=since.date() if since else None,
            until=until.date() if until else None,
        )
        if fmt == "text":
            click.echo(format_answer_text(answer) + ("\n" if batch is not None else ""))
        elif fmt == "json" and batch is None:
            click.echo(json.dumps(answer_to_dict(answer), ensure_ascii=False, indent=2))
        else:
            click.echo(json.dumps(answer_to_dict(answer), ensure_ascii=False))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def docs(ctx: click.Context, fmt: str) -> None:
    """List the documents of the corpus."""
    engine = _engine(ctx)
    rows = [
        {
            "id": d.id,
            "date": d.date.isoformat(),
            "title": d.title,
            "source": d.source,
            "chunks": len(engine.chunks_of(d.id)),
        }
        for d in engine.documents
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['id']:<28} {r['date']}  {r['chunks']:>4} passages  {r['source'] or '-'}\n    {r['title']}"
        )


def main() -> None:
    """Entry point: project errors become one line on stderr and exit status 1."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except QAError as exc:
        click.echo(f"qa: error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"qa: error: {exc}", err=True)
        sys.exit(1)
