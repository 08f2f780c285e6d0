#!/usr/bin/env bash
# Soak: kills `train --all` (two tiny themes, 3-second slices) with SIGKILL at a random moment every 2–10 s,
# N times, and prints three figures: restarts that resumed (of N), checkpoint files found unreadable
# (by the program: `themes list` reads every generator file, and each restart's log says whether the state
# file loaded or the fallback copy was needed), and the largest step back in images seen from one run's
# last logged checkpoint to the next run's resume, against one checkpoint interval.
# Usage: scripts/kill-loop.sh [N]   (build first: swift build -c release --product neurossia)
set -uo pipefail
kills=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/release/neurossia"
[ -x "$bin" ] || { echo "build first: swift build -c release --product neurossia" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Themes"
interval_kimg=0.4
for scene in panel-blocks window-frames; do
    cat > "$work/Themes/kill-$scene.yaml" <<YAML
name: kill-$scene
dataset: { source: starter, scene: $scene, count: 64, resolution: 32 }
architecture: { name: dcgan, width: 16, latent: 32 }
training: { batch: 16, budget: { kimg: 1000 }, checkpoint_every: { kimg: $interval_kimg }, sample_every: { kimg: 2 }, eval_pictures: 0 }
YAML
done
cd "$work"

unreadable=0
resumed=0
early=0
for i in $(seq 1 "$kills"); do
    "$bin" train --all --minutes 600 --slice 0.05 > "run-$i.log" 2>&1 &
    pid=$!
    alive=$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 2 + 8 * rand() }')
    sleep "$alive"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # A restart resumed when it said "resumed at"; one killed before it loaded anything says nothing.
    if [ "$i" -gt 1 ]; then
        if grep -q 'resumed at' "run-$i.log"; then resumed=$((resumed + 1))
        elif ! grep -q ': started' "run-$i.log"; then early=$((early + 1)); fi
    fi
    grep -qi 'damaged\|corrupt\|cannot be read\|fallback' "run-$i.log" && unreadable=$((unreadable + 1))
    "$bin" themes list > "list-$i.log" 2>&1 || unreadable=$((unreadable + 1))
    printf 'kill %2d after %5ss: %s\n' "$i" "$alive" \
        "$(grep -o 'kill-[a-z-]*: resumed at [0-9.]* kimg from [a-z.]*\|resumed at [0-9.]* kimg from [a-z.]*' "run-$i.log" | tr '\n' ';' || true)"
done
# One last run that is allowed to finish its slice reads whatever the last kill left.
"$bin" train --all --minutes 0.1 --slice 0.05 > final.log 2>&1 || unreadable=$((unreadable + 1))
grep -qi 'damaged\|corrupt\|cannot be read\|fallback' final.log && unreadable=$((unreadable + 1))
"$bin" themes list > list-final.log 2>&1 || unreadable=$((unreadable + 1))

# Step back: per theme, the last checkpoint a run logged before its kill minus where the next run resumed.
back=$(python3 - Models/*/log.jsonl <<'PY'
import json, re, sys
worst = 0.0
for path in sys.argv[1:]:
    last_checkpoint = None
    for line in open(path, errors="replace"):
        try:
            record = json.loads(line)
        except ValueError:
            continue                      # a line cut by the kill
        event = record.get("event") or ""
        if event.startswith("checkpoint"):
            last_checkpoint = record["kimg"]
        match = re.search(r"resumed at ([0-9.]+) kimg", event)
        if match and last_checkpoint is not None:
            worst = max(worst, last_checkpoint - float(match.group(1)))
print(f"{worst:.1f}")
PY
)
echo "restarts that resumed: $resumed of $((kills - 1)) (the first run starts fresh; $early killed before loading)"
echo "checkpoints found unreadable: $unreadable"
echo "largest step back in images seen: $back kimg (one checkpoint interval: $interval_kimg kimg)"
