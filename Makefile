# One-command entry points. `make serve` and `make test` set up the virtual environment themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8866
ROOM ?= 0
HOST ?=

.PHONY: serve hub test lab check lint mutation screenshots bench bench-hub clean

# pyvenv.cfg is written when the environment is created, so a recreated environment is newer
# than the stamps below and gets the kit installed again.
$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps record which extras are installed; they are redone when pyproject.toml changes.
$(VENV)/.installed-app: pyproject.toml $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install -q -e .
	touch $@

# hub: tests/test_hub.py runs a real JupyterHub in `make test`.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install -q -e '.[test,lab,hub]'
	touch $@ $(VENV)/.installed-app $(VENV)/.installed-hub

$(VENV)/.installed-hub: pyproject.toml $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install -q -e '.[hub]'
	touch $@ $(VENV)/.installed-app

# JupyterHub's proxy, from npm into the venv. 4.6.3, not 5.x: 5.x needs Node 20, Debian 12 has 18.
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy
NPM := $(shell command -v npm)
$(CHP): | $(VENV)/pyvenv.cfg
	@test -n "$(NPM)" || { echo "make hub needs npm: apt-get install nodejs npm"; exit 1; }
	npm install -s --prefix $(VENV)/node --no-audit --no-fund configurable-http-proxy@4.6.3

# axe-core (npm, into the venv's node folder like the proxy): tests/test_axe.py injects it into
# every app with Playwright; without npm that test skips (outside CI).
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js
$(AXE): | $(VENV)/pyvenv.cfg
	@test -n "$(NPM)" || { echo "the accessibility test needs npm: apt-get install nodejs npm"; exit 1; }
	npm install -s --prefix $(VENV)/node --no-audit --no-fund axe-core@4.14.1

# make serve: the apps on this machine. make serve ROOM=30: a workshop, phones join over the
# local network; the server pre-heats 30 participant pages (see docs/trainer.md).
serve: $(VENV)/.installed-app
	$(BIN)/python -m kit serve --room $(ROOM) --port $(PORT) $(if $(HOST),--host $(HOST))

# The hub test needs the proxy and the accessibility test axe-core; without npm they skip (outside
# CI) like the PostgreSQL tests.
test: $(VENV)/.installed-dev $(if $(NPM),$(CHP) $(AXE))
	$(BIN)/python -m kit check content
	$(BIN)/ruff check kit tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder -m "not deploy"

# make test-deploy: the kit as users install and host it, each a minute or more: a real
# JupyterHub with two kit services and PostgreSQL (tests/test_hub.py), a real JupyterLab
# restarted with her work kept (tests/test_lab.py), the built wheel installed outside the
# repository (tests/test_wheel.py). Left out of `make test` for its time; .ci/run runs both.
.PHONY: test-deploy
test-deploy: $(VENV)/.installed-dev $(if $(NPM),$(CHP))
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder -m deploy

# make hub: a local JupyterHub with the kit for trying it out (demo login, see docs/hosting.md):
# the proxy, the kit as a hub service behind the hub's login (ROOM=N pre-heated participant pages,
# default 10; HUB_SERVICES=2 for two rooms), the idle culler, one PostgreSQL database (Debian's
# postgresql). Ctrl-C stops it and deletes its data.
HUB_PORT ?= 8000
HUB_SERVICES ?= 1
hub: $(VENV)/.installed-hub $(CHP)
	$(BIN)/python deploy/hub/demo.py --port $(HUB_PORT) --services $(HUB_SERVICES) $(if $(filter-out 0,$(ROOM)),--room $(ROOM))

# make lab: JupyterLab at the top of the checkout (README and docs/ in its file browser), opening
# the self-study route's start page; notebooks are saved without widget outputs (kit/lab.py).
# As root (a container) JupyterLab needs --allow-root.
lab: $(VENV)/.installed-dev
	$(BIN)/jupyter lab --config=kit/share/lab/jupyter_server_config.py \
		$(if $(filter 0,$(shell id -u)),--allow-root) notebooks/start.ipynb

check: $(VENV)/.installed-app
	$(BIN)/python -m kit check content

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check kit tests benchmarks
	$(BIN)/ruff format --check kit tests
	$(BIN)/lint-imports
	$(BIN)/mypy

# make mutation: would the tests notice a wrong line? mutmut changes the modules listed under
# [tool.mutmut] in pyproject.toml one small edit at a time (in a copy, mutants/) and runs their
# fast tests against each; fails below 85 % killed over the whole scope (docs/mutation.md; the
# documents alone take hours on 2 shared cores). Not part of `make test`.
# A part: `make mutation MUTATE="kit.storage kit.palette"` runs only those modules' mutants (dotted
# prefixes) and scores them; it keeps mutants/ and its test map, so the next part starts sooner.
# MUTATE_CHILDREN=1 runs one mutant at a time (default: one per core); run it under `nice -n 10`
# on a shared machine. The whole scope starts from a fresh copy: mutmut would keep stale files.
MUTATE ?=
MUTATE_CHILDREN ?=
mutation: $(VENV)/.installed-dev
ifeq ($(strip $(MUTATE)),)
	rm -rf mutants
	$(BIN)/mutmut run $(if $(MUTATE_CHILDREN),--max-children $(MUTATE_CHILDREN))
	$(BIN)/python benchmarks/mutation_score.py --min 85
else
	$(BIN)/mutmut run $(if $(MUTATE_CHILDREN),--max-children $(MUTATE_CHILDREN)) $(foreach m,$(MUTATE),"$(m).*")
	$(BIN)/python benchmarks/mutation_score.py --min 85 $(foreach m,$(MUTATE),--part $(m))
endif

screenshots: $(VENV)/.installed-dev
	$(BIN)/python -m tests.screenshots docs/screenshots
	KIT_LANG=en $(BIN)/python -m tests.screenshots docs/screenshots/en
	KIT_ROOM_SHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:randomly tests/test_browser_room.py -k leads

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# make bench: the room measured (benchmarks/RESULTS.md), then a led room in real pages
# (room_follow.py, its own section of RESULTS.md). With the defaults it runs for about
# 75 minutes on 2 cores (300 sequential renders of each of 7 apps); set e.g. BENCH_SEQUENTIAL=10.
# bench-quick: a short run of every phase (~15 min).
.PHONY: bench-quick
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/room_follow.py $(PHONES) 8

bench-quick: $(VENV)/.installed-dev
	BENCH_RUNS=2 BENCH_BURSTS=2 BENCH_SEQUENTIAL=20 BENCH_SOAK_ROUNDS=2 BENCH_SOAK_INTERVAL=30 \
		$(BIN)/python benchmarks/bench.py

# make bench-room: a led session in real pages: the trainer's remote clicks Next, PHONES
# participant pages in Chromium time the new step's arrival; then the CPU an idle led page costs.
# PHONES=30 is a full room (~6 min on 2 cores); BENCH_ROOM_DB=postgres runs it on a PostgreSQL
# server of its own (the same bench, its own section of RESULTS.md).
PHONES ?= 10
.PHONY: bench-room
bench-room: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/room_follow.py $(PHONES) 8

# make bench-hub: the kit on the hub of `make hub`: 30 logging in at once to the kit service
# (login and page apart, CPU per login in hub, proxy and kit), a second room of 5 on a second
# service with every answer of both rooms counted in PostgreSQL (nothing lost), memory per
# participant (HUB_BENCH_PROFILE=1 adds a cProfile of the hub); then, beside it, the per-user design: a
# participant's first page (login, spawn, render), 10 at once, memory per user server
# (docs/hosting.md). HUB_BENCH_DESIGNS=service runs only the first. Several minutes.
bench-hub: $(VENV)/.installed-dev $(CHP)
	$(BIN)/python benchmarks/hub_bench.py
