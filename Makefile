# Two commands from a fresh clone: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: run test lint typecheck eval pytest install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run ui/app.py

lint: $(STAMP)
	$(BIN)/ruff check qa ui tests bench
	$(BIN)/ruff format --check qa ui tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# Quality floors on the gold questions: a change that makes answers worse fails `make test`.
# Floors sit at or just under today's figures (README, "Answer quality").
GOLD  := tests/gold/questions.yaml
BLIND := tests/gold/blind.yaml
QA_EVAL := QA_DATA_DIR=$(VENV)/eval-data $(BIN)/qa eval
eval: $(STAMP)
	$(QA_EVAL) $(GOLD) --split test --min recall@1=1 --min sentence_hit@1=1 --min short_answer_em=1 \
		--min abstention_recall=1 --min max_false_abstentions=0 --min max_false_answers=0
	$(QA_EVAL) $(GOLD) --split dev --min recall@1=0.88 --min sentence_hit@1=0.85 --min short_answer_em=0.95 \
		--min abstention_recall=1 --min max_false_abstentions=1 --min max_false_answers=0
	$(QA_EVAL) $(BLIND) --split blind1 --min recall@1=0.94 --min sentence_hit@1=0.94 --min short_answer_em=0.95 \
		--min abstention_recall=1 --min max_false_abstentions=0 --min max_false_answers=0
	$(QA_EVAL) $(BLIND) --split blind2 --min recall@1=0.96 --min sentence_hit@1=0.96 --min short_answer_em=1 \
		--min abstention_recall=0.8 --min max_false_abstentions=0 --min max_false_answers=2
	$(QA_EVAL) $(BLIND) --split blind3 --min recall@1=1 --min sentence_hit@1=1 --min short_answer_em=0.96 \
		--min abstention_recall=0.7 --min max_false_abstentions=0 --min max_false_answers=3
	$(QA_EVAL) $(BLIND) --split blind4 --min recall@1=1 --min sentence_hit@1=0.97 --min short_answer_em=0.9 \
		--min abstention_recall=0.75 --min max_false_abstentions=0 --min max_false_answers=3
	$(QA_EVAL) $(BLIND) --split blind5 --min recall@1=0.92 --min sentence_hit@1=0.92 --min short_answer_em=0.96 \
		--min abstention_recall=0.83 --min max_false_abstentions=0 --min max_false_answers=2
	$(QA_EVAL) $(BLIND) --split blind8 --min recall@1=0.84 --min sentence_hit@1=0.78 --min short_answer_em=0.82 \
		--min abstention_recall=0.75 --min max_false_abstentions=4 --min max_false_answers=3
	$(QA_EVAL) $(BLIND) --split blind6 --min recall@1=0.86 --min sentence_hit@1=0.86 --min short_answer_em=0.96 \
		--min abstention_recall=0.83 --min max_false_abstentions=1 --min max_false_answers=2
	$(QA_EVAL) $(BLIND) --split blind7 --min recall@1=0.94 --min sentence_hit@1=0.94 --min short_answer_em=0.96 \
		--min abstention_recall=0.83 --min max_false_abstentions=0 --min max_false_answers=2
	$(QA_EVAL) $(BLIND) --split blind8 --min recall@1=0.84 --min sentence_hit@1=0.78 --min short_answer_em=0.82 \
		--min abstention_recall=0.75 --min max_false_abstentions=4 --min max_false_answers=3

test: lint typecheck eval pytest

# BM25 engines side by side (issue 8; about half an hour on 2 cores): table on stdout, rows in JSON.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python bench/bm25_bench.py --queries 1000 --json bench/results.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis tests/artifacts
