# Everything the project needs is installed from here: CI and new machines start empty.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
QA     ?= tests/data/qa/samsung_lee.jsonl

.PHONY: install chat index test eval eval-all bench browser audit clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# the CPU build of torch first: a looser pin would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

index: install
	$(BIN)/rag index

chat: install
	$(BIN)/rag index
	$(BIN)/rag chat --host 127.0.0.1 --port 7860

test: install browser
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/rag eval $(QA)

# Known advisories of the installed packages (pip-audit). Where the advisory database cannot be reached it says
# "audit skipped" with the reason and passes; a known vulnerability fails.
audit: install
	$(BIN)/python tests/reliability/audit_dependencies.py

# Every Q&A set in tests/data/qa against its own article alone (held out, scored in aggregate only: heldout*_*).
EVAL_DIR ?= /tmp/rag-eval
eval-all: install
	@for qa in tests/data/qa/*.jsonl; do \
	  name=$$(basename $$qa .jsonl); \
	  if [ $$name = samsung_lee ]; then article=corpus/samsung_lee_us_trip_de.txt; \
	  else article=tests/data/articles/$$name.txt; fi; \
	  mkdir -p $(EVAL_DIR)/$$name/corpus && cp $$article $(EVAL_DIR)/$$name/corpus/; \
	  $(BIN)/rag eval $$qa -c $(EVAL_DIR)/$$name/corpus -i $(EVAL_DIR)/$$name/index --json 2>/dev/null \
	    | $(BIN)/python -c "import json,sys; m=json.load(sys.stdin); print(f'$$name'.ljust(26), *(f'{k}={m[k]}' for k in ('accuracy','abstention_accuracy','false_abstention_rate','evidence_recall@5','citation_support')))"; \
	done

# Speed and scale side by side with a peer (Haystack 2 in memory) and the plain sentence-transformers + FAISS
# floor; writes bench/results/bench-<time>.json and .md and prints the targets. About half an hour on 2 cores;
# BENCH_ARGS="--max-size 100000" leaves out the 1M-chunk step, BENCH_ARGS=--quick is a smoke run of every step.
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: install $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf index/current index/build-* index/.tmp-* .pytest_cache
