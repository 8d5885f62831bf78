# The README's quick start: `make run` and `make test`. Everything else is built from here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := webapp
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 4
# The address in mailed links and canonical URLs, for `make run` and `make serve`: the one they serve on,
# unless SITE_URL is given (in the environment or on the command line), as it must be behind a proxy.
# Only those targets: the tests set their own.
run serve: export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run serve test test-fast bench bench-deps lint translations extract-messages browser-deps office-deps cache-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $@
	chmod 600 $@

# Each catalogue is compiled when its .po is newer than its .mo, so that two `make test` running side
# by side (CI's SQLite and PostgreSQL passes) never rewrite a catalogue the other one is reading.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard webapp/translations/*/LC_MESSAGES/messages.po))

translations: $(MO_FILES)

webapp/translations/%/LC_MESSAGES/messages.mo: webapp/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@.tmp --statistics
	mv $@.tmp $@

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k lazy_pgettext:1c,2 -o webapp/translations/messages.pot .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations --no-fuzzy-matching

run: $(VENV)/.installed translations instance/secret_key
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(MAKE) serve

# The pages the previous server cached were rendered by its templates and settings: drop them.
serve:
	$(BIN)/flask page-cache clear
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

# Browser tests drive Debian's Chromium through Playwright (its own browser download is not used).
browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)

# PPTX/ODP decks are converted to PDF by LibreOffice Impress, under bubblewrap (which hides the file
# system from it); the tests convert real ones. Without its recommends (GStreamer and its plugins),
# which a headless conversion does not use.
office-deps:
	@command -v soffice >/dev/null && command -v bwrap >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-impress fonts-dejavu-core bubblewrap)

test: $(VENV)/.installed translations browser-deps office-deps cache-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed translations office-deps
	$(BIN)/python -m pytest -m "not browser" -x -q $(PYTEST_ARGS)

# The page cache's Redis backend is tested against a throw-away redis-server (PAGE_CACHE=redis://...).
cache-deps:
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server)

# bench/stats_throughput.py and bench/pages.py load pages with wrk.
bench-deps:
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

BENCH_SCRIPTS := import_pyvideo pages photos search search_french search_limits slides stats_throughput syndication

bench: $(VENV)/.installed translations bench-deps
	@for name in $(BENCH_SCRIPTS); do echo "== bench/$$name.py"; $(BIN)/python -m bench.$$name || exit 1; done

lint: $(VENV)/.installed
	$(BIN)/ruff check webapp search_index tests bench
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) instance .pytest_cache
