# OneMatter developer commands. `make` (or `make help`) lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never

UV_VERSION := 0.13.9
TOOLS := .cache/tools
# uv from PATH, else a private copy bootstrapped with pip into $(TOOLS) (fresh machines).
UV_ON_PATH := $(shell command -v uv 2>/dev/null)
UV := $(or $(UV_ON_PATH),$(TOOLS)/bin/uv)
RUN := $(UV) run --no-sync
SYNC_STAMP := .venv/.synced-uv-lock
TEST_INFRA := .cache/test-infra
INFRA := $(RUN) python -m onematter_devtools.infra
KAFKA_JARS_STAMP := $${ONEMATTER_CACHE:-$$HOME/.cache/onematter}/kafka-3.9.1/libs.complete
PYTEST_ARGS ?=
INFRA_ARGS ?=
#: What mypy checks (strict on the libraries and every domain/, see pyproject.toml); services join as they pass.
MYPY_PATHS ?= libs/clock/src libs/kit/src libs/events/src libs/testkit/src libs/devtools/src \
	libs/workdays/src matter-catalog-service/src material-service/src notification-service/src acceptance-service/src hotline-service/src gateway/src

.PHONY: help install run test test-unit infra-up infra-down lint bench up down clean check-java \
	backup restore deploy-tools helm-check pin-images

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-11s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(TOOLS)/bin/uv:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q uv==$(UV_VERSION)

$(SYNC_STAMP): uv.lock | $(if $(UV_ON_PATH),,$(TOOLS)/bin/uv)
	$(UV) sync --frozen
	@touch $@

install: $(SYNC_STAMP) ## create .venv from uv.lock (re-syncs only when uv.lock changes)

check-java:
	@java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])' || { \
	  echo "error: Java 17+ is needed for the local Kafka broker (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
	@[ -f "$(KAFKA_JARS_STAMP)" ] || command -v mvn >/dev/null || { \
	  echo "error: Maven is needed once to fetch the Kafka jars (apt-get install maven)" >&2; exit 1; }

run: install check-java ## the whole system without Docker: Kafka, services, gateway on http://127.0.0.1:8000
	$(RUN) python -m onematter_devtools.run

# The infra started here is recorded in its own file, so infra that was already up stays up.
# INFRA_ARGS="--kafka-port P --pg-port Q" runs a second suite beside test infra that is already up.
test: install check-java lint ## lint, then every test with real Kafka and PostgreSQL (PYTEST_ARGS=...); stops what it started
	@rc=0; trap 'true' INT TERM; \
	$(INFRA) up --state-dir $(TEST_INFRA) --record $(TEST_INFRA)/started-by-test $(INFRA_ARGS) >/dev/null || rc=$$?; \
	if [ $$rc -eq 0 ]; then . $(TEST_INFRA)/env && $(RUN) pytest $(PYTEST_ARGS) || rc=$$?; fi; \
	$(INFRA) down --state-dir $(TEST_INFRA) --record $(TEST_INFRA)/started-by-test $(INFRA_ARGS); exit $$rc

test-unit: install ## tests that need no infrastructure
	$(RUN) pytest -m "not integration and not e2e" $(PYTEST_ARGS)

infra-up: install check-java ## start test Kafka (127.0.0.1:29092) and PostgreSQL (:25432); prints the env
	@$(INFRA) up --state-dir $(TEST_INFRA) $(INFRA_ARGS)

infra-down: install ## stop the test infra that infra-up started (INFRA_ARGS=--all: stop it anyway)
	@$(INFRA) down --state-dir $(TEST_INFRA) $(INFRA_ARGS)

lint: install ## the gate `make test` runs first: ruff check, ruff format --check, mypy (MYPY_PATHS), import contracts
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy $(MYPY_PATHS)
	$(RUN) lint-imports

bench: install check-java ## benchmarks (not tests): gateway overhead, then submissions at 1× and 10× scale; one JSON line per figure
	$(RUN) python bench/gateway_overhead.py --json
	$(RUN) python bench/submissions.py --json

# docker compose v2 when the CLI has it, else Debian's docker-compose 1.29; DEPLOY_ENV picks the settings.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
DEPLOY_ENV ?= deploy/.env
DC = $(COMPOSE) -f deploy/compose.yaml --env-file $(DEPLOY_ENV)
BACKUP_DIR ?= deploy/backups/$(shell date -u +%Y%m%dT%H%M%SZ)

up: ## docker compose: Kafka, PostgreSQL, services, gateway, TLS proxy (first run makes deploy/.env, deploy/secrets/)
	python3 deploy/gen_env.py $(DEPLOY_ENV)
	$(DC) up -d --build

down: ## stop and remove the docker compose containers (volumes stay; docs/operations.md)
	$(DC) down --remove-orphans

backup: ## back up every database and the material blobs of the compose stack (BACKUP_DIR=...)
	COMPOSE="$(COMPOSE)" DEPLOY_ENV=$(DEPLOY_ENV) deploy/backup.sh $(BACKUP_DIR)

restore: ## restore BACKUP_DIR into the compose stack (docs/operations.md)
	@[ "$(origin BACKUP_DIR)" != file ] || { echo "usage: make restore BACKUP_DIR=<a backup directory>" >&2; exit 2; }
	COMPOSE="$(COMPOSE)" DEPLOY_ENV=$(DEPLOY_ENV) deploy/restore.sh $(BACKUP_DIR)

deploy-tools: ## helm, kubeconform and Kubernetes schemas into ~/.cache/onematter/tools (Go proxy, PyPI)
	deploy/helm/install-tools.sh

helm-check: deploy-tools ## helm lint, then helm template validated by kubeconform
	deploy/helm/check.sh

pin-images: ## pin every registry image of compose.yaml and the Dockerfile to its current digest
	python3 deploy/pin_images.py

clean: ## stop the test infra, remove .cache/test-infra, data/ and the throwaway PostgreSQL cluster
	-@[ ! -x .venv/bin/python ] || .venv/bin/python -m onematter_devtools.infra down --all --state-dir $(TEST_INFRA)
	rm -rf $(TEST_INFRA) data /tmp/onematter-pg-25432
