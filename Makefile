# The two commands of the README: `make run` and `make test`.
# Both create the virtual environment on a fresh machine and install the project into it.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test snapshot clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Until the web page exists, the main job is the article lookup on the shipped snapshot.
run: setup
	$(VENV)/bin/cdt corpus info
	$(VENV)/bin/cdt corpus show L5212-2

test: setup
	$(VENV)/bin/pytest

# Regenerate the shipped snapshot from the pinned official package (needs the npm registry).
snapshot: setup
	$(PYTHON) scripts/build_snapshot.py

clean:
	rm -rf $(VENV) build *.egg-info
