# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
# `make run PORT=8001` serves on another port; the demo's printed admin address follows it.
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every Python package, transitive ones included, pinned with hashes; `make lock` writes it.
LOCK := requirements/lock.txt
# pip-tools writes the lock from its own environment, so .venv holds exactly what the lock lists.
LOCK_VENV := .venv-lock
PIP_TOOLS := pip==26.3 pip-tools==7.6.2
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: run test lint format setup lock clean

# A changed lock file (or pyproject.toml) builds .venv again from nothing, so a package dropped
# from the lock is gone too. The project itself goes in last, its dependencies already there.
$(STAMP): $(LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r $(LOCK)
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

# Pins what pyproject.toml asks for (and setuptools, which builds the project) with their hashes.
# Existing pins of transitive packages are kept; `make lock UPGRADE="faker sqlparse"` moves those.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(PIP_TOOLS); }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra dev --all-build-deps --no-emit-index-url --no-emit-find-links \
		$(foreach package,$(UPGRADE),--upgrade-package $(package)) \
		--output-file $(LOCK) pyproject.toml

# NEWSROOM_PORT tells load_demo which address to print.
run: setup
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	NEWSROOM_PORT=$(PORT) $(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The browser checks need chromium, Java and the npm packages; the script installs what is
# missing where it can, and otherwise names it (those tests then fail and say so).
test: setup
	scripts/install-test-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Everything the commands above create; a fresh clone's files are left as they are.
clean:
	rm -rf $(VENV) $(LOCK_VENV) node_modules db.sqlite3 media staticfiles artifacts \
		.pytest_cache .ruff_cache .hypothesis *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
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
