# apelbot — developer tasks. `make help` lists them.

GO            ?= go
GOLANGCI_LINT ?= golangci-lint
IMAGE         ?= apelbot
TAG           ?= latest
BINARY        ?= apelbot

.PHONY: help test race lint golden run demo build docker ci

help: ## list the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-z]+:.*## / { printf "  %-8s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

test: ## run the tests (the README's command)
	$(GO) test ./...

race: ## run the tests as CI does: race detector, non-Indonesian TZ (needs a C compiler)
	TZ=America/New_York $(GO) test -race -count=1 -timeout 30m ./...

lint: ## golangci-lint v2 with .golangci.yml (install: go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@latest)
	$(GOLANGCI_LINT) run ./...

golden: ## rewrite bot/testdata/*.golden from the current rendering; review the diff
	$(GO) test ./bot -run Golden -update

run: ## run the bot: needs apelbot.yaml (or APELBOT_CONFIG) and TELEGRAM_BOT_TOKEN
	$(GO) run ./cmd/apelbot serve

demo: ## a whole simulated day offline, no token needed
	$(GO) run ./cmd/apelbot demo

build: ## static binary ./apelbot, as in the Docker image
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o $(BINARY) ./cmd/apelbot

docker: ## build the container image $(IMAGE):$(TAG)
	docker build -t $(IMAGE):$(TAG) .

ci: ## what CI runs: gofmt, SQLite pin, vet, race tests
	bash .ci/run
