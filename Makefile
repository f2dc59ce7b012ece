# digiramme — the two commands a new analyst needs are `make report` and `make test`.
# Each sets up its own environment: the active virtualenv or conda env when there is one,
# otherwise ./.venv made with `python3 -m venv`.

PYTHON ?= python3
YEAR ?= 2026
EVENTS ?= budget OFS
REPORT_ARGS ?=

ifneq ($(strip $(VIRTUAL_ENV)$(CONDA_PREFIX)),)
  ENV_DIR := $(if $(VIRTUAL_ENV),$(VIRTUAL_ENV),$(CONDA_PREFIX))
  PY := python
else
  ENV_DIR := .venv
  PY := $(ENV_DIR)/bin/python
endif
STAMP := $(ENV_DIR)/.digiramme-installed

.PHONY: setup report pdf chromium test lint lab bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x "$(PY)" ] && [ "$(ENV_DIR)" = ".venv" ]; then \
		echo "Opretter virtuelt miljø i .venv"; $(PYTHON) -m venv .venv; fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m analysis kernel --quiet
	@touch $(STAMP)

report: $(STAMP)
	@for event in $(EVENTS); do \
		$(PY) -m analysis report --year $(YEAR) --event $$event $(REPORT_ARGS) || exit $$?; \
	done

# PDF for case papers: Debian's Chromium prints the report (installed here when missing).
pdf: $(STAMP) chromium
	@for event in $(EVENTS); do \
		$(PY) -m analysis report --year $(YEAR) --event $$event --pdf $(REPORT_ARGS) || exit $$?; \
	done

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installerer Chromium fra Debians pakker"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP)
	$(PY) -m ruff check analysis tests
	$(PY) -m pytest tests
	$(PY) -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider notebooks

lint: $(STAMP)
	$(PY) -m ruff check analysis tests

# JupyterLab refuses to start as root unless told; build machines run as root.
lab: $(STAMP)
	$(PY) -m jupyter lab --notebook-dir=notebooks $(LAB_ARGS) $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) tests/benchmarks/bench_render.py
	$(PY) tests/benchmarks/bench_allocation.py
	$(PY) tests/benchmarks/bench_robustness.py

clean:
	rm -rf .venv reports/*-*/ .pytest_cache .ruff_cache
