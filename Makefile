# AlphaPulse build. `make run` first makes sure the libraries are installed, `make check`
# also the tests' tools (tests/deps.sh), then make is re-entered so pkg-config sees them.
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
PKGS     = ncursesw libwebsockets jansson sqlite3 libcurl openssl libpq

CC      ?= cc
OPT     ?= -O2 -g
WARN     = -Wall -Wextra -Wpedantic $(if $(CI),-Werror)
CFLAGS  += -std=c11 -D_GNU_SOURCE -DAP_DATADIR='"$(PREFIX)/share/alphapulse"' $(OPT) $(WARN) -Iinclude $(SAN) \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
LDFLAGS += $(SAN)

LIB_SRC  = $(shell find src -name '*.c' ! -path src/main.c | sort)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(sort $(wildcard tests/unit/*.c tests/integration/*.c))
TEST_BIN = $(TEST_SRC:%.c=$(BUILD)/%) $(BUILD)/tests/fake_exchange/fake_exchange
FAKE_SRC = $(wildcard tests/fake_exchange/fake_exchange.c tests/fake_exchange/fake_depth.c)
# the other fake servers (fake_bybit.c): one program per file, built by the tests rule
# (fake_depth.c is a part of fake_exchange)
FAKE_BIN = $(patsubst %.c,$(BUILD)/%,$(filter-out $(FAKE_SRC),$(wildcard tests/fake_exchange/*.c)))
BENCH_SRC= $(sort $(wildcard bench/*.c))
BENCH_BIN= $(BENCH_SRC:%.c=$(BUILD)/%)

.PHONY: all run check asan tsan bench fuzz fuzz-http install uninstall clean deps deps-tests build-tests
.DEFAULT_GOAL := all

all: $(BUILD)/alphapulse

deps:
	@sh tests/deps.sh

deps-tests:
	@sh tests/deps.sh --tests

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/alphapulse --demo

# the benches are built (not run) too, so that they cannot fall behind the code
check: deps-tests
	@$(MAKE) --no-print-directory build-tests $(BENCH_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

asan: deps-tests
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" build-tests
	@BUILD=build-asan ASAN_OPTIONS=detect_leaks=1 sh tests/run.sh

# ThreadSanitizer over the threaded paths (tests/tsan.sh names them); any report
# fails the run.
tsan: deps-tests
	@$(MAKE) --no-print-directory BUILD=build-tsan OPT="-O1 -g" SAN="-fsanitize=thread -fno-omit-frame-pointer" \
	  build-tests
	@BUILD=build-tsan sh tests/tsan.sh

bench: deps-tests
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory OPT="-O3 -march=native -g" BUILD=build-bench $(BENCH_SRC:%.c=build-bench/%) \
	  build-bench/tests/unit/test_fmt_double
	@BUILD=build-bench sh bench/run.sh

# libFuzzer on the inbound webhook parser (not part of `make check`). Needs clang:
# installed with apt-get when missing on Debian. FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 60
fuzz:
	@command -v clang >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq clang >/dev/null; } || \
	  { echo "make fuzz: clang is needed (apt-get install clang)"; exit 1; }
	@mkdir -p build-fuzz/corpus
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -fsanitize=fuzzer,address,undefined \
	  $$(pkg-config --cflags jansson) -o build-fuzz/fuzz_webhook tests/fuzz/fuzz_webhook.c \
	  src/alert/webhook_parse.c src/core/symbol_id.c $$(pkg-config --libs jansson)
	build-fuzz/fuzz_webhook -max_total_time=$(FUZZ_SECONDS) -max_len=8300 -timeout=5 \
	  build-fuzz/corpus tests/fuzz/corpus

# libFuzzer on the inbound HTTP request reader: arbitrary byte streams, split into
# reads at varying points, often several pipelined requests (tests/fuzz/fuzz_webhook_http.c).
fuzz-http:
	@command -v clang >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq clang >/dev/null; } || \
	  { echo "make fuzz-http: clang is needed (apt-get install clang)"; exit 1; }
	@mkdir -p build-fuzz/corpus_http
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -fsanitize=fuzzer,address,undefined \
	  $$(pkg-config --cflags jansson) -o build-fuzz/fuzz_webhook_http tests/fuzz/fuzz_webhook_http.c \
	  src/alert/webhook_http.c src/alert/webhook_parse.c src/core/symbol_id.c $$(pkg-config --libs jansson)
	build-fuzz/fuzz_webhook_http -max_total_time=$(FUZZ_SECONDS) -max_len=20000 -timeout=5 \
	  build-fuzz/corpus_http tests/fuzz/corpus_http

build-tests: $(BUILD)/alphapulse $(TEST_SRC:%.c=$(BUILD)/%) $(if $(FAKE_SRC),$(BUILD)/tests/fake_exchange/fake_exchange) \
  $(FAKE_BIN)

$(BUILD)/libalphapulse.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/alphapulse: $(BUILD)/src/main.o $(BUILD)/libalphapulse.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libalphapulse.a tests/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/libalphapulse.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/fake_exchange/fake_exchange: $(FAKE_SRC) $(BUILD)/libalphapulse.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(FAKE_SRC) $(BUILD)/libalphapulse.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libalphapulse.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libalphapulse.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/alphapulse/themes $(DESTDIR)$(PREFIX)/share/alphapulse/data \
	  $(DESTDIR)$(PREFIX)/share/alphapulse/config
	install -m 755 $(BUILD)/alphapulse $(DESTDIR)$(PREFIX)/bin/alphapulse
	install -m 644 man/alphapulse.1 $(DESTDIR)$(PREFIX)/share/man/man1/alphapulse.1
	if [ -n "$$(ls themes)" ]; then install -m 644 themes/* $(DESTDIR)$(PREFIX)/share/alphapulse/themes/; fi
	install -m 644 data/*.csv data/demo.json data/README.md $(DESTDIR)$(PREFIX)/share/alphapulse/data/
	install -m 644 config/alphapulse.json config/alphapulse-collect.service $(DESTDIR)$(PREFIX)/share/alphapulse/config/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/alphapulse $(DESTDIR)$(PREFIX)/share/man/man1/alphapulse.1
	rm -rf $(DESTDIR)$(PREFIX)/share/alphapulse

clean:
	rm -rf build build-asan build-tsan build-bench build-fuzz
