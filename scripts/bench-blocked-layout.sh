#!/usr/bin/env bash
# Our blocked-layout conversions against oneDNN's reorders on the activation shapes fastgan-lite's and
# DCGAN's direct convolutions convert (one core's share of a batch of 32), one thread, alternating calls;
# prints each one's gigavalues per second and the ratio. Needs libdnnl-dev (make deps).
# Usage: scripts/bench-blocked-layout.sh [BLOCK: 16 | 8]   (8: AVX2's blocks, adding only)
set -euo pipefail
block=${1:-16}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
clang -O2 -I"$root/Sources/CGEMM/include" "$root/scripts/bench-blocked-layout.c" "$root/Sources/CGEMM/BlockedLayout.c" \
      "$root/Sources/CGEMM/CGEMM.c" -ldnnl -lgomp -o "$bin/bench"
for shape in "16 32 128 128" "16 32 64 64" "16 64 32 32" "16 128 16 16" "16 256 8 8" "16 128 5 5"; do
    "$bin/bench" $shape "$block"
done
