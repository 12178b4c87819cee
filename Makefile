# Sinergi Sakti — every command you need. `make` alone lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := config.settings

.DEFAULT_GOAL := help
.PHONY: help install demo serve migrate seed test test-postgres e2e lint types fuzz bench bench-opinion bench-routing messages clean

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

migrate: $(STAMP) ## Apply database migrations (SQLite in var/ unless DATABASE_URL is set)
	mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate ## Load Kota Blitar data and the fictional demo (idempotent)
	$(PY) manage.py seed_demo

demo: seed ## Set up and serve the demo on http://127.0.0.1:8000
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true
	@echo "Demo accounts are listed in README.md (password: demo-Sakti-2026)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) ## Run the whole test suite (SQLite; PostgreSQL when DATABASE_URL points to one)
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(PY) -m pytest -n 2 -q

e2e: $(STAMP) ## Browser tests with Playwright and /usr/bin/chromium
	$(PY) -m pytest -q -m e2e tests/e2e

lint: $(STAMP) ## ruff + mypy + migrations check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run

fuzz: $(STAMP) ## Long fuzz run of the API and every form, with random seeds
	SINERGI_FUZZ_RANDOM=1 SINERGI_FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-150} SINERGI_FUZZ_FORM_EXAMPLES=$${FUZZ_EXAMPLES:-60} \
		$(PY) -m pytest -n 2 -q tests/test_api_fuzz.py tests/test_form_fuzz.py

bench: $(STAMP) ## HTTP benchmark against gunicorn with a large seeded database
	$(PY) bench/http.py

bench-opinion: $(STAMP) ## Opinion engine vs red-dwarf 0.4.0 (installed in /tmp for the run only)
	$(PY) bench/opinion.py

bench-routing: $(STAMP) ## Aspiration routing: macro-F1 and time per text vs keyword and majority baselines
	$(PY) bench/routing.py

messages: $(STAMP) ## Update and compile translation catalogues
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var staticfiles
