#!/usr/bin/env bash
# Neurossia against PyTorch on the same DCGAN training step, on this machine, in one run: the two
# alternate ROUNDS times and the ratio of their median images/s is printed (ours / PyTorch).
# Needs `pip install torch numpy` and ../shared/bench/dcgan_torch.py. Usage: scripts/bench-vs-torch.sh [ROUNDS] [SIZE] [BATCH]
set -euo pipefail
rounds=${1:-3}; size=${2:-64}; batch=${3:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
torch_script="$root/../shared/bench/dcgan_torch.py"
[ -f "$torch_script" ] || { echo "missing $torch_script" >&2; exit 2; }
[ -x "$root/.build/release/neurossia" ] || (cd "$root" && swift build -c release --product neurossia)
ours=(); theirs=()
for r in $(seq 1 "$rounds"); do
    ours+=("$("$root/.build/release/neurossia" bench train --size "$size" --batch "$batch" --iters 15 | grep '^CSV' )")
    theirs+=("$(python3 "$torch_script" --size "$size" --batch "$batch" --threads 2 --iters 15 | grep '^CSV')")
    echo "round $r: ours ${ours[-1]}"
    echo "round $r: torch ${theirs[-1]}"
done
python3 - "${ours[@]}" -- "${theirs[@]}" <<'PY'
import statistics, sys
args = sys.argv[1:]; cut = args.index("--")
def med(lines, col): return statistics.median(float(l.split(",")[col]) for l in lines)
ours, theirs = args[:cut], args[cut + 1:]
for name, col in [("train img/s", 5), ("generate img/s", 7)]:
    o, t = med(ours, col), med(theirs, col)
    print(f"{name}: neurossia {o:.1f}, pytorch {t:.1f}, ratio {o / t:.2f}")
print(f"peak RSS MB: neurossia {med(ours, 9):.0f}, pytorch {med(theirs, 9):.0f}")
PY
