# The two set-up commands of the README: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test system-deps ingest-examples serve bench bench-pages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Debian's Chromium and ChromeDriver for the browser tests, and Virtuoso Open Source for the
# remote-store tests (root on CI and the dev machines).
SYSTEM_PACKAGES := chromium chromium-driver virtuoso-opensource-7-bin
system-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v virtuoso-t >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; }

ingest-examples: install
	$(BIN)/kamergraph ingest --store $(STORE) examples/

serve: install
	$(BIN)/kamergraph serve --store $(STORE) --host $(HOST) --port $(PORT)

# Main job: install, ingest the bundled examples into embedded Oxigraph, serve.
run: ingest-examples serve

# Install with the test extras and run the whole suite; no tests collected (pytest's 5) fails too.
test: install-test system-deps
	@$(BIN)/python -m pytest; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$status

bench: install-test
	$(BIN)/python benchmarks/bench_ingest.py --pages 10000

# Page latencies through the real server on a store of 100,000 generated questions (slow: builds the store once).
bench-pages: install-test
	$(BIN)/python benchmarks/bench_pages.py --count 100000

clean:
	rm -rf var/ .pytest_cache
