# MVidarr: `make run` starts the whole stack, `make test` runs the tests. Both set up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
MVIDARR_VAR ?= $(CURDIR)/var
export HOST PORT MVIDARR_VAR
# The image: Docker when it reaches a daemon (a docker client alone is not enough), else podman.
IMAGE ?= mvidarr:local
CONTAINER_ENGINE ?= $(shell docker info >/dev/null 2>&1 && echo docker || echo podman)

.PHONY: setup run test lint format bench clean image image-smoke

# The app's packages (what the image installs); the tests' and the benchmark's on top.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed requirements-bench.txt
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	@bin/run-stack

test: $(VENV)/.installed-test
	@bin/run-tests $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench.run

# The image's build check (README, "Build and check the image"); not part of `make test`.
image:
	$(CONTAINER_ENGINE) build --tag $(IMAGE) $(IMAGE_BUILD_ARGS) .

image-smoke:
	@CONTAINER_ENGINE=$(CONTAINER_ENGINE) IMAGE=$(IMAGE) $(PYTHON) bin/image-smoke

clean:
	rm -rf $(VENV) var
