# Two commands do all the setup: `make run` and `make test` (each creates .venv when missing).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
CONFIG ?= configs/default.yaml

# No model hub here: everything loads from installed packages.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export MPLBACKEND := Agg

.PHONY: setup run corpus train test bench results synthetic clean

setup: $(STAMP)

# torch first and pinned: 2.13.0 is the CPU build already on disk; anything else pulls CUDA.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

run: setup
	$(PY) -m training corpus
	$(PY) -m training synthetic check
	$(PY) -m training train $(CONFIG)
	$(PY) -m training predict --model models/default \
		"Iraqi troops recaptured the town of Rutba from Islamic State fighters on Saturday." \
		"At least 40 people were killed when a car bomb exploded in a crowded market, police said." \
		"“We will not stop until every village is free,” the commander told reporters."

corpus: setup
	$(PY) -m training corpus

train: setup
	$(PY) -m training train $(CONFIG)

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) -m training bench

# Trains every shipped config and rewrites the results table in README.md.
results: setup
	$(PY) -m training results

# Measures the synthetic supplement's effect and rewrites the numbers in data/synthetic/README.md.
synthetic: setup
	$(PY) -m training synthetic report

clean:
	rm -rf mlflow.db mlruns mlartifacts .pytest_cache
