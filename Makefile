# The DuckDB driver's Arrow interface needs the duckdb_arrow tag on every
# build, test and vet.
TAGS    := -tags duckdb_arrow
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
SPEC    ?= $(abspath ../shared/openai-openapi/openapi.yaml)

.PHONY: build demo test lint bench fuzz readme

build:
	go build $(TAGS) -ldflags '$(LDFLAGS)' -o bin/openai-sync ./cmd/openai-sync

demo: build
	./bin/openai-sync demo

test:
	gofmt -l . | (! grep .) || (echo "gofmt: files above need formatting"; exit 1)
	go vet $(TAGS) ./...
	OPENAI_SYNC_SPEC=$(SPEC) go test $(TAGS) -count=1 -timeout 30m ./...

lint:
	gofmt -l . | (! grep .)
	go vet $(TAGS) ./...

bench: build
	go run $(TAGS) ./bench -binary bin/openai-sync $(BENCHFLAGS)

fuzz:
	go test ./schema -run '^$$' -fuzz FuzzObjectMembers -fuzztime 60s

readme: build
	./bin/openai-sync streams --markdown
