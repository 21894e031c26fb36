#!/usr/bin/env bash
# Opens a report.html in headless Chromium and checks that it renders offline:
#   - the page loads and its DOM holds the four charts (sizes, engagement, matrix, clusters);
#   - every chart is an inline <svg> with drawn shapes;
#   - the page makes no network request (Chromium's net log lists every URL it asked for; the
#     browser's own background checks — its clock, account and component-update pings, which
#     it may send even with --disable-component-update — are ignored, any other http(s)/ws
#     request fails the check);
#   - a screenshot can be taken and is not empty.
# Usage: scripts/check-report-html.sh REPORT_FOLDER_OR_HTML
set -euo pipefail

target=${1:?usage: $0 REPORT_FOLDER_OR_HTML}
if [ -d "$target" ]; then target="$target/report.html"; fi
[ -f "$target" ] || { echo "check-report-html: $target: no such file" >&2; exit 1; }
page="file://$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"

browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$browser" ] || { echo "check-report-html: chromium is not installed (apt-get install chromium)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$work/profile")

"$browser" "${flags[@]}" --log-net-log="$work/net.json" --dump-dom "$page" >"$work/dom.html" 2>"$work/stderr.txt"
"$browser" "${flags[@]}" --window-size=1280,2000 --screenshot="$work/page.png" "$page" >/dev/null 2>>"$work/stderr.txt"

fail() { echo "check-report-html: $target: $*" >&2; exit 1; }

grep -q '<h1' "$work/dom.html" || fail "the rendered page has no heading"
for chart in chart-sizes chart-engagement chart-matrix chart-clusters; do
    grep -q "id=\"$chart\"" "$work/dom.html" || fail "chart #$chart is missing"
done
svgs=$(grep -o '<svg' "$work/dom.html" | wc -l)
[ "$svgs" -ge 4 ] || fail "expected at least 4 inline SVG charts, found $svgs"
shapes=$(grep -oE '<(rect|circle|line|path|polyline)' "$work/dom.html" | wc -l)
[ "$shapes" -ge 20 ] || fail "the charts draw only $shapes shapes"

requests=$(grep -oE '"url":"(https?|wss?|ftp)://[^"]*"' "$work/net.json" \
    | grep -vE '"url":"https?://(clients[0-9]*\.google\.com/time/|accounts\.google\.com/ListAccounts|www\.google\.com/async/|update\.googleapis\.com/service/update2)' \
    | sort -u || true)
[ -z "$requests" ] || fail "the page made network requests: $requests"
if grep -qiE '(src|href)="(https?:)?//' "$target"; then
    fail "the page links an external resource"
fi

[ -s "$work/page.png" ] || fail "no screenshot"
size=$(stat -c %s "$work/page.png")
[ "$size" -gt 20000 ] || fail "the screenshot is nearly blank ($size bytes)"
echo "check-report-html: $target renders offline: $svgs charts, $shapes shapes, no network request"
