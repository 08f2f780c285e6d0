#!/usr/bin/env bash
# Neurossia against PyTorch on the same DCGAN training step, on this machine, in one run. For every
# size × batch, ROUNDS rounds each run ours (once per precision) and then PyTorch's, so a neighbour's
# load falls on both alike; it prints each configuration's medians, the median of the rounds' ratios
# (ours / PyTorch), and the geometric mean of those ratios per precision. Needs `pip install torch numpy` and ../shared/bench/dcgan_torch.py.
# ISA avx2 runs both sides as on a CPU without AVX-512 (scripts/neurossia-for-isa.sh) and prints what each runs.
# Usage: scripts/bench-vs-torch.sh [ROUNDS] [SIZES] [BATCHES] [PRECISIONS] [ISA: native | avx2]
#   e.g. scripts/bench-vs-torch.sh 3 64 64            (one configuration, fp32)
#        scripts/bench-vs-torch.sh 3 32,64,128 32,64 fp32,bf16
#        scripts/bench-vs-torch.sh 2 32,64,128 32,64 fp32 avx2
set -euo pipefail
rounds=${1:-3}; sizes=${2:-64}; batches=${3:-64}; precisions=${4:-fp32}; isa=${5:-native}
root=$(cd "$(dirname "$0")/.." && pwd)
torch_script="$root/../shared/bench/dcgan_torch.py"
[ -f "$torch_script" ] || { echo "missing $torch_script" >&2; exit 2; }
source "$root/scripts/neurossia-for-isa.sh"
if [ "$isa" = avx2 ]; then
    # PyTorch under the same caps: its CPU capability and the oneDNN kernels a conv and a transposed conv run.
    theirs=$(ONEDNN_VERBOSE=1 python3 -c "
import torch, torch.nn as nn
print('capability', torch.backends.cpu.get_cpu_capability())
x = torch.randn(8, 64, 16, 16, requires_grad=True)
nn.ConvTranspose2d(128, 3, 4, 2, 1)(nn.Conv2d(64, 128, 3, 1, 1)(x)).sum().backward()")
    echo "torch: $(grep '^capability' <<< "$theirs"); oneDNN $(onednn_kernels <<< "$theirs")"
    if onednn_kernels <<< "$theirs" | grep -qi avx512 || ! grep -q 'capability AVX2' <<< "$theirs"; then
        echo "ISA avx2: PyTorch still runs AVX-512 kernels (above)" >&2; exit 1
    fi
fi
# The round trip of a cache line between the two cores just before a run: under 100 ns where they share a
# cache, several hundred where the host has put them far apart, which slows ours more than PyTorch's
# (docs/speed.md, "Near and far cores"). Recorded for the configuration $size × $batch, and printed.
core_round_trip() {
    local ns
    ns=$("$neurossia" bench cores --rounds 3 | sed -n 's/^CSV-cores,//p')
    echo "cores,$size,$batch,$ns" >> "$results"
    echo "$ns"
}
results=$(mktemp)
trap 'rm -f "$results"' EXIT
uptime
for size in ${sizes//,/ }; do
    for batch in ${batches//,/ }; do
        # Generation timed for as many pictures as 20 batches of 64 at 64 px hold pixels (80 batches at 32 px):
        # at 32 px 15 or 20 batches were a tenth of a second of ours, too short a window on a shared machine.
        gen_iters=$(( 20 * 4096 / (size * size) )); (( gen_iters >= 20 )) || gen_iters=20
        for r in $(seq 1 "$rounds"); do
            for precision in ${precisions//,/ }; do
                cores=$(core_round_trip)
                line=$("$neurossia" bench train --size "$size" --batch "$batch" --iters 15 --gen-iters "$gen_iters" --precision "$precision" | grep '^CSV')
                echo "size $size batch $batch round $r: ours  $line (cores $cores ns apart)"
                echo "ours,$precision,$line" >> "$results"
            done
            cores=$(core_round_trip)
            line=$(python3 "$torch_script" --size "$size" --batch "$batch" --threads 2 --iters 15 --gen-iters "$gen_iters" | grep '^CSV')
            echo "size $size batch $batch round $r: torch $line (cores $cores ns apart)"
            echo "torch,-,$line" >> "$results"
        done
    done
done
uptime
python3 - "$results" <<'PY'
import collections, math, statistics, sys
runs = collections.defaultdict(list)  # (who, precision, size, batch) → CSV fields
cores = collections.defaultdict(list)  # (size, batch) → core-to-core round trips before its runs, ns
for line in open(sys.argv[1]):
    if line.startswith("cores,"):
        _, size, batch, ns = line.strip().split(",")
        cores[(int(size), int(batch))].append(float(ns))
        continue
    who, precision, csv = line.strip().split(",", 2)
    fields = csv.split(",")
    runs[(who, precision, int(fields[1]), int(fields[3]))].append(fields)
def med(rows, col): return statistics.median(float(r[col]) for r in rows)
ratios = collections.defaultdict(lambda: collections.defaultdict(list))
print(f"{'precision':>9} {'size':>4} {'batch':>5} | {'train ours':>10} {'torch':>7} {'ratio':>5} | {'gen ours':>8} {'torch':>7} {'ratio':>5} | {'RSS ratio':>9} {'GEMM share':>10} | {'cores ns':>9} {'far':>5}")
for (who, precision, size, batch), ours in sorted(runs.items()):
    if who != "ours": continue
    theirs = runs[("torch", "-", size, batch)]
    # Each ratio is the median of the rounds' own ratios: a neighbour's load hits a round's pair alike.
    t, g, m = (statistics.median(float(o[c]) / float(p[c]) for o, p in zip(ours, theirs)) for c in (5, 7, 9))
    share = med(ours, 12) if len(ours[0]) > 12 else float("nan")
    # How far apart the cores were before each run of this size and batch (all precisions and PyTorch's):
    # the range, and how many runs found them far apart (over 200 ns).
    apart = cores[(size, batch)]
    ratios[precision]["train"].append(t); ratios[precision]["generate"].append(g)
    print(f"{precision:>9} {size:>4} {batch:>5} | {med(ours, 5):10.1f} {med(theirs, 5):7.1f} {t:5.2f} | "
          f"{med(ours, 7):8.1f} {med(theirs, 7):7.1f} {g:5.2f} | {m:9.2f} {share:10.2f} | "
          f"{min(apart):4.0f}–{max(apart):<4.0f} {sum(ns > 200 for ns in apart):2d}/{len(apart):<2d}")
for precision, kinds in ratios.items():
    gm = {k: math.exp(sum(map(math.log, v)) / len(v)) for k, v in kinds.items()}
    print(f"geometric mean ({precision}, {len(kinds['train'])} configurations): train {gm['train']:.2f}, generate {gm['generate']:.2f}")
PY
