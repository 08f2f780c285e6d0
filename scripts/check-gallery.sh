#!/usr/bin/env bash
# Opens a seasonal set's gallery in headless Chromium, fails if any picture does not load, and writes a
# screenshot beside it. Not needed by CI. Usage: scripts/check-gallery.sh [GALLERY.html] [SHOT.png]
# (default: out/sets/new-year/index.html, rendered first with `neurossia set new-year` when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gallery=${1:-$root/out/sets/new-year/index.html}
shot=${2:-${gallery%.html}-screenshot.png}
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
if [ ! -f "$gallery" ]; then
    [ -x "$root/.build/release/neurossia" ] || (cd "$root" && swift build -c release --product neurossia)
    (cd "$root" && .build/release/neurossia set new-year)
fi
# A copy of the page with a probe that, once everything has loaded, writes how many pictures decoded.
probe=$(mktemp --suffix=.html)
trap 'rm -f "$probe"' EXIT
sed 's|</body>|<script>addEventListener("load",()=>{const i=[...document.images];const bad=i.filter(x=>!x.complete\|\|x.naturalWidth===0);document.body.insertAdjacentHTML("beforeend","<pre id=probe>images "+i.length+" broken "+bad.length+"</pre>")})</script></body>|' "$gallery" > "$probe"
result=$(chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom "file://$probe" 2>/dev/null | grep -o 'images [0-9]* broken [0-9]*' || true)
[ -n "$result" ] || { echo "the probe did not run: $gallery" >&2; exit 1; }
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1600 --screenshot="$shot" "file://$gallery" >/dev/null 2>&1
echo "$gallery: $result; screenshot $shot"
read -r _ total _ broken <<<"$result"
[ "$total" -gt 0 ] && [ "$broken" -eq 0 ]
