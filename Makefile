# The course's interface for trainers and developers. `make help` lists the targets.
PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
BUILD     := _build
STAMP     := $(VENV)/.installed
# warnings are errors, but every error is reported; nitpicky; parallel
SPHINXOPTS ?= -W --keep-going -n -j auto
PYTEST_ARGS ?=

.PHONY: help setup html formateur notebooks lms session test lint bench live clean

help:
	@echo "make html       édition apprenant  -> $(BUILD)/html (installe l'environnement si besoin)"
	@echo "make formateur  édition formateur  -> $(BUILD)/formateur"
	@echo "make lms        paquets SCORM 1.2/2004 et banques Moodle XML/GIFT -> $(BUILD)/lms"
	@echo "make session    kit de session du formateur (programme, tests, émargement…) -> $(BUILD)/session"
	@echo "                SESSION=fichier.yaml (par défaut : session-exemple.yaml)"
	@echo "make notebooks  notebooks apprenant pour JupyterHub/Binder -> $(BUILD)/notebooks"
	@echo "make test       tous les tests"
	@echo "make bench      banc d'essai (durées de build, poids des pages, Jupyter Book) -> $(BUILD)/bench"
	@echo "make live       édition apprenant reconstruite à chaque modification"
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
# On failure the edition's output and environment are removed: nothing half-written stays,
# and the next build reports every problem again.
define sphinx
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d $(BUILD)/doctrees/$(1) $(2) . $(BUILD)/$(1) \
	  || { rm -rf $(BUILD)/$(1) $(BUILD)/doctrees/$(1); echo "Échec de la construction de $(BUILD)/$(1)"; exit 1; }
endef

html: $(STAMP)
	$(call sphinx,html,)

formateur: $(STAMP)
	$(call sphinx,formateur,-D course_edition=formateur)

lms: html
	$(BIN)/python -m course lms --site $(BUILD)/html --out $(BUILD)/lms

SESSION ?= session-exemple.yaml
session: html formateur
	$(BIN)/python -m course session --site $(BUILD)/html --formateur-site $(BUILD)/formateur \
	  --session $(SESSION) --out $(BUILD)/session

notebooks: $(STAMP)
	$(BIN)/python -m course notebooks --out $(BUILD)/notebooks

# -- tests ---------------------------------------------------------------------------------
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check course tests benchmarks conf.py
	$(BIN)/python -m ruff format --check course tests benchmarks conf.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# -- writing -------------------------------------------------------------------------------
live: $(STAMP)
	$(BIN)/sphinx-autobuild -b html -n -d $(BUILD)/doctrees/html \
	  --ignore "*/exercices/*" --ignore "*/_build/*" --ignore "*/.venv/*" . $(BUILD)/html

clean:
	rm -rf $(BUILD) exercices
