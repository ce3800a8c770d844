# Policy handbook. `make html` and `make test` are all a newcomer needs.
# Every target creates .venv and installs the pinned dependencies first (only when
# requirements/*.txt changed: an up-to-date tree does no install work).

PYTHON     ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
BUILD      := _build
SPHINXOPTS ?= -W --keep-going
# The extension package is imported from extensions/ (no install step needed).
export PYTHONPATH := $(CURDIR)/extensions

SPHINX := $(PY) -m sphinx -c . -q $(SPHINXOPTS)

.PHONY: help html html-ja html-en check check-strict json test test-fast serve livehtml gettext diff import align bench clean

help:
	@echo "make html      build the Japanese and English sites and the JSON API into $(BUILD)/html"
	@echo "make check     validate policy/*.yaml only (fast)"
	@echo "make json      emit only the JSON API (sphinx-build -b policyjson)"
	@echo "make test      install test tools (Chromium included) and run the whole suite"
	@echo "make serve     serve $(BUILD)/html on http://127.0.0.1:8000"
	@echo "make livehtml  rebuild the Japanese site on every change to docs/ or policy/"
	@echo "make gettext   update the English catalogs of the pages (docs/locales/en)"
	@echo "make diff DOC=chikugo REV=HEAD~1   新旧対照表 of a guideline against a git revision"
	@echo "make import SRC=file.pdf ID=kurume [MUNICIPALITY=久留米市 PREFECTURE=福岡県]   draft policy/ID.yaml"
	@echo "make align ID=kurume   suggest comparison rows for a guideline"
	@echo "make bench     run the benchmarks in bench/ (NATIONAL=1: at 1,741 municipalities, long)"

$(VENV)/.build-installed: requirements/build.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/build.txt
	touch $@

$(VENV)/.test-installed: requirements/test.txt $(VENV)/.build-installed
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/test.txt
	touch $@

check: $(VENV)/.build-installed
	$(PY) -m policy_handbook check policy

# The sites build with -W, so the content warnings of the check (style,
# terminology, coverage, provenance) fail them too.
check-strict: $(VENV)/.build-installed
	$(PY) -m policy_handbook check -W policy

# Every build writes into $(BUILD)/staging (kept, so Sphinx rebuilds only what
# changed) and is then published as a whole: $(BUILD)/html is a symlink switched
# in one rename to a fresh snapshot (policy_handbook/publish.py). A failed or
# interrupted build leaves the published site as it was; a second build in the
# same tree waits for the first. Both languages build at the same time (one per core).
STAGING := $(BUILD)/staging
PUBLISH := $(PY) -m policy_handbook.publish --build-dir $(BUILD)
html_job = $(1)=$(SPHINX) -b html -D language=$(1) -d $(BUILD)/doctrees/$(1) docs $(STAGING)/$(1)

# `exec`: make's SIGTERM then reaches the publisher, which stops the builds.
html: check-strict
	@exec $(PUBLISH) --copy docs/_root/index.html=index.html --job '$(call html_job,ja)' --job '$(call html_job,en)'

html-ja: check-strict
	@exec $(PUBLISH) --job '$(call html_job,ja)'

html-en: check-strict
	@exec $(PUBLISH) --job '$(call html_job,en)'

# The policyjson builder writes only the API, into its output directory: the
# same files, byte for byte, that `make html` writes there.
json: check-strict
	@exec $(PUBLISH) --job 'api=$(SPHINX) -b policyjson -d $(BUILD)/doctrees/ja docs $(STAGING)/api/v1'

test: $(VENV)/.test-installed
	$(PY) tests/browser_setup.py
	$(PY) -m pytest

# Local names only (no DNS rebinding), no dotfiles; follows each `make html` at once.
serve:
	@test -f $(BUILD)/html/index.html || $(MAKE) html
	$(PY) -m policy_handbook.serve --port 8000 $(BUILD)/html

# Live preview of the Japanese site: rebuilds on every save in docs/, policy/ or
# extensions/ and reloads the browser (no JSON API; *.mo are compiled by the build).
# sphinx-autobuild, answering only a local Host and its reload socket only pages it served.
livehtml: $(VENV)/.test-installed
	$(PY) -m policy_handbook.site.livehtml -c . -D language=ja -D policy_api_dir= --host 127.0.0.1 --port 8000 \
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
import: $(VENV)/.build-installed
	@test -n "$(SRC)" -a -n "$(ID)" || { echo "usage: make import SRC=path/to/guideline.pdf ID=kurume [MUNICIPALITY=… PREFECTURE=… FORCE=1]" >&2; exit 2; }
	$(PY) -m policy_handbook import "$(SRC)" --id "$(ID)" $(if $(MUNICIPALITY),--municipality "$(MUNICIPALITY)") $(if $(PREFECTURE),--prefecture "$(PREFECTURE)") $(if $(FORCE),--force)

align: $(VENV)/.build-installed
	@test -n "$(ID)" || { echo "usage: make align ID=kurume" >&2; exit 2; }
	$(PY) -m policy_handbook align "$(ID)"

# make bench NATIONAL=1: also the 1,741 municipalities of Japan (long; see bench/README.md);
# NATIONAL_PARTS=html (or check,json) measures only those parts of it.
bench: $(VENV)/.test-installed
	$(PY) bench/importer_quality.py
	$(PY) bench/importer_real.py
	$(PY) bench/run.py $(if $(NATIONAL),--national) $(if $(NATIONAL_PARTS),--national-parts $(NATIONAL_PARTS))

clean:
	rm -rf $(BUILD)
