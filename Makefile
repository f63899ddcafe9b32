# Porte-voix — the two commands are `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := advocacy

.PHONY: run test install install-test translations migrate lint bench bench-diff bench-mail bench-collab assets clean

$(VENV)/bin/activate:
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

## The front-end packages (the live editor's, and the Nu HTML checker: npm's vnu-jar),
## pinned by assets/package-lock.json; no install script runs
assets/node_modules/.installed: assets/package.json assets/package-lock.json
	@command -v npm >/dev/null || { echo "make test needs npm (Debian: nodejs npm)"; exit 1; }
	npm ci --prefix assets --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test assets/node_modules/.installed

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d advocacy/translations >/dev/null

## Serve the app with the demo data on http://127.0.0.1:5000, and beside it the
## collaboration server (live co-writing) on port 5001; Ctrl+C stops both
run: install translations
	$(FLASK) --debug db upgrade
	$(FLASK) --debug seed-demo
	export FLASK_COLLAB_URL=ws://127.0.0.1:5001/collab; \
	$(FLASK) --debug collab --port 5001 & collab=$$!; \
	trap 'kill $$collab 2>/dev/null' EXIT INT TERM; \
	$(FLASK) --debug run --host 127.0.0.1 --port 5000

## Run the whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set;
## every HTML page the tests render then goes through the Nu HTML checker (needs Java)
test: install-test translations
	$(VENV)/bin/ruff check advocacy tests migrations benchmarks
	$(VENV)/bin/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		TEST_DB="$$TEST_DATABASE_URL" $(VENV)/bin/pytest; \
	fi

## Load the site, the API and the members' pages at region and national scale (needs wrk)
bench: install translations
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk"; exit 1; }
	$(PY) -m benchmarks.site

## Emails one outbox worker sends per second to a local SMTP server
bench-mail: install-test translations
	$(PY) -m benchmarks.outbox

## Twenty co-authors typing in one live room: keystroke latency, server CPU and memory
bench-collab: install translations
	$(PY) -m benchmarks.collab

## Time the comparison of two 200,000-character texts
bench-diff: install translations
	$(PY) -m benchmarks.diff

## Build the live editor (assets/src) into advocacy/static/js/collab.js; the built
## file is committed, so that `make run` needs no Node
assets: assets/node_modules/.installed
	npm run --prefix assets build

lint: install-test
	$(VENV)/bin/ruff check advocacy tests migrations benchmarks
	$(VENV)/bin/ruff format --check advocacy tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
