# Two commands do all set-up: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test test-quick test-browser lint migrations-check chromium gettext messages clean bench loadtest

$(VENV)/.run: pyproject.toml .python-version
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "Python 3.12+ is needed (pyenv reads .python-version)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.run
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The interface's translations (docs/i18n.md): each locale/<lang>/LC_MESSAGES/django.po
# compiled to its .mo (git-ignored) when the .po is newer. Whatever languages exist.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

# GNU gettext: msgfmt compiles, and makemessages (tests/harmreduction/test_i18n.py) runs xgettext.
gettext:
	@command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }

%.mo: %.po | gettext
	msgfmt --check -o $@ $<

messages: gettext $(MO_FILES)

# The demo builds participant codes from answers (docs/checkins.md); a real install chooses its own recipe or none.
run: export PARTICIPANT_CODE_RECIPE ?= last_name_2,mother_initial,birth_day
run: $(VENV)/.run messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_data
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }

# One pytest worker per core (pytest-xdist); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

test: $(VENV)/.dev chromium messages
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The inner loop: no browser, none of the slow files (tests/conftest.py SLOW_FILES).
test-quick: $(VENV)/.dev messages
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser and not slow" $(PYTEST_ARGS)

test-browser: $(VENV)/.dev chromium messages
	$(PY) -m pytest -n $(TEST_WORKERS) -m browser $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

migrations-check: $(VENV)/.run
	$(PY) manage.py makemigrations --check --dry-run

# Performance at scale (docs/performance.md); not part of `make test`. About ten
# minutes: 10,000 services and 100,000 check-ins on SQLite and on PostgreSQL,
# server time, queries and sizes of every main page, throughput under gunicorn
# (wrk), live search in Chromium, Lighthouse. perf.settings: production's (DEBUG
# off) plus the perf and demo apps; the PostgreSQL database BENCH_PG is dropped and made anew.
BENCH_PG ?= companion_bench
BENCH_PG_URL := postgres://postgres@127.0.0.1:5432/$(BENCH_PG)
# The Redis database index the throughput run with CACHE_URL empties and uses.
BENCH_REDIS_DB ?= 14
BENCH_ENV := DJANGO_SETTINGS_MODULE=perf.settings DEBUG=0 SECRET_KEY=bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
	ALLOWED_HOSTS=testserver,127.0.0.1,localhost SECURE_SSL_REDIRECT=0 TWO_FACTOR_REQUIRED_ROLES=
BENCH_OUT := bench-results/bench-$(shell date -u +%Y%m%dT%H%MZ).txt

bench-tools/node_modules/.bin/lighthouse:
	mkdir -p bench-tools
	# 12.2.3: the last Lighthouse that runs on Debian's Node 20 (13 wants Node 22).
	cd bench-tools && npm install --no-audit --no-fund --save-exact lighthouse@12.2.3

bench: SHELL := /bin/bash
bench: $(VENV)/.dev chromium messages bench-tools/node_modules/.bin/lighthouse
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	@mkdir -p bench-results
	@echo "Writing bench-results and $(BENCH_OUT)"
	@set -eo pipefail; started=$$(date +%s); { \
	  $(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0; \
	  echo "== SQLite (bench.sqlite3)"; rm -f bench.sqlite3; \
	  $(BENCH_ENV) DATABASE_URL=sqlite:///$(CURDIR)/bench.sqlite3 $(PY) manage.py migrate --noinput -v0; \
	  $(BENCH_ENV) DATABASE_URL=sqlite:///$(CURDIR)/bench.sqlite3 $(PY) manage.py bench --small-first; \
	  echo; echo "== Spanish against English, every main page (SQLite)"; \
	  $(BENCH_ENV) DATABASE_URL=sqlite:///$(CURDIR)/bench.sqlite3 $(PY) manage.py bench_languages; \
	  echo; echo "== PostgreSQL ($(BENCH_PG))"; \
	  psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS $(BENCH_PG) WITH (FORCE)'; \
	  psql -h 127.0.0.1 -U postgres -qc 'CREATE DATABASE $(BENCH_PG)'; \
	  $(BENCH_ENV) DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py migrate --noinput -v0; \
	  $(BENCH_ENV) DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py bench --small-first; \
	  echo; echo "== Throughput under gunicorn (PostgreSQL)"; \
	  $(BENCH_ENV) DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py bench_throughput; \
	  if redis-cli -n $(BENCH_REDIS_DB) ping >/dev/null 2>&1; then \
	    echo; echo "== Throughput with the shared cache (CACHE_URL, Redis database $(BENCH_REDIS_DB))"; \
	    redis-cli -n $(BENCH_REDIS_DB) flushdb >/dev/null; \
	    $(BENCH_ENV) DATABASE_URL=$(BENCH_PG_URL) CACHE_URL=redis://127.0.0.1:6379/$(BENCH_REDIS_DB) \
	      $(PY) manage.py bench_throughput; \
	  else echo "(no Redis on 127.0.0.1:6379: the run with CACHE_URL is skipped)"; fi; \
	  echo; echo "== Live search in Chromium (PostgreSQL)"; \
	  $(BENCH_ENV) DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py bench_browser; \
	  echo; echo "== Without signal: offline directory, scripts, cached page, latency (PostgreSQL)"; \
	  $(BENCH_ENV) DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py bench_offline; \
	  echo; echo "== Lighthouse, mobile, simulated slow 4G (PostgreSQL)"; \
	  $(BENCH_ENV) DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py bench_lighthouse; \
	  echo; echo "== HSDS import of a generated package, 5,000 and 20,000 services (SQLite, hsds.sqlite3)"; \
	  rm -f hsds.sqlite3; \
	  $(BENCH_ENV) DATABASE_URL=sqlite:///$(CURDIR)/hsds.sqlite3 $(PY) manage.py migrate --noinput -v0; \
	  $(BENCH_ENV) DATABASE_URL=sqlite:///$(CURDIR)/hsds.sqlite3 $(PY) -m perf.bench_hsds 5000 20000; \
	  echo; echo "make bench took $$(( $$(date +%s) - started )) s"; \
	} 2>&1 | tee $(BENCH_OUT)

# Load and fault test (docs/reliability.md): drops and recreates LOADTEST_DATABASE_URL (its name
# must end in _load), runs gunicorn on loopback and RESTARTS the local PostgreSQL in phase 2
# (LOADTEST_ARGS=--no-restart skips that). Not part of `make test`. The command lives in perf/,
# which only perf.settings installs.
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/companion_load
loadtest: $(VENV)/.run
	DJANGO_SETTINGS_MODULE=perf.settings DATABASE_URL=$(LOADTEST_DATABASE_URL) $(PY) manage.py loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
