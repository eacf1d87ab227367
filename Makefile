# kwali — quick start: `make run` (set up and open the sample project), `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := sample/voorbeeld.kwali
CODER ?= $(USER)

.PHONY: run test test-slow test-postgres install install-test sample sample-rebuild bench bench-quick bench-scale lint format clean snapshot-update catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# test oracle for Gwet's AC1/AC2 (GPL-3, tests only); --no-deps: it pins scipy==1.12, pandas<3
	$(BIN)/python -m pip install --quiet --no-deps "irrCAC==0.4.4"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The sample project: every transcript in transcripts/ and the survey in surveys/, with the study's
# codebook and suggestions.
# Built only when it is missing: you may be coding in it, so make never deletes or overwrites it
# (its inputs are not prerequisites); `make sample-rebuild` builds it afresh on request.
SAMPLE_INPUTS := $(wildcard transcripts/*) $(wildcard surveys/*.csv) $(wildcard codebooks/*.yaml)
define build-sample
@mkdir -p $(dir $(SAMPLE))
$(BIN)/kwali init $(SAMPLE) && { \
$(BIN)/kwali import -p $(SAMPLE) --attributes transcripts/attributes.csv \
	$(filter-out transcripts/attributes.csv transcripts/README.md,$(wildcard transcripts/*)) && \
$(BIN)/kwali import -p $(SAMPLE) surveys/enquete.csv --survey --id respnr --text Q7,Q9,Q12 \
	--all-other-columns && \
if $(BIN)/kwali --help | grep -q ' suggest '; then \
	$(BIN)/kwali suggest -p $(SAMPLE) --codebook codebooks/tegenprestatie.yaml; fi \
|| { rm -f $(SAMPLE) $(SAMPLE)-wal $(SAMPLE)-shm; exit 1; }; }
endef

$(SAMPLE): | $(VENV)/.installed
	$(build-sample)

sample: $(SAMPLE)
	@if [ -n "$$(find $(SAMPLE_INPUTS) -newer $(SAMPLE) 2>/dev/null)" ]; then \
		echo "kwali: transcripts/, surveys/ or codebooks/ changed since $(SAMPLE) was built; it is kept as it is (to build it afresh: make sample-rebuild)"; fi

# Only a sample nobody worked in: its history may hold nothing but the build's own actions
# (importing the transcripts, loading the codebook); codings, memos, reviews and codebook edits
# are actions too, and then the sample is left alone.
SAMPLE_UNTOUCHED = import os, sys; \
	from kwali.store import Project; from kwali.store.actions import Verb; \
	p = Project.open(sys.argv[1], readonly=True); inputs = set().union(*map(os.listdir, sys.argv[2:])); \
	work = [r.description for r in p.history(limit=10**9) if not (r.verb is Verb.LOAD_CODEBOOK \
		or (r.verb in (Verb.IMPORT, Verb.IMPORT_SURVEY) and r.subject[:1] \
			and r.subject[0] in inputs))]; p.close(); \
	work and sys.exit(f"kwali: {sys.argv[1]} holds work ({len(work)} actions, the latest: {work[0]}), so it is not rebuilt; move it aside first to build a fresh sample")

sample-rebuild: | $(VENV)/.installed
	@if [ -e $(SAMPLE) ]; then \
		$(BIN)/python -c '$(SAMPLE_UNTOUCHED)' $(SAMPLE) transcripts surveys && \
		rm -f $(SAMPLE) $(SAMPLE)-wal $(SAMPLE)-shm; fi
	$(build-sample)

run: sample
	@if $(BIN)/kwali --help | grep -q ' tui '; then \
		$(BIN)/kwali tui -p $(SAMPLE) --coder $(or $(CODER),onderzoeker); \
	else $(BIN)/kwali status -p $(SAMPLE); fi

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# the slow proofs (SIGKILL at random moments, concurrent writers, fuzzing the importers)
test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m slow

# the suite again with every project on PostgreSQL (#19): a server from KWALI_TEST_POSTGRES, or a
# throwaway one started (and stopped) here by .ci/postgres
test-postgres: $(VENV)/.installed-test
	@if [ -n "$$KWALI_TEST_POSTGRES" ]; then \
		KWALI_TEST_ENGINE=postgresql $(BIN)/python -m pytest; \
	else \
		trap '.ci/postgres stop' EXIT; .ci/postgres start >/dev/null && \
		KWALI_TEST_POSTGRES=$$(cat .ci/.postgres-dsn) KWALI_TEST_ENGINE=postgresql $(BIN)/python -m pytest; \
	fi

snapshot-update: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/ui --snapshot-update

# benchmarks/latest.json (full, under 10 minutes) or latest-quick.json (N <= 100, a minute or two);
# the per-topic scripts benchmarks/*_bench.py still run alone for more detail.
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

bench-quick: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py --quick

# issue 18's study size into latest.json's "scale": builds projects of ~N×58,500 characters (N = 10, 100, 1,000), about ten minutes
bench-scale: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py --scale

# ruff (style and formatting), mypy (types) and import-linter (the layers in pyproject.toml)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check kwali tests benchmarks tui.py
	$(BIN)/ruff format --check kwali tests benchmarks tui.py
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.installed-test
	$(BIN)/ruff format kwali tests benchmarks tui.py

# The message catalogues (docs/i18n.md): extract every _()/ngettext() text of kwali/ into
# kwali/locale/kwali.pot, update nl and en, fill the Dutch one (its msgids are Dutch: identity),
# compile the .mo files. The .mo files are committed, so run, install and CI need no step.
LOCALES := kwali/locale
catalogues: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k _ -k ngettext:1,2 --no-location \
		--sort-output --width 100 --project kwali --copyright-holder kwali -o $(LOCALES)/kwali.pot kwali
	$(BIN)/pybabel update -i $(LOCALES)/kwali.pot -d $(LOCALES) -D kwali --width 100 --ignore-pot-creation-date --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python -m kwali.i18n $(LOCALES)/nl/LC_MESSAGES/kwali.po
	$(BIN)/pybabel compile -d $(LOCALES) -D kwali --statistics
	# click's own texts (Usage:, Options): Dutch for the installed click (kwali/cli/click_texts.py)
	$(BIN)/pybabel extract --no-default-keywords -k _ -k ngettext:1,2 --no-location --sort-output \
		--width 100 -o $(LOCALES)/click.pot "$$($(BIN)/python -c 'import click, os; print(os.path.dirname(click.__file__))')"
	$(BIN)/pybabel update -i $(LOCALES)/click.pot -d $(LOCALES) -D click -l nl --width 100 \
		--ignore-pot-creation-date --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALES) -D click -l nl --statistics

# build output only: the sample project may hold a researcher's coding, so it stays
clean:
	rm -rf build .pytest_cache
