"""`qa cite ID` and `qa ask --cite STYLE`, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json

import pytest
from bibtexparser.entrypoint import parse_string

import qa
from tests.test_cli import check_schema, run_qa

QUESTION = "when were poverty counties fully covered"
RD_APA = (
    "*E-commerce in rural areas comprehensive demonstration project in China*. (2024, February 27). "
    "Policy Reference."
)
SENTENCE_2019 = (
    "In 2019, 215 new comprehensive demonstration counties for e-commerce were added, "
    "achieving full coverage of 832 national poverty-relief counties."
)


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    return {d.id: d.body for d in qa.load_corpus()}


def test_cite_prints_reference_in_text_and_quote() -> None:
    result = run_qa("cite", "rural-demonstration:8", "--sentence", "3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"APA 7: {RD_APA}",
        "In text: (*E-commerce in Rural Areas*, 2024, para. 4)",
        f"Quote: “{SENTENCE_2019}” (para. 4)",
    ]


def test_cite_named_author_in_each_style() -> None:
    firsts = {
        "apa": "APA 7: Ouyang, R. (2023, November 16).",
        "mla": "MLA 9: Ouyang Rihui. “Understanding",
        "chicago-note": "Chicago 17 (note): Ouyang Rihui. “Understanding",
        "chicago-date": "Chicago 17 (author-date): Ouyang Rihui. 2023.",
        "harvard": "Harvard (Cite Them Right): Ouyang, R. (2023)",
    }
    for style, first in firsts.items():
        result = run_qa("cite", "boosting-agriculture:4", "--style", style)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(first), (style, result.stdout)
    note = run_qa("cite", "boosting-agriculture:4", "--style", "chicago-note").stdout.splitlines()[1]
    assert note.startswith("Note: Ouyang Rihui, “Understanding the ‘Boosting Agriculture through E-commerce’")
    assert note.endswith("Policy Reference, November 16, 2023, par. 3.")


def test_cite_json_and_machine_formats_print_verbatim() -> None:
    obj = json.loads(run_qa("cite", "rural-ecosystem:2", "--style", "bibtex", "--format", "json").stdout)
    assert obj["id"] == "rural-ecosystem:2"
    assert obj["locator"] == "para. 2"
    assert obj["in_text"] == "\\cite[para.~2]{rural-ecosystem}"
    text = run_qa("cite", "rural-ecosystem:2", "--style", "bibtex").stdout
    assert text.startswith("BibTeX:\n@article{rural-ecosystem,\n  author = {Jin, Guanping},")
    record = text.split("\n", 1)[1].split("\nIn text:")[0]
    assert [e.key for e in parse_string(record).entries] == ["rural-ecosystem"]


def test_cite_bad_id_is_one_line_error() -> None:
    result = run_qa("cite", "nothing:9")
    assert result.returncode == 1
    assert result.stderr.strip() == "qa: error: no passage with id 'nothing:9'"


def test_ask_cite_prints_the_citation_under_each_card() -> None:
    result = run_qa("ask", QUESTION, "--cite", "apa")
    assert result.returncode == 0, result.stderr
    cards = result.stdout.split("\n\n")
    card = next(i for i, c in enumerate(cards) if "id rural-demonstration:8 ·" in c)
    cited = cards[card + 1].splitlines()
    assert cited[0] == f"   APA 7: {RD_APA}"
    assert cited[1] == "   In text: (*E-commerce in Rural Areas*, 2024, para. 4)"
    assert cited[2].startswith("   Quote: “") and cited[2].endswith("” (para. 4)")
    assert result.stdout.count("\n   APA 7: ") == result.stdout.count("\n   id ") >= 1


def test_ask_json_gains_citations_only_when_asked(bodies: dict[str, str]) -> None:
    plain = json.loads(run_qa("ask", QUESTION, "--format", "json").stdout)
    assert all("citations" not in h for h in plain["hits"])
    obj = json.loads(run_qa("ask", QUESTION, "--format", "json", "--cite", "apa", "--cite", "bibtex").stdout)
    check_schema(obj, bodies)
    for before, after in zip(plain["hits"], obj["hits"], strict=True):
        assert {k: v for k, v in after.items() if k != "citations"} == before
        assert set(after["citations"]) == {"apa", "bibtex"}
    hit = next(h for h in obj["hits"] if h["id"] == "rural-demonstration:8")
    assert hit["citations"]["apa"] == RD_APA
    assert parse_string(hit["citations"]["bibtex"]).entries[0].key == "rural-demonstration"
