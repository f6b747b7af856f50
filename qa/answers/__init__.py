"""The answer layer: question -> candidates -> ranking -> answer or abstention.

- ``kinds``: the kind of fact a question asks for (entity labels) and its "which X" noun;
- ``question``: a parsed question: kind, terms, anchors, what it counts or negates;
- ``vocabulary``: a corpus folder's own synonyms, applied to its documents only;
- ``titles``: runs of capitalised words that read as titles;
- ``spans``: typed spans (named entities of the asked kind, titles, noun phrases);
- ``short``: the short answer, the typed span a reader would quote;
- ``ranking``: BM25 candidates re-scored by one fused score;
- ``spelling``: a misspelt name read as the corpus spells it;
- ``abstain``: the abstention reasons and their messages;
- ``scope``: the passages a question's filters allow, and what each document is called by;
- ``engine``: ``Engine``, which runs the stages;
- ``timeline``: dates in passages, and the dated facts of an answer's hits;
- ``jsonform``: an answer as the JSON ``qa ask --format json`` prints (docs/json.md);
- ``batch``: many questions on every core (``qa ask --batch``).
"""

from qa.answers.abstain import Reason, message
from qa.answers.batch import ask_all
from qa.answers.engine import Engine
from qa.answers.jsonform import answer_to_dict, hit_to_dict
from qa.answers.question import Question, parse_question
from qa.answers.scope import allowed_positions
from qa.answers.settings import Settings
from qa.answers.spelling import read_as_note
from qa.answers.timeline import DatedFact, DateMention, asks_when, dated_facts, find_dates
from qa.answers.vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "DateMention",
    "DatedFact",
    "Engine",
    "Question",
    "Reason",
    "Settings",
    "Vocabulary",
    "allowed_positions",
    "answer_to_dict",
    "ask_all",
    "asks_when",
    "dated_facts",
    "find_dates",
    "hit_to_dict",
    "load_vocabulary",
    "message",
    "parse_question",
    "read_as_note",
]
