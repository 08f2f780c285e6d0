# Neurossia: `make demo` sets up, generates every theme from the shipped checkpoints and renders the
# seasonal sets (out/sets/<set>/);
# `make test` sets up and runs the test suite; `make fuzz SECONDS=N` runs each libFuzzer target N seconds;
# `make test-sanitizers` runs the tests under AddressSanitizer and ThreadSanitizer. Both install what they need on a fresh Debian machine.

APT_PACKAGES := libopenblas-dev libdnnl-dev libpng-dev libjpeg-dev libyaml-dev pkg-config
# Only for training under mpirun; neurossia loads libmpi at run time, so nothing else needs them.
MPI_PACKAGES := libopenmpi-dev openmpi-bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test test-mpi deps mpi-deps python-deps build bench fuzz test-sanitizers

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

mpi-deps:
	@missing=$$(for p in $(MPI_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Only for the safetensors interoperability test; it is skipped when this fails.
python-deps:
	@python3 -c "import safetensors, numpy" 2>/dev/null || python3 -m pip install --quiet safetensors numpy || true

build: deps
	swift build -c release --product neurossia

demo: build
	.build/release/neurossia generate --all --count 64 --grid
	.build/release/neurossia set --all

bench: build
	.build/release/neurossia bench kernels

test: deps python-deps
	swift test --disable-swift-testing

# The MPI tests (mpirun -np 2 on this machine); `make test` skips them where Open MPI is absent.
test-mpi: deps mpi-deps
	swift test --disable-swift-testing --filter ClusterTests

# Fuzz targets live in Fuzz/<Name>/ and are declared only when NEUROSSIA_FUZZ is set (see Package.swift),
# built apart in .build/fuzz. New inputs go to .build/fuzz/corpus/<target>/ (the seeds in Fuzz/corpus/
# stay as they are); a crash, leak or timeout is saved as .build/fuzz/artifacts/<target>-crash-<sha1>
# and replayed with `LSAN_OPTIONS=suppressions=Fuzz/lsan.supp .build/fuzz/debug/fuzz-<target> <file>`. TARGETS="png theme" runs some
# of them.
SECONDS ?= 60
# WORKERS processes per target share its corpus (libFuzzer reloads it), one per core.
WORKERS ?= 1
TARGETS ?= png jpeg safetensors theme seasonalset
# -Xcc instruments the C the targets reach too (the JPEG shim, Yams' libyaml), so coverage guides there.
FUZZ_BUILD := NEUROSSIA_FUZZ=1 swift build -c debug --scratch-path .build/fuzz -Xswiftc -sanitize=fuzzer,address \
	-Xcc -fsanitize=fuzzer-no-link,address

fuzz: deps
	@for t in $(TARGETS); do $(FUZZ_BUILD) --product fuzz-$$t 2>&1 | grep -v 'Cannot export local symbol' || exit 1; done
	@mkdir -p .build/fuzz/artifacts; failed=; \
	for t in $(TARGETS); do \
		mkdir -p .build/fuzz/corpus/$$t; \
		for w in $$(seq $(WORKERS)); do \
			LSAN_OPTIONS=suppressions=Fuzz/lsan.supp .build/fuzz/debug/fuzz-$$t -max_total_time=$(SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
				-artifact_prefix=.build/fuzz/artifacts/$$t- .build/fuzz/corpus/$$t Fuzz/corpus/$$t > .build/fuzz/$$t-$$w.log 2>&1 \
				|| echo $$t > .build/fuzz/$$t-$$w.failed & \
		done; wait; \
		for w in $$(seq $(WORKERS)); do [ -e .build/fuzz/$$t-$$w.failed ] && failed="$$failed $$t"; rm -f .build/fuzz/$$t-$$w.failed; done; \
		runs=$$(cat .build/fuzz/$$t-*.log | grep -o 'stat::number_of_executed_units: [0-9]*' | awk '{s+=$$2} END {print s+0}'); \
		echo "fuzz-$$t: $(WORKERS) worker(s) x $(SECONDS) s, $$runs runs, $$(( runs / ($(SECONDS) * $(WORKERS)) )) exec/s per worker," \
			"corpus $$(ls .build/fuzz/corpus/$$t | wc -l) new inputs"; \
	done; \
	[ -z "$$failed" ] || { echo "found something in:$$failed (see .build/fuzz/<target>-<worker>.log and artifacts/)"; exit 1; }

# AddressSanitizer (with LeakSanitizer) and ThreadSanitizer each run the whole suite; under ASan tensors
# come from malloc rather than the reusing pool (BufferPool.shared), so a read after free is reported. The MPI tests' ranks
# run without leak checks: Open MPI's runtime leaks at MPI_Finalize from plugins it has already unloaded,
# which no suppression can name; address errors are still caught there. Each sanitizer builds apart, in
# .build/asan and .build/tsan; ASAN_FILTER / TSAN_FILTER narrow them (e.g. TSAN_FILTER='EngineTests|
# TrainingTests' for where threads meet: the worker pool, the dataset producer, signals, MPI ranks). About
# 45 + 25 minutes on two cores.
ASAN_FILTER ?= .
TSAN_FILTER ?= .
LSAN := suppressions=$(CURDIR)/Fuzz/lsan.supp:print_suppressions=0
test-sanitizers: deps
	ASAN_OPTIONS=malloc_context_size=12 LSAN_OPTIONS=$(LSAN) swift test --disable-swift-testing --scratch-path .build/asan \
		--sanitize=address --filter '$(ASAN_FILTER)' --skip ClusterTests
	ASAN_OPTIONS=malloc_context_size=12:detect_leaks=0 swift test --disable-swift-testing --scratch-path .build/asan \
		--sanitize=address --filter ClusterTests
	swift test --disable-swift-testing --scratch-path .build/tsan --sanitize=thread --filter '$(TSAN_FILTER)'
