# digiramme — the two commands a new analyst needs are `make report` and `make test`.
# Each sets up its own environment: the active virtualenv or conda env when there is one,
# otherwise ./.venv made with `python3 -m venv`.

PYTHON ?= python3
# The events `make report` renders, year:event, in KK's order: OFS 25/26 (the first
# udmøntning, spring 2026), Budget 2027 (August 2026, on the 2026 forecast) and OFS 26/27
# (spring 2027, on the 2026 accounts). `make report YEAR=2027 EVENTS=OFS` renders others.
REPORTS ?= 2025:OFS 2027:budget 2026:OFS
EVENTS ?= budget OFS
ifdef YEAR
  REPORTS := $(foreach event,$(EVENTS),$(YEAR):$(event))
endif
REPORT_ARGS ?=

ifneq ($(strip $(VIRTUAL_ENV)$(CONDA_PREFIX)),)
  ENV_DIR := $(if $(VIRTUAL_ENV),$(VIRTUAL_ENV),$(CONDA_PREFIX))
  PY := python
else
  ENV_DIR := .venv
  PY := $(ENV_DIR)/bin/python
endif
STAMP := $(ENV_DIR)/.digiramme-installed

.PHONY: setup report pdf chromium test test-fast test-e2e lint references contracts cli-reference docs lab bench clean

# nbval compares every notebook's fresh outputs with the references in tests/notebooks/
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/notebooks/sanitize.cfg -p no:cacheprovider

setup: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x "$(PY)" ] && [ "$(ENV_DIR)" = ".venv" ]; then \
		echo "Opretter virtuelt miljø i .venv"; $(PYTHON) -m venv .venv; fi
	@echo "Installerer pakkerne i $(ENV_DIR) (første gang 1–2 minutter og ca. 0,8 GB; kræver adgang til PyPI) …"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@echo "Registrerer Jupyter-kernen digiramme …"
	$(PY) -m analysis kernel --quiet
	@# the git filter of .gitattributes: notebooks/ is committed without outputs (nbstripout)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		py=$$($(PY) -c 'import sys; print(sys.executable)'); \
		git config filter.nbstripout.clean "$$py -m nbstripout --keep-id" && \
		git config filter.nbstripout.smudge cat && \
		git config diff.ipynb.textconv "$$py -m nbstripout --keep-id -t"; fi
	@touch $(STAMP)

report: $(STAMP)
	@for report in $(REPORTS); do \
		$(PY) -m analysis report --year $${report%%:*} --event $${report##*:} $(REPORT_ARGS) || exit $$?; \
	done

# PDF for case papers: Debian's Chromium prints the report (installed here when missing).
pdf: $(STAMP) chromium
	@for report in $(REPORTS); do \
		$(PY) -m analysis report --year $${report%%:*} --event $${report##*:} --pdf $(REPORT_ARGS) || exit $$?; \
	done

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installerer Chromium fra Debians pakker"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Everything: lint, the import contract, all tests (renders once per event), and nbval.
test: lint
	$(PY) -m pytest tests
	$(PY) -m pytest $(NBVAL) tests/notebooks

# The fast tier: everything but end-to-end renders, notebook runs and the browser.
test-fast: lint
	$(PY) -m pytest -m "not e2e" tests

# The slow tier alone: renders, notebook runs, the browser, and nbval.
test-e2e: $(STAMP)
	$(PY) -m pytest -m e2e tests
	$(PY) -m pytest $(NBVAL) tests/notebooks

lint: $(STAMP)
	$(PY) -m ruff check analysis tests notebooks
	$(ENV_DIR)/bin/lint-imports --no-cache

# After an intended change to a notebook's output: re-run the nbval references, then commit them.
references: $(STAMP)
	$(PY) tests/notebooks/refresh.py

# After a change to a column contract: rewrite the generated tables in data/README.md.
contracts: $(STAMP)
	$(PY) -m analysis.inputs.contracts data/README.md

# After a change to a command or flag: rewrite docs/cli.md from the parser, then commit it.
cli-reference: $(STAMP)
	$(PY) -m analysis.cli.reference docs/cli.md

# The documentation by role (docs/) as a site in build/site/ (MkDocs, installed on first use).
docs: $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,docs]"
	$(PY) docs/site.py

# JupyterLab refuses to start as root unless told; build machines run as root.
lab: $(STAMP)
	$(PY) -m jupyter lab --notebook-dir=notebooks $(LAB_ARGS) $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) tests/benchmarks/bench_render.py
	$(PY) tests/benchmarks/bench_allocation.py
	$(PY) tests/benchmarks/bench_robustness.py
	$(PY) tests/benchmarks/bench_robustness_page.py --sizes 14,50,100 --margins 0.05 --max-seconds 900
	$(PY) tests/benchmarks/bench_workbench.py --sizes 0,50

# Also removes the notebook filter make setup put in .git/config: it runs .venv's Python,
# so without the venv every `git status` would report a broken filter.
clean:
	rm -rf .venv reports/*-*/ .pytest_cache .ruff_cache
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git config --unset filter.nbstripout.clean || true; \
		git config --unset filter.nbstripout.smudge || true; \
		git config --unset diff.ipynb.textconv || true; fi
