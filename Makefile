# dossier: two commands do everything on a fresh machine.
#   make run    set up .venv (pinned by constraints.txt), run the pipeline on seeds/ into data/
#   make test   set up .venv, run the test suite
#   make model  rebuild the committed tagger and parser (models/) from ../shared/treebanks/
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
INPUT  ?= seeds
OUTPUT ?= data

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export GX_ANALYTICS_ENABLED ?= false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: setup run test bench model clean-data server serve

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/dossier run --input $(INPUT) --output $(OUTPUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/dedup_scaling.py
	$(BIN)/python bench/rerun.py
	$(BIN)/python bench/eval_extraction.py

model: $(STAMP)
	$(BIN)/python training/build_model.py

clean-data:
	rm -rf $(OUTPUT)

server: $(STAMP)
	$(BIN)/dossier server

serve: $(STAMP)
	$(BIN)/dossier serve --inbox inbox --output $(OUTPUT)
