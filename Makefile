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
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic]'
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
# Floors sit at or just under today's figures (README, "Gold questions and `qa eval`").
GOLD  := tests/gold/questions.yaml
BLIND := tests/gold/blind.yaml
QA_EVAL := QA_DATA_DIR=$(VENV)/eval-data $(BIN)/qa eval
# $(call EVAL,file,split,recall@1,sentence_hit@1,short_answer_em,abstention_recall,
#        max false abstentions,max false answers)
EVAL = $(QA_EVAL) $(1) --split $(2) --min recall@1=$(3) --min sentence_hit@1=$(4) --min short_answer_em=$(5) \
	--min abstention_recall=$(6) --min max_false_abstentions=$(7) --min max_false_answers=$(8)
eval: $(STAMP)
	$(call EVAL,$(GOLD),dev,0.87,0.87,1,1,1,0)
	$(call EVAL,$(GOLD),test,1,1,1,1,0,0)
	$(call EVAL,$(BLIND),blind1,1,1,1,1,0,0)
	$(call EVAL,$(BLIND),blind2,1,1,1,1,0,0)
	$(call EVAL,$(BLIND),blind3,1,1,1,1,0,0)
	$(call EVAL,$(BLIND),blind4,1,1,0.93,0.91,0,1)
	$(call EVAL,$(BLIND),blind5,0.97,0.94,1,0.91,0,1)
	$(call EVAL,$(BLIND),blind6,0.97,0.92,0.96,0.91,1,1)
	$(call EVAL,$(BLIND),blind7,1,0.97,1,0.91,0,1)
	$(call EVAL,$(BLIND),blind8,1,0.94,0.96,1,0,0)
	$(call EVAL,$(BLIND),blind9,0.92,0.89,1,0.91,0,1)
	$(call EVAL,$(BLIND),blind10,0.97,0.97,0.96,0.75,0,3)
	$(call EVAL,$(BLIND),blind11,0.94,0.92,0.93,0.91,1,1)
	$(call EVAL,$(BLIND),blind12,0.94,0.94,0.96,0.91,1,1)
	$(call EVAL,$(BLIND),blind13,0.94,0.92,0.93,0.83,0,2)
	$(call EVAL,$(BLIND),blind14,1,0.97,1,0.91,0,1)
	$(call EVAL,$(BLIND),blind15,0.94,0.92,0.96,1,0,0)
	$(call EVAL,$(BLIND),blind16,1,1,1,1,0,0)
	$(call EVAL,$(BLIND),blind17,1,1,1,0.91,0,1)
	$(call EVAL,$(BLIND),blind18,0.97,0.97,0.96,1,0,0)
	$(call EVAL,$(BLIND),blind19,0.94,0.94,0.96,1,0,0)
	$(call EVAL,$(BLIND),blind20,0.97,0.97,0.96,1,1,0)
	$(call EVAL,$(BLIND),blind21,0.94,0.92,0.96,0.83,0,2)
	$(call EVAL,$(BLIND),blind22,0.97,0.97,0.96,0.91,0,1)
	$(call EVAL,$(BLIND),blind23,1,1,1,0.83,0,2)
	$(call EVAL,$(BLIND),blind24,0.94,0.94,1,1,0,0)
	$(call EVAL,$(BLIND),blind25,0.94,0.94,0.96,1,0,0)
	$(call EVAL,$(BLIND),blind26,0.97,0.94,1,1,0,0)
	$(call EVAL,$(BLIND),blind27,0.97,0.97,1,1,0,0)
	$(call EVAL,$(BLIND),blind28,1,0.97,0.96,1,0,0)
	$(call EVAL,$(BLIND),blind29,1,0.97,1,1,0,0)
	$(call EVAL,$(BLIND),blind30,0.94,0.92,0.9,0.91,1,1)
	$(call EVAL,$(BLIND),blind31,0.94,0.94,0.93,1,1,0)

test: lint typecheck eval pytest

# BM25 engines side by side (issue 8; about 15 minutes on 2 cores): table on stdout, rows in JSON.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic,bench]'
	touch $@

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python bench/bm25_bench.py --queries 1000 --json bench/results.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis tests/artifacts
