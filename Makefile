# `make run` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.13 or 3.12 that actually runs (a pyenv shim may exist without working).
PYTHON ?= $(shell for c in python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do \
	if $$c -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$c || echo $$c; break; fi; done)

.PHONY: run prod test messages migrate demo worker web lint bench bench-documents loadtest clean check-python

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: this project needs Python 3.12 or newer (python3.13 or python3.12 with the venv module)."; \
		echo "       Install one (Debian/Ubuntu: apt-get install python3.12 python3.12-venv) or run 'make PYTHON=/path/to/python3.12 ...'."; \
		exit 1; fi

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

locale/ro/LC_MESSAGES/django.mo locale/pt/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv -l $* -v0
	touch $@

messages: locale/ro/LC_MESSAGES/django.mo locale/pt/LC_MESSAGES/django.mo

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input -v0

demo: migrate
	$(BIN)/python manage.py load_demo --if-empty

# Web server and Celery worker together; Ctrl+C stops both.
run: messages demo
	@echo "Starting the web server on http://$(HOST):$(PORT)/ and a Celery worker (Ctrl+C stops both)."
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A mobility worker -Q default,documents --beat --schedule var/celerybeat-schedule --loglevel=INFO --concurrency=2 & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production processes on this machine, against PostgreSQL, Redis and S3 (or a shared folder) from the
# environment (deploy/mobility.env.example): gunicorn, a documents worker, a mail-and-periodic worker and beat.
# Refuses development settings (manage.py check_production). Ctrl+C stops them all. deploy/ has the same as
# systemd units, with an nginx site in front.
PROD_DOCUMENT_WORKERS ?= 2
prod: messages
	$(BIN)/python manage.py check_production --connect
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py collectstatic --no-input -v0
	@rm -rf var/prometheus && mkdir -p var/prometheus
	@echo "Starting gunicorn on $${GUNICORN_BIND:-127.0.0.1:8000}, two Celery workers (documents; default) and beat (Ctrl+C stops all)."
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A mobility worker -Q documents -n documents@%h --concurrency=$(PROD_DOCUMENT_WORKERS) --loglevel=INFO & \
	$(BIN)/celery -A mobility worker -Q default -n default@%h --concurrency=2 --loglevel=INFO & \
	$(BIN)/celery -A mobility beat --schedule var/celerybeat-schedule --loglevel=INFO & \
	PROMETHEUS_MULTIPROC_DIR=$(CURDIR)/var/prometheus $(BIN)/gunicorn -c deploy/gunicorn.conf.py mobility.wsgi:application

# The suite on TEST_WORKERS processes (pytest-xdist; tests/parallel.py keeps them apart); TEST_WORKERS=0 runs it
# in this process.
TEST_WORKERS ?= 2
test: messages
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# Server time of the busiest pages on 50 projects, 1,500 learners and 30,000 days, next to the trivial view and
# Django admin's participant list (rolled back afterwards).
bench: migrate
	$(BIN)/python manage.py bench_attendance

# Document rendering on a scratch database and broker in var/bench: floor, one certificate, a placement's ZIP.
bench-documents: $(VENV)/.installed
	rm -rf var/bench && mkdir -p var/bench
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench/bench.sqlite3 VAR_DIR=$(CURDIR)/var/bench CELERY_BROKER_URL= REDIS_URL= \
		$(BIN)/python manage.py bench_documents

# 31 mentors save attendance at once for a minute against the development server of `make run` (without its
# reloader, which others' edits would trigger) on LOADTEST_PORT, on a fresh demo database in var/loadtest (never
# db.sqlite3); prints requests per second, p95 latency and errors, then checks that every save is in the database.
LOADTEST_PORT ?= 8765
LOADTEST_SECONDS ?= 60
LOADTEST_THINK ?= 0
loadtest: messages
	rm -rf var/loadtest && mkdir -p var/loadtest
	@export DATABASE_URL=sqlite:///$(CURDIR)/var/loadtest/db.sqlite3 VAR_DIR=$(CURDIR)/var/loadtest CELERY_BROKER_URL= REDIS_URL=; \
	$(BIN)/python manage.py migrate --no-input -v0 && $(BIN)/python manage.py load_demo > /dev/null && \
	{ $(BIN)/python manage.py runserver --noreload $(HOST):$(LOADTEST_PORT) > var/loadtest/server.log 2>&1 & server=$$!; \
	  trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null' EXIT; \
	  $(BIN)/python manage.py loadtest --url http://$(HOST):$(LOADTEST_PORT) --seconds $(LOADTEST_SECONDS) \
		--think $(LOADTEST_THINK) --wait 60 --i-know-this-changes-the-database; }

# ruff on everything; mypy (django-stubs) on the typed modules listed in mypy.ini.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache
