# Neurossia: `make demo` sets up, generates every theme from the shipped checkpoints and renders the
# seasonal sets (out/sets/<set>/);
# `make test` sets up and runs the test suite. Both install what they need on a fresh Debian machine.

APT_PACKAGES := libopenblas-dev libdnnl-dev libpng-dev libjpeg-dev libyaml-dev pkg-config
# Only for training under mpirun; neurossia loads libmpi at run time, so nothing else needs them.
MPI_PACKAGES := libopenmpi-dev openmpi-bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test test-mpi deps mpi-deps python-deps build bench

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
