# kwali — quick start: `make run` (set up and open the sample project), `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := sample/voorbeeld.kwali
CODER ?= $(USER)

.PHONY: run test test-slow install install-test sample bench bench-quick lint format clean snapshot-update

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The sample project: every transcript in transcripts/, with the study's codebook and suggestions.
$(SAMPLE): $(VENV)/.installed $(wildcard transcripts/*) $(wildcard codebooks/*.yaml)
	@mkdir -p sample
	@rm -f $(SAMPLE) $(SAMPLE)-wal $(SAMPLE)-shm
	$(BIN)/kwali init $(SAMPLE)
	$(BIN)/kwali import -p $(SAMPLE) --attributes transcripts/attributes.csv \
		$(filter-out transcripts/attributes.csv transcripts/README.md,$(wildcard transcripts/*))
	@if $(BIN)/kwali --help | grep -q ' suggest '; then \
		$(BIN)/kwali suggest -p $(SAMPLE) --codebook codebooks/tegenprestatie.yaml; fi

sample: $(SAMPLE)

run: $(SAMPLE)
	@if $(BIN)/kwali --help | grep -q ' tui '; then \
		$(BIN)/kwali tui -p $(SAMPLE) --coder $(or $(CODER),onderzoeker); \
	else $(BIN)/kwali status -p $(SAMPLE); fi

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# the slow proofs (SIGKILL at random moments, concurrent writers, fuzzing the importers)
test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m slow

snapshot-update: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/ui --snapshot-update

# benchmarks/latest.json (full, under 10 minutes) or latest-quick.json (N <= 100, a minute or two);
# the per-topic scripts benchmarks/*_bench.py still run alone for more detail.
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

bench-quick: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py --quick

# ruff (style and formatting), mypy (types) and import-linter (the layers in pyproject.toml)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check kwali tests benchmarks tui.py
	$(BIN)/ruff format --check kwali tests benchmarks tui.py
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.installed-test
	$(BIN)/ruff format kwali tests benchmarks tui.py

clean:
	rm -rf sample build .pytest_cache
