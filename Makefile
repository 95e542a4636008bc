# One command proves the tree is sound: `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test lint typecheck unit install clean demo system-test system-demo soak image-test

# Debian packages a fresh machine may lack (PostgreSQL and Chromium for the tests).
system-test:
	@scripts/system-packages test

system-demo:
	@scripts/system-packages demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile
	$(BIN)/lint-imports --no-logo

typecheck: $(STAMP)
	$(BIN)/mypy --strict bot

unit: $(STAMP)
	$(BIN)/pytest

test: system-test lint typecheck unit

# The crash and replica tests 20 times in a row (SOAK_ROUNDS=n for another count); not in `test`.
SOAK_ROUNDS ?= 20
soak: system-test $(STAMP)
	scripts/soak $(SOAK_ROUNDS)

# The image built with podman and run alone and under compose (scripts/image-smoke); not in `test`.
image-test: system-demo $(STAMP)
	scripts/image-smoke

# The simulator, the bot and a local Slack workspace in the browser; prints the URL to open.
demo: system-demo $(STAMP)
	$(BIN)/aihc-bot demo

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .import_linter_cache
