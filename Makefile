# Policy handbook. `make html` and `make test` are all a newcomer needs.
# Every target creates .venv and installs the pinned dependencies first (only when
# requirements/*.txt changed: an up-to-date tree does no install work).

PYTHON     ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
BUILD      := _build
SPHINXOPTS ?= -W --keep-going
# CURDIR is make's own (the folder it runs in): given on the command line, its text would be
# expanded just below (`make check CURDIR='$$(shell …)'` ran the command), so it is refused first.
$(if $(filter command line,$(origin CURDIR)),$(error CURDIR is make's own name, not a setting))
# The extension package is imported from extensions/ (no install step needed).
export PYTHONPATH := $(CURDIR)/extensions

# The variables a user sets (PYTHON, SPHINXOPTS, DOC, REV, SRC, ID, MUNICIPALITY,
# PREFECTURE, FORCE, NATIONAL, NATIONAL_PARTS) are data, never make or shell code: no
# recipe holds their text. Each reaches its program unexpanded, in an environment
# variable set with $(value …), and the program parses it (policy_handbook/makevars.py:
# SPHINXOPTS split into words by shlex, FORCE only 1/yes/true). A variable given on the
# command line is not exported to recipes either (make would expand it to export it),
# and the Makefile's own names below cannot be set from it.
unexport $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $v)),$(v)))
$(foreach v,VENV PY BUILD STAGING SPHINX PUBLISH PYTHONPATH html_job,$(if $(filter command line,$(origin $(v))),\
  $(error $(v) is this Makefile's own name, not a setting)))
export POLICY_MAKE_PYTHON = $(value PYTHON)
export POLICY_SPHINXOPTS = $(value SPHINXOPTS)
# bench's recipe names NATIONAL and NATIONAL_PARTS: NATIONAL becomes a yes/no flag (1/yes/true),
# NATIONAL_PARTS a reference to its text in the environment, which the shell expands inside
# double quotes (one word, nothing evaluated). := takes the text before the override.
export POLICY_BENCH_NATIONAL_PARTS := $(value NATIONAL_PARTS)
override NATIONAL_PARTS := $(if $(value NATIONAL_PARTS),"$$POLICY_BENCH_NATIONAL_PARTS")
override NATIONAL := $(filter 1 yes true YES Yes TRUE True,$(value NATIONAL))

# sphinx-build with SPHINXOPTS from POLICY_SPHINXOPTS (the wrapper execs it without a shell).
SPHINX := $(PY) -m policy_handbook.makevars sphinx -c . -q

.PHONY: help html html-ja html-en check check-strict json test test-fast lint serve livehtml gettext diff import align bench clean

help:
	@echo "make html      build the Japanese and English sites and the JSON API into $(BUILD)/html"
	@echo "make check     validate policy/*.yaml only (fast)"
	@echo "make json      emit only the JSON API (sphinx-build -b policyjson)"
	@echo "make test      install test tools (Chromium included) and run the whole suite"
	@echo "make test-fast every test that needs no browser (no Chromium install)"
	@echo "make lint      ruff check and mypy on the package"
	@echo "make serve     serve $(BUILD)/html on http://127.0.0.1:8000"
	@echo "make livehtml  rebuild the Japanese site on every change to docs/ or policy/"
	@echo "make gettext   update the English catalogs of the pages (docs/locales/en)"
	@echo "make diff DOC=chikugo REV=HEAD~1   新旧対照表 of a guideline against a git revision"
	@echo "make import SRC=file.pdf ID=kurume [MUNICIPALITY=久留米市 PREFECTURE=福岡県]   draft policy/ID.yaml"
	@echo "make align ID=kurume   suggest comparison rows for a guideline"
	@echo "make bench     run the benchmarks in bench/ (NATIONAL=1: at 1,741 municipalities, long)"

$(VENV)/.build-installed: requirements/build.txt
	test -x $(PY) || "$$POLICY_MAKE_PYTHON" -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/build.txt
	touch $@

$(VENV)/.test-installed: requirements/test.txt $(VENV)/.build-installed
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/test.txt
	touch $@

check: $(VENV)/.build-installed
	$(PY) -m policy_handbook check --pages docs policy

# The sites build with -W, so the content warnings of the check (style,
# terminology, coverage, provenance) fail them too.
check-strict: $(VENV)/.build-installed
	$(PY) -m policy_handbook check -W --pages docs policy

# Every build writes into $(BUILD)/staging (kept, so Sphinx rebuilds only what
# changed) and is then published as a whole: $(BUILD)/html is a symlink switched
# in one rename to a fresh snapshot (policy_handbook/publish.py). A failed or
# interrupted build leaves the published site as it was; a second build in the
# same tree waits for the first. Both languages build at the same time (one per core).
STAGING := $(BUILD)/staging
PUBLISH := $(PY) -m policy_handbook.publish --build-dir $(BUILD)
html_job = $(1)=$(SPHINX) -b html -D language=$(1) -d $(BUILD)/doctrees/$(1) docs $(STAGING)/$(1)

# The JSON API has one writer, the policyjson builder, run as a third job into
# $(STAGING)/api/v1 (the sites' pages link to ../api/v1); it reads the pages like
# the ja build (the clause URLs are where they render each clause).
api_job = api=$(SPHINX) -b policyjson -d $(BUILD)/doctrees/api docs $(STAGING)/api/v1

# `exec`: make's SIGTERM then reaches the publisher, which stops the builds.
html: check-strict
	@exec $(PUBLISH) --copy docs/_root/index.html=index.html --job '$(call html_job,ja)' --job '$(call html_job,en)' --job '$(api_job)'

html-ja: check-strict
	@exec $(PUBLISH) --job '$(call html_job,ja)'

html-en: check-strict
	@exec $(PUBLISH) --job '$(call html_job,en)'

# The API alone: the same job as make html's third.
json: check-strict
	@exec $(PUBLISH) --job '$(api_job)'

test: $(VENV)/.test-installed
	$(PY) tests/browser_setup.py
	$(PY) -m pytest

# Every test that drives no browser (@pytest.mark.browser; tests/conftest.py refuses
# a test that uses the Chromium fixture unmarked): no Chromium needed.
test-fast: $(VENV)/.test-installed
	$(PY) -m pytest -m "not browser"

# ruff's checks, its formatter (check only: `ruff format extensions tests bench` formats)
# and mypy, configured in pyproject.toml; CI runs it (.ci/run).
lint: $(VENV)/.test-installed
	$(PY) -m ruff check extensions tests bench
	$(PY) -m ruff format --check extensions tests bench
	$(PY) -m mypy

# Local names only (no DNS rebinding), no dotfiles; follows each `make html` at once.
serve:
	@test -f $(BUILD)/html/index.html || $(MAKE) html
	$(PY) -m policy_handbook.serve --port 8000 $(BUILD)/html

# Live preview of the Japanese site: rebuilds on every save in docs/, policy/ or
# extensions/ and reloads the browser (no JSON API; *.mo are compiled by the build).
# sphinx-autobuild, answering only a local Host and its reload socket only pages it served.
livehtml: $(VENV)/.test-installed
	$(PY) -m policy_handbook.site.livehtml -c . -D language=ja --host 127.0.0.1 --port 8000 \
	  --watch policy --watch extensions --ignore "*.mo" --ignore "*/__pycache__/*" \
	  -d $(BUILD)/doctrees/live docs $(BUILD)/live

# Update the pages' English catalogs (docs/locales/en/LC_MESSAGES/*.po) after
# editing a page; then fill in the empty msgstr entries.
gettext: $(VENV)/.build-installed
	rm -rf $(BUILD)/gettext  # templates of earlier builds (a renamed page) must not come back
	$(SPHINX) -b gettext -d $(BUILD)/doctrees/gettext docs $(BUILD)/gettext
	$(PY) -m policy_handbook.site.po_update $(BUILD)/gettext docs/locales en

DOC ?= chikugo
REV ?= HEAD~1
# DOC and REV reach the command as environment variables, unexpanded ($(value)):
# no shell and no make function ever sees them. The command accepts only a known
# guideline ID and a revision `git rev-parse --verify` knows, and names the file
# _build/diff/<DOC>-<REV reduced to [A-Za-z0-9._-]>.html itself.
# (make would otherwise expand and export command-line variables to every recipe.)
unexport DOC REV
diff: export POLICY_DIFF_DOC = $(value DOC)
diff: export POLICY_DIFF_REV = $(value REV)
diff: $(VENV)/.build-installed
	$(PY) -m policy_handbook diff

# Import a published text or PDF as a draft guideline (see README "Adding a municipality").
# SRC, ID, MUNICIPALITY, PREFECTURE and FORCE reach the command unexpanded (see the top).
unexport SRC ID MUNICIPALITY PREFECTURE FORCE
import: export POLICY_IMPORT_SRC = $(value SRC)
import: export POLICY_IMPORT_ID = $(value ID)
import: export POLICY_IMPORT_MUNICIPALITY = $(value MUNICIPALITY)
import: export POLICY_IMPORT_PREFECTURE = $(value PREFECTURE)
import: export POLICY_IMPORT_FORCE = $(value FORCE)
import: $(VENV)/.build-installed
	@$(PY) -m policy_handbook.makevars import

align: export POLICY_ALIGN_ID = $(value ID)
align: $(VENV)/.build-installed
	@$(PY) -m policy_handbook.makevars align

# make bench NATIONAL=1: also the 1,741 municipalities of Japan (long; see bench/README.md);
# NATIONAL_PARTS=html (or check,json) measures only those parts of it.
bench: $(VENV)/.test-installed
	$(PY) bench/importer_quality.py
	$(PY) bench/importer_real.py
	$(PY) bench/run.py $(if $(NATIONAL),--national) $(if $(NATIONAL_PARTS),--national-parts $(NATIONAL_PARTS))

clean:
	rm -rf $(BUILD)
