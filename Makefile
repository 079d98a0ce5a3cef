# Convenience front end over the CMake presets.
#   make demo   builds mmsim and runs examples/first.mms
#   make report draws examples as HTML pages in build/report/
#   make test   builds debug and ASan+UBSan trees and runs every test
#   make install [PREFIX=/usr/local]  installs the release build (man mmsim)
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local

.PHONY: all deps debug asan release fuzz demo report install test test-debug test-asan bench clean format

all: debug

deps:
	@sh scripts/install-deps.sh

# chromium for the report's browser test (report/chromium), which skips
# with a message where it cannot be installed
browser-deps:
	@sh scripts/install-browser.sh || echo "chromium could not be installed: report/chromium will skip" >&2

debug: deps
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)

asan: deps
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build --preset asan-ubsan -j $(JOBS)

release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

demo: debug
	./build/debug/mmsim run examples/first.mms

# HTML reports of three examples in build/report/ (open them in a browser)
report: debug
	@mkdir -p build/report
	@for e in first thp_fault hugetlb; do \
		./build/debug/mmsim report --html build/report/$$e.html examples/$$e.mms && \
		echo "build/report/$$e.html"; done

test-debug: debug
	ctest --preset debug -j $(JOBS)

test-asan: asan
	ctest --preset asan-ubsan -j $(JOBS)

test: browser-deps test-debug test-asan

bench: release
	./build/release/bench/bench_vma
	./build/release/bench/bench_fault
	./build/release/bench/bench_reclaim
	./build/release/bench/bench_replay

install: release
	cmake --install build/release --prefix $(PREFIX)

clean:
	rm -rf build

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
