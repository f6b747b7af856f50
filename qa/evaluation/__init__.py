"""``qa eval``: how good the answers are, measured on question sets nobody tuned on.

- ``gold``: a YAML gold set over a corpus folder (ranking, best sentence, short answer, abstention);
- ``squad``: SQuAD 2.0 questions over their own articles, with the official EM and F1.
"""

from qa.evaluation.gold import Report, evaluate, format_report, load_gold
from qa.evaluation.squad import evaluate_squad, is_squad, load_squad

__all__ = ["Report", "evaluate", "evaluate_squad", "format_report", "is_squad", "load_gold", "load_squad"]
