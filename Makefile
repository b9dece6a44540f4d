# jrkt build entry points. Run as root on Debian 12:
#   make demo   installs host packages, builds, runs an example pod, shows `jrkt list` and `jrkt status`
#   make test   the same set-up, then the unit tests, the functional tests and the stage1 tests
#   make bench  the benchmarks; results go to docs/benchmarks.md

MVN ?= mvn
MVN_FLAGS ?= -B
BIN ?= $(CURDIR)/bin
BUILD := $(CURDIR)/.build
DEMO_DIR := $(BUILD)/demo
# Extra flags for the demo's `jrkt run`, e.g. DEMO_RUN_FLAGS=--stage1-name=coreos.com/rkt/stage1-fly
DEMO_RUN_FLAGS ?=

.PHONY: all deps build cds demo test unit-test functional-test stage1-test bench clean

all: build

deps:
	@sh scripts/install-deps.sh

build: deps
	$(MVN) $(MVN_FLAGS) -q package -DskipTests
	@sh scripts/make-cds.sh

# Rebuilds only the class-data archive (after a package step done by hand).
cds:
	@sh scripts/make-cds.sh

demo: build
	@if [ -d $(DEMO_DIR)/data ]; then \
	  $(BIN)/jrkt --dir=$(DEMO_DIR)/data gc --grace-period=0s --expire-prepared=0s >/dev/null 2>&1 || true; \
	fi
	@rm -rf $(DEMO_DIR)/work && mkdir -p $(DEMO_DIR)/work
	@sh scripts/make-test-aci.sh --name example.com/hello --env GREETING=Hello \
	  $(DEMO_DIR)/work/hello.aci -- /bin/sh -c 'echo "$$GREETING from a jrkt pod: pid $$$$, $$(ls /bin | wc -l) files in /bin"'
	@echo '$$ bin/jrkt --dir=$(DEMO_DIR)/data run --insecure-options=image $(strip $(DEMO_RUN_FLAGS) $(DEMO_DIR)/work/hello.aci)'
	@$(BIN)/jrkt --dir=$(DEMO_DIR)/data run --insecure-options=image $(DEMO_RUN_FLAGS) \
	  --uuid-file-save=$(DEMO_DIR)/work/uuid $(DEMO_DIR)/work/hello.aci
	@echo '$$ bin/jrkt --dir=$(DEMO_DIR)/data list'
	@$(BIN)/jrkt --dir=$(DEMO_DIR)/data list
	@echo "\$$ bin/jrkt --dir=$(DEMO_DIR)/data status $$(cat $(DEMO_DIR)/work/uuid)"
	@$(BIN)/jrkt --dir=$(DEMO_DIR)/data status $$(cat $(DEMO_DIR)/work/uuid)
	@echo "(the demo's data directory is $(DEMO_DIR)/data; 'make clean' removes it)"

test: build unit-test functional-test stage1-test

unit-test:
	$(MVN) $(MVN_FLAGS) test

functional-test:
	$(MVN) $(MVN_FLAGS) -pl tests test -DskipFunctional=false -Djrkt.bin=$(BIN)

# The stage1 entrypoints' own tests, on the built images. Exit 77 means a test cannot run here.
stage1-test:
	@if [ -f stage1-nspawn/src/test/stage1-nspawn-test.sh ]; then \
	  echo "bash stage1-nspawn/src/test/stage1-nspawn-test.sh stage1-nspawn/target/stage1-coreos.aci"; \
	  rc=0; bash stage1-nspawn/src/test/stage1-nspawn-test.sh stage1-nspawn/target/stage1-coreos.aci || rc=$$?; \
	  if [ $$rc -eq 77 ]; then echo "stage1-nspawn test skipped: cannot run here"; \
	  elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	fi
	@if [ -f stage1-fly/src/test/stage1-fly-test.sh ]; then \
	  echo "bash stage1-fly/src/test/stage1-fly-test.sh $(BIN)/stage1-fly.aci"; \
	  rc=0; bash stage1-fly/src/test/stage1-fly-test.sh $(BIN)/stage1-fly.aci || rc=$$?; \
	  if [ $$rc -eq 77 ]; then echo "stage1-fly test skipped: cannot run here"; \
	  elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	fi
	@if [ -f stage1-kvm/src/test/stage1-kvm-test.sh ]; then \
	  echo "bash stage1-kvm/src/test/stage1-kvm-test.sh $(BIN)/stage1-kvm.aci"; \
	  rc=0; bash stage1-kvm/src/test/stage1-kvm-test.sh $(BIN)/stage1-kvm.aci || rc=$$?; \
	  if [ $$rc -eq 77 ]; then echo "stage1-kvm test skipped: cannot run here"; \
	  elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	fi

bench: build
	@sh bench/run-all.sh

# The demo's pods are collected first: deleting a pod directory would orphan its network
# namespace, address and iptables rules, so a pod gc cannot collect (a running one) stops clean.
clean:
	@if [ -d $(DEMO_DIR)/data ] && [ -x $(BIN)/jrkt ]; then \
	  $(BIN)/jrkt --dir=$(DEMO_DIR)/data gc --grace-period=0s --expire-prepared=0s >/dev/null 2>&1; \
	  if find $(DEMO_DIR)/data/pods -mindepth 2 -maxdepth 2 2>/dev/null | grep -q .; then \
	    echo "clean: pods are left in $(DEMO_DIR)/data after gc (running?); stop them and run 'make clean' again" >&2; \
	    exit 1; \
	  fi; \
	fi
	$(MVN) $(MVN_FLAGS) -q clean
	rm -rf --one-file-system bin lib $(BUILD)
