"""The ``qa`` command: ask questions of the corpus from scripts and terminals."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qa.answers import Engine, ask_all
from qa.answers.jsonform import answer_to_dict
from qa.cite.cards import add_citations, citation_to_dict, format_answer_text, format_citation
from qa.cite.styles import MAX_QUOTE, STYLES, cite_hit, cite_id
from qa.documents.formats import decode_text
from qa.documents.models import Hit, QAError
from qa.search.index import DEFAULT_ENGINE, ENGINES
from qa.store.directory import Built, Progress, Store
from qa.store.manage import register


class DateType(click.ParamType[dt.date, Any]):
    """A calendar date written YYYY-MM-DD; anything else is "not a date", as ``qa add --date`` says."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        self.fail(f"{text!r} is not a date (expected YYYY-MM-DD)", param, ctx)


def read_questions(batch: Any) -> list[str]:
    """The non-blank lines of a --batch file, decoded as ``qa add`` decodes text (UTF-8, a BOM's
    encoding, or a detected one); a file that is not text is a QAError naming it."""
    name = getattr(batch, "name", "-")
    data: bytes = batch.read()
    text, _encoding = decode_text(data, "standard input" if name == "-" else str(name))
    return [line.strip() for line in text.splitlines() if line.strip()]


def _engine(ctx: click.Context) -> Engine:
    obj: dict[str, Any] = ctx.ensure_object(dict)
    if "engine" not in obj:
        built = _store(ctx).build()
        obj["added"] = built.added
        obj["engine"] = Engine.from_built(
            built, _store(ctx), obj.get("bm25", DEFAULT_ENGINE), obj.get("ray"), obj.get("shards")
        )
    engine: Engine = obj["engine"]
    return engine


def _store(ctx: click.Context) -> Store:
    obj: dict[str, Any] = ctx.ensure_object(dict)
    if "store" not in obj:
        prepare = None
        if obj.get("ray"):  # documents are prepared by tasks on the cluster
            from qa.cluster import connect, prepare_on_cluster

            connect(obj["ray"])
            prepare = prepare_on_cluster
        obj["store"] = Store(
            obj.get("data_dir"),
            shipped=obj.get("corpus"),
            include_shipped=not obj.get("no_shipped"),
            on_warning=lambda message: click.echo(f"qa: warning: {message}", err=True),
            prepare=prepare,
        )
    store: Store = obj["store"]
    return store


def _shard(ctx: click.Context, built: Built | None, progress: Progress | None) -> int:
    """After ``qa add``/``qa reindex --ray``: the data directory's sharded index rebuilt on the
    cluster (per-shard indexes, then the global statistics); the number of shards, 0 without Ray."""
    obj: dict[str, Any] = ctx.ensure_object(dict)
    if not obj.get("ray"):
        return 0
    from qa.cluster import build_sharded, drop_unfinished, shard_count

    store = _store(ctx)
    with store.locked():
        built = built or store.build(vectors=False)
        drop_unfinished(store.cluster_dir)
        _, stats = build_sharded(
            built.chunks, built.tokens, shard_count(obj.get("shards")), store.cluster_dir, progress
        )
    return len(stats.bounds)


def ray_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--ray ADDRESS`` and ``--shards N`` (qa ask, add, reindex)."""
    command = click.option(
        "--shards",
        type=click.IntRange(1),
        envvar="QA_SHARDS",
        default=None,
        help="With --ray: split the index into N shards (default 2).",
    )(command)
    return click.option(
        "--ray",
        "ray_address",
        envvar="QA_RAY_ADDRESS",
        default=None,
        metavar="ADDRESS",
        help="Search on a Ray cluster: its address (HOST:PORT, ray://HOST:PORT, auto) or 'local'.",
    )(command)


def _use_ray(ctx: click.Context, address: str | None, shards: int | None) -> None:
    obj: dict[str, Any] = ctx.ensure_object(dict)
    address = (address or "").strip() or None
    obj.update(ray=address, shards=shards)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="QA_CORPUS",
    default=None,
    help="Corpus folder of Markdown files (default: the shipped corpus).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="QA_DATA_DIR",
    default=None,
    help="Where added documents and the index live (default: a per-user data directory).",
)
@click.option(
    "--no-shipped",
    is_flag=True,
    envvar="QA_NO_SHIPPED",
    help="Search only the added documents, not the shipped corpus.",
)
@click.version_option(package_name="qa")
@click.pass_context
def cli(ctx: click.Context, corpus: Path | None, data_dir: Path | None, no_shipped: bool) -> None:
    """Ask a pile of documents a question; get the passage that answers it, with its source."""
    ctx.ensure_object(dict)["corpus"] = corpus
    ctx.obj.update(data_dir=data_dir, no_shipped=no_shipped)


@cli.command()
@click.argument("question", required=False)
@click.option(
    "--k", "k", default=5, show_default=True, type=click.IntRange(1, 100), help="Number of passages."
)
@click.option("--batch", type=click.File("rb"), help="File with one question per line.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default=None,
    help="Output format (default: text, or jsonl with --batch).",
)
@click.option(
    "--cite",
    "cite_styles",
    multiple=True,
    type=click.Choice(STYLES),
    help='Cite each result in this style (repeatable); JSON hits gain "citations".',
)
@click.option(
    "--doc",
    "doc_ids",
    multiple=True,
    metavar="ID",
    help="Search only this document (repeatable; ids as `qa docs` lists them).",
)
@click.option("--since", type=DateType(), default=None, help="Only documents dated on or after.")
@click.option("--until", type=DateType(), default=None, help="Only documents dated on or before.")
@click.option(
    "--engine",
    "bm25",
    type=click.Choice(ENGINES),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="BM25 engine: fast (compressed postings, pruned top-k) or rank-bm25 (the reference); same scores.",
)
@ray_options
@click.pass_context
def ask(
    ctx: click.Context,
    question: str | None,
    k: int,
    batch: Any,
    fmt: str | None,
    doc_ids: tuple[str, ...],
    since: dt.date | None,
    until: dt.date | None,
    cite_styles: tuple[str, ...] = (),
    bm25: str = DEFAULT_ENGINE,
    ray_address: str | None = None,
    shards: int | None = None,
) -> None:
    """Answer QUESTION (or every line of --batch FILE) with ranked passages."""
    if (question is None) == (batch is None):
        raise click.UsageError("give either a QUESTION or --batch FILE")
    if question is not None and not question.strip():
        raise click.UsageError("the QUESTION is empty: ask something, e.g. qa ask 'who wrote about tea?'")
    questions = read_questions(batch) if batch is not None else []
    ctx.ensure_object(dict)["bm25"] = bm25
    _use_ray(ctx, ray_address, shards)
    engine = _engine(ctx)
    if batch is not None:
        fmt = fmt or "jsonl"
    else:
        fmt = fmt or "text"
        questions = [question or ""]

    def under(hit: Hit) -> list[str]:
        return [line for s in cite_styles for line in ["", *format_citation(cite_hit(hit, s), "   ")]]

    for answer in ask_all(engine, questions, k, docs=doc_ids or None, since=since, until=until):
        if fmt == "text":
            text = format_answer_text(answer, under if cite_styles else None)
            click.echo(text + ("\n" if batch is not None else ""))
        elif fmt == "json" and batch is None:
            click.echo(
                json.dumps(
                    add_citations(answer_to_dict(answer), answer, cite_styles), ensure_ascii=False, indent=2
                )
            )
        else:
            click.echo(
                json.dumps(add_citations(answer_to_dict(answer), answer, cite_styles), ensure_ascii=False)
            )


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def docs(ctx: click.Context, fmt: str) -> None:
    """List the documents of the corpus."""
    engine = _engine(ctx)
    added = ctx.obj.get("added", frozenset())
    rows = [
        {
            "id": d.id,
            "date": d.date.isoformat(),
            "title": d.title,
            "source": d.source,
            "chunks": len(engine.chunks_of(d.id)),
            "added": d.id in added,
        }
        for d in engine.documents
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['id']:<28} {r['date']}  {r['chunks']:>4} passages  {r['source'] or '-'}"
            + ("  [added]" if r["added"] else "")
            + f"\n    {r['title']}"
        )


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", default="all", show_default=True, help="dev, test, blind1, blind2 ... or all")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--min",
    "minimums",
    multiple=True,
    metavar="METRIC=VALUE",
    help="Fail (exit 1) when METRIC is below VALUE; max_false_abstentions=N and "
    "max_false_answers=N bound those counts. Repeatable.",
)
@click.option("--sample", type=click.IntRange(2), default=None, help="SQuAD: N questions, half unanswerable.")
@click.option("--seed", type=int, default=0, show_default=True, help="SQuAD: the seed of --sample.")
@click.pass_context
def eval_cmd(
    ctx: click.Context,
    gold: Path,
    split: str,
    fmt: str,
    minimums: tuple[str, ...],
    sample: int | None,
    seed: int,
) -> None:
    """Measure answers against a GOLD question set: YAML (see tests/gold/questions.yaml), or a SQuAD 2.0
    JSON file, asked of its own articles only (see docs/evaluation.md)."""
    from qa.evaluation.gold import below_floors, evaluate, format_report, load_gold
    from qa.evaluation.squad import evaluate_squad, is_squad, load_squad
    from qa.evaluation.squad import sample as draw

    if is_squad(gold):
        if split != "all":
            raise click.UsageError(f"{gold}: a SQuAD file has no splits; use --sample N --seed S")
        documents, questions = load_squad(gold)
        asked = draw(questions, sample, seed) if sample else questions
        report = evaluate_squad(Engine(documents, engine=ctx.obj.get("bm25", DEFAULT_ENGINE)), asked)
        split, count = (f"sample {sample}, seed {seed}" if sample else "all"), len(asked)
    else:
        if sample:
            raise click.UsageError("--sample is for SQuAD files; a YAML gold set has --split")
        picked = [q for q in load_gold(gold) if split in ("all", q.split)]
        if not picked:
            raise click.UsageError(f"{gold}: no questions in split {split!r}")
        report, count = evaluate(_engine(ctx), picked), len(picked)
    if fmt == "json":
        click.echo(json.dumps({"split": split, **report.as_dict()}, indent=2))
    else:
        click.echo(format_report(report, f"{gold} ({split}, {count} questions)"))
    try:
        problems = below_floors(report, minimums)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if problems:
        raise QAError("quality below threshold: " + "; ".join(problems))


@cli.command("cite")
@click.argument("passage_id")
@click.option("--style", type=click.Choice(STYLES), default="apa", show_default=True, help="Citation style.")
@click.option(
    "--sentence", type=click.IntRange(1), default=None, help="Quote this sentence of the passage (1-based)."
)
@click.option(
    "--max-quote",
    type=click.IntRange(0),
    default=MAX_QUOTE,
    show_default=True,
    help="Cut longer quotes at a word boundary with an ellipsis (0: never).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def cite_command(
    ctx: click.Context, passage_id: str, style: str, sentence: int | None, max_quote: int, fmt: str
) -> None:
    """Cite passage PASSAGE_ID (an id from `qa ask`, such as annual-report:4)."""
    c = cite_id(_engine(ctx), passage_id, style, max_quote, sentence)
    if fmt == "json":
        click.echo(json.dumps(citation_to_dict(c), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(format_citation(c)))


register(cli, _store, _shard, ray_options, _use_ray)  # qa add / remove / reindex (qa/store/manage.py)


def main() -> None:
    """Entry point: project errors become one line on stderr and exit status 1."""
    try:
        code = cli.main(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
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
