# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# npm ci writes this file; it is newer than the lock file once the browser tools are installed.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: run test lint format setup

# Re-install only when the pinned dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# axe-core for the accessibility checks in tests/test_browser.py (pinned in package-lock.json).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

setup: $(STAMP)

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Scale-out: the task worker, its scheduler and Varnish (docs: README "Production").
# The worker needs CELERY_BROKER_URL (redis://127.0.0.1:6379/0 for the local Redis).
.PHONY: worker beat varnish scale-tools
worker: setup
	$(BIN)/celery -A newsroom worker --loglevel INFO --concurrency 2

beat: setup
	$(BIN)/celery -A newsroom beat --loglevel INFO --schedule /tmp/newsroom-celerybeat

scale-tools:
	sh scripts/install-scale-tools

# Varnish on :6081 in front of `make run` (backends.vcl beside default.vcl names the servers).
varnish: scale-tools
	varnishd -F -j none -a 127.0.0.1:6081 -f $(CURDIR)/deploy/varnish/default.vcl \
		-p vcl_path=$(CURDIR)/deploy/varnish/local:$(CURDIR)/deploy/varnish -n /tmp/newsroom-varnish
