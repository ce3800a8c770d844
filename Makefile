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

.PHONY: help html html-ja html-en check json test test-fast serve livehtml gettext diff bench clean

help:
	@echo "make html      build the Japanese and English sites and the JSON API into $(BUILD)/html"
	@echo "make check     validate policy/*.yaml only (fast)"
	@echo "make json      emit only the JSON API (sphinx-build -b policyjson)"
	@echo "make test      install test tools (Chromium included) and run the whole suite"
	@echo "make serve     serve $(BUILD)/html on http://127.0.0.1:8000"
	@echo "make livehtml  rebuild the Japanese site on every change to docs/ or policy/"
	@echo "make gettext   update the English catalogs of the pages (docs/locales/en)"
	@echo "make diff DOC=chikugo REV=HEAD~1   新旧対照表 of a guideline against a git revision"
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

# Both languages build at the same time (one per core); either failing fails the target.
html: check
	@mkdir -p $(BUILD)/html
	@rc=0; \
	$(SPHINX) -b html -D language=ja -d $(BUILD)/doctrees/ja docs $(BUILD)/html/ja & ja=$$!; \
	$(SPHINX) -b html -D language=en -d $(BUILD)/doctrees/en docs $(BUILD)/html/en & en=$$!; \
	wait $$ja || rc=1; wait $$en || rc=1; \
	if [ $$rc -ne 0 ]; then rm -rf $(BUILD)/html/api; echo "build failed: see the warnings above" >&2; exit 1; fi
	@cp docs/_root/index.html $(BUILD)/html/index.html
	@echo "built: $(BUILD)/html/index.html (ja/, en/, api/v1/)"

html-ja: check
	$(SPHINX) -b html -D language=ja -d $(BUILD)/doctrees/ja docs $(BUILD)/html/ja

html-en: check
	$(SPHINX) -b html -D language=en -d $(BUILD)/doctrees/en docs $(BUILD)/html/en

# The policyjson builder writes only the API, into its output directory: the
# same files, byte for byte, that `make html` writes there.
json: check
	$(SPHINX) -b policyjson -d $(BUILD)/doctrees/ja docs $(BUILD)/html/api/v1
	@echo "built: $(BUILD)/html/api/v1/"

test: $(VENV)/.test-installed
	$(PY) tests/browser_setup.py
	$(PY) -m pytest

serve:
	@test -f $(BUILD)/html/index.html || $(MAKE) html
	@echo "serving $(BUILD)/html on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory $(BUILD)/html

# Live preview of the Japanese site: rebuilds on every save in docs/, policy/ or
# extensions/ and reloads the browser (no JSON API; *.mo are compiled by the build).
livehtml: $(VENV)/.test-installed
	$(PY) -m sphinx_autobuild -c . -D language=ja -D policy_api_dir= --host 127.0.0.1 --port 8000 \
	  --watch policy --watch extensions --ignore "*.mo" --ignore "*/__pycache__/*" \
	  -d $(BUILD)/doctrees/live docs $(BUILD)/live

# Update the pages' English catalogs (docs/locales/en/LC_MESSAGES/*.po) after
# editing a page; then fill in the empty msgstr entries.
gettext: $(VENV)/.build-installed
	$(SPHINX) -b gettext -d $(BUILD)/doctrees/gettext docs $(BUILD)/gettext
	$(PY) -m policy_handbook.site.po_update $(BUILD)/gettext docs/locales en

DOC ?= chikugo
REV ?= HEAD~1
diff: $(VENV)/.build-installed
	$(PY) -m policy_handbook diff --document $(DOC) --rev $(REV) --output $(BUILD)/diff/$(DOC)-$(subst /,_,$(subst ~,_,$(REV))).html

# make bench NATIONAL=1: also the 1,741 municipalities of Japan (long; see bench/README.md)
bench: $(VENV)/.test-installed
	$(PY) bench/run.py $(if $(NATIONAL),--national)

clean:
	rm -rf $(BUILD)
