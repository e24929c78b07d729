# keyslot — build, test and run. `make run` and `make test` are all a newcomer needs.

GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X github.com/keyslot/keyslot/internal/version.Version=$(VERSION)
BIN      := bin/keyslot
IMAGE    ?= keyslot:dev
FUZZTIME ?= 10s
FUZZCMDTIME ?= 60s

.PHONY: all build test fmt-check vet layout bench fuzz run docker lint clean

all: build

## build: a static keyslot binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/keyslot

## test: gofmt check, go vet, the package layout check, and every test with the race detector
test: fmt-check vet
	$(GO) test -race -count=1 ./...

fmt-check:
	@out=$$(find . -name '*.go' -not -path './.git/*' | xargs gofmt -l); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## layout: only the import-rule check (also part of make test)
layout:
	$(GO) test -count=1 -run TestLayout ./test/

## bench: Go benchmarks with allocations, then keyslot vs redis-server measured in the same run
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...
	./test/bench/compare.sh $(BIN)

## fuzz: a short run of every fuzz target (FUZZTIME=60s for a longer one), then
## random and malformed commands against a node for FUZZCMDTIME (default 60s)
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done
	KEYSLOT_FUZZ_DURATION=$(FUZZCMDTIME) $(GO) test -count=1 -run '^TestRandomCommands$$' ./backend/

## run: a local cluster and proxy in one process; prints how to connect
run:
	$(GO) run ./cmd/keyslot local

## docker: the static binary in a FROM scratch image ($(IMAGE))
docker: build
	docker build -f deploy/Dockerfile -t $(IMAGE) .

## lint: gofmt, go vet and staticcheck
lint: fmt-check vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 ./...

clean:
	rm -rf bin
