# The set-up commands of the README: `make run`, `make test` and `make test-fast`. Each installs what
# it needs and prints only what the user needs: errors, the ingest summary, the server's address,
# pytest's report.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000
# The tests that need neither Chromium nor Virtuoso and take seconds, not minutes (markers in pyproject.toml).
FAST := not slow and not browser and not virtuoso

# pip at -qq shows errors only; PYTHONWARNINGS=ignore silences setuptools' notes on editable installs.
PIP := PYTHONWARNINGS=ignore $(BIN)/pip install -qq
# pytest exits 5 when it collected no tests: say so (the status fails the target either way).
NO_TESTS = status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$status

.PHONY: run test test-fast install install-test system-deps ingest-examples serve bench bench-pages clean messages

$(BIN)/python:
	@echo "Installing kamergraph into $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip

# Installed again only when pyproject.toml changes (the install is editable: code changes need none).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@$(PIP) -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Debian's Chromium and ChromeDriver for the browser tests, and Virtuoso Open Source for the
# remote-store tests (root on CI and the dev machines). apt waits up to 10 minutes for a held lock.
SYSTEM_PACKAGES := chromium chromium-driver virtuoso-opensource-7-bin
APT := DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=600
system-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v virtuoso-t >/dev/null || \
	  { echo "Installing $(SYSTEM_PACKAGES) with apt-get"; \
	    $(APT) update >/dev/null && $(APT) install -y $(SYSTEM_PACKAGES) >/dev/null; }

ingest-examples: install
	@$(BIN)/kamergraph ingest --store $(STORE) examples/

serve: install
	@$(BIN)/kamergraph serve --store $(STORE) --host $(HOST) --port $(PORT)

# Main job: install, ingest the bundled examples into embedded Oxigraph, serve.
run: ingest-examples serve

# Install with the test extras and run the whole suite.
test: install-test system-deps
	@$(BIN)/python -m pytest; $(NO_TESTS)

# The fast part alone: no browser, no Virtuoso, no crash-safety kills or fuzzing.
test-fast: install-test
	@$(BIN)/python -m pytest -m "$(FAST)"; $(NO_TESTS)

bench: install-test
	$(BIN)/python benchmarks/bench_ingest.py --pages 10000

# Page latencies through the real server on a store of 100,000 generated questions (slow: builds the store once).
bench-pages: install-test
	$(BIN)/python benchmarks/bench_pages.py --count 100000

# After changing a page's texts: the new ones go into translations/nl.po (untranslated, to fill in);
# the catalog is read as .po at start-up, so nothing needs compiling.
messages: install
	@$(BIN)/pybabel -q extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -k N_ --no-location -o var/messages.pot .
	@$(BIN)/pybabel -q update -l nl -i var/messages.pot -o endpoint/translations/nl.po --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf var/ .pytest_cache
