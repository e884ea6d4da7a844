# The course's interface for trainers and developers. `make help` lists the targets.
PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
BUILD     := _build
STAMP     := $(VENV)/.installed
# warnings are errors, but every error is reported; nitpicky; parallel
SPHINXOPTS ?= -W --keep-going -n -j auto
PYTEST_ARGS ?=

.PHONY: help setup html formateur notebooks hub lms session test test-tools lint bench live clean

help:
	@echo "make html       édition apprenant  -> $(BUILD)/html (installe l'environnement si besoin)"
	@echo "make formateur  édition formateur  -> $(BUILD)/formateur"
	@echo "make lms        paquets SCORM 1.2/2004 et banques Moodle XML/GIFT -> $(BUILD)/lms"
	@echo "make session    kit de session du formateur (programme, tests, émargement…) -> $(BUILD)/session"
	@echo "                SESSION=fichier.yaml (par défaut : session-exemple.yaml)"
	@echo "make notebooks  notebooks apprenant pour JupyterHub/Binder -> $(BUILD)/notebooks"
	@echo "make hub        JupyterHub d'atelier sur cette machine, jusqu'à Ctrl-C -> $(BUILD)/hub"
	@echo "                APPRENANTS=12 PORT=8000 (MOT_DE_PASSE=… pour le choisir)"
	@echo "make test       tous les tests (installe les outils npm des tests si npm est là)"
	@echo "make bench      banc d'essai (durées de build, poids des pages, Jupyter Book) -> $(BUILD)/bench"
	@echo "make live       édition apprenant reconstruite à chaque enregistrement, servie sur http://127.0.0.1:8000"
	@echo "                (en cas d'erreur : dernière version réussie + bandeau ; LIVE_PORT=8001,"
	@echo "                EDITION=formateur pour l'édition formateur)"
	@echo "make clean      supprime tout ce qui est généré"

# -- environment: a local virtualenv, pinned by constraints.txt ---------------------------
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Erreur : Python 3.11 ou plus récent est requis ($(PYTHON))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) \
	  || { rm -rf $(VENV); echo "Erreur : impossible de créer $(VENV). Sur Debian/Ubuntu : sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)

# -- the two editions ----------------------------------------------------------------------
# Every output is built aside and published only when its build succeeded (course/publish.py):
# on failure, Ctrl-C or kill, the previous output stays as it was and the message says so; the
# staged doctrees are dropped too, so the next build reports every problem again. A second
# build of the same output while one runs is refused. `course sphinx` is sphinx-build with the
# course's errors told in French (no crash banner; -v for the traceback).
PUBLISH := $(BIN)/python -m course publish

define sphinx
	$(PUBLISH) $(BUILD)/$(1) --doctrees $(BUILD)/doctrees/$(1) --incremental -- \
	  sphinx -b html $(SPHINXOPTS) -d {doctrees} $(2) . {out}
endef

html: $(STAMP)
	$(call sphinx,html,)

formateur: $(STAMP)
	$(call sphinx,formateur,-D course_edition=formateur)

lms: html
	$(PUBLISH) $(BUILD)/lms --kind lms -- lms --site $(BUILD)/html --out {out}

SESSION ?= session-exemple.yaml
session: html formateur
	$(PUBLISH) $(BUILD)/session --kind session -- session --site $(BUILD)/html \
	  --formateur-site $(BUILD)/formateur --session $(SESSION) --out {out}

notebooks: $(STAMP)
	$(PUBLISH) $(BUILD)/notebooks --kind notebooks -- notebooks --out {out}

# -- a JupyterHub for a training room (course/hub/): until Ctrl-C ---------------------------
# The learners' accounts, password and address are printed, and kept in $(BUILD)/hub/ACCES.txt;
# their work stays in $(BUILD)/hub/apprenants/ (make clean removes it). configurable-http-proxy
# comes from package-lock.json (npm ci).
APPRENANTS ?= 12
PORT ?= 8000
GIT_PORT ?= 9418
MOT_DE_PASSE ?=
hub: notebooks $(NODE_STAMP)
	$(BIN)/python -m course hub --notebooks $(BUILD)/notebooks --state $(BUILD)/hub \
	  --learners $(APPRENANTS) --port $(PORT) --git-port $(GIT_PORT) \
	  $(if $(MOT_DE_PASSE),--password "$(MOT_DE_PASSE)")

# -- tests ---------------------------------------------------------------------------------
# The browser, HTML-checker and LMS run-time tests need the npm tools of package-lock.json
# (axe-core, vnu-jar, scorm-again, gift-pegjs): installed here when npm exists, so that a
# trainer's `make test` checks what CI checks. Chromium and Java come from the system: without
# them those tests are skipped, and this says how to get them.
NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error; \
	else \
	  echo "npm absent : les tests navigateur et LMS seront ignorés (Debian/Ubuntu : sudo apt install npm)"; \
	fi

test-tools: $(NODE_STAMP)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	  || echo "Chromium absent : tests navigateur ignorés (Debian/Ubuntu : sudo apt install chromium)"
	@command -v java >/dev/null 2>&1 \
	  || echo "Java absent : validateur HTML Nu ignoré (Debian/Ubuntu : sudo apt install default-jre-headless)"

test: $(STAMP) test-tools
	$(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check course tests benchmarks conf.py
	$(BIN)/python -m ruff format --check course tests benchmarks conf.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# -- writing -------------------------------------------------------------------------------
# Rebuilt on every save (course/live.py), each rebuild an atomic publish of its own output and
# doctrees: a failed rebuild leaves the last good pages served, with a banner that says what to
# fix; the published _build/html is never touched. LIVE_PORT=8001 to use another port.
# EDITION=formateur shows the trainer edition (its own output: _build/live-formateur).
LIVE_PORT ?= 8000
EDITION ?= apprenant
LIVE := live$(if $(filter formateur,$(EDITION)),-formateur)
live: $(STAMP)
	$(BIN)/python -m course live $(BUILD)/$(LIVE) --doctrees $(BUILD)/doctrees/$(LIVE) --port $(LIVE_PORT) -- \
	  sphinx -b html $(SPHINXOPTS) -D course_edition=$(EDITION) -d {doctrees} . {out}

clean:
	rm -rf $(BUILD) exercices
