"""`qa eval FILE.json`: SQuAD 2.0 questions over their own Wikipedia articles (docs/evaluation.md).

Each article becomes a Document whose body is its paragraphs joined by blank lines; each gold answer
becomes a Span of that body. EM and F1 follow the official v2.0 evaluation script (its answer
normalisation, the best score over the gold answers, the empty string as the only right answer to an
unanswerable question); the ranking metrics come from ``ir_measures`` as in ``qa.evaluation.gold``.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import random
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.answers import Engine
from qa.documents.models import Document, QAError, Span
from qa.evaluation.gold import RANKING, Report, ranking_metrics

#: SQuAD gives no dates; every article gets this one (the day the SQuAD 2.0 paper came out). No
#: question of the shared dev set names its year, so it adds no date the texts seem to hold.
PLACEHOLDER_DATE = dt.date(2018, 6, 11)
SOURCE = "Wikipedia"


@dataclass(frozen=True)
class SquadQuestion:
    """One SQuAD question; ``answers`` are the gold answers as spans of ``doc``'s body (none when the
    question is unanswerable)."""

    id: str
    question: str
    doc: str
    answers: tuple[Span, ...] = ()

    @property
    def answerable(self) -> bool:
        """True when the question has gold answers."""
        return bool(self.answers)


def slug(title: str) -> str:
    """Document id from an article title: "European_Union_law" -> "european-union-law"."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "article"


def _need(value: Any, kind: type, path: Path, where: str) -> Any:
    if not isinstance(value, kind):
        raise QAError(f"{path}: not a SQuAD 2.0 file: {where} should be a {kind.__name__}")
    return value


def load_squad(path: Path) -> tuple[list[Document], list[SquadQuestion]]:
    """The articles of a SQuAD 2.0 file as Documents, and its questions; errors name the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QAError(f"{path}: not readable as JSON: {str(exc).splitlines()[0]}") from None
    articles = _need(data.get("data") if isinstance(data, dict) else None, list, path, "'data'")
    docs: list[Document] = []
    questions: list[SquadQuestion] = []
    for i, article in enumerate(articles):
        where = f"data[{i}]"
        title = _need(_need(article, dict, path, where).get("title"), str, path, f"{where}.title")
        doc_id = slug(title)
        if any(d.id == doc_id for d in docs):
            raise QAError(f"{path}: {where}: a second article titled {title!r}")
        paragraphs = _need(article.get("paragraphs"), list, path, f"{where}.paragraphs")
        contexts: list[str] = []
        offset = 0
        for j, para in enumerate(paragraphs):
            pw = f"{where}.paragraphs[{j}]"
            context = _need(_need(para, dict, path, pw).get("context"), str, path, f"{pw}.context")
            for q in _need(para.get("qas"), list, path, f"{pw}.qas"):
                questions.append(_question(path, pw, q, doc_id, context, offset))
            contexts.append(context)
            offset += len(context) + 2
        docs.append(Document(doc_id, title.replace("_", " "), PLACEHOLDER_DATE, "\n\n".join(contexts),
                             source=SOURCE, original_file=str(path)))  # fmt: skip
    if not questions:
        raise QAError(f"{path}: not a SQuAD 2.0 file: no questions")
    return docs, questions


def _question(path: Path, where: str, q: Any, doc_id: str, context: str, offset: int) -> SquadQuestion:
    if not isinstance(q, dict) or not isinstance(q.get("id"), str) or not isinstance(q.get("question"), str):
        raise QAError(f"{path}: not a SQuAD 2.0 file: {where}: each of 'qas' needs an id and a question")
    answers = _need(q.get("answers", []), list, path, f"{where}: {q['id']}: answers")
    spans = []
    for a in answers:
        text, start = (a.get("text"), a.get("answer_start")) if isinstance(a, dict) else (None, None)
        if (
            not isinstance(text, str)
            or not isinstance(start, int)
            or context[start : start + len(text)] != text
        ):
            raise QAError(f"{path}: {q['id']}: an answer's text and answer_start do not match its context")
        spans.append(Span(text, offset + start, offset + start + len(text)))
    if bool(q.get("is_impossible", False)) == bool(spans):
        raise QAError(f"{path}: {q['id']}: is_impossible disagrees with its answers")
    return SquadQuestion(q["id"], q["question"], doc_id, tuple(spans))


def sample(questions: list[SquadQuestion], n: int, seed: int) -> list[SquadQuestion]:
    """``n`` questions drawn with ``seed``: n // 2 unanswerable and the rest answerable, in file order."""
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    want_no = n // 2
    if n - want_no > len(answerable) or want_no > len(unanswerable):
        raise QAError(f"cannot sample {n}: only {len(answerable)} answerable and "
                      f"{len(unanswerable)} unanswerable questions")  # fmt: skip
    rng = random.Random(seed)
    chosen = {q.id for q in rng.sample(answerable, n - want_no)} | {
        q.id for q in rng.sample(unanswerable, want_no)
    }
    return [q for q in questions if q.id in chosen]


# -- the official SQuAD v2.0 answer normalisation, exact match and F1 --------------------------------

_PUNCTUATION = frozenset(string.punctuation)


def normalize_answer(s: str) -> str:
    """Lower case, no punctuation, no articles (a, an, the), single spaces: as the official script."""
    s = "".join(ch for ch in s.lower() if ch not in _PUNCTUATION)
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def exact(gold: str, pred: str) -> int:
    """1 when the normalised answers are equal."""
    return int(normalize_answer(gold) == normalize_answer(pred))


def f1(gold: str, pred: str) -> float:
    """Token F1 of the normalised answers; 1 when both are empty, 0 when only one is."""
    g, p = normalize_answer(gold).split(), normalize_answer(pred).split()
    if not g or not p:
        return float(g == p)
    same = sum((collections.Counter(g) & collections.Counter(p)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)


def best(golds: list[str], pred: str) -> tuple[int, float]:
    """EM and F1 against the best gold answer; an unanswerable question's only gold answer is ''."""
    golds = [g for g in golds if normalize_answer(g)] or [""]
    return max(exact(g, pred) for g in golds), max(f1(g, pred) for g in golds)


# -- the run --------------------------------------------------------------------------------------


def relevant(engine: Engine, q: SquadQuestion) -> set[str]:
    """Ids of the passages of ``q.doc`` that contain a whole gold answer span."""
    return {
        c.id for c in engine.chunks_of(q.doc) if any(c.start <= a.start and a.end <= c.end for a in q.answers)
    }


def _share(n: int, total: int) -> float:
    return n / total if total else 0.0


def evaluate_squad(engine: Engine, questions: list[SquadQuestion], k: int = 10) -> Report:
    """Ask every question and score the answers (metric names: docs/evaluation.md)."""
    report = Report()
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    em = {True: 0.0, False: 0.0}
    f1s = {True: 0.0, False: 0.0}
    sent_hits = false_abst = right_abst = shorts = short_em = across = 0
    for q in questions:
        ans = engine.ask(q.question, k=k)
        pred = "" if ans.abstained or ans.short is None else ans.short.text
        e, f = best([a.text for a in q.answers], pred)
        em[q.answerable] += e
        f1s[q.answerable] += f
        if not q.answerable:
            if ans.abstained:
                right_abst += 1
            else:
                top = ans.hits[0]
                got = f"{top.chunk.id} {pred!r}" if pred else top.chunk.id
                report.failures.append(f"{q.id}\tfalse answer\t{q.question}\texpected: abstain\tgot: {got}")
            continue
        rel = relevant(engine, q)
        across += not rel
        qrels[q.id] = dict.fromkeys(rel, 1)
        run[q.id] = {h.chunk.id: float(len(ans.hits) - h.rank + 1) for h in ans.hits}
        want = q.answers[0].text
        if ans.abstained:
            false_abst += 1
            report.failures.append(
                f"{q.id}\tfalse abstention\t{q.question}\texpected: {want}\tgot: abstained"
            )
            continue
        top = ans.hits[0]
        if top.chunk.id not in rel:
            report.failures.append(f"{q.id}\trank\t{q.question}\texpected: {want}\tgot: {top.chunk.id}")
        s = top.sentence
        if (
            s is not None
            and top.chunk.doc_id == q.doc
            and any(s.start <= a.start and a.end <= s.end for a in q.answers)
        ):
            sent_hits += 1
        else:
            got = s.text[:90] if s else "-"
            report.failures.append(f"{q.id}\tsentence\t{q.question}\texpected: {want}\tgot: {got}")
        if ans.short is not None:
            shorts += 1
            short_em += e
        if not e:
            report.failures.append(f"{q.id}\tshort answer\t{q.question}\texpected: {want}\tgot: {pred!r}")
    has, no = len(qrels), len(questions) - len(qrels)
    m = report.metrics
    m["em"] = _share(int(em[True] + em[False]), len(questions))
    m["f1"] = (f1s[True] + f1s[False]) / len(questions) if questions else 0.0
    m["has_ans_em"], m["has_ans_f1"] = _share(int(em[True]), has), f1s[True] / has if has else 0.0
    m["no_ans_em"] = _share(int(em[False]), no)
    m["answered_short_em"] = _share(short_em, shorts)
    m["short_answer_share"] = _share(shorts, has)
    m.update(ranking_metrics(qrels, run) if qrels else dict.fromkeys(RANKING, 0.0))
    m["sentence_hit@1"] = _share(sent_hits, has)
    m["false_abstention_share"] = _share(false_abst, has)
    m["abstention_recall"] = _share(right_abst, no)
    m["abstention_precision"] = (
        _share(right_abst, right_abst + false_abst) if right_abst + false_abst else 1.0
    )
    report.counts = {"questions": len(questions), "answerable": has, "unanswerable": no,
                     "false_abstentions": false_abst, "right_abstentions": right_abst,
                     "false_answers": no - right_abst, "short_answers": shorts,
                     "answers_across_passages": across}  # fmt: skip
    return report


def is_squad(path: Path) -> bool:
    """A SQuAD file: named ``*.json``, or starting with ``{`` (YAML gold sets start otherwise)."""
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return f.read(512).lstrip().startswith("{")
    except OSError:
        return False
