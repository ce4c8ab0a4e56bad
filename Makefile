# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install dev lint typecheck messages compilemessages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

run: install
	$(BIN)/hamkor run

test: dev
	bash scripts/test.sh

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: dev
	$(BIN)/mypy src

messages: dev
	cd src/hamkor && ../../$(BIN)/hamkor makemessages -l ru -l uz -l ky -l en --no-obsolete --no-location

compilemessages: install
	$(BIN)/hamkor compiletranslations

bench: dev
	$(BIN)/python bench/contacts.py

clean:
	rm -rf $(VENV) var
