# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3 || echo python3.11)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test install python-check catalogues static lint bench backup restore load messages clean

run: install catalogues static
	@$(PY) manage.py serve --host "$(HOST)" --port "$(PORT)"

test: install catalogues static node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

python-check:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null \
	  || { echo "Python 3.11 is needed (found: $$($(PYTHON) --version 2>&1 || echo none)); install it, or run make PYTHON=/path/to/python3.11."; exit 1; }

install: python-check $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Python packages into $(VENV) ..."
	@$(PY) -m pip install --quiet --disable-pip-version-check --progress-bar on -r requirements.txt
	@touch $@

# Test tools from npm (axe-core, the Nu HTML Checker); nothing from there is served.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility and HTML checks (apt-get install npm)."; exit 1; }
	@npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

catalogues: install
	@$(PY) manage.py compile_catalogues

static: install
	@$(PY) manage.py collectstatic --noinput --verbosity 0

# Performance against nginx and a constant Django view, on the large dataset (needs wrk and nginx).
bench: install catalogues static
	$(PY) scripts/bench.py

# For developers with GNU gettext: refresh the catalogues from the code and templates.
messages: install
	$(PY) manage.py makemessages --locale es --locale en --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete

# A consistent dump of the database and the uploaded files: var/backups/portal-<timestamp>.tar.gz
backup: install
	@$(PY) manage.py backup

# make restore FILE=var/backups/portal-....tar.gz (stop the portal first)
restore: install
	@test -n "$(FILE)" || { echo "Name the archive: make restore FILE=var/backups/portal-....tar.gz"; exit 1; }
	@$(PY) manage.py restore "$(FILE)"

# Load check by hand: 64 clients for 60 s on public pages and comment posting (see docs/load.md).
load: install catalogues static
	@$(PY) scripts/load.py --clients 64 --seconds 60

clean:
	rm -rf $(VENV) staticfiles
