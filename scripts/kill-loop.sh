#!/usr/bin/env bash
# Kills a training run with SIGKILL at random moments, N times, and shows that every restart resumes from
# an intact checkpoint: prints the images seen at each resume, whether the fallback copy was needed, and a
# check of both state files (by Python's safetensors when installed). Usage: scripts/kill-loop.sh [N]
set -uo pipefail
kills=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/release/neurossia"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Themes"
cat > "$work/Themes/kill-test.yaml" <<'YAML'
name: kill-test
dataset: { source: starter, scene: panel-blocks, count: 64, resolution: 32 }
architecture: { name: dcgan, width: 16, latent: 32 }
training: { batch: 16, budget: { kimg: 1000 }, checkpoint_every: { kimg: 0.4 }, sample_every: { kimg: 2 } }
YAML
cd "$work"
check() {
    python3 - "$@" <<'PY' 2>/dev/null || echo "python safetensors not installed: skipped"
import json, sys
from safetensors import safe_open
for path in sys.argv[1:]:
    with safe_open(path, framework="numpy") as f:
        n = sum(f.get_tensor(k).size for k in f.keys())
        seen = json.loads(f.metadata()["counters"])["imagesSeen"]
    print(f"{path.split('/')[-1]} ok ({n} values, {seen} images)", end="; ")
print()
PY
}
corrupt=0
for i in $(seq 1 "$kills"); do
    "$bin" train kill-test > "run-$i.log" 2>&1 &
    pid=$!
    alive=$(awk -v s=$RANDOM 'BEGIN { srand(s); printf "%.2f", 2 + 6 * rand() }')
    sleep "$alive"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    resumed=$(grep -o 'resumed at [0-9.]* kimg from [a-z.]*' "run-$i.log" || grep -o 'started' "run-$i.log")
    grep -q 'corrupt\|missing' "run-$i.log" && corrupt=$((corrupt + 1))
    printf 'kill %2d after %5ss: this run %s; ' "$i" "$alive" "${resumed:-did not get to train}"
    check Models/kill-test/state.safetensors Models/kill-test/state.prev.safetensors
done
"$bin" train kill-test --minutes 0.05 > final.log 2>&1
echo "final start: $(grep -o 'resumed at [0-9.]* kimg from [a-z.]*' final.log)"
echo "restarts that needed the fallback copy or found a damaged file: $corrupt"
