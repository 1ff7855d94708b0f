# VersionAlias. `make test` and `make preview` work on a fresh clone: they build .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)
SAMPLE ?= samples/env-var-rename/sam.yaml
TEMPLATE ?= $(SAMPLE)
STACK ?= version-alias-macro
GUARDRAIL_STACK ?= version-alias-guardrail
CORPUS ?= ../shared/corpus

.PHONY: install test lint preview render package deploy schema-data samples-golden clean
.PHONY: fuzz bench corpus experiment experiment-demo package-guardrail deploy-guardrail

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## create .venv with the CLI and the test tools

test: install ## unit, golden, property and corpus tests
	$(BIN)/python -m pytest

lint: install ## ruff, then cfn-lint on template.yaml and every rendered sample
	$(BIN)/ruff check macro tests scripts
	$(BIN)/ruff format --check macro tests scripts
	$(BIN)/cfn-lint template.yaml
	$(BIN)/cfn-lint samples/*/rendered/*.yaml

fuzz: install ## the property tests with 10,000 examples each (about half an hour)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py

bench: install ## time the macro against JSON and samtranslator; writes docs/performance.md
	$(BIN)/python scripts/bench.py

corpus: install ## render, lint and check every template in ../shared/corpus (a few minutes)
	$(BIN)/python scripts/corpus_check.py --corpus $(CORPUS)

preview: install ## show what the macro makes of a sample (SAMPLE=path to pick another)
	$(BIN)/version-alias render $(SAMPLE)

render: install ## render any template: make render TEMPLATE=path
	$(BIN)/version-alias render $(TEMPLATE)

schema-data: install ## regenerate macro/version_alias/data/schema_data.py from cfn-lint's schemas
	$(BIN)/python scripts/generate_schema_data.py

samples-golden: install ## re-render samples/*/rendered after a deliberate change; read the diff
	$(BIN)/python scripts/render_samples.py

experiment: install ## the env-var rename under load, without and with the macro, on YOUR AWS account (costs cents; asks first): make experiment ARGS="--region eu-west-1"
	$(BIN)/python scripts/experiment.py $(ARGS)

experiment-demo: install ## the same tool end to end against local stand-ins (moto, a fake API on 127.0.0.1); no AWS, no measurement
	$(BIN)/python tests/experiment_standin.py $(ARGS)

package: ## build the macro with sam (needs aws-sam-cli: pip install '.[deploy]')
	sam build --template-file template.yaml

deploy: package ## deploy the macro stack once per account and region
	sam deploy --stack-name $(STACK) --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND \
		--resolve-s3 --no-fail-on-empty-changeset $(if $(PARAMS),--parameter-overrides $(PARAMS))

package-guardrail: ## build the guardrail hook with sam (own build dir: the macro's stays)
	sam build --template-file guardrail.yaml --build-dir .aws-sam/guardrail

deploy-guardrail: package-guardrail ## deploy the optional $$LATEST guardrail hook (docs/guardrail.md)
	sam deploy --template-file .aws-sam/guardrail/template.yaml --stack-name $(GUARDRAIL_STACK) \
		--capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --resolve-s3 \
		--no-fail-on-empty-changeset --parameter-overrides MacroStackName=$(STACK) $(PARAMS)

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache .hypothesis
