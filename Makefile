SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
PYPROJECTS := pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml)
TYPED := libs/shared/src $(wildcard services/*/src) tests bench scripts
FAST := not slow and not cluster and not bench
ARGS ?=

export UV_PYTHON_DOWNLOADS := never

# Finds uv (PATH, ~/.local/bin, `python3 -m uv`), installing it from PyPI when missing.
define find_uv
uv_cmd() { \
  if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then echo uv; \
  elif [[ -x "$$HOME/.local/bin/uv" ]]; then echo "$$HOME/.local/bin/uv"; \
  elif python3 -m uv --version >/dev/null 2>&1; then echo "python3 -m uv"; \
  else return 1; fi; }; \
UV="$$(uv_cmd)" || { \
  echo "setup: installing uv from PyPI"; \
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv || pip install --quiet uv || { \
    echo "setup: could not install uv; run: python3 -m pip install --user uv" >&2; exit 1; }; \
  hash -r; UV="$$(uv_cmd)" || { echo "setup: uv installed but not found; add ~/.local/bin to PATH" >&2; exit 1; }; }
endef

# redis-server from apt when it is missing (root, or sudo without a password); not needed
# when REDIS_URL names a Redis that already runs (the launcher and the tests then use it).
define ensure_redis
if [[ -z "$${REDIS_URL:-}" ]] && ! command -v redis-server >/dev/null 2>&1; then \
  apt_install="apt-get install -y --no-install-recommends redis-server"; \
  if [[ $$(id -u) -eq 0 ]]; then sudo=""; \
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; \
  else sudo="none"; fi; \
  if ! command -v apt-get >/dev/null 2>&1 || [[ "$$sudo" == none ]]; then \
    echo "setup: redis-server is not installed. Install it, then run make again:" >&2; \
    echo "    sudo $$apt_install     (Debian/Ubuntu; other systems: your package manager)" >&2; \
    echo "or set REDIS_URL to a Redis that is already running." >&2; \
    exit 1; \
  fi; \
  echo "setup: installing redis-server with apt-get"; \
  export DEBIAN_FRONTEND=noninteractive; \
  $$sudo $$apt_install >/dev/null 2>&1 || { $$sudo apt-get update -qq && $$sudo $$apt_install >/dev/null; }; \
  command -v redis-server >/dev/null 2>&1 || { \
    echo "setup: apt-get ran but redis-server is still not on PATH; run: sudo $$apt_install" >&2; \
    exit 1; }; \
fi
endef

.PHONY: help
help: ## Show the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: setup
setup: ## Install uv, redis-server and the workspace into .venv (quick when nothing changed)
	@$(ensure_redis)
	@python="$$(scripts/pick-python)"; \
	choice="$$python $$("$$python" -c 'import sys; print(sys.version)')"; \
	if [[ "$$(cat $(STAMP) 2>/dev/null)" != "$$choice" ]]; then rm -f $(STAMP); fi; \
	$(MAKE) --no-print-directory --silent $(STAMP) CHOSEN_PYTHON="$$python"

# The stamp holds the interpreter .venv was built from; `setup` removes it when pick-python
# chooses another, and make remakes it when the lock file or a pyproject.toml changes.
$(STAMP): uv.lock $(PYPROJECTS)
	@$(find_uv); \
	python="$(CHOSEN_PYTHON)"; [[ -n "$$python" ]] || python="$$(scripts/pick-python)"; \
	version="$$("$$python" -c 'import sys; print(sys.version)')"; \
	if [[ -x $(BIN)/python ]] && \
	   [[ "$$($(BIN)/python -c 'import sys; print(sys.version)' 2>/dev/null)" != "$$version" ]]; then \
	  echo "setup: .venv was built from another interpreter; recreating it from $$python"; \
	  rm -rf $(VENV); \
	fi; \
	echo "setup: $$UV sync --frozen --all-packages --python $$python"; \
	$$UV sync --frozen --all-packages --python "$$python"; \
	echo "$$python $$version" > $@

.PHONY: up
up: setup ## Run the platform here: embedded NATS + local Redis + the four services (ARGS=...)
	$(BIN)/automatrix up $(ARGS)

.PHONY: check-contracts
check-contracts: setup ## Fail when docs/contracts is out of date with the pydantic models
	$(BIN)/python scripts/gen_contracts.py --check

.PHONY: lint
lint: check-contracts lint-deploy ## Contracts up to date, ruff check, ruff format --check, deploy files
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: lint-deploy
lint-deploy: setup ## compose schema, hadolint, Kubernetes schemas, yamllint, NATS configs, dashboards
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml compose.dev.yaml
	$(BIN)/hadolint services/*/Dockerfile
	$(BIN)/kubernetes-validate --strict --quiet $$(ls deploy/k8s/*.yaml | grep -v kustomization)
	$(BIN)/yamllint -c deploy/yamllint.yaml -s compose.yaml compose.dev.yaml deploy/
	$(BIN)/nats-server -c deploy/nats/nats.conf -t
	$(BIN)/python deploy/grafana/generate.py --check

.PHONY: typecheck
typecheck: setup ## mypy (strict) on the library, the services, tests, benchmarks and scripts
	$(BIN)/mypy $(TYPED)

.PHONY: test-fast
test-fast: setup ## pytest without the slow, cluster and bench markers
	$(BIN)/pytest -m "$(FAST)" $(ARGS)

.PHONY: test
test: lint typecheck ## What CI runs: lint, typecheck, then the whole pytest suite (every marker)
	@scripts/install-chromium
	$(BIN)/pytest $(ARGS)

.PHONY: bench
BENCHES := bench/bus.py bench/embeddings.py bench/gateway.py bench/local_chat.py bench/router.py bench/training.py
bench: setup ## Run the benchmark scripts (docs/benchmarks.md); not the LiteLLM comparison or the soak
	@for script in $(BENCHES); do \
	  echo "==> $(BIN)/python $$script $(ARGS)"; $(BIN)/python "$$script" $(ARGS) || exit 1; \
	done

.PHONY: bench-litellm
bench-litellm: setup ## AutoMatrix against LiteLLM Proxy (installs it into .bench-venv/ first)
	$(BIN)/python bench/vs_litellm.py $(ARGS)

.PHONY: soak
soak: setup ## 30 minutes through the full path: RSS, errors, latency drift (bench/soak.py)
	$(BIN)/python bench/soak.py $(ARGS)

.PHONY: contracts
contracts: setup ## Regenerate docs/contracts from the pydantic models
	$(BIN)/python scripts/gen_contracts.py

.PHONY: clean
clean: ## Remove .venv, caches and .state (the embedded NATS and Redis data)
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .state
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
