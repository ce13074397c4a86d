# gradlab: one non-recursive Makefile, out-of-tree builds under build/.
#
# Student targets:   make run LAB=01   make grade   make grade ARGS='--lab 01 --verbose'
# Instructor:        make run LAB=01 SOLUTIONS=1   make grade-solutions   make test   make test SAN=1
# Set-up:            make deps (every target above runs it first)
#
# Variables: SOLUTIONS=1 builds solutions/ instead of labs/; SAN=1 builds with
# AddressSanitizer + UBSan into build-san/; LABSRC=dir grades another tree of
# lab files laid out like labs/ (VB=dir says where its objects go).

SHELL := /bin/bash
.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := help

SAN ?= 0
SOLUTIONS ?= 0
B := build$(if $(filter 1,$(SAN)),-san)
VARIANT := $(if $(filter 1,$(SOLUTIONS)),solutions,labs)
LABSRC ?= $(VARIANT)
VB ?= $(B)/$(VARIANT)
OUT ?= out/$(VARIANT)
ARGS ?=

# The student release (scripts/release.sh) has no solutions/: there the instructors'
# targets stop at once with one clear line, and make help does not list them.
INSTRUCTOR := $(if $(wildcard solutions),1)
INSTRUCTOR_GOALS := grade-solutions _grade-solutions test _test unit-tests grader-tests redteam-tests experiment-tests instructor-tests \
                    figures _figures release _release _answers autograder _autograder grade-all _grade-all class-report _class-report \
                    similarity _similarity bench _bench bench-deps fuzz test-deps
ifneq ($(INSTRUCTOR),1)
ifneq ($(filter $(INSTRUCTOR_GOALS),$(MAKECMDGOALS))$(filter 1,$(SOLUTIONS)),)
$(error make $(or $(filter $(INSTRUCTOR_GOALS),$(MAKECMDGOALS)),SOLUTIONS=1) is for instructors: the student release has no solutions/ (make help lists what you can run))
endif
endif

# ---- the labs: directory, the file students write, what each experiment links ----
ALL_LABS := 01-knn 02-loss 03-gradcheck 04-sgd 05-mlp
LAB_FILE_01-knn := knn
LAB_FILE_02-loss := loss
LAB_FILE_03-gradcheck := gradcheck
LAB_FILE_04-sgd := linear
LAB_FILE_05-mlp := mlp
EXP_USES_01-knn := 01-knn
EXP_USES_02-loss := 02-loss 03-gradcheck
EXP_USES_03-gradcheck := 03-gradcheck 02-loss
EXP_USES_04-sgd := 04-sgd 02-loss
EXP_USES_05-mlp := 05-mlp
LABS := $(foreach l,$(ALL_LABS),$(if $(wildcard labs/$(l)/$(LAB_FILE_$(l)).c),$(l)))
lab_src = $(1)/$(LAB_FILE_$(1)).c
lab_obj = $(1)/$(LAB_FILE_$(1)).o

# ---- flags ----
PKGS := check libpng zlib openblas libseccomp
# Asked of pkg-config once per make, when first needed (not at every use).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(shell pkg-config --libs $$(PKGS)))$(PKG_LIBS)
OPT ?= -O2
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
CPPFLAGS := -Iinclude -D_GNU_SOURCE -MMD -MP
# -fno-math-errno: sqrt() and friends need not set errno (nothing here reads it), so the
# compiler may use the CPU's own instructions and vectorize loops that call them.
CFLAGS := -std=c11 -Wall -Wextra -g $(OPT) -fno-math-errno $(SANFLAGS)
# Stubs leave parameters unused until they are written.
LAB_CFLAGS := -Wno-unused-parameter
LDLIBS = $(PKG_LIBS) -lm

# ---- sources ----
COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(B)/%.o)
LIB := $(B)/libgradlab.a

GRADER_SRCS := $(wildcard grader/*.c)
GRADER_OBJS := $(GRADER_SRCS:%.c=$(B)/%.o)
PUBLIC_TEST_SRCS := $(wildcard grader/tests/public/*.c)
HIDDEN_TEST_SRCS := $(if $(wildcard solutions),$(wildcard grader/tests/hidden/*.c))
TEST_OBJS := $(PUBLIC_TEST_SRCS:%.c=$(B)/%.o) $(HIDDEN_TEST_SRCS:%.c=$(B)/%.o)
# Reference solutions under a ref_ prefix, for hidden tests that compare with them.
REF_OBJS := $(if $(HIDDEN_TEST_SRCS),$(foreach l,$(LABS),$(B)/ref/$(call lab_obj,$(l))))
# The lab functions as the grader sees them: proxies into the sandbox, generated
# from grader/api.spec; and the sandboxed side, one worker program per lab.
PROXY_OBJ := $(B)/gen/proxies.o
LABS_FNS_OBJ := $(B)/gen/labs_fns.o
# What the reference answers, for public tests: computed by the reference where it is
# linked in (ORA_HAVE_REF), else the answers recorded when the release was built.
ORACLE_OBJ := $(B)/gen/oracles.o
ORACLE_HDR := $(B)/gen/oracles.h
ANSWERS := grader/tests/public/answers.gz
WORKER_OBJS := $(B)/grader/worker/worker.o $(B)/grader/worker/policy.o $(B)/grader/worker/zygote.o
lab_num = $(firstword $(subst -, ,$(1)))

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(B)/%.o)
UNIT_BIN := $(B)/tests/unit-tests

# The grader holds the tests and the reference, never student code: one binary
# serves every tree it grades.
GRADER_BIN := $(B)/gradlab-grade
LAB_WORKERS := $(foreach l,$(LABS),$(VB)/grade/$(l)/gradlab-worker)

exp_srcs = $(filter-out labs/$(1)/$(LAB_FILE_$(1)).c labs/$(1)/scratch.c,$(wildcard labs/$(1)/*.c))
EXP_BINS := $(foreach l,$(LABS),$(VB)/bin/$(l))

.PHONY: test-deps scratch _scratch bench _bench bench-deps fuzz figures release autograder grade-all class-report similarity \
        _figures _release _answers _autograder _grade-all _class-report _similarity mini-data help deps all test grade \
        grade-solutions run clean _test _grade _grade-solutions _run \
        _all unit-tests grader-tests redteam-tests experiment-tests instructor-tests _grade-build

help:
	@echo "gradlab: machine-learning labs in C"
	@echo "  make run LAB=01          run lab 01's experiment on your code$(if $(INSTRUCTOR), (SOLUTIONS=1: the reference))"
	@echo "  make run LAB=01 ARGS=--quick   the same on small sizes, in seconds"
	@echo "      ARGS='--help'            the lab's options (hyperparameters: make run LAB=05 ARGS='--no-search --reg 1e-3')"
	@echo "      DATA=mnist|cifar10       another data set (DATA=cifar10:DIR: from DIR); figures go to out/labs/NN-name[-DATA][-no-search][-quick]/"
	@echo "  make grade               grade your labs"
	@echo "  make grade LAB=01        grade one lab"
	@echo "      ARGS='--verbose'         every test's output and time, passed ones too"
	@echo "      ARGS='--test PATTERN'    only the tests whose name matches, e.g. '*ties*'"
	@echo "      ARGS='--list'            the tests with their points"
	@echo "  make grade SAN=1         the same with AddressSanitizer, to find a crash's cause"
	@echo "  make scratch LAB=01      build and run labs/01-knn/scratch.c, your own small cases"
	@echo "  make clean               remove what was built (build/, build-san/); your figures in out/ stay"
	@echo "  make deps                install the Debian packages gradlab needs"
ifeq ($(INSTRUCTOR),1)
	@echo "  make grade-solutions     grade the reference solutions (instructors)"
	@echo "  make test                the project's own tests (SAN=1: with sanitizers)"
	@echo "  make bench               benchmarks next to numpy and scikit-learn (make bench-deps installs them)"
	@echo "  make figures             every lecture figure from the reference solutions, into figures/"
	@echo "  make release             the student release: dist/gradlab-student/ and its tarball"
	@echo "  make autograder          the Gradescope autograder: dist/autograder.zip (LAB=01 or LAB="01 02": those labs only)"
	@echo "  make grade-all SUBMISSIONS=dir   grade a whole class into a gradebook CSV"
	@echo "  make class-report [GRADEBOOK=dir]   pass rates per test, verdicts and grade histograms of a graded class"
	@echo "  make similarity SUBMISSIONS=dir  pairs of submissions that share code, per lab (THRESHOLD=60 %)"
endif

# ---- set-up: every user-facing target makes sure the packages are there, then
# re-reads this Makefile (pkg-config needs the packages installed). ----
deps:
	@scripts/deps.sh

all test grade-solutions run scratch: | deps
	@$(MAKE) --no-print-directory _$@

# make test also starts a one-node Slurm cluster (tests/instructor/slurm.sh): its daemons.
test: | test-deps
test-deps: | deps
	@scripts/deps.sh slurm

# A report with points lost is not a failure of make: make grade ends with the report,
# not with make's "*** Error" lines. It fails only when the grader cannot run or a lab
# does not build (status 2). GRADE_RC=FILE keeps the grader's own status for scripts.
grade: | deps
	@$(MAKE) --no-print-directory -q $(if $(DEBUG_ARG),$(DEBUG_BIN),_grade-build) 2>/dev/null || \
	  echo "make grade: building the grader and your lab files (the first time takes about a minute)..."
	@$(MAKE) --no-print-directory -s _grade GRADE_POINTS_LOST_OK=1

_all: $(LIB) $(GRADER_BIN) $(LAB_WORKERS) $(EXP_BINS) $(UNIT_BIN)

# ---- the common library ----
$(LIB): $(COMMON_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/common/%.o: common/%.c | $(B)/common/
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# ---- lab code compiled strictly (experiments): an error stops the build ----
$(VB)/obj/%.o: $(LABSRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LAB_CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# ---- lab code built for grading: each lab's object, checked (scripts/lab-symbols.sh),
# linked into that lab's worker program. A failure costs only that lab: the compiler's,
# checker's or linker's words go to the .log beside the object, a .failed file marks
# it, and the grader reports the lab as BUILD while it grades the others. ----
lab_header = include/$(basename $(notdir $(1))).h
# Workers are linked for every submission graded: with gold, when the compiler has it, in
# about half the time of the default linker (found once, when a worker is first linked).
WORKER_LDFLAGS = $(eval WORKER_LDFLAGS := $$(if $$(SANFLAGS),,$$(shell $$(CC) -fuse-ld=gold -Wl,--version 2>/dev/null \
                     | grep -q 'GNU gold' && echo -fuse-ld=gold)))$(WORKER_LDFLAGS)
define LAB_WORKER_RULE
$(VB)/grade/$(1)/gradlab-worker: $(LABSRC)/$(call lab_src,$(1)) $(call lab_header,$(call lab_src,$(1))) \
        scripts/build-lab.sh scripts/lab-symbols.sh scripts/lab-partial.sh $(B)/gen/dispatch_$(call lab_num,$(1)).o $(WORKER_OBJS) $(LIB)
	@CC="$$(CC)" CPPFLAGS="$$(CPPFLAGS)" CFLAGS="$$(CFLAGS) $$(PKG_CFLAGS)" LDLIBS="$$(LDLIBS)" LDFLAGS="$$(WORKER_LDFLAGS)" \
	  scripts/build-lab.sh $$< $(call lab_header,$(call lab_src,$(1))) $$(@D) \
	  $(B)/gen/dispatch_$(call lab_num,$(1)).o -- $(WORKER_OBJS) $(LIB)
endef
$(foreach l,$(LABS),$(eval $(call LAB_WORKER_RULE,$(l))))

# ---- generated from grader/api.spec: both sides of every lab call (kept: they are
# worth reading, and make would otherwise delete them as intermediates) ----
.SECONDARY: $(foreach l,$(LABS),$(B)/gen/dispatch_$(call lab_num,$(l)).c)
$(B)/gen/proxies.c: grader/api.spec scripts/gen-api.awk | $(B)/gen/
	awk -v mode=proxies -f scripts/gen-api.awk $< > $@
$(B)/gen/dispatch_%.c: grader/api.spec scripts/gen-api.awk | $(B)/gen/
	awk -v mode=dispatch -v lab=$* -f scripts/gen-api.awk $< > $@
$(B)/gen/labs_fns.c: grader/api.spec scripts/gen-api.awk | $(B)/gen/
	awk -v mode=labs -f scripts/gen-api.awk $< > $@
$(B)/gen/labs_fns.o: $(B)/gen/labs_fns.c
	$(CC) $(CPPFLAGS) -Igrader $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(B)/gen/oracles.c: grader/api.spec scripts/gen-api.awk | $(B)/gen/
	awk -v mode=oracles -f scripts/gen-api.awk $< > $@
$(ORACLE_HDR): grader/api.spec scripts/gen-api.awk | $(B)/gen/
	awk -v mode=oracles-h -f scripts/gen-api.awk $< > $@
$(ORACLE_OBJ): $(B)/gen/oracles.c $(ORACLE_HDR)
	$(CC) $(CPPFLAGS) -Igrader -I$(B)/gen $(if $(REF_OBJS),-DORA_HAVE_REF) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(B)/gen/proxies.o: $(B)/gen/proxies.c
	$(CC) $(CPPFLAGS) -Igrader $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(B)/gen/dispatch_%.o: $(B)/gen/dispatch_%.c
	$(CC) $(CPPFLAGS) -Igrader/worker $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# ---- reference solutions renamed to ref_* for hidden tests ----
$(B)/ref/%.o: solutions/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@.tmp.o
	nm -g --defined-only $@.tmp.o | awk 'NF == 3 { print $$3, "ref_" $$3 }' > $@.syms
	objcopy --redefine-syms=$@.syms $@.tmp.o $@
	@rm -f $@.tmp.o

# ---- the grader (trusted) and the worker's call server (beside student code) ----
$(B)/grader/worker/%.o: grader/worker/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Igrader/worker $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(B)/grader/%.o: grader/%.c | $(B)/grader/
	$(CC) $(CPPFLAGS) -Igrader -DGRADLAB_ANSWERS='"$(CURDIR)/$(ANSWERS)"' $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(B)/grader/tests/%.o: grader/tests/%.c $(ORACLE_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Igrader -I$(B)/gen $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(GRADER_BIN): $(GRADER_OBJS) $(PROXY_OBJ) $(LABS_FNS_OBJ) $(ORACLE_OBJ) $(TEST_OBJS) $(REF_OBJS) $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

GRADE_CMD = $(GRADER_BIN) --build-dir $(VB)/grade --source-dir $(LABSRC)

# gradlab-debug: the same tests with the lab files linked in (no proxies, no sandbox),
# to run one test in one process under gdb: make grade ARGS='--debug PATTERN'.
DEBUG_BIN := $(VB)/gradlab-debug
DEBUG_OBJS := $(filter-out $(B)/grader/main.o,$(GRADER_OBJS)) $(B)/grader/main-debug.o
$(B)/grader/main-debug.o: grader/main.c | $(B)/grader/
	$(CC) $(CPPFLAGS) -Igrader -DGRADLAB_DEBUG_BINARY=1 -DGRADLAB_ANSWERS='"$(CURDIR)/$(ANSWERS)"' $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(DEBUG_BIN): $(DEBUG_OBJS) $(LABS_FNS_OBJ) $(ORACLE_OBJ) $(TEST_OBJS) $(REF_OBJS) \
              $(foreach l,$(LABS),$(VB)/obj/$(call lab_obj,$(l))) $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
DEBUG_ARG := $(findstring --debug,$(ARGS))

# GRADE_RC=FILE keeps the grader's own exit status (0 full marks, 1 points lost,
# 2 a lab did not build) for scripts, since make itself reports any failure as 2.
_grade: $(if $(DEBUG_ARG),$(DEBUG_BIN),$(GRADER_BIN) $(LAB_WORKERS))
	@$(if $(DEBUG_ARG),$(DEBUG_BIN),$(GRADE_CMD)) $(if $(LAB),--lab $(LAB_NUM)) $(ARGS); rc=$$?; $(if $(GRADE_RC),echo $$rc > $(GRADE_RC);) \
	 $(if $(GRADE_POINTS_LOST_OK),[ $$rc -eq 1 ] && exit 0;) exit $$rc

_grade-solutions:
	@$(MAKE) --no-print-directory _grade SOLUTIONS=1

# Everything grading needs, built (run_autograder builds a submission with this).
_grade-build: $(GRADER_BIN) $(LAB_WORKERS)

# ---- experiments: labs/NN-name/*.c other than the lab file, linked with the lab
# objects that experiment uses (from labs/ or, with SOLUTIONS=1, solutions/) ----
$(B)/exp/%.o: labs/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ilabs/$(*D) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# The lab objects an experiment or scratch program links; two of them may define the same
# global helper, so the link takes them through scripts/unclash-labs.sh.
lab_objs = $(foreach u,$(EXP_USES_$(1)),$(VB)/obj/$(call lab_obj,$(u)))
define EXP_RULE
$(VB)/bin/$(1): $(patsubst labs/%.c,$(B)/exp/%.o,$(call exp_srcs,$(1))) \
                $(foreach u,$(EXP_USES_$(1)),$(VB)/obj/$(call lab_obj,$(u))) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -o $$@ $$(filter-out $(call lab_objs,$(1)) $(LIB),$$^) \
	  `scripts/unclash-labs.sh $$(@D)/unclash-$(1) $(call lab_objs,$(1))` $(LIB) $$(LDLIBS)
endef
$(foreach l,$(LABS),$(eval $(call EXP_RULE,$(l))))

# LAB=1, LAB=01 and LAB=lab1 all mean lab 01.
LAB_NUM = $(if $(LAB),$(shell n='$(LAB)'; n=$${n#lab}; case "$$n" in (''|*[!0-9]*) echo "$$n";; \
                                   (*) printf '%02d' "$$(expr "$$n" + 0)";; esac))
LAB_DIR = $(firstword $(filter $(LAB_NUM)-%,$(LABS)))
# Each run gets a folder of its own, so a quick run or another data set never overwrites
# the figures of a full run: OUT/NN-name/, OUT/NN-name-quick/, OUT/NN-name-cifar10/ ...
# DATA=fashion|mnist|cifar10 (or NAME:DIR) picks the data set (--data).
DATA ?=
DATA_NAME = $(firstword $(subst :, ,$(DATA)))
RUN_OUT = $(OUT)/$(LAB_DIR)$(if $(filter-out fashion fashion-mnist,$(DATA_NAME)),-$(DATA_NAME))$(if $(filter --no-search,$(ARGS)),-no-search)$(if $(filter --quick,$(ARGS)),-quick)
_run:
	@if [ -z "$(LAB)" ] || [ -z "$(LAB_DIR)" ]; then \
	   echo "make run: say which lab, e.g. make run LAB=01 (labs: $(LABS))" >&2; exit 2; fi
	@$(MAKE) --no-print-directory $(VB)/bin/$(LAB_DIR)
	@mkdir -p $(RUN_OUT)
	$(VB)/bin/$(LAB_DIR) --out $(RUN_OUT) $(if $(DATA),--data $(DATA)) $(ARGS)

# ---- scratch: labs/NN-name/scratch.c, the student's own small cases, with the lab ----
define SCRATCH_RULE
$(VB)/bin/scratch-$(1): $(B)/exp/$(1)/scratch.o $(foreach u,$(EXP_USES_$(1)),$(VB)/obj/$(call lab_obj,$(u))) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -o $$@ $(B)/exp/$(1)/scratch.o \
	  `scripts/unclash-labs.sh $$(@D)/unclash-scratch-$(1) $(call lab_objs,$(1))` $(LIB) $$(LDLIBS)
endef
$(foreach l,$(LABS),$(eval $(call SCRATCH_RULE,$(l))))
_scratch:
	@if [ -z "$(LAB)" ] || [ -z "$(LAB_DIR)" ] || [ ! -f labs/$(LAB_DIR)/scratch.c ]; then \
	   echo "make scratch: say which lab, e.g. make scratch LAB=01 (it runs labs/NN-name/scratch.c)" >&2; exit 2; fi
	@$(MAKE) --no-print-directory -s $(VB)/bin/scratch-$(LAB_DIR)
	@$(VB)/bin/scratch-$(LAB_DIR) $(ARGS)

# ---- instructors: figures, the student release, the Gradescope autograder, a class ----
SUBMISSIONS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
THRESHOLD ?=
# make class-report reads what make grade-all wrote (GRADE_ALL_OUT, else dist/grade-all).
GRADEBOOK ?= $(or $(GRADE_ALL_OUT),dist/grade-all)
figures release autograder grade-all class-report similarity: | deps
	@$(MAKE) --no-print-directory _$@

_figures:
	@scripts/figures.sh B=$(B)

# The public tests' answers, recorded from the reference while it is graded (full
# marks or nothing is written); the release ships them as $(ANSWERS).
_answers:
	@rm -f $(B)/answers.txt $(B)/answers.gz
	@$(MAKE) --no-print-directory _grade SOLUTIONS=1 GRADE_RC=$(B)/answers.rc \
	   ARGS='--no-color --record-answers $(abspath $(B))/answers.txt' >$(B)/answers.log 2>&1; \
	 if [ "$$(cat $(B)/answers.rc 2>/dev/null)" != 0 ]; then \
	   tail -n 30 $(B)/answers.log; echo "answers: the reference does not get full marks; no answers recorded" >&2; exit 1; fi
	@LC_ALL=C sort -u $(B)/answers.txt | gzip -9n > $(B)/answers.gz.tmp && mv -f $(B)/answers.gz.tmp $(B)/answers.gz
	@echo "answers: $$(LC_ALL=C sort -u $(B)/answers.txt | wc -l) recorded answers in $(B)/answers.gz ($$(wc -c < $(B)/answers.gz) bytes)"

_release: _answers
	@scripts/release.sh --answers $(B)/answers.gz

_autograder:
	@scripts/autograder.sh $(if $(LAB),--labs "$(LAB)")

_grade-all:
	@if [ -z "$(SUBMISSIONS)" ]; then echo "make grade-all: say where, e.g. make grade-all SUBMISSIONS=dir" >&2; exit 2; fi
	@scripts/grade-all.sh --jobs $(JOBS) --build-dir $(B) $(if $(SHARD),--shard $(SHARD)) $(if $(MERGE),--merge) \
	  "$(SUBMISSIONS)"

# Pass rates per test (worst first), verdicts and grade histograms, into GRADEBOOK/class-report/.
_class-report:
	@scripts/class-report.sh "$(GRADEBOOK)"

# Pairs of submissions whose lab files share code (sim_c), into dist/similarity.md.
_similarity:
	@if [ -z "$(SUBMISSIONS)" ]; then echo "make similarity: say where, e.g. make similarity SUBMISSIONS=dir" >&2; exit 2; fi
	@scripts/similarity.sh $(if $(THRESHOLD),--threshold $(THRESHOLD)) "$(SUBMISSIONS)"

# ---- benchmarks: gradlab next to numpy / scikit-learn, built with -O3 into build-bench/ ----
bench: | deps
	@$(MAKE) --no-print-directory _bench B=build-bench OPT='-O3 -march=native'

_bench:
	@bench/run.sh B=$(B) OPT="$(OPT)"

# What the sandbox costs (bench/px_bench.c), built as the grader is.
$(B)/bench/px_bench: bench/px_bench.c $(PROXY_OBJ) $(LABS_FNS_OBJ) $(ORACLE_OBJ) $(REF_OBJS) \
                     $(filter-out $(B)/grader/main.o,$(GRADER_OBJS)) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Igrader $(CFLAGS) $(PKG_CFLAGS) -o $@ $^ $(LDLIBS)

bench-deps:
	@scripts/deps.sh bench

# ---- fuzzing the data readers (clang's libFuzzer with ASan + UBSan) ----
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := idx cifar
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -std=c11 -Wall -Wextra -D_GNU_SOURCE -Iinclude -fsanitize=fuzzer,address,undefined
$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/memfile.c $(COMMON_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< tests/fuzz/memfile.c $(COMMON_SRCS) $(LDLIBS)

fuzz: | deps
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	   mkdir -p $(B)/fuzz/corpus-$$t $(B)/fuzz/crashes-$$t; \
	   echo "fuzzing $$t for $(FUZZ_SECONDS) s (seeds: tests/fuzz/corpus/$$t)"; \
	   $(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 \
	     -artifact_prefix=$(B)/fuzz/crashes-$$t/ $(B)/fuzz/corpus-$$t tests/fuzz/corpus/$$t \
	     2>&1 | grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Done" || exit 1; \
	 done

# ---- the committed mini subset of Fashion-MNIST (instructors re-make it with this) ----
MINI_FROM ?= /usr/share/datasets/fashion-mnist
$(B)/data/make_mini: data/make_mini.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

mini-data: $(B)/data/make_mini
	$(B)/data/make_mini $(MINI_FROM) data/fashion-mnist-mini

# ---- the project's own tests ----
$(B)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJS) $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

unit-tests: $(UNIT_BIN)
	$(UNIT_BIN)

# The grader's runtime defences, tested on hostile test functions (tests/grader/selftest.c).
SELFTEST_BIN := $(B)/tests/grader-selftest
$(B)/tests/grader/selftest.o: tests/grader/selftest.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Igrader $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(SELFTEST_BIN): $(GRADER_OBJS) $(LABS_FNS_OBJ) $(ORACLE_OBJ) $(REF_OBJS) $(B)/tests/grader/selftest.o $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

grader-tests: $(SELFTEST_BIN)
	@tests/grader/run.sh B=$(B) SAN=$(SAN)

# The red team: lab files that try to cheat (tests/redteam/), graded through make grade,
# the Gradescope autograder and grade-all beside an honest classmate.
redteam-tests:
	@tests/redteam/run.sh B=$(B) SAN=$(SAN)

# Every experiment on small generated MNIST and CIFAR-10 files, and the experiments' options.
experiment-tests:
	@$(MAKE) --no-print-directory $(foreach l,$(LABS),$(B)/solutions/bin/$(l)) SOLUTIONS=1
	@tests/experiments/run.sh B=$(B) SAN=$(SAN)

# The instructor workflow end to end: check-api, figures, release, autograder, grade-all.
instructor-tests:
	@tests/instructor/run.sh B=$(B)

# In sequence: the grader tests reuse what the unit tests built. The instructor
# workflow tests shell scripts and packaging, so SAN=1 leaves them out.
_test:
	@$(MAKE) --no-print-directory unit-tests
	@$(MAKE) --no-print-directory grader-tests
	@$(MAKE) --no-print-directory redteam-tests
	@$(MAKE) --no-print-directory experiment-tests
	@$(if $(filter 1,$(SAN)),echo "(instructor-tests: not run under SAN=1)",$(MAKE) --no-print-directory instructor-tests)

# ---- housekeeping ----
.PRECIOUS: %/
%/:
	@mkdir -p $@

clean:
	rm -rf build build-san

-include $(shell find $(B) -name '*.d' 2>/dev/null)
