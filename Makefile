# Weerbaar: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
DEV_STAMP := $(VENV)/.dev-installed
BASE_STAMP := $(VENV)/.base-installed
VENDOR := src/weerbaar/static_vendor/vendor/htmx.min.js
RUN_DB ?= sqlite:///$(CURDIR)/var/weerbaar.sqlite3

.PHONY: run test install install-dev assets lint typecheck migrations-check test-sqlite test-postgres browser-deps bench lock messages docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BASE_STAMP): requirements/base.lock | $(PY)
	$(UV) pip sync --quiet --python $(PY) requirements/base.lock
	$(UV) pip install --quiet --python $(PY) uv==$(UV_VERSION)
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	rm -f $(DEV_STAMP)
	touch $@

$(DEV_STAMP): requirements/dev.lock | $(PY)
	$(UV) pip sync --quiet --python $(PY) requirements/dev.lock
	$(UV) pip install --quiet --python $(PY) uv==$(UV_VERSION)
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	touch $@ $(BASE_STAMP)

install: $(BASE_STAMP)
install-dev: $(DEV_STAMP)

$(VENDOR): frontend/package.json frontend/package-lock.json | $(PY)
	$(PY) frontend/build.py

assets: $(VENDOR)

## make run: the app with an embedded SQLite database and the demo data on http://127.0.0.1:8000
run: install assets
	mkdir -p var
	DATABASE_URL=$(RUN_DB) $(PY) manage.py migrate --no-input
	DATABASE_URL=$(RUN_DB) $(PY) manage.py load_demo
	DATABASE_URL=$(RUN_DB) $(PY) manage.py runserver 127.0.0.1:8000

## make test: lint, types, migrations, then the whole suite on SQLite and on PostgreSQL
test: install-dev assets browser-deps
	bash scripts/test.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev
	$(VENV)/bin/mypy

browser-deps:
	bash scripts/browser-deps.sh

bench: install-dev assets
	$(PY) benchmarks/run.py

messages: install-dev
	cd src/weerbaar && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete --add-location file && ../../$(PY) ../../manage.py compilemessages -l en

docs: install-dev
	$(PY) manage.py permissions_doc

lock: | $(PY)
	$(UV) pip compile pyproject.toml --quiet --universal --python-version 3.11 -o requirements/base.lock
	$(UV) pip compile pyproject.toml --quiet --universal --python-version 3.11 --extra dev -o requirements/dev.lock

clean:
	rm -rf $(VENV) var frontend/node_modules src/weerbaar/static_vendor .pytest_cache .mypy_cache .ruff_cache
