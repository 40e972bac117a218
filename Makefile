# Two commands do all set-up: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test test-browser lint migrations-check chromium clean loadtest

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

run: $(VENV)/.run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_data
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }

test: $(VENV)/.dev chromium
	$(PY) -m pytest $(PYTEST_ARGS)

test-browser: $(VENV)/.dev chromium
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

migrations-check: $(VENV)/.run
	$(PY) manage.py makemigrations --check --dry-run

# Load and fault test (docs/reliability.md): drops and recreates LOADTEST_DATABASE_URL (its name
# must end in _load), runs gunicorn on loopback and RESTARTS the local PostgreSQL in phase 2
# (LOADTEST_ARGS=--no-restart skips that). Not part of `make test`.
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/companion_load
loadtest: $(VENV)/.run
	DATABASE_URL=$(LOADTEST_DATABASE_URL) $(PY) manage.py loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
