# Top-level build. One non-recursive make: every src/<dir> holds either a
# library (util, global, and the daemon skeletons in master) or one program
# named after the directory. A directory may add a build.mk fragment when it
# builds something else (several programs, extra links).
#
#   make                 build everything into build/
#   make SAN=1           build with AddressSanitizer and UBSan into build-asan/
#   make test            install dependencies, build both ways, run the suite
#   make install DESTDIR=/tmp/x [config_directory=...] [daemon_directory=...]
#   make run             build and start a private instance in ./run (SMTP on 127.0.0.1:2525)
#   make deps            install the Debian packages the build and tests need
#   make bench           measure throughput and memory (see tests/bench)
#   make coverage        build with gcov instrumentation into build-cov/, run the
#                        suite there and print per-file line coverage of the libraries
#   make fuzz            build the libFuzzer harnesses of tests/fuzz with clang into
#                        build-fuzz/fuzz/ (run them with tests/fuzz/run.sh)

SHELL = /bin/sh
MAKEDEFS_OUT = conf/makedefs.out

ifeq ($(COVERAGE),1)
BUILD ?= build-cov
SANFLAGS = --coverage
OPT = -O0 -g
# Daemons die of SIGTERM; this object makes them write their counts first.
COV_OBJ = $(BUILD)/obj/cov_flush.o
else ifeq ($(SAN),1)
BUILD ?= build-asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD ?= build
SANFLAGS =
endif

-include $(MAKEDEFS_OUT)

OPT ?= -O2 -g
WARN = -Wall -Wextra -Werror -Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral
CFLAGS_ALL = $(OPT) $(WARN) $(SANFLAGS) -std=gnu11 $(SYSDEFS) $(CCARGS) \
	-Isrc/util -Isrc/global -Isrc/master $(INSTALLDEFS) -MMD -MP
LDFLAGS_ALL = $(SANFLAGS) -Wl,--as-needed $(COV_OBJ)
ALL_LIBS = $(AUXLIBS) $(SSL_LIBS) $(SASL_LIBS) $(PCRE_LIBS) $(MYSQL_LIBS) $(LDAP_LIBS) -lresolv

LIBDIRS = util global master
LIBS_A = $(BUILD)/lib/libmaster.a $(BUILD)/lib/libglobal.a $(BUILD)/lib/libutil.a

lib_srcs = $(filter-out %_test.c,$(wildcard src/$(1)/*.c))
lib_objs = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(call lib_srcs,$(1)))

PROGDIRS = $(filter-out $(LIBDIRS),$(notdir $(patsubst %/,%,$(dir $(wildcard src/*/*.c)))))
PROGDIRS := $(sort $(PROGDIRS))
# Directories with a build.mk define their own programs and append to PROGRAMS.
PLAIN_PROGDIRS = $(foreach d,$(PROGDIRS),$(if $(wildcard src/$(d)/build.mk),,$(d)))
PROGRAMS = $(foreach d,$(PLAIN_PROGDIRS),$(BUILD)/bin/$(d))

TEST_SRCS = $(wildcard src/*/*_test.c)
TESTS = $(patsubst src/%.c,$(BUILD)/test/%,$(TEST_SRCS))

# A build.mk's first rule must not become the default goal.
.DEFAULT_GOAL := all
-include $(wildcard src/*/build.mk)

.PHONY: all build build-all tests clean deps test test-only install run stop bench coverage check-makedefs \
	fuzz fuzz-all
.SUFFIXES:
.SECONDEXPANSION:
.SECONDARY:

all: build

build: check-makedefs
	@$(MAKE) --no-print-directory build-all

build-all: $(PROGRAMS) $(TESTS)

check-makedefs: $(MAKEDEFS_OUT)

$(MAKEDEFS_OUT): makedefs
	sh makedefs $(MAKEDEFS_OUT)

$(BUILD)/obj/%.o: src/%.c $(MAKEDEFS_OUT)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/test/%_test: $(BUILD)/obj/%_test.o $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(LIBS_A) $(ALL_LIBS)

ifneq ($(COV_OBJ),)
$(LIBS_A): | $(COV_OBJ)
$(COV_OBJ): tests/cov_flush.c $(MAKEDEFS_OUT)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<
endif

$(BUILD)/lib/lib%.a: $$(call lib_objs,%)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/%: $$(call lib_objs,%) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(call lib_objs,$*) $(LIBS_A) $(ALL_LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

deps:
	@sh tests/deps.sh

test: deps
	sh makedefs $(MAKEDEFS_OUT)
	$(MAKE) --no-print-directory build
	$(MAKE) --no-print-directory SAN=1 build
	python3 tests/run --build build --build build-asan

test-only:
	python3 tests/run --build $(BUILD)

install: build
	sh conf/post-install.sh build "$(DESTDIR)"

run: deps build
	sh tests/run-instance.sh

stop:
	sh tests/run-instance.sh stop

bench: build
	sh tests/bench/postmap_bench.sh build 1000000
	python3 tests/bench/bench.py build

# Counters from an earlier run would inflate the numbers: start from zero.
coverage: check-makedefs
	@$(MAKE) --no-print-directory COVERAGE=1 build-all
	python3 tests/coverage.py --reset build-cov
	@st=0; python3 tests/run --build build-cov || st=$$?; \
	python3 tests/coverage.py build-cov; exit $$st

# Fuzzing: the libraries again, compiled by clang with coverage feedback
# and sanitizers into build-fuzz/, and one libFuzzer program per
# tests/fuzz/fuzz_*.c. The normal builds are not touched.
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
FUZZ_BINS = $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

fuzz: check-makedefs
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
		SANFLAGS="$(FUZZ_SAN)" fuzz-all

fuzz-all: $(FUZZ_BINS)

# The SMTP client's reply parser is not in a library: link the client's
# modules (all but main() in smtp.c), as its module test does.
FUZZ_SMTP_OBJS = $(filter-out $(BUILD)/obj/smtp/smtp.o,$(call lib_objs,smtp))
$(BUILD)/fuzz/fuzz_smtp_reply: FUZZ_EXTRA = $(FUZZ_SMTP_OBJS)
$(BUILD)/fuzz/fuzz_smtp_reply: $(FUZZ_SMTP_OBJS)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(FUZZ_EXTRA) $(LIBS_A) $(ALL_LIBS)

clean:
	rm -rf build build-asan build-cov build-fuzz $(MAKEDEFS_OUT)
