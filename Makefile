# Needs only python3 and make. Everything else goes into .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-browser lint check clean backup restore load bench lock

# Every package pinned with its hashes in requirements-dev.lock (the production image
# installs requirements.lock); pyproject.toml keeps the ranges. The project itself runs
# from this folder and is not installed.
$(VENV)/.installed: requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# Development server with demo data, and beside it the worker of background jobs (the
# web import; README, "Background jobs"). DEBUG is on here only; see .env.example.
# The notices the demo's cases email go to a folder of their own (the demo says where),
# not between the lines that say how to sign in.
run: install
	@DEBUG=on $(PY) manage.py migrate --noinput -v 0 && echo "The database is migrated."
	@mail=$$(mktemp -d -t crisisunit-demo-mail.XXXXXX) && \
	  DEBUG=on SITE_URL=http://$(HOST):$(PORT) EMAIL_URL=filemail:///$$mail $(PY) manage.py demo
	@DEBUG=on $(PY) manage.py db_worker --no-reload --no-startup-delay -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "The background worker runs beside the server (the import's check and import)."; \
	  DEBUG=on SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

# On every core (pytest-xdist; each worker has its own test database).
test: install
	$(PY) -m pytest -n auto

# Needs Debian's chromium at /usr/bin/chromium and npm (apt-get install chromium npm):
# axe-core, pinned in package-lock.json, checks every page against WCAG 2.1 AA.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-browser: install node_modules/.installed
	$(PY) -m pytest -m browser

# After changing a range in pyproject.toml: pin the newest versions it allows, with
# their hashes, for production and for development (the same versions in both).
lock: install
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes \
		--no-header --quiet --upgrade -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra browser --python-version 3.11 \
		--generate-hashes --no-header --quiet -c requirements.lock -o requirements-dev.lock

# The database named by DATABASE_URL (default: the SQLite file) to backups/, and back.
# Production runs these with its own environment (.env); DEBUG is on only if unset.
MANAGE := DEBUG=$${DEBUG:-on} $(PY) manage.py
backup: install
	$(MANAGE) backup

# make restore FILE=backups/crisisunit-….dump: into an empty database only, unless
# REPLACE=1 (then what the database holds is dropped first).
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file>"; exit 2; }
	$(MANAGE) restore "$(FILE)" $(if $(REPLACE),--replace)

# Load test of gunicorn on loopback (needs Debian's wrk): the local PostgreSQL unless
# DATABASE_URL says otherwise. Figures in the README, "Load".
load: install
	DATABASE_URL=$${DATABASE_URL:-$$(bash .ci/postgres-setup)} $(PY) bench/load.py

# The benchmark (bench/README.md): 1,000 / 10,000 / 100,000 synthetic placements in a
# database of its own on the PostgreSQL server DATABASE_URL names, then gunicorn + wrk.
bench: install
	DATABASE_URL=$${DATABASE_URL:-$$(bash .ci/postgres-setup)} $(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check .
	DEBUG=on $(VENV)/bin/mypy

check: install
	DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles *.egg-info node_modules
