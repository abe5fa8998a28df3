# gpuplan: plain Makefile (STYLE.md). `make help` lists the targets.
#   make                 build ./gpuplan
#   make check           install missing packages, build, run every test
#   make run             install missing packages, build, run the main job
#   make SANITIZE=address,undefined check
#   make bench           the planner on generated problems (bench/README.md)
#   make fuzz FUZZ_SECONDS=N   every libFuzzer harness for N s (tests/fuzz)
#   make valgrind | coverage | format | deps | clean
#   V=1 for verbose commands, WERROR=1 to turn warnings into errors

CC ?= cc
PKG_CONFIG ?= pkg-config
SANITIZE ?=
COVERAGE ?=
WERROR ?=
FUZZ ?=

ifeq ($(SANITIZE)$(COVERAGE)$(FUZZ),)
BUILD := build
else ifneq ($(FUZZ),)
# libFuzzer harnesses (tests/fuzz): clang, the library instrumented
BUILD := build-fuzz
CC := clang
SANITIZE := fuzzer-no-link,address,undefined
else
BUILD := build-$(if $(SANITIZE),san,)$(if $(COVERAGE),cov,)
endif

ifeq ($(V),1)
Q :=
say := @true
else
Q := @
say := @printf '  %-7s %s\n'
endif

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wvla -Wformat=2 -Wundef -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
BASE_CFLAGS := -std=c11 -pedantic -D_POSIX_C_SOURCE=200809L -pthread \
	$(WARNINGS) -MMD -MP
ifneq ($(WERROR),)
BASE_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
BASE_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifneq ($(COVERAGE),)
CFLAGS := -O0 -g
BASE_CFLAGS += --coverage
LDFLAGS += --coverage
endif

LIBS := -lyaml -ljansson -lglpk -lcurl -lm -pthread
TEST_LIBS := -lcmocka

LIB_DIRS := util pricing acct model sim advise emit report
LIB_SRC := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/pricing/catalog_embed.o
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libgpuplan.a
# cli/ without main(), so unit tests can reach its helpers
CLI_LIB := $(BUILD)/libgpuplan-cli.a
BIN := $(BUILD)/gpuplan
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
VERSION := $(shell cat VERSION)

.DEFAULT_GOAL := all
.PHONY: FORCE all man install uninstall deb fuzz fuzz-build fault-tests \
	check run deps \
	unit cli-tests \
	doc-tests integration-tests \
	valgrind coverage \
	format clean help FORCE

# Objects depend on the flags they were built with: `make` then
# `make WERROR=1` rebuilds instead of reusing objects built without -Werror.
FLAGS_FILE := $(BUILD)/.flags
FLAGS_NOW := $(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS)
$(FLAGS_FILE): FORCE
	@mkdir -p $(BUILD)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' > $@
all: gpuplan man

# ---- man pages, install, Debian package (docs/install.md)
MAN_DIR := $(BUILD)/man
COMMANDS = $(shell $(BIN) help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
man: $(BIN) scripts/man.sh docs/man/gpuplan.1 docs/man/gpuplan-scenario.5
	@mkdir -p $(MAN_DIR)
	$(Q)for c in $(COMMANDS); do sh scripts/man.sh $(BIN) $$c $(VERSION) \
		> $(MAN_DIR)/gpuplan-$$c.1.tmp && \
		mv $(MAN_DIR)/gpuplan-$$c.1.tmp $(MAN_DIR)/gpuplan-$$c.1; done
	$(Q)cp docs/man/gpuplan.1 docs/man/gpuplan-scenario.5 $(MAN_DIR)/

PREFIX ?= /usr/local
DESTDIR ?=
SHARE = $(DESTDIR)$(PREFIX)/share
install: gpuplan man
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/man/man1 $(SHARE)/man/man5 \
		$(SHARE)/gpuplan/scenarios $(SHARE)/bash-completion/completions \
		$(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d
	install -m 755 gpuplan $(DESTDIR)$(PREFIX)/bin/gpuplan
	install -m 644 $(MAN_DIR)/*.1 $(SHARE)/man/man1/
	install -m 644 $(MAN_DIR)/*.5 $(SHARE)/man/man5/
	install -m 644 scenarios/*.yaml $(SHARE)/gpuplan/scenarios/
	./gpuplan completion bash > $(SHARE)/bash-completion/completions/gpuplan
	./gpuplan completion zsh > $(SHARE)/zsh/site-functions/_gpuplan
	./gpuplan completion fish > $(SHARE)/fish/vendor_completions.d/gpuplan.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/gpuplan $(SHARE)/man/man1/gpuplan*.1 \
		$(SHARE)/man/man5/gpuplan-scenario.5 \
		$(SHARE)/bash-completion/completions/gpuplan \
		$(SHARE)/zsh/site-functions/_gpuplan \
		$(SHARE)/fish/vendor_completions.d/gpuplan.fish
	rm -rf $(SHARE)/gpuplan

# ---- fuzzing (docs/security.md): make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 120
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
fuzz: deps
	$(Q)$(MAKE) --no-print-directory FUZZ=1 fuzz-build
	$(Q)sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

fuzz-build: $(FUZZ_BIN)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIB)
	$(say) FUZZ $@
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -fsanitize=fuzzer,address,undefined \
		-o $@ $< $(LIB) $(LIBS)

deb: deps
	$(Q)$(MAKE) --no-print-directory gpuplan man
	$(Q)sh scripts/deb.sh $(VERSION)

gpuplan: $(BIN)
ifeq ($(SANITIZE)$(COVERAGE),)
	$(Q)cp $(BIN) $@
endif

# the commit the binary is built from (outside a git clone: unknown);
# rewritten only when it changes, so that a `make` run by a test (make
# install, say) does not relink the binary under a test running beside it
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
COMMIT_FILE := $(BUILD)/.commit
$(COMMIT_FILE): FORCE
	@mkdir -p $(BUILD)
	@echo '$(COMMIT)' | cmp -s - $@ || echo '$(COMMIT)' > $@
$(BUILD)/cli/version.o: cli/version.c $(FLAGS_FILE) $(COMMIT_FILE)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -DGPUPLAN_VERSION='"$(VERSION)"' \
		-DGPUPLAN_COMMIT='"$(COMMIT)"' -c $< -o $@

FORCE:

$(BUILD)/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -DGPUPLAN_VERSION='"$(VERSION)"' \
		-c $< -o $@

$(BUILD)/pricing/catalog_embed.c: pricing/catalog.yaml scripts/embed.sh
	@mkdir -p $(dir $@)
	$(say) EMBED $<
	$(Q)sh scripts/embed.sh $< > $@.tmp && mv $@.tmp $@

$(BUILD)/pricing/catalog_embed.o: $(BUILD)/pricing/catalog_embed.c \
		$(FLAGS_FILE)
	$(say) CC $<
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(CLI_LIB): $(filter-out $(BUILD)/cli/main.o,$(CLI_OBJ))
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(CLI_LIB) $(LIB) $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(say) TEST $@
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CLI_LIB) \
		$(LIB) $(TEST_LIBS) $(LIBS)

deps:
	$(Q)sh scripts/install-deps.sh

# tests never see the machine's price cache (docs/prices.md)
TEST_ENV := XDG_CACHE_HOME=$(CURDIR)/$(BUILD)/test-cache

unit: $(UNIT_BIN)
	$(Q)$(TEST_ENV) sh tests/unit/run.sh $(UNIT_BIN)

cli-tests: $(BIN)
	$(Q)$(TEST_ENV) GPUPLAN=$(BIN) sh tests/cli/run.sh

doc-tests: $(BIN)
	$(Q)$(TEST_ENV) GPUPLAN=$(BIN) sh tests/docs/run.sh

# parses emitted YAML for tests/integration/hostile.sh
$(BUILD)/yamlshape: tests/integration/yamlshape.c $(FLAGS_FILE)
	$(say) CC $<
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< -lyaml

# Each script is a target of its own, so `make -j2 check` runs two at a
# time beside the other suites and prints how long each took. The three
# that start Slurm daemons run one after another (they are the heaviest,
# and they failed once under the load of several at once).
INTEGRATION := glpsol reduce plots report emit slurm prices scenarios \
	completion install terminal tables focus schemas sweep sweep-shards \
	sweep-slurm \
	import sacct hostile limits

# Under the sanitizers (CI's second pass, after the same scripts ran on
# the plain build) the scripts whose time goes to outside validators of
# files the CLI goldens also produce under the sanitizers are left out:
# emit and schemas (ajv over emitted files: tests/cli/emit-*), report
# (Chromium: tests/cli/report-*), install, completion and terminal
# (packaging and the shell), and the three that start Slurm daemons
# (slurm, sweep-slurm, sacct: their time goes to Slurm running the
# files tests/cli/emit-slurm-* and sweep-* write, and to the sacct
# output tests/cli/import-sacct* reads).
INTEGRATION_SAN := $(filter-out emit schemas report install completion \
	terminal slurm sweep-slurm sacct,$(INTEGRATION))

integration-tests: $(addprefix integration-,$(if $(SANITIZE),\
	$(INTEGRATION_SAN),$(INTEGRATION)))

integration-%: $(BIN) man $(BUILD)/yamlshape FORCE
	$(Q)start=$$(date +%s); \
	$(TEST_ENV) GPUPLAN=$(BIN) YAMLSHAPE=$(BUILD)/yamlshape \
		sh tests/integration/$*.sh && \
	echo "integration $*: $$(($$(date +%s) - start)) s"

integration-sweep-slurm: | integration-slurm
integration-sacct: | integration-sweep-slurm

# the allocation-failure injection (an LD_PRELOAD shim: not under ASan)
fault-tests: $(BIN)
	$(Q)$(TEST_ENV) GPUPLAN=$(BIN) sh tests/fault/run.sh

check: deps
	$(Q)$(MAKE) --no-print-directory gpuplan unit cli-tests doc-tests \
		integration-tests fault-tests

run: deps
	$(Q)$(MAKE) --no-print-directory gpuplan
	./gpuplan validate scenarios/*.yaml
	./gpuplan estimate scenarios/llm-finetune.yaml --accelerator L40S
	./gpuplan compare scenarios/university-department.yaml
	./gpuplan plot scenarios/university-department.yaml --kind cost-breakdown \
		--out cost-breakdown.png
	./gpuplan catalog summary

bench: deps
	$(Q)$(MAKE) --no-print-directory gpuplan $(BUILD)/sim_bench \
		$(BUILD)/replan_bench
	$(Q)GPUPLAN=./gpuplan sh bench/run.sh
	$(Q)echo; echo "plan scaling in workloads, reduced and plain (issue 20):"
	$(Q)GPUPLAN=./gpuplan PLAIN=0 sh bench/scale.sh
	$(Q)echo; echo "a re-plan after one parameter moved, warm and cold:"
	$(Q)sh bench/gen.sh 400 200 $(BUILD)/bench-400 && \
		$(BUILD)/replan_bench $(BUILD)/bench-400/catalog.yaml \
		$(BUILD)/bench-400/scenario.yaml 6
	$(Q)echo; echo "import sacct, generated lines (bench/gen-sacct.sh):"
	$(Q)GPUPLAN=./gpuplan sh bench/sacct.sh
	$(Q)echo; echo "simulator kernel, M/M/8 at 80%, 10 million customers:"
	$(Q)for i in 1 2 3 4 5; do $(BUILD)/sim_bench; done
	$(Q)echo; echo "simulate, 40 replications, --jobs 1 then 2 (seconds):"
	$(Q)for j in 1 2; do for i in 1 2 3; do /usr/bin/time -f "jobs $$j %e" \
		./gpuplan simulate scenarios/university-department.yaml \
		--jobs $$j --replications 40 >/dev/null; done; done
	$(Q)echo; echo "estimate, ten LLM workloads, layout search (seconds):"
	$(Q)for i in 1 2 3 4 5; do /usr/bin/time -f "%e" ./gpuplan estimate \
		bench/llm-serving.yaml >/dev/null; done
	$(Q)echo; echo "compare with the closed loop, 20 replications:"
	$(Q)GPUPLAN=./gpuplan sh bench/compare.sh
	$(Q)echo; echo "compare, 100 replications (seconds):"
	$(Q)for f in scenarios/*.yaml; do /usr/bin/time -f "$$f %e" \
		./gpuplan compare $$f --replications 100 >/dev/null; done
	$(Q)echo; echo "sweep, 1000 points, --jobs 1 then 2 (seconds):"
	$(Q)for i in 1 2 3 4 5; do for j in 1 2; do /usr/bin/time -f \
		"jobs $$j %e" ./gpuplan sweep \
		scenarios/university-department.yaml \
		--set "workloads.dl-course.students=10..1000 step 10" \
		--set "catalog.family.gpuaas.price=*0.5,*0.6,*0.7,*0.8,*0.9,*1,*1.1,*1.2,*1.3,*1.4" \
		--jobs $$j --format csv >/dev/null; done; done
	$(Q)echo; echo "replay, 1 million generated jobs, EASY backfilling on 256 GPUs (seconds):"
	$(Q)test -s $(BUILD)/bench-trace-1m.csv || \
		sh bench/gen-trace.sh 1000000 > $(BUILD)/bench-trace-1m.csv
	$(Q)for i in 1 2 3 4 5; do /usr/bin/time -f "replay %e s %M KB" \
		./gpuplan simulate --replay $(BUILD)/bench-trace-1m.csv \
		--pool onprem-h100-dgx:256 --policy backfill >/dev/null; done

$(BUILD)/sim_bench: bench/sim_bench.c $(LIB) $(FLAGS_FILE)
	$(say) CC $<
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

$(BUILD)/replan_bench: bench/replan_bench.c $(LIB) $(FLAGS_FILE)
	$(say) CC $<
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

# the slowest unit tests under valgrind (about a minute each) start first,
# so that two jobs end together rather than one running them at the end
VALGRIND_FIRST := $(filter %/test_reduce %/test_sim %/test_world \
	%/test_advise,$(UNIT_BIN))
valgrind: deps
	$(Q)sh scripts/install-deps.sh valgrind
	$(Q)$(MAKE) --no-print-directory gpuplan $(UNIT_BIN)
	$(Q)VALGRIND=1 JOBS=2 sh tests/unit/run.sh $(VALGRIND_FIRST) \
		$(filter-out $(VALGRIND_FIRST),$(UNIT_BIN))
	$(Q)GPUPLAN=$(BIN) VALGRIND=1 JOBS=2 sh tests/cli/run.sh

coverage: deps
	$(Q)$(MAKE) --no-print-directory COVERAGE=1 gpuplan unit cli-tests \
		doc-tests
	$(Q)sh scripts/coverage.sh build-cov $(LIB_SRC)

format:
	@command -v clang-format >/dev/null || \
		{ echo "make format needs clang-format: apt-get install clang-format"; exit 1; }
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) \
		$(wildcard */*.h tests/unit/*.h)

clean:
	rm -rf build build-san build-cov build-sancov build-fuzz gpuplan \
		gpuplan_*.deb

help:
	@sed -n '2,8p' Makefile | sed 's/^# *//'

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
