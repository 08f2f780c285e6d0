#!/usr/bin/env bash
# fastgan-lite's efficiency against DCGAN's on this machine, in one run: the multiply-adds of their layers,
# counted from the layers' shapes, per second of a whole training step ("layer work" in `bench train`), so
# what is not a product (batch norm, GLU, excitation, noise, losses, Adam, reorders) counts against it, and a
# layer run in fewer products than its shapes define (an up-block's upsampling and 3×3 conv as one
# transposed 4×4 conv) counts for it. The multiply-adds the GEMMs ran ("GEMM work") are shown beside.
# Each round runs DCGAN and then fastgan-lite at the same size, batch and precision, so a neighbour's
# load falls on both alike; it prints each round and, per size, the medians and the median of the
# rounds' ratios (fastgan-lite / DCGAN).
# ISA avx2 runs both as on a CPU without AVX-512 (scripts/neurossia-for-isa.sh).
# Usage: scripts/bench-fastgan-vs-dcgan.sh [ROUNDS] [SIZE:BATCH,...] [PRECISION] [ISA: native | avx2]
#   e.g. scripts/bench-fastgan-vs-dcgan.sh 3 64:48,128:32 bf16
#        scripts/bench-fastgan-vs-dcgan.sh 3 64:48,128:32 fp32 avx2
set -euo pipefail
rounds=${1:-3}; configs=${2:-64:48,128:32}; precision=${3:-auto}; isa=${4:-native}
root=$(cd "$(dirname "$0")/.." && pwd)
precisions=$precision source "$root/scripts/neurossia-for-isa.sh"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
uptime
for config in ${configs//,/ }; do
    size=${config%%:*}; batch=${config##*:}
    for r in $(seq 1 "$rounds"); do
        for arch in dcgan fastgan-lite; do
            work=$("$neurossia" bench train --arch "$arch" --size "$size" --batch "$batch" --iters 12 \
                   --gen-iters 1 --precision "$precision" | sed -n 's/^train step time: .*GEMM work \([0-9.]*\) GFLOP\/s, layer work \([0-9.]*\).*/\1,\2/p')
            echo "size $size batch $batch round $r: $arch GEMM work ${work%,*}, layer work ${work#*,} GFLOP/s"
            echo "$size,$batch,$r,$arch,$work" >> "$results"
        done
    done
done
uptime
python3 - "$results" <<'PY'
import collections, statistics, sys
work = collections.defaultdict(dict)  # (size, batch) → round → arch → (GEMM work, layer work) in GFLOP/s
for line in open(sys.argv[1]):
    size, batch, r, arch, gemm, layer = line.strip().split(",")
    work[(int(size), int(batch))].setdefault(r, {})[arch] = (float(gemm), float(layer))
for (size, batch), rounds in sorted(work.items()):
    def summary(k, name):
        dcgan = statistics.median(v["dcgan"][k] for v in rounds.values())
        fastgan = statistics.median(v["fastgan-lite"][k] for v in rounds.values())
        ratio = statistics.median(v["fastgan-lite"][k] / v["dcgan"][k] for v in rounds.values())
        return f"{name}: dcgan {dcgan:.1f}, fastgan-lite {fastgan:.1f} GFLOP/s, ratio {ratio:.2f}"
    print(f"{size} px batch {batch}, medians of {len(rounds)} rounds: {summary(1, 'layer work')}; {summary(0, 'GEMM work')}")
PY
