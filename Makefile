# digiramme — the two commands a new analyst needs are `make report` and `make test`.
# Each sets up its own environment: the active virtualenv or conda env when there is one,
# otherwise ./.venv made with `python3 -m venv`.

PYTHON ?= python3
# The events `make report` renders, year:event, in KK's order: OFS 25/26 (the first
# udmøntning, spring 2026), Budget 2027 (August 2026, on the 2026 forecast) and OFS 26/27
# (spring 2027, on the 2026 accounts). `make report YEAR=2028 EVENTS=budget` renders that
# year's events; `make report EVENTS=budget` (no YEAR) the default reports of those events
# alone (here Budget 2027), in any case (`EVENTS=ofs`).
DEFAULT_REPORTS := 2025:OFS 2027:budget 2026:OFS
lower = $(shell printf '%s' '$(1)' | tr '[:upper:]' '[:lower:]')
ifdef YEAR
  REPORTS := $(foreach event,$(or $(EVENTS),budget OFS),$(YEAR):$(event))
else ifdef EVENTS
  REPORTS := $(foreach report,$(DEFAULT_REPORTS),$(if $(filter $(call lower,$(lastword $(subst :, ,$(report)))),$(call lower,$(EVENTS))),$(report)))
endif
REPORTS ?= $(DEFAULT_REPORTS)
REPORT_ARGS ?=

ifneq ($(strip $(VIRTUAL_ENV)$(CONDA_PREFIX)),)
  ENV_DIR := $(if $(VIRTUAL_ENV),$(VIRTUAL_ENV),$(CONDA_PREFIX))
  PY := python
else
  ENV_DIR := .venv
  PY := $(ENV_DIR)/bin/python
endif
STAMP := $(ENV_DIR)/.digiramme-installed
# The extras, each installed on first use: the tests (with JupyterLab and Dask, which two of
# them drive), the lab, the docs site, the benchmarks.
TEST_STAMP := $(ENV_DIR)/.digiramme-test-installed
LAB_STAMP := $(ENV_DIR)/.digiramme-lab-installed
DOCS_STAMP := $(ENV_DIR)/.digiramme-docs-installed
INSTALL = $(PY) tools/install.py

.PHONY: setup report pdf chromium test test-fast test-e2e lint references contracts cli-reference docs lab bench lock clean

# nbval compares every notebook's fresh outputs with the references in tests/notebooks/
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/notebooks/sanitize.cfg -p no:cacheprovider

setup: $(STAMP)

# What the reports need, pinned to constraints.txt; pip's own output goes to a log file and
# the terminal gets a Danish line per step (tools/install.py).
$(STAMP): pyproject.toml constraints.txt
	@if [ ! -x "$(PY)" ] && [ "$(ENV_DIR)" = ".venv" ]; then \
		echo "Opretter det virtuelle miljø i .venv ($$($(PYTHON) --version)) …"; $(PYTHON) -m venv .venv; fi
	@$(INSTALL) --upgrade-pip --what "digiramme og de pakker, rapporterne bruger (ca. 0,5 GB)"
	@echo "Registrerer Jupyter-kernen digiramme …"
	@$(PY) -m analysis kernel --quiet
	@# the git filter of .gitattributes: notebooks/ is committed without outputs (nbstripout)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		py=$$($(PY) -c 'import sys; print(sys.executable)'); \
		git config filter.nbstripout.clean "$$py -m nbstripout --keep-id" && \
		git config filter.nbstripout.smudge cat && \
		git config diff.ipynb.textconv "$$py -m nbstripout --keep-id -t"; fi
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	@$(INSTALL) --extras test,lab,dask --what "testværktøjerne (pytest, ruff, Playwright, nbval), JupyterLab og Dask"
	@touch $(TEST_STAMP)

$(LAB_STAMP): $(STAMP)
	@$(INSTALL) --extras lab --what "JupyterLab"
	@touch $(LAB_STAMP)

$(DOCS_STAMP): $(STAMP)
	@$(INSTALL) --extras docs --what "MkDocs"
	@touch $(DOCS_STAMP)

report: $(STAMP)
	@if [ -z "$(strip $(REPORTS))" ]; then \
		echo "EVENTS=$(EVENTS) nævner ingen begivenhed; brug budget og/eller OFS" >&2; exit 2; fi
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
test-e2e: $(TEST_STAMP)
	$(PY) -m pytest -m e2e tests
	$(PY) -m pytest $(NBVAL) tests/notebooks

lint: $(TEST_STAMP)
	$(PY) -m ruff check analysis tests notebooks tools docs
	$(ENV_DIR)/bin/lint-imports --no-cache

# After an intended change to a notebook's output: re-run the nbval references, then commit them.
references: $(TEST_STAMP)
	$(PY) tests/notebooks/refresh.py

# After a change to a column contract: rewrite the generated tables in data/README.md.
contracts: $(STAMP)
	$(PY) -m analysis.inputs.contracts data/README.md

# After a change to a command or flag: rewrite docs/cli.md from the parser, then commit it.
cli-reference: $(STAMP)
	$(PY) -m analysis.cli.reference docs/cli.md

# The documentation by role (docs/) as a site in build/site/ (MkDocs, installed on first use).
docs: $(DOCS_STAMP)
	@$(PY) docs/site.py

# JupyterLab refuses to start as root unless told; build machines run as root.
lab: $(LAB_STAMP)
	$(PY) -m jupyter lab --notebook-dir=notebooks $(LAB_ARGS) $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: $(TEST_STAMP)
	@$(INSTALL) --extras test,lab,dask,bench --what "PuLP (sammenligningen i bench_allocation.py)"
	$(PY) tests/benchmarks/bench_render.py
	$(PY) tests/benchmarks/bench_allocation.py
	$(PY) tests/benchmarks/bench_robustness.py
	$(PY) tests/benchmarks/bench_robustness_page.py --sizes 14,50,100 --margins 0.05 --max-seconds 900
	$(PY) tests/benchmarks/bench_workbench.py --sizes 0,50

# After a change to the dependencies in pyproject.toml: pin every package of every extra again,
# from a fresh environment (build/lock-env), into constraints.txt; then commit it.
lock:
	rm -rf build/lock-env
	$(PYTHON) -m venv build/lock-env
	build/lock-env/bin/python -m pip install --quiet --upgrade pip
	build/lock-env/bin/python -m pip install --quiet -e ".[test,lab,dask,docs,bench]"
	{ sed -n '/^#/p' constraints.txt; build/lock-env/bin/python -m pip freeze --exclude-editable; } > build/constraints.txt
	mv build/constraints.txt constraints.txt
	rm -rf build/lock-env

# Also removes the notebook filter make setup put in .git/config: it runs .venv's Python,
# so without the venv every `git status` would report a broken filter.
clean:
	rm -rf .venv reports/*-*/ .pytest_cache .ruff_cache
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git config --unset filter.nbstripout.clean || true; \
		git config --unset filter.nbstripout.smudge || true; \
		git config --unset diff.ipynb.textconv || true; fi
