# `make demo` and `make test` do all the set-up on a fresh machine (Python 3.11+ and a package index).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-fast lint bench clean

install: $(STAMP)

# Re-install only when the project's metadata changed; the editable install picks up code changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/tiswatch demo --out out

# As root, also Debian's chromium and Thai fonts for the review desk's browser tests (.ci/browser.sh
# installs only what is missing); otherwise those tests skip (or fail under CI=true).
test: install
	@if [ "$$(id -u)" -eq 0 ]; then .ci/browser.sh || echo "make: chromium not installed; browser tests will skip"; fi
	$(BIN)/python -m pytest

# The inner loop: everything but the subprocess crawls, browsers and service clusters (marked slow).
test-fast: install
	$(BIN)/python -m pytest -m 'not slow' -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy tiswatch crawler matchers pipelines standards_data benchmarks

clean:
	rm -rf $(VENV) out build *.egg-info
