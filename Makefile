# opnform: `make demo` runs the main job against the simulator; `make test` runs every test.
# Both set themselves up on a fresh machine that has only Python 3.11 and pip.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
BUILD  := build
# The collection installed with ansible-galaxy, as users install it (used by the demo and playbooks).
COLLECTIONS := $(BUILD)/collections
# ansible-test needs the tree at a path ending in ansible_collections/opnform/opnsense, outside
# this git checkout (inside it, ansible-test asks git for the files and build/ is ignored).
ATEST_BASE  := /tmp/opnform-atest-$(shell printf '%s' "$(CURDIR)" | cksum | cut -d' ' -f1)
ATEST_ROOT  := $(ATEST_BASE)/ansible_collections/opnform/opnsense

export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/$(COLLECTIONS)
export ANSIBLE_NOCOLOR := 1

# ansible-core 2.20 needs Python 3.12: pyenv's, else one on PATH (tox.ini).
PY312 := $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) $(shell command -v python3.12 2>/dev/null))

.PHONY: venv collection demo test test-sim test-units test-e2e test-sanity test-lint test-integration test-molecule test-matrix atest-tree new-type bench clean

$(BIN)/.installed: requirements/dev.lock simulator/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -U pip
	$(BIN)/pip install -q --disable-pip-version-check -r requirements/dev.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e simulator
	touch $@

venv: $(BIN)/.installed

collection: venv
	$(BIN)/python tools/install_collection.py

demo: collection
	$(BIN)/python tools/demo.py --no-build

test: test-sim test-units test-sanity test-lint test-integration test-molecule test-matrix test-e2e

# The collection tree as ansible-test wants it: git's files (tracked and new), without the simulator.
atest-tree: venv
	rm -rf $(ATEST_BASE) && mkdir -p $(ATEST_ROOT)
	git ls-files -co --exclude-standard -z -- . ':!simulator' ':!bench' ':!requirements' ':!.ci' \
	  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C $(ATEST_ROOT)
	mkdir -p $$HOME/.ansible/test/cache
	for v in 23_1_2 24_2 25_2; do cp tools/get_pip_shim.py $$HOME/.ansible/test/cache/get_pip_$$v.py; done

test-sim: venv
	$(BIN)/python -m pytest -q simulator/tests

test-units: venv
	$(BIN)/python -m pytest -q tests/unit

# Plan/apply, checkpoints and progress through real ansible-playbook and ansible-runner runs.
test-e2e: venv
	$(BIN)/python -m pytest -q tests/e2e

test-sanity: atest-tree
	cd $(ATEST_ROOT) && PATH=$(CURDIR)/$(BIN):$$PATH ansible-test sanity --python 3.11 --local

test-lint: collection
	PATH=$(CURDIR)/$(BIN):$$PATH ansible-lint

test-integration: atest-tree
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python tools/run_integration.py --tree $(ATEST_ROOT)

# extensions/molecule/default: the baseline role against a simulator, without containers.
test-molecule: collection
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/molecule test

# Every ansible-core that meta/runtime.yml claims: a smoke run and ansible-test sanity each (tox.ini);
# 2.19, the main version, has its sanity run in test-sanity.
test-matrix: atest-tree
	@test -n "$(PY312)" && "$(PY312)" -c 'import sys; assert sys.version_info[:2] == (3, 12)' || \
	  { echo "ansible-core 2.20 needs Python 3.12, and none was found (pyenv or PATH)"; exit 1; }
	PATH=$(dir $(PY312)):$(CURDIR)/$(BIN):$$PATH OPNFORM_ATEST_ROOT=$(ATEST_ROOT) \
	  $(BIN)/tox -c tox.ini -p 2 -e smoke-core216,smoke-core217,smoke-core218,smoke-core219,smoke-core220
	PATH=$(dir $(PY312)):$(CURDIR)/$(BIN):$$PATH OPNFORM_ATEST_ROOT=$(ATEST_ROOT) \
	  $(BIN)/tox -c tox.ini -e sanity-core216,sanity-core217,sanity-core218,sanity-core220

# Scaffold a resource type with a standard MVC controller (docs/contributing.md):
#   make new-type TYPE=<area>_<object> MODULE=<api module> CONTROLLER=<controller> ITEM=<body key> \
#     [RELOAD=<subsystem>] [PLUGIN=os-<name>] [NOUN=<command noun>]
new-type: venv
	$(BIN)/python tools/new_type.py $(TYPE) --module $(MODULE) --controller $(CONTROLLER) --item $(ITEM) \
	  $(if $(RELOAD),--reload $(RELOAD)) $(if $(PLUGIN),--plugin $(PLUGIN)) $(if $(NOUN),--command-noun $(NOUN)) \
	  $(if $(SETTINGS),--settings)

bench: venv
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(BUILD) dist $(ATEST_BASE) .tox
