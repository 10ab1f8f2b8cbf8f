# The two commands of Plaza (README.md):
#   make run   builds a release binary and serves the demo shop on http://127.0.0.1:8080
#   make test  builds everything and runs the whole suite (SQLite, PostgreSQL, ASan+UBSan)
# Everything else here is a convenience over CMake presets.

JOBS ?= $(shell nproc)
PLAZA_DATA ?= var
LISTEN ?= 127.0.0.1:8080

.PHONY: run test build release dev asan bench lint format clean

run: release
	@mkdir -p $(PLAZA_DATA)
	./build/release/app/plaza migrate --database $(PLAZA_DATA)/plaza.db
	./build/release/app/plaza seed-demo --database $(PLAZA_DATA)/plaza.db --data-dir $(PLAZA_DATA) --if-empty
	./build/release/app/plaza serve --database $(PLAZA_DATA)/plaza.db --listen $(LISTEN) --data-dir $(PLAZA_DATA)

test:
	scripts/test.sh

release:
	@scripts/install-deps.sh build
	@cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target plaza

dev:
	@scripts/install-deps.sh build test
	@cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)

asan:
	@scripts/install-deps.sh build test
	@cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

bench:
	scripts/bench.sh
	scripts/bench-commerce.sh
	scripts/bench-pages.sh

# clang-format and clang-tidy over the project's sources; fails on any finding.
lint: dev
	scripts/lint.sh

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf build
