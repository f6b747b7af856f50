# Two commands from a fresh clone: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: run test lint typecheck eval pytest install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pyproject.toml gives ranges; constraints.txt the exact versions, so every fresh clone is alike.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,semantic,cluster]'
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

# Quality floors: a change that makes answers worse fails `make test`. Two aggregate floors, at or
# just under today's figures (docs/evaluation.md): the shipped gold questions, and a fixed sample
# of the shared foreign SQuAD 2.0 set (articles and questions nobody here wrote).
GOLD  := tests/gold/questions.yaml
SQUAD := ../shared/eval/squad2-dev-shared.json
QA_EVAL := QA_DATA_DIR=$(VENV)/eval-data $(BIN)/qa eval
eval: $(STAMP)
	$(QA_EVAL) $(GOLD) --min recall@1=0.95 --min sentence_hit@1=0.95 --min short_answer_em=0.95 \
		--min abstention_recall=0.60 --min max_false_abstentions=1 --min max_false_answers=9
	$(QA_EVAL) $(SQUAD) --sample 1000 --seed 7 --min recall@1=0.84 --min short_answer_share=0.42 \
		--min answered_short_em=0.59 --min abstention_recall=0.25 --min max_false_abstentions=20

test: lint typecheck eval pytest

# BM25 engines side by side (issue 8; about 15 minutes on 2 cores): table on stdout, rows in JSON.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,semantic,cluster,bench]'
	touch $@

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python bench/bm25_bench.py --queries 1000 --json bench/results.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis tests/artifacts
