# `make run` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.13 or 3.12 that actually runs (a pyenv shim may exist without working).
PYTHON ?= $(shell for c in python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do \
	if $$c -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$c || echo $$c; break; fi; done)

.PHONY: run prod test messages migrate demo worker web lint bench bench-large bench-documents loadtest loadtest-dev clean check-python

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

# Server time of the busiest pages next to the trivial view and Django admin's participant list, on generated
# data rolled back afterwards: SIZE=small (50 organisations, 1,500 learners, 30,000 days) on DATABASE_URL (SQLite
# by default). SIZE=large, or make bench-large: small and then ten times that (500 organisations, 15,000 learners,
# 300,000 days) on PostgreSQL, printed side by side; fails if a page's query count or multiple of the trivial view
# grows with the data.
SIZE ?= small
bench: $(VENV)/.installed
	@if [ "$(SIZE)" = large ]; then $(MAKE) --no-print-directory bench-large; else \
	  $(BIN)/python manage.py migrate --no-input -v0 && $(BIN)/python manage.py bench_attendance --sizes $(SIZE); fi

bench-large: $(VENV)/.installed
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) \
	  echo "error: make bench-large needs PostgreSQL, and DATABASE_URL is '$${DATABASE_URL:-unset: SQLite}'."; \
	  echo "       e.g. createdb -h 127.0.0.1 -U postgres bench; DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench-large"; \
	  exit 1;; esac
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py bench_attendance --sizes small,large

# Document rendering on a scratch database and broker in var/bench: floor, one certificate, a placement's ZIP.
bench-documents: $(VENV)/.installed
	rm -rf var/bench && mkdir -p var/bench
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench/bench.sqlite3 VAR_DIR=$(CURDIR)/var/bench CELERY_BROKER_URL= REDIS_URL= \
		$(BIN)/python manage.py bench_documents

# `make prod` on a scratch PostgreSQL database (LOADTEST_DB, created and dropped here), Redis db 8 (flushed before
# and after) and files in var/loadtest, with production settings (a new SECRET_KEY, DEBUG off, ALLOWED_HOSTS);
# gunicorn on LOADTEST_PORT, as behind nginx (X-Forwarded-Proto: https). The demo plus ten schools of 31 mentors
# with 16 learners each (310 mentors), their sessions made directly in the session store. Prints: the demo's
# 16-certificate ZIP on the quiet server; the morning peak, each learner saved once within LOADTEST_WINDOW seconds
# (600: about 8 saves a second; LOADTEST_PEAK runs only its first seconds, for a quick run at the same rate), p95 of
# the saves and the ZIP asked for during it; saturation, LOADTEST_SECONDS each of the trivial view and of saves
# without pause, requests a second and CPU ms a request. Then checks that every acknowledged save is in the
# database, and stops what it started.
LOADTEST_PORT ?= 8765
LOADTEST_WINDOW ?= 600
LOADTEST_PEAK ?= $(LOADTEST_WINDOW)
LOADTEST_SECONDS ?= 30
LOADTEST_SCHOOLS ?= 10
LOADTEST_DB ?= loadtest
LOADTEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432
LOADTEST_REDIS ?= redis://127.0.0.1:6379/8
LOADTEST_WEB_CONCURRENCY ?= 5
loadtest: messages
	rm -rf var/loadtest && mkdir -p var/loadtest/files
	@set -e; case "$(LOADTEST_DB)" in *load*) ;; *) echo "error: LOADTEST_DB must contain 'load' (a scratch database)"; exit 1;; esac; \
	export DJANGO_ENV=production DEBUG=0 ALLOWED_HOSTS=$(HOST),localhost SITE_URL=https://$(HOST) \
	  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  DATABASE_URL=$(LOADTEST_POSTGRES)/$(LOADTEST_DB) REDIS_URL=$(LOADTEST_REDIS) CELERY_BROKER_URL=$(LOADTEST_REDIS) \
	  S3_BUCKET= PRIVATE_FILES_ROOT=$(CURDIR)/var/loadtest/files VAR_DIR=$(CURDIR)/var/loadtest LOG_FORMAT=text \
	  GUNICORN_BIND=$(HOST):$(LOADTEST_PORT) WEB_CONCURRENCY=$(LOADTEST_WEB_CONCURRENCY) EMAIL_HOST=127.0.0.1; \
	cleanup() { psql -q "$(LOADTEST_POSTGRES)/postgres" -c "DROP DATABASE IF EXISTS $(LOADTEST_DB) WITH (FORCE)"; \
	  redis-cli -u $(LOADTEST_REDIS) flushdb > /dev/null; }; \
	cleanup; psql -q "$(LOADTEST_POSTGRES)/postgres" -c "CREATE DATABASE $(LOADTEST_DB)"; \
	$(BIN)/python manage.py migrate --no-input -v0; $(BIN)/python manage.py load_demo > /dev/null; \
	echo "Starting make prod (log: var/loadtest/prod.log) …"; \
	setsid $(MAKE) --no-print-directory prod > var/loadtest/prod.log 2>&1 & prod=$$!; \
	trap 'rc=$$?; set +e; kill -TERM -- -$$prod 2>/dev/null; wait $$prod 2>/dev/null; sleep 2; cleanup; exit $$rc' EXIT; \
	$(BIN)/python manage.py loadtest --url http://$(HOST):$(LOADTEST_PORT) --https --schools $(LOADTEST_SCHOOLS) \
	  --certificates --window $(LOADTEST_WINDOW) --peak $(LOADTEST_PEAK) --seconds $(LOADTEST_SECONDS) \
	  --server-group $$prod --wait 600 --i-know-this-changes-the-database

# The small variant on a laptop: a mentor for each of the demo's learners against the development server of `make run` (without its reloader)
# on SQLite, on a fresh demo database in var/loadtest (never db.sqlite3).
loadtest-dev: messages
	rm -rf var/loadtest && mkdir -p var/loadtest
	@export DATABASE_URL=sqlite:///$(CURDIR)/var/loadtest/db.sqlite3 VAR_DIR=$(CURDIR)/var/loadtest CELERY_BROKER_URL= REDIS_URL=; \
	$(BIN)/python manage.py migrate --no-input -v0 && $(BIN)/python manage.py load_demo > /dev/null && \
	{ $(BIN)/python manage.py runserver --noreload $(HOST):$(LOADTEST_PORT) > var/loadtest/server.log 2>&1 & server=$$!; \
	  trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null' EXIT; \
	  $(BIN)/python manage.py loadtest --url http://$(HOST):$(LOADTEST_PORT) --window $(LOADTEST_WINDOW) \
		--peak $(LOADTEST_PEAK) --seconds $(LOADTEST_SECONDS) --wait 60 --i-know-this-changes-the-database; }

# ruff on everything; mypy (django-stubs) on the typed modules listed in mypy.ini.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache
