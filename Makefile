# cyber-attack-detector — build, serve and test.
#
#   make serve   build the wasm (release) into www/pkg and serve the repo root on 127.0.0.1:$(PORT)
#   make test    fmt, clippy (native + wasm32), typecheck (tsc), native tests, the ONNX check, browser
#                tests and e2e (headless chromium and firefox)
#
# Every target first runs scripts/setup.sh, which installs whatever is missing and is a fast
# no-op otherwise, so a fresh clone needs nothing but rustup/cargo. See docs/SETUP.md.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# wasm-opt 132 from npm (tools/) must come first: wasm-pack uses whichever wasm-opt is on PATH,
# and Debian's binaryen (v108) silently produces a broken module.
export PATH := $(CURDIR)/tools/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export GECKODRIVER ?= $(or $(CARGO_HOME),$(HOME)/.cargo)/bin/geckodriver
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

PORT ?= 8000
BETH_DATA ?= ../shared/data/beth-samples
PKG_DIR := www/pkg
WORKER_PKG_DIR := www/pkg-worker
ALERTS_PKG_DIR := www/pkg-alerts

.PHONY: help setup setup-build setup-test serve build test lint fmt-check clippy clippy-wasm \
        typecheck test-native onnx-check spark-check spark test-browser e2e hostile-table model sample quality scale bench bench-tracee clean

help:
	@echo "make serve         build the wasm and serve the page on http://127.0.0.1:$(PORT)/"
	@echo "make build         build the wasm only (wasm-pack --target web --release -> $(PKG_DIR), $(WORKER_PKG_DIR), $(ALERTS_PKG_DIR))"
	@echo "make test          fmt-check, clippy, clippy-wasm, typecheck, test-native, onnx-check, spark-check, test-browser, e2e"
	@echo "make typecheck     tsc --noEmit: www/*.js against www/types.d.ts and the wasm's .d.ts (builds first)"
	@echo "make test-native   cargo test (lib, CLI, integration and doc tests)"
	@echo "make onnx-check    the ONNX export in ONNX Runtime: scores within 1e-6 of ours on data/sample.csv"
	@echo "make spark-check   the Spark job (scripts/spark_score.py) in local mode against the CLI: sample CSV, Parquet, Tracee JSON"
	@echo "make spark         the same on BETH_DATA's test rows resampled to full size (188,967), with events/s"
	@echo "make test-browser  wasm-bindgen tests in headless chromium and firefox (wasm-pack test)"
	@echo "make e2e           the real-page test (tests/e2e/run.mjs) in chromium, then in firefox"
	@echo "make hostile-table rewrite the malformed-input tables of README.md and docs/HOSTILE.md"
	@echo "make model         train data/model.json and data/anomaly.json from BETH_DATA=$(BETH_DATA)"
	@echo "make sample        write data/sample.csv (400 rows) from BETH_DATA"
	@echo "make quality       retrain from BETH_DATA and require a bit-for-bit identical data/model.json"
	@echo "make scale         train and score on BETH-size splits resampled from BETH_DATA's real rows"
	@echo "make bench         benchmarks vs TF.js, ONNX Runtime Web, PapaParse, numpy -> BENCHMARKS.md"
	@echo "make bench-tracee  only the Tracee JSON reading benchmark (ours vs JSON.parse in Chromium), printed"
	@echo "make clean         remove target/, $(PKG_DIR) and test artifacts"
	@echo "make setup         install whatever is missing (scripts/setup.sh; every target runs it)"

# Setup: no stamp files; the script itself checks and is quick when nothing is missing.
# SKIP_SETUP=1 skips it (make test sets it for its steps after checking once).
setup:
	@[ -n "$${SKIP_SETUP:-}" ] || scripts/setup.sh all
setup-build:
	@[ -n "$${SKIP_SETUP:-}" ] || scripts/setup.sh build
setup-test:
	@[ -n "$${SKIP_SETUP:-}" ] || scripts/setup.sh test

# --- page ---------------------------------------------------------------------------------------

# Three builds of the crate (Cargo.toml [features]), so the page loads no code it does not run:
# the page's (report, charts, the event form), its Web Worker's (reading, scoring, training), and
# the alert charts' (process tree and timeline), which the page loads when it first shows an alert.
# The web crate (crates/web) is the cdylib; its output keeps the name the page imports. The builds
# drawn on the page are optimised for size (opt-level "z", wasm-opt -Oz, and the core's one-shape
# scoring kernel for the event form): they draw charts and explain one event, while the worker's
# build, which scores and trains, keeps opt-level 3. None changes a bit of any score: no float
# optimisation depends on the level, and every kernel adds in the same order.
WASM_PACK_BUILD := wasm-pack build crates/web --target web --release --out-name cyber_attack_detector
# wasm-pack leaves wasm-opt to us (crates/web/Cargo.toml): the builds drawn on the page for size
# (-Oz, run to a fixed point), the worker's for speed (-O3).
WASM_OPT := wasm-opt --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int
WASM_FILE := cyber_attack_detector_bg.wasm

build: setup-build
	$(WASM_PACK_BUILD) --out-dir $(CURDIR)/$(PKG_DIR) -- --no-default-features \
	  --features page,cyber-attack-detector/compact-kernels --config 'profile.release.opt-level="z"'
	$(WASM_OPT) -Oz --converge $(PKG_DIR)/$(WASM_FILE) -o $(PKG_DIR)/$(WASM_FILE)
	$(WASM_PACK_BUILD) --out-dir $(CURDIR)/$(WORKER_PKG_DIR) -- --no-default-features --features worker
	$(WASM_OPT) -O3 $(WORKER_PKG_DIR)/$(WASM_FILE) -o $(WORKER_PKG_DIR)/$(WASM_FILE)
	$(WASM_PACK_BUILD) --out-dir $(CURDIR)/$(ALERTS_PKG_DIR) -- --no-default-features --features alert-charts \
	  --config 'profile.release.opt-level="z"'
	$(WASM_OPT) -Oz --converge $(ALERTS_PKG_DIR)/$(WASM_FILE) -o $(ALERTS_PKG_DIR)/$(WASM_FILE)

# The page's Content-Security-Policy is also sent as a header on every response: a meta tag
# cannot reach the Web Worker's script, nor forbid framing (scripts/serve.py).
serve: build
	scripts/serve.py $(PORT) "$(CURDIR)"

# --- tests --------------------------------------------------------------------------------------

TEST_STEPS := fmt-check clippy clippy-wasm typecheck test-native onnx-check spark-check test-browser e2e

# Runs the steps in order, stops at the first failure and ends with one summary line.
test: setup-test
	@start=$$(date +%s); times=""; \
	for step in $(TEST_STEPS); do \
	  echo "==> make $$step"; t0=$$(date +%s); \
	  if ! SKIP_SETUP=1 $(MAKE) $$step; then \
	    echo "make test: FAILED at '$$step' after $$(( $$(date +%s) - start ))s"; \
	    exit 1; \
	  fi; \
	  times="$$times $$step $$(( $$(date +%s) - t0 ))s,"; \
	done; \
	echo "make test: OK in $$(( $$(date +%s) - start ))s --$${times%,}"

lint: fmt-check clippy clippy-wasm

fmt-check: setup-test
	cargo fmt --all -- --check

clippy: setup-test
	cargo clippy --workspace --all-targets -- -D warnings

# The wasm-only code (tests/wasm_smoke.rs, cfg(target_arch = "wasm32") items) is only linted here.
clippy-wasm: setup-test
	cargo clippy -p cyber-attack-detector -p cyber-attack-detector-web --all-targets --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p cyber-attack-detector-web --lib --target wasm32-unknown-unknown --no-default-features --features page -- -D warnings
	cargo clippy -p cyber-attack-detector-web --lib --target wasm32-unknown-unknown --no-default-features --features worker -- -D warnings
	cargo clippy -p cyber-attack-detector-web --lib --target wasm32-unknown-unknown --no-default-features --features alert-charts -- -D warnings
	@# The core stays free of the browser: none of these crates in its dependency tree, natively
	@# or for wasm32, where the only path is plotters' own (its DOM text code, which no chart calls).
	@for target in "" "--target wasm32-unknown-unknown --prune plotters"; do \
	  if cargo tree -p cyber-attack-detector -e normal,build $$target --prefix none | \
	      grep -E '^(wasm-bindgen|js-sys|web-sys|plotters-canvas|serde-wasm-bindgen) '; then \
	    echo "the core crate depends on a browser crate (above)"; exit 1; fi; \
	done

# The page's JavaScript (// @ts-check) against www/types.d.ts and the .d.ts files wasm-bindgen
# generates, which exist only after a build: the page in www/tsconfig.json, its Web Worker (no DOM,
# its own build of the wasm) in www/tsconfig.worker.json. Checks only; the browser runs www/*.js as is.
typecheck: build
	tsc --noEmit -p www/tsconfig.json
	tsc --noEmit -p www/tsconfig.worker.json

# Native: the core, the web face and the CLI (unit, integration and doc tests); the web crate's
# wasm-only test files (crates/web/tests/wasm_*.rs) are cfg'd out and run 0 tests here.
test-native: setup-test
	cargo test
	@# The page's one-shape kernel gives the tiled kernels' bits (Cargo.toml `compact-kernels`).
	cargo test -p cyber-attack-detector --features compact-kernels --lib model::
	@# The fuzz targets' checks hold for the project's own model files (fuzzing itself: fuzz/run.sh).
	cargo test --manifest-path fuzz/Cargo.toml --lib

# The ONNX export (`export --onnx`) run in ONNX Runtime (tools/.venv, from PyPI) against the CLI's
# own scores on every sample row: the shipped model, a reference-recipe model, a model reading
# processName and eventName (`--preset names`), the shipped anomaly model (histograms: the same
# bits), a forest fitted on the sample and two variants.
onnx-check: setup-test
	cargo build -p cyber-attack-detector-cli
	tools/.venv/bin/python scripts/onnx_check.py target/debug/cyber-attack-detector data/sample.csv \
	  data/model.json tests/fixtures/reference_model.json tests/fixtures/names_model.json data/anomaly.json

# Scoring on Apache Spark (local mode) with the exported model: scripts/spark_score.py, checked by
# scripts/spark_check.py against the CLI's `score` on the same rows, as BETH CSV, as Parquet with
# typed columns and as Tracee JSON lines of both forms (their reading alone first:
# scripts/spark_tracee_test.py). spark-check: the sample and the Tracee fixtures; spark: BETH's
# test split resampled to its full size (188,967 rows), as CSV, Parquet and Tracee JSON lines
# (bench/tracee_lines.py), printing the CLI's and the Spark job's events/s.
SPARK_CHECK := tools/.venv/bin/python scripts/spark_check.py
SPARK_DATA := target/spark/resampled-test-188967

spark-check: setup-test
	tools/.venv/bin/python scripts/spark_tracee_test.py
	cargo build -p cyber-attack-detector-cli
	$(SPARK_CHECK) target/debug/cyber-attack-detector data/model.json 3 data/sample.csv
	$(SPARK_CHECK) --parquet target/debug/cyber-attack-detector data/model.json 2 data/sample.csv
	$(SPARK_CHECK) target/debug/cyber-attack-detector data/model.json 2 tests/fixtures/tracee/flat.jsonl \
	  tests/fixtures/tracee/v1beta1.jsonl
	$(SPARK_CHECK) target/debug/cyber-attack-detector tests/fixtures/names_model.json 3 data/sample.csv
	$(SPARK_CHECK) target/debug/cyber-attack-detector tests/fixtures/names_model.json 2 \
	  tests/fixtures/tracee/flat.jsonl tests/fixtures/tracee/v1beta1.jsonl

spark: setup-test
	cargo build --release -p cyber-attack-detector-cli
	@mkdir -p target/spark
	target/release/cyber-attack-detector resample --input "$(BETH_DATA)/test.csv.gz" \
	  --out $(SPARK_DATA).csv --rows 188967 --seed 1
	python3 bench/tracee_lines.py $(SPARK_DATA).csv $(SPARK_DATA).jsonl
	$(SPARK_CHECK) target/release/cyber-attack-detector data/model.json 4 $(SPARK_DATA).csv
	$(SPARK_CHECK) --parquet target/release/cyber-attack-detector data/model.json 4 $(SPARK_DATA).csv
	$(SPARK_CHECK) target/release/cyber-attack-detector data/model.json 4 $(SPARK_DATA).jsonl

# In the browser: the core's known answers (tests/score_bits.rs) and every test of the web
# crate, built for wasm32 and run by wasm-bindgen-test-runner in headless Chromium and in
# headless Firefox (Debian's firefox-esr through geckodriver): the same bits in both engines.
# wasm-bindgen-test-runner takes the first driver named in GECKODRIVER, SAFARIDRIVER, CHROMEDRIVER:
# the Chrome runs go without GECKODRIVER, or they would run in Firefox too.
test-browser: setup-test
	env -u GECKODRIVER wasm-pack test --headless --chrome . -p cyber-attack-detector --test score_bits --test tracee_bits --test anomaly_bits
	env -u GECKODRIVER wasm-pack test --headless --chrome crates/web
	wasm-pack test --headless --firefox . -p cyber-attack-detector --test score_bits --test tracee_bits --test anomaly_bits
	wasm-pack test --headless --firefox crates/web

E2E := tests/e2e/run.mjs

# The real page, every check in headless Chromium (playwright-core) and then in headless Firefox
# (Debian's firefox-esr through puppeteer-core over WebDriver BiDi: tests/e2e/driver.mjs). Both
# run even when the first fails; either failing fails the step.
e2e: setup-test
	@if [ -f "$(E2E)" ]; then \
	  SKIP_SETUP=1 $(MAKE) build; \
	  status=0; for engine in chromium firefox; do node "$(E2E)" $$engine || status=1; done; exit $$status; \
	else \
	  echo "no e2e yet ($(E2E) does not exist)"; \
	fi

# The tables of malformed-input classes in README.md and docs/HOSTILE.md are written from the
# list the test checks (crates/cli/tests/hostile/classes.rs); test-native fails when they differ.
hostile-table: setup-test
	UPDATE_HOSTILE_TABLE=1 cargo test -p cyber-attack-detector-cli --test hostile every_malformed_input_class_gets_its_message

# --- data ---------------------------------------------------------------------------------------

model:
	cargo run --release -- train --data "$(BETH_DATA)" --out data/model.json --report data/metrics.md --seeds 10
	cargo run --release -- holdout --data "$(BETH_DATA)" --host ubuntu --presets default,names --report data/metrics.md
	cargo run --release -- holdout --data "$(BETH_DATA)" --every-host --presets default,names --report data/metrics.md
	cargo run --release -- train --preset anomaly --data "$(BETH_DATA)" --out data/anomaly.json --compare data/model.json --report data/metrics.md --seeds 10
	cargo run --release -- score --model data/model.json --input data/sample.csv --output tests/fixtures/sample_scores.csv

quality:
	BETH_DATA="$(BETH_DATA)" scripts/quality.sh

scale:
	BETH_DATA="$(BETH_DATA)" scripts/scale.sh

bench: setup-test
	BETH_DATA="$(BETH_DATA)" bench/run.sh

bench-tracee: setup-test
	BETH_DATA="$(BETH_DATA)" bench/run.sh deps builds data quiet tracee

sample:
	cargo run --release -- sample --data "$(BETH_DATA)" --out data/sample.csv --rows 400 --seed 7
	cargo run --release -- score --model data/model.json --input data/sample.csv --output tests/fixtures/sample_scores.csv

clean:
	cargo clean
	rm -rf $(PKG_DIR) $(WORKER_PKG_DIR) $(ALERTS_PKG_DIR) tests/e2e/artifacts _site
