# quoth - named entities and attributed quotations from news text.
# make             build every stage into bin/
# make test        unit and golden tests (SANITIZE=address,undefined to sanitize)
# make valgrind    the golden tests under valgrind's memcheck
# make fuzz        each libFuzzer harness in fuzz/ for FUZZ_TIME seconds (clang)
# make bench       throughput and peak memory against the JSON floor
# make eval        accuracy against the gold sets in ../shared
# make demo        install missing Debian packages, build, run the whole chain on the sample
# make install     binaries, rules, man pages and docs under $(DESTDIR)$(PREFIX); make uninstall

CC       ?= cc
SHARED   ?= ../shared
PREFIX   ?= /usr/local
PKGS      = libpcre2-8 libutf8proc libcjson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude $(PKG_CFLAGS) \
             -DQUOTH_RULES_INSTALLED='"$(PREFIX)/share/quoth/rules"'
LDLIBS   = $(PKG_LIBS)

ifdef SANITIZE
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SANITIZE)
BUILD    = build/san
else
BUILD    = build/rel
endif

STAGES   = normalize tokenize entities quotes report
LIB_SRC  = $(wildcard lib/*.c)
LIB_OBJ  = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
LIB      = $(BUILD)/libquoth.a
BINDIR   = $(if $(SANITIZE),$(BUILD)/bin,bin)
BINS     = $(STAGES:%=$(BINDIR)/quoth-%)
BINS    += $(BINDIR)/quoth
TOOLS    = $(BINDIR)/quoth-floor $(BINDIR)/spancheck $(BINDIR)/unit-tests $(BINDIR)/rusage

.PHONY: all test bench eval demo deps clean check-rules rules-gen install uninstall valgrind fuzz fuzz-build fuzz-replay
all: $(BINS) $(TOOLS)

$(BUILD)/lib/%.o: lib/%.c $(wildcard include/quoth/*.h) | $(BUILD)/lib
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/lib:
	mkdir -p $@
$(LIB): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^
$(BINDIR)/quoth-%: stages/%.c $(LIB) | $(BINDIR)
	$(CC) $(ALL_CFLAGS) $< $(LIB) $(LDFLAGS) $(LDLIBS) -o $@
$(BINDIR)/quoth: stages/quoth.c $(LIB) | $(BINDIR)
	$(CC) $(ALL_CFLAGS) -pthread $< $(LIB) $(LDFLAGS) -pthread $(LDLIBS) -o $@
$(BINDIR)/quoth-floor: bench/floor.c | $(BINDIR)
	$(CC) $(ALL_CFLAGS) $< $(LDFLAGS) $(LDLIBS) -o $@
$(BINDIR)/rusage: bench/rusage.c | $(BINDIR)
	$(CC) $(ALL_CFLAGS) $< $(LDFLAGS) -o $@
$(BINDIR)/spancheck: tests/spancheck.c $(LIB) | $(BINDIR)
	$(CC) $(ALL_CFLAGS) $< $(LIB) $(LDFLAGS) $(LDLIBS) -o $@
$(BINDIR)/unit-tests: tests/unit/unit.c $(LIB) | $(BINDIR)
	$(CC) $(ALL_CFLAGS) $< $(LIB) $(LDFLAGS) $(LDLIBS) -o $@
$(BINDIR):
	mkdir -p $@

test: all
	BIN=$(BINDIR) SHARED=$(SHARED) sh tests/run

valgrind: all
	VALGRIND=1 BIN=$(BINDIR) SHARED=$(SHARED) sh tests/run

# libFuzzer harnesses, built with clang into build/fuzz: one per stage's
# per-record path, one for rule loading, one for the report's rendering.
# make fuzz runs each for FUZZ_TIME seconds over its seeds (made from the
# tests by fuzz/seeds) and the corpus it grew before, in build/fuzz/corpus;
# crash inputs land in build/fuzz/crashes.
FUZZ_TIME  ?= 60
FUZZ_CC    ?= clang
FUZZ_ARGS  ?=
FUZZERS     = normalize tokenize entities quotes rules report
FUZZ_SAN    = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -Iinclude $(PKG_CFLAGS) $(FUZZ_SAN) \
              -DQUOTH_RULES_INSTALLED='"$(PREFIX)/share/quoth/rules"' -DFUZZ_RULES='"$(CURDIR)/rules"'
FUZZ_OBJ    = $(LIB_SRC:lib/%.c=build/fuzz/lib/%.o)

build/fuzz/lib/%.o: lib/%.c $(wildcard include/quoth/*.h) | build/fuzz/lib
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
build/fuzz/lib:
	mkdir -p $@
build/fuzz/libquoth.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^
build/fuzz/fuzz-%: fuzz/stage.c build/fuzz/libquoth.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_STAGE=$* $< build/fuzz/libquoth.a $(LDLIBS) -o $@
build/fuzz/fuzz-rules: fuzz/rules.c build/fuzz/libquoth.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< build/fuzz/libquoth.a $(LDLIBS) -o $@
build/fuzz/fuzz-report: fuzz/report.c build/fuzz/libquoth.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< build/fuzz/libquoth.a $(LDLIBS) -o $@

fuzz-build: $(FUZZERS:%=build/fuzz/fuzz-%)

# Leaks are not looked for in fuzz-rules: a bad rule leaves the stage half
# built, which is harmless in a program that then exits; its memory grows,
# so it runs in fork mode, restarted when it is over -rss_limit_mb (the
# rules-oom- inputs it leaves are that, not failures).
fuzz: fuzz-build all
	sh fuzz/seeds $(BINDIR) build/fuzz/seeds
	mkdir -p build/fuzz/crashes
	failed=; for f in $(FUZZERS); do \
		mkdir -p build/fuzz/corpus/$$f; \
		leaks=1; [ $$f = rules ] && leaks=0; \
		QUOTH_RULES=$(CURDIR)/rules ASAN_OPTIONS=detect_leaks=$$leaks build/fuzz/fuzz-$$f \
			-max_total_time=$(FUZZ_TIME) -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
			-close_fd_mask=3 -print_final_stats=1 -artifact_prefix=build/fuzz/crashes/$$f- \
			$$([ $$f = rules ] && echo -detect_leaks=0 -fork=1 -ignore_ooms=1) \
			$(FUZZ_ARGS) build/fuzz/corpus/$$f build/fuzz/seeds/$$f || failed="$$failed $$f"; \
	done; \
	ls build/fuzz/crashes | grep -v '^rules-oom-' | sed 's|^|crash input: build/fuzz/crashes/|'; \
	for f in $$failed; do \
		[ $$f = rules ] && ! ls build/fuzz/crashes | grep -v '^rules-oom-' | grep -q '^rules-' && continue; \
		echo "fuzz-$$f failed"; exit 1; \
	done

# Replays every seed (and, when there, the grown corpus) through each
# harness once, with no new inputs: deterministic, so CI can run it.
fuzz-replay: fuzz-build all
	sh fuzz/seeds $(BINDIR) build/fuzz/seeds
	mkdir -p build/fuzz/crashes
	for f in $(FUZZERS); do \
		leaks=1; [ $$f = rules ] && leaks=0; \
		QUOTH_RULES=$(CURDIR)/rules ASAN_OPTIONS=detect_leaks=$$leaks build/fuzz/fuzz-$$f \
			-runs=0 -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 \
			-artifact_prefix=build/fuzz/crashes/$$f- build/fuzz/seeds/$$f \
			$$([ -d build/fuzz/corpus/$$f ] && echo build/fuzz/corpus/$$f) > build/fuzz/replay-$$f.log 2>&1 || \
			{ tail -n 30 build/fuzz/replay-$$f.log; echo "fuzz-replay: fuzz-$$f failed"; exit 1; }; \
		echo "fuzz-replay: fuzz-$$f ok ($$(ls build/fuzz/seeds/$$f | wc -l) seeds)"; \
	done

check-rules: all
	BIN=$(BINDIR) sh tests/check-rules

bench: all
	BIN=$(BINDIR) SHARED=$(SHARED) sh bench/run

eval: all
	BIN=$(BINDIR) SHARED=$(SHARED) sh tools/eval

# Regenerates the gazetteers and the tagger's model from their sources.
rules-gen: $(BINDIR)/quoth-train-ner $(BINDIR)/quoth-gen-clusters
	tools/gen-rules --shared $(SHARED)
	tools/gen-wordnet
	BIN=$(BINDIR) tools/gen-clusters
	$(BINDIR)/quoth-train-ner --shared $(SHARED) $(SHARED)/corpus/conll2003/eng.train > rules/entities/ner-model.tsv.tmp
	mv rules/entities/ner-model.tsv.tmp rules/entities/ner-model.tsv
$(BINDIR)/quoth-train-ner: tools/train-ner.c $(LIB) | $(BINDIR)
	$(CC) $(ALL_CFLAGS) $< $(LIB) $(LDFLAGS) $(LDLIBS) -o $@
$(BINDIR)/quoth-gen-clusters: tools/gen-clusters.c $(LIB) | $(BINDIR)
	$(CC) $(ALL_CFLAGS) $< $(LIB) $(LDFLAGS) $(LDLIBS) -lm -o $@

deps:
	sh tools/install-deps

demo: deps
	$(MAKE) all
	mkdir -p build
	bin/quoth-normalize examples/sample.txt | bin/quoth-tokenize | bin/quoth-entities | bin/quoth-quotes > build/sample.jsonl
	cat build/sample.jsonl
	@echo; echo "Who said what (kind, speaker, cue, quote):"
	@jq -r '.quotes[] | [.speaker.kind // "-", .speaker.name // "-", .cue.text // "-", .text[0:70]] | @tsv' build/sample.jsonl

# The programs of BINS (not the test and bench tools), the rules where
# lib/rules.c finds them beside the binaries, the man pages and the docs.
INSTALL  ?= install
MANPAGES  = $(wildcard man/*.1)
DOCS      = README.md $(wildcard LICENSE* COPYING* NEWS* CHANGELOG*)
Q_BIN     = $(DESTDIR)$(PREFIX)/bin
Q_RULES   = $(DESTDIR)$(PREFIX)/share/quoth/rules
Q_MAN     = $(DESTDIR)$(PREFIX)/share/man/man1
Q_DOC     = $(DESTDIR)$(PREFIX)/share/doc/quoth

install: all
	$(INSTALL) -d "$(Q_BIN)" "$(Q_RULES)" "$(Q_MAN)" "$(Q_DOC)"
	$(INSTALL) -m 755 $(BINS) "$(Q_BIN)/"
	cd rules && find . -type d | while IFS= read -r d; do $(INSTALL) -d "$(Q_RULES)/$$d" || exit 1; done
	cd rules && find . -type f | while IFS= read -r f; do $(INSTALL) -m 644 "$$f" "$(Q_RULES)/$$f" || exit 1; done
	$(if $(MANPAGES),$(INSTALL) -m 644 $(MANPAGES) "$(Q_MAN)/")
	$(INSTALL) -m 644 $(DOCS) "$(Q_DOC)/"

uninstall:
	rm -f $(BINS:$(BINDIR)/%="$(Q_BIN)/%")
	rm -f $(MANPAGES:man/%="$(Q_MAN)/%")
	rm -rf "$(Q_RULES)" "$(Q_DOC)"
	-rmdir "$(DESTDIR)$(PREFIX)/share/quoth" 2> /dev/null

clean:
	rm -rf build bin

# Regenerates the cue words, trigger contexts, content tagger and speaker
# nouns that quoth-quotes learns from PolNeAR's training split.
.PHONY: rules-quotes
rules-quotes: all
	tools/gen-quote-cues --shared $(SHARED)
	tools/gen-quote-triggers --shared $(SHARED) --bin $(BINDIR)
	tools/gen-quote-spans --shared $(SHARED) --bin $(BINDIR)
	tools/gen-quote-speakers --shared $(SHARED)
