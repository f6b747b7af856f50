"""`qa eval`: measure ranking, best sentences, short answers and abstention on a gold question set.

Ranking metrics (recall@k as the share of questions whose answering passage is in the top k,
MRR@10, nDCG@10) are computed by ``ir_measures`` (Success@k, RR@10, nDCG@10), not by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qa.answers import Engine
from qa.documents.models import Answer, QAError

RANKING = {"recall@1": "Success@1", "recall@3": "Success@3", "recall@5": "Success@5",
           "mrr@10": "RR@10", "ndcg@10": "nDCG@10"}  # fmt: skip


@dataclass(frozen=True)
class GoldQuestion:
    """One entry of the gold set."""

    id: str
    question: str
    split: str
    answerable: bool
    doc: str = ""
    key: str = ""
    answers: tuple[str, ...] = ()
    kind: str = ""
    #: other passages found, on review, to answer as fully: (doc, key) each
    also: tuple[tuple[str, str], ...] = ()

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        """Every (doc, key phrase) that answers: the entry's own, then those of ``also``."""
        return ((self.doc, self.key), *self.also)


@dataclass
class Report:
    """Metrics and failures of one evaluation run."""

    metrics: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"metrics": self.metrics, "counts": self.counts, "failures": self.failures}


def load_gold(path: Path) -> list[GoldQuestion]:
    """Read and check a gold YAML file; errors name the file and the entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QAError(f"{path}: cannot read gold set: {str(exc).splitlines()[0]}") from None
    entries = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise QAError(f"{path}: expected a mapping with a 'questions' list")
    out = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not e.get("id") or not e.get("question"):
            raise QAError(f"{path}: entry {i + 1} needs an id and a question")
        answerable = bool(e.get("answerable", True))
        if answerable and not (e.get("doc") and e.get("key")):
            raise QAError(f"{path}: {e['id']}: an answerable entry needs doc and key")
        raw = e.get("answer")
        answers = tuple(str(a) for a in raw) if isinstance(raw, list) else ((str(raw),) if raw else ())
        also = e.get("also") or []
        if not isinstance(also, list) or not all(
            isinstance(a, dict) and a.get("doc") and a.get("key") for a in also
        ):
            raise QAError(f"{path}: {e['id']}: 'also' must be a list of entries with doc and key")
        out.append(
            GoldQuestion(str(e["id"]), str(e["question"]), str(e.get("split", "dev")), answerable,
                         str(e.get("doc", "")), str(e.get("key", "")), answers, str(e.get("kind", "")),
                         tuple((str(a["doc"]), str(a["key"])) for a in also))
        )  # fmt: skip
    return out


#: Words in front of a figure that key writers keep or drop at will ("exceeding 20 million units"
#: is the same fact as "20 million units"): ignored on both sides of the comparison.
_QUALIFIER = re.compile(
    r"^(about|around|roughly|approximately|nearly|almost|over|more than|exceeding|up to|not less than"
    r"|no less than|at least)\s+(?=\d)"
)


def normalise_answer(text: str) -> str:
    """Lower case, no surrounding quotes/articles/punctuation, 1,016 -> 1016, percent -> %, and no
    qualifier in front of a figure ("about 100" -> "100")."""
    t = text.lower().replace("\u201c", '"').replace("\u201d", '"')
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)
    t = re.sub(r"\s*(percent|per cent)\b", "%", t)
    t = re.sub(r"[\"'`]", "", t)
    t = re.sub(r"^(the|a|an)\s+", "", t.strip())
    t = _QUALIFIER.sub("", t)
    return re.sub(r"\s+", " ", t).strip(" .,;:")


def relevant_passages(engine: Engine, q: GoldQuestion) -> set[str]:
    """Ids of the passages that overlap a key phrase (``q.keys``) in its document."""
    out = set()
    for doc, key in q.keys:
        body = engine.document(doc).body
        start = body.find(key)
        if start < 0:
            raise QAError(f"{q.id}: key phrase not found in {doc}: {key!r}")
        end = start + len(key)
        out |= {c.id for c in engine.chunks_of(doc) if c.start < end and start < c.end}
    return out


def ranking_metrics(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict[str, float]:
    import ir_measures  # imported here: only `qa eval` needs it

    measures = {name: ir_measures.parse_measure(m) for name, m in RANKING.items()}
    per_query: dict[str, dict[str, float]] = {name: {} for name in measures}
    by_measure = {m: name for name, m in measures.items()}
    for metric in ir_measures.iter_calc(list(measures.values()), qrels, run):
        per_query[by_measure[metric.measure]][metric.query_id] = float(metric.value)
    n = len(qrels)
    return {name: sum(values.values()) / n if n else 0.0 for name, values in per_query.items()}


def evaluate(engine: Engine, gold: list[GoldQuestion], k: int = 10) -> Report:
    """Ask every gold question and score the answers."""
    report = Report()
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    sent_hits = em_hits = em_total = false_abst = false_ans = abst_right = 0
    for q in gold:
        ans: Answer = engine.ask(q.question, k=k)
        if not q.answerable:
            if ans.abstained:
                abst_right += 1
            else:
                false_ans += 1
                got = ans.hits[0].chunk.id
                report.failures.append(f"{q.id}\tfalse answer\t{q.question}\texpected: abstain\tgot: {got}")
            continue
        rel = relevant_passages(engine, q)
        qrels[q.id] = dict.fromkeys(rel, 1)
        run[q.id] = {h.chunk.id: float(len(ans.hits) - h.rank + 1) for h in ans.hits}
        if ans.abstained:
            false_abst += 1
            report.failures.append(
                f"{q.id}\tfalse abstention\t{q.question}\texpected: {q.key}\tgot: abstained"
            )
            if q.answers:
                em_total += 1
            continue
        top = ans.hits[0]
        if top.chunk.id not in rel:
            want = ", ".join(sorted(rel))
            report.failures.append(f"{q.id}\trank\t{q.question}\texpected: {want}\tgot: {top.chunk.id}")
        if top.sentence is not None and any(key in top.sentence.text for _, key in q.keys):
            sent_hits += 1
        else:
            got = top.sentence.text[:90] if top.sentence else "-"
            report.failures.append(f"{q.id}\tsentence\t{q.question}\texpected: {q.key}\tgot: {got}")
        got_short = ans.short.text if ans.short else None
        if q.answers:
            em_total += 1
            accepted = {normalise_answer(a) for a in q.answers}
            if got_short is not None and normalise_answer(got_short) in accepted:
                em_hits += 1
            else:
                want = q.answers[0]
                report.failures.append(
                    f"{q.id}\tshort answer\t{q.question}\texpected: {want}\tgot: {got_short}"
                )
    answerable = len(qrels)
    unanswerable = len(gold) - answerable
    abstained = abst_right + false_abst
    report.metrics.update(ranking_metrics(qrels, run) if qrels else dict.fromkeys(RANKING, 0.0))
    report.metrics["sentence_hit@1"] = sent_hits / answerable if answerable else 0.0
    report.metrics["short_answer_em"] = em_hits / em_total if em_total else 0.0
    report.metrics["abstention_precision"] = abst_right / abstained if abstained else 1.0
    report.metrics["abstention_recall"] = abst_right / unanswerable if unanswerable else 1.0
    report.counts = {
        "questions": len(gold),
        "answerable": answerable,
        "unanswerable": unanswerable,
        "false_abstentions": false_abst,
        "false_answers": false_ans,
        "short_answer_gold": em_total,
    }
    return report


def format_report(report: Report, title: str = "") -> str:
    """Metrics table and failures, one per line, for a terminal."""
    lines = [title] if title else []
    width = max((len(name) + 2 for name in [*report.metrics, *report.counts]), default=22)
    lines += [f"{name:<{width}}{value:.3f}" for name, value in report.metrics.items()]
    lines += [f"{name:<{width}}{value}" for name, value in report.counts.items()]
    if report.failures:
        lines += ["", f"failures ({len(report.failures)}): id, kind, question, expected, got"]
        lines += report.failures
    return "\n".join(lines)


def below_floors(report: Report, floors: tuple[str, ...]) -> list[str]:
    """The floors (``METRIC=VALUE``, or ``max_COUNT=N``) that ``report`` misses, as readable lines.

    A malformed floor or an unknown metric or count is a ValueError naming it."""
    problems = []
    for item in floors:
        name, _, value = item.partition("=")
        try:
            bound = float(value)
        except ValueError:
            raise ValueError(f"--min {item}: expected METRIC=NUMBER") from None
        if name.startswith("max_"):
            got = report.counts.get(name[4:])
            if got is None:
                raise ValueError(f"--min {item}: unknown count {name[4:]!r}")
            if got > bound:
                problems.append(f"{name[4:]} = {got} > {bound:g}")
        else:
            metric = report.metrics.get(name)
            if metric is None:
                raise ValueError(f"--min {item}: unknown metric {name!r}")
            if metric < bound:
                problems.append(f"{name} = {metric:.3f} < {bound:g}")
    return problems
