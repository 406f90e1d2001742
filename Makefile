# make figures | test | lint | lab | bench | calibrate | clean
# Each target creates .venv and installs the project into it the first time: figures and
# lab install only what the analysis needs; test, lint, bench and calibrate add the dev
# tools (pytest, ruff, selenium, ...) and Dask.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev

.PHONY: figures test lint lab bench calibrate clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "Python 3.10 or newer is needed (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(DEV): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,scale]'
	touch $(DEV)

figures: $(STAMP)  ## run the main job on the seed corpus: tables -> data/processed, figures -> figures/
	$(BIN)/python -m analysis run --config config/seed-study.yml

test: $(DEV)  ## unit tests and every notebook
	$(BIN)/python -m pytest

lint: $(DEV)
	$(BIN)/ruff check analysis tests benchmarks
	$(BIN)/ruff format --check analysis tests benchmarks

lab: $(STAMP)  ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

bench: $(DEV)  ## baseline vs ours: make bench CORPUS=path/to/corpus BENCH_ARGS="--group-by bias_text"
	$(BIN)/python -m benchmarks.run $(CORPUS) $(BENCH_ARGS)

calibrate: $(DEV)  ## tests under shuffled labels, interval coverage: make calibrate CORPUS=path CALIBRATE_ARGS="--group-by bias_text"
	$(BIN)/python -m benchmarks.calibration $(CORPUS) $(CALIBRATE_ARGS)

clean:
	rm -rf data/processed/*.parquet data/processed/*.csv data/processed/*.json
	rm -rf figures/*.pdf figures/*.png figures/*.svg figures/*.csv figures/*.md figures/*.html
	rm -rf .pytest_cache .ruff_cache
