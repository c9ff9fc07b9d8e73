# braid: common tasks. `make help` lists them.

GO        ?= go
BIN       := $(CURDIR)/.bin
BUF_VERSION            := v1.75.0
PROTOC_GEN_GO_VERSION  := v1.36.12
PROTOC_GEN_GRPC_VERSION := v1.6.2
STATICCHECK_VERSION    := v0.7.0

# Packages with concurrency run under the race detector in `make test`.
RACE_PKGS := . ./test/e2e/... ./internal/storage/... ./internal/grpcapi/... ./internal/server/... ./internal/controller/... ./internal/meta/... ./internal/group/... ./internal/autoscale/... ./internal/httpapi/... ./internal/export/... ./internal/exportjob/... ./internal/ephemeral/... ./internal/activity/... ./internal/queryjob/... ./internal/query/...

.PHONY: help build test test-race test-fault lint gen bench fuzz clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build ./braid
	$(GO) build -o braid ./cmd/braid

test: ## all tests: unit, race, fuzz seeds, crash (SIGKILL) and fault tests (the fault tests beside the others)
	GO="$(GO)" RACE_PKGS="$(RACE_PKGS)" ./scripts/test.sh

test-fault: ## only the crash and fault tests, verbose
	$(GO) test -count=1 -v -timeout 10m ./test/fault/

lint: ## gofmt, go vet, staticcheck
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "not gofmt'd:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@test -x $(BIN)/staticcheck || GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(BIN)/staticcheck ./...

gen: ## regenerate api/braid/v1 from the .proto (installs its own tools into .bin)
	@test -x $(BIN)/buf || GOBIN=$(BIN) $(GO) install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)
	@test -x $(BIN)/protoc-gen-go || GOBIN=$(BIN) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
	@test -x $(BIN)/protoc-gen-go-grpc || GOBIN=$(BIN) $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GRPC_VERSION)
	$(BIN)/buf lint
	$(BIN)/buf generate

bench: build ## write, tail-read and catch-up-read (tier 2: directory, S3) benchmarks beside fio figures (docs/benchmarks.md)
	./scripts/bench.sh

fuzz: ## run every fuzz target for FUZZTIME each (default 20s)
	./scripts/fuzz.sh $(or $(FUZZTIME),20s)

clean: ## remove build outputs
	rm -rf braid .bin coverage.out
